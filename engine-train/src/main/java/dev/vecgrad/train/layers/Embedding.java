package dev.vecgrad.train.layers;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.internal.VariableInternals;
import dev.vecgrad.train.initializers.Initializer;
import dev.vecgrad.train.initializers.RandomUniform;
import dev.vecgrad.train.regularizers.Regularizer;
import java.util.Map;

/**
 * Looks up a trainable vector for each integer id, as Keras's {@code Embedding}: an I32 input of
 * any shape gives an output of that shape plus a last axis of {@code outputDim}. The table
 * {@code (inputDim, outputDim)} is read with {@code gather}, whose gradient scatters back into it.
 * Ids outside {@code [0, inputDim)} are an error naming the id. A floating input is cast to I32
 * (truncating), as Keras casts.
 *
 * <p>With {@code maskZero}, id 0 is padding: the output's mask ({@link #computeMask}) is 1 where
 * the id is not 0, so recurrent layers, attention and the loss skip padded steps (Keras's
 * {@code mask_zero}). Id 0 still has a row in the table.
 *
 * <pre>{@code
 * Embedding e = new Embedding(1000, 64);
 * e.call(Tensor.of(new int[] {3, 17, 3}, 1, 3));   // (1, 3, 64)
 * }</pre>
 */
public final class Embedding extends Layer {
    private final int inputDim;
    private final int outputDim;
    private final Initializer initializer;
    private final Regularizer regularizer;
    private final DType tableDType;
    private final boolean maskZero;
    private Variable embeddings;

    /** A table of {@code inputDim} vectors of length {@code outputDim}, F32, uniform in [-0.05, 0.05). */
    public Embedding(int inputDim, int outputDim) {
        this(null, inputDim, outputDim, new RandomUniform(-0.05, 0.05), null, DType.F32);
    }

    /**
     * A table of {@code inputDim} vectors of length {@code outputDim} with every argument given.
     *
     * @param name null for the default
     * @param initializer the table's initializer
     * @param regularizer a penalty on the table, or null
     * @param dtype the table's floating dtype
     */
    public Embedding(String name, int inputDim, int outputDim, Initializer initializer, Regularizer regularizer,
            DType dtype) {
        this(name, inputDim, outputDim, initializer, regularizer, dtype, false);
    }

    /**
     * A table of {@code inputDim} vectors of length {@code outputDim} with every argument given.
     *
     * @param name null for the default
     * @param initializer the table's initializer
     * @param regularizer a penalty on the table, or null
     * @param dtype the table's floating dtype
     * @param maskZero whether id 0 marks padding (see the class comment)
     */
    public Embedding(String name, int inputDim, int outputDim, Initializer initializer, Regularizer regularizer,
            DType dtype, boolean maskZero) {
        super(name);
        if (inputDim <= 0 || outputDim <= 0) {
            throw new IllegalArgumentException("Embedding: inputDim and outputDim must be positive, got " + inputDim
                    + " and " + outputDim);
        }
        if (!dtype.isFloating()) {
            throw new IllegalArgumentException("Embedding: the table's dtype must be floating, got " + dtype);
        }
        this.inputDim = inputDim;
        this.outputDim = outputDim;
        this.initializer = initializer;
        this.regularizer = regularizer;
        this.tableDType = dtype;
        this.maskZero = maskZero;
    }

    /** A table of {@code inputDim} vectors of length {@code outputDim} that masks id 0 (see the class comment). */
    public static Embedding maskingZero(int inputDim, int outputDim) {
        return new Embedding(null, inputDim, outputDim, new RandomUniform(-0.05, 0.05), null, DType.F32, true);
    }

    @Override
    protected DType weightDType(DType inputDType) {
        return tableDType;
    }

    @Override
    protected void build(Shape inputShape) {
        embeddings = addWeight("embeddings", new int[] {inputDim, outputDim}, initializer, regularizer, true);
    }

    @Override
    protected void checkInputShape(Shape builtFor, Shape given) {
        // Any shape of ids can be looked up.
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        Tensor ids = x.dtype() == DType.I32 ? x : x.cast(DType.I32);
        return VariableInternals.read(embeddings).gather(ids, 0);
    }

    /** With {@code maskZero}: 1 where the id is not 0, replacing any incoming mask; else no mask. */
    @Override
    public Tensor computeMask(Tensor x, Tensor mask) {
        return maskZero ? x.ne(x.scalarLike(0)) : null;
    }

    /** Whether id 0 marks padding. */
    public boolean maskZero() {
        return maskZero;
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        int[] dims = java.util.Arrays.copyOf(inputShape.toArray(), inputShape.rank() + 1);
        dims[inputShape.rank()] = outputDim;
        return Shape.of(dims);
    }

    /** The table (null before building). */
    public Variable embeddings() {
        return embeddings;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("input_dim", inputDim);
        c.put("output_dim", outputDim);
        c.put("embeddings_initializer", Configs.of(initializer));
        c.put("embeddings_regularizer", Configs.of(regularizer));
        c.put("dtype", tableDType.numpyName());
        c.put("mask_zero", maskZero);
        return c;
    }

    static Embedding fromConfig(Map<String, Object> c) {
        DType dtype = "float64".equals(c.get("dtype")) ? DType.F64 : DType.F32;
        return new Embedding((String) c.get("name"), Configs.integer(c, "input_dim"), Configs.integer(c, "output_dim"),
                Configs.initializer(c.get("embeddings_initializer"), new RandomUniform(-0.05, 0.05)),
                Configs.regularizer(c.get("embeddings_regularizer")), dtype, Configs.bool(c, "mask_zero", false));
    }
}
