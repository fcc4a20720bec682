package dev.vecgrad.train.layers;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.internal.TensorInternals;
import dev.vecgrad.core.internal.VariableInternals;
import dev.vecgrad.core.ops.NNOps;
import dev.vecgrad.train.initializers.Initializer;
import dev.vecgrad.train.initializers.Initializers;
import dev.vecgrad.train.regularizers.Regularizer;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Multi-head scaled dot-product attention, as Keras's {@code MultiHeadAttention}. The query, key
 * and value are projected to {@code numHeads} heads of {@code keyDim} (values: {@code valueDim})
 * features; each head attends with {@code softmax(q·kᵀ / sqrt(keyDim) + maskBias) · v}, and the
 * heads are concatenated and projected to the output's features (the query's, or
 * {@code outputDim}).
 *
 * <p><b>Weights</b>, in Keras's shapes: {@code query/kernel (queryFeatures, heads, keyDim)},
 * {@code key/kernel (keyFeatures, heads, keyDim)}, {@code value/kernel (valueFeatures, heads,
 * valueDim)}, {@code attention_output/kernel (heads, valueDim, outputDim)}, and a bias for each
 * unless {@code useBias} is false.
 *
 * <p><b>Calling.</b> {@link #call(Tensor, boolean)} is self-attention, {@code x} being query, key
 * and value (how a stack of layers uses it); called on a list {@code [query, value]} or
 * {@code [query, value, key]} (in a functional model: {@code mha.call(q, v)}) it is
 * cross-attention; {@link #attend} does the same from Java and gives the attention scores too.
 * Inputs are {@code (batch, steps, features)}.
 *
 * <p><b>Masks.</b> Position i of the query may attend to position j of the value where every mask
 * given allows it: the query's mask at i, the value's mask at j, an explicit
 * {@code attentionMask (batch, queryLen, valueLen)}, and with {@code useCausalMask} j ≤ i (a
 * decoder that must not see the future). Disallowed positions get probability 0, as the −10⁹
 * Keras adds to their scores gives, and a query position with nothing to attend to gets all zeros
 * (the output bias alone), as Keras; scaling, masking and the softmax are one op,
 * {@link dev.vecgrad.core.ops.NNOps#maskedSoftmax}.
 * In a stack of layers the incoming mask is both the query's and the value's, and passes on as
 * the output's. {@code useCausalMask} is a constructor option here, so a {@link
 * dev.vecgrad.train.Sequential} can hold a causal layer; {@link #attend} also takes it per call.
 *
 * <p><b>Dropout</b> of rate {@code dropout} applies to the attention probabilities in training.
 *
 * <pre>{@code
 * MultiHeadAttention mha = MultiHeadAttention.builder(4, 32).useCausalMask(true).build();
 * Tensor y = mha.call(x, true);                              // x (batch, steps, 128) -> same shape
 * MultiHeadAttention.Result r = mha.attend(q, v, v, null, null, null, false, false);
 * r.scores();                                                // (batch, heads, queryLen, valueLen)
 * }</pre>
 */
public final class MultiHeadAttention extends Layer {

    private final int numHeads;
    private final int keyDim;
    private final int valueDim;
    private final double dropout;
    private final boolean useBias;
    private final int outputDim;
    private final boolean useCausalMask;
    private final Initializer kernelInitializer;
    private final Initializer biasInitializer;
    private final Regularizer kernelRegularizer;
    private final Regularizer biasRegularizer;
    private Dropout attentionDropout;
    private Variable queryKernel;
    private Variable keyKernel;
    private Variable valueKernel;
    private Variable outputKernel;
    private Variable queryBias;
    private Variable keyBias;
    private Variable valueBias;
    private Variable outputBias;

    /** The output of {@link #attend}: {@code (batch, queryLen, outputDim)} and the attention probabilities {@code (batch, heads, queryLen, valueLen)}. */
    public record Result(Tensor output, Tensor scores) {
    }

    private MultiHeadAttention(Builder b) {
        super(b.name);
        if (b.numHeads <= 0 || b.keyDim <= 0 || b.valueDim < 0 || b.outputDim < 0) {
            throw new IllegalArgumentException("MultiHeadAttention: numHeads and keyDim must be positive (and valueDim,"
                    + " outputDim when given), got numHeads " + b.numHeads + ", keyDim " + b.keyDim);
        }
        if (!(b.dropout >= 0 && b.dropout < 1)) {
            throw new IllegalArgumentException("MultiHeadAttention: dropout must be in [0, 1), got " + b.dropout);
        }
        this.numHeads = b.numHeads;
        this.keyDim = b.keyDim;
        this.valueDim = b.valueDim == 0 ? b.keyDim : b.valueDim;
        this.dropout = b.dropout;
        this.useBias = b.useBias;
        this.outputDim = b.outputDim;
        this.useCausalMask = b.useCausalMask;
        this.kernelInitializer = b.kernelInitializer;
        this.biasInitializer = b.biasInitializer;
        this.kernelRegularizer = b.kernelRegularizer;
        this.biasRegularizer = b.biasRegularizer;
    }

    /** {@code numHeads} heads of {@code keyDim} features with Keras's defaults. */
    public MultiHeadAttention(int numHeads, int keyDim) {
        this(builder(numHeads, keyDim));
    }

    /** A builder for the optional arguments, starting from Keras's defaults. */
    public static Builder builder(int numHeads, int keyDim) {
        return new Builder(numHeads, keyDim);
    }

    /** Optional arguments of {@link MultiHeadAttention}. */
    public static final class Builder {
        private final int numHeads;
        private final int keyDim;
        private String name;
        private int valueDim;
        private double dropout;
        private boolean useBias = true;
        private int outputDim;
        private boolean useCausalMask;
        private Initializer kernelInitializer = Initializers.glorotUniform();
        private Initializer biasInitializer = Initializers.zeros();
        private Regularizer kernelRegularizer;
        private Regularizer biasRegularizer;

        private Builder(int numHeads, int keyDim) {
            this.numHeads = numHeads;
            this.keyDim = keyDim;
        }

        /** The layer's name (default {@code multi_head_attention}, ...). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Features per head of the values (default keyDim). */
        public Builder valueDim(int valueDim) {
            this.valueDim = valueDim;
            return this;
        }

        /** Dropout rate on the attention probabilities in training (default 0). */
        public Builder dropout(double dropout) {
            this.dropout = dropout;
            return this;
        }

        /** Whether the projections have biases (default true). */
        public Builder useBias(boolean useBias) {
            this.useBias = useBias;
            return this;
        }

        /** Features of the output (default: the query's). */
        public Builder outputDim(int outputDim) {
            this.outputDim = outputDim;
            return this;
        }

        /** Whether position i may attend only to positions up to i (default false). */
        public Builder useCausalMask(boolean useCausalMask) {
            this.useCausalMask = useCausalMask;
            return this;
        }

        /** The kernels' initializer (default Glorot uniform). */
        public Builder kernelInitializer(Initializer init) {
            this.kernelInitializer = init;
            return this;
        }

        /** The biases' initializer (default zeros). */
        public Builder biasInitializer(Initializer init) {
            this.biasInitializer = init;
            return this;
        }

        /** A penalty on the kernels. */
        public Builder kernelRegularizer(Regularizer reg) {
            this.kernelRegularizer = reg;
            return this;
        }

        /** A penalty on the biases. */
        public Builder biasRegularizer(Regularizer reg) {
            this.biasRegularizer = reg;
            return this;
        }

        /** The layer. */
        public MultiHeadAttention build() {
            return new MultiHeadAttention(this);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Building.

    @Override
    protected void build(Shape queryShape) {
        build(queryShape, queryShape, queryShape);
    }

    /** Query and value, or query, value and key. */
    @Override
    protected void build(List<Shape> shapes) {
        requireTwoOrThree(shapes.size());
        build(shapes.get(0), shapes.get(1), shapes.get(shapes.size() - 1));
    }

    private void requireTwoOrThree(int n) {
        if (n < 1 || n > 3) {
            throw new IllegalArgumentException("MultiHeadAttention '" + name()
                    + "' takes a query, or a query and a value, or a query, a value and a key; got " + n + " inputs");
        }
    }

    private void build(Shape queryShape, Shape v, Shape k) {
        for (Shape s : new Shape[] {queryShape, v, k}) {
            if (s.rank() != 3) {
                throw new IllegalArgumentException("MultiHeadAttention '" + name()
                        + "' needs inputs (batch, steps, features), got " + s);
            }
        }
        int out = outputDim == 0 ? queryShape.dim(2) : outputDim;
        queryKernel = addWeight("query/kernel", new int[] {queryShape.dim(2), numHeads, keyDim}, kernelInitializer,
                kernelRegularizer, true);
        keyKernel = addWeight("key/kernel", new int[] {k.dim(2), numHeads, keyDim}, kernelInitializer,
                kernelRegularizer, true);
        valueKernel = addWeight("value/kernel", new int[] {v.dim(2), numHeads, valueDim}, kernelInitializer,
                kernelRegularizer, true);
        outputKernel = addWeight("attention_output/kernel", new int[] {numHeads, valueDim, out}, kernelInitializer,
                kernelRegularizer, true);
        if (useBias) {
            queryBias = addWeight("query/bias", new int[] {numHeads, keyDim}, biasInitializer, biasRegularizer, true);
            keyBias = addWeight("key/bias", new int[] {numHeads, keyDim}, biasInitializer, biasRegularizer, true);
            valueBias = addWeight("value/bias", new int[] {numHeads, valueDim}, biasInitializer, biasRegularizer,
                    true);
            outputBias = addWeight("attention_output/bias", new int[] {out}, biasInitializer, biasRegularizer, true);
        }
        if (dropout > 0) {
            attentionDropout = new Dropout(dropout, name() + "_attention_dropout");
            attentionDropout.setSeed(seed());
        }
    }

    @Override
    protected void checkInputShape(Shape builtFor, Shape given) {
        requireSequence(builtFor, given);
    }

    // ---------------------------------------------------------------------------------------
    // Calling.

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        return forward(x, null, training);
    }

    @Override
    protected Tensor forward(Tensor x, Tensor mask, boolean training) {
        return compute(x, x, x, mask, mask, null, useCausalMask, training, false).output();
    }

    /**
     * Attention of {@code query} over {@code value} (keys {@code key}; null means the value),
     * building the layer for these shapes on the first call.
     *
     * @param queryMask {@code (batch, queryLen)} or null
     * @param valueMask {@code (batch, valueLen)} or null (it masks the keys too)
     * @param attentionMask {@code (batch, queryLen, valueLen)}, 1 where attending is allowed; or null
     * @param causal whether position i attends only to positions up to i, besides the masks
     */
    public Result attend(Tensor query, Tensor value, Tensor key, Tensor queryMask, Tensor valueMask,
            Tensor attentionMask, boolean causal, boolean training) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(value, "value");
        Tensor k = key == null ? value : key;
        if (!isBuilt()) {
            maybeBuild(List.of(query.shape(), value.shape(), k.shape()), query.dtype());
        }
        List<Shape> built = builtInputShapes();
        checkInputShape(built.get(0), query.shape());
        checkInputShape(built.get(Math.min(1, built.size() - 1)), value.shape());
        checkInputShape(built.get(built.size() - 1), k.shape());
        return compute(query, value, k, queryMask, valueMask, attentionMask, causal, training, true);
    }

    /**
     * Attention over several inputs, as Keras's {@code mha(query, value[, key])} in a functional
     * model: query, value, and optionally key, each with its own mask; causal when built so.
     */
    @Override
    protected Tensor forward(List<Tensor> inputs, List<Tensor> masks, boolean training) {
        requireTwoOrThree(inputs.size());
        Tensor q = inputs.get(0);
        Tensor v = inputs.size() > 1 ? inputs.get(1) : q;
        Tensor k = inputs.get(inputs.size() - 1);
        Tensor valueMask = masks.size() > 1 ? masks.get(1) : masks.get(0);
        if (inputs.size() == 3 && masks.get(2) != null) {
            valueMask = valueMask == null ? masks.get(2) : valueMask.mul(masks.get(2).cast(valueMask.dtype()));
        }
        return compute(q, v, k, masks.get(0), valueMask, null, useCausalMask, training, false).output();
    }

    /** The query's mask. */
    @Override
    public Tensor computeMask(List<Tensor> inputs, List<Tensor> masks) {
        return masks.get(0);
    }

    /** The query's steps and the output's features. */
    @Override
    public Shape computeOutputShape(List<Shape> inputShapes) {
        requireTwoOrThree(inputShapes.size());
        return computeOutputShape(inputShapes.get(0));
    }

    private Result compute(Tensor query, Tensor value, Tensor key, Tensor queryMask, Tensor valueMask,
            Tensor attentionMask, boolean causal, boolean training, boolean keepScores) {
        int batch = query.shape().dim(0);
        int tq = query.shape().dim(1);
        int tv = value.shape().dim(1);
        if (key.shape().dim(1) != tv || key.shape().dim(0) != value.shape().dim(0)) {
            throw new IllegalArgumentException("MultiHeadAttention '" + name() + "': key " + key.shape()
                    + " and value " + value.shape() + " must have the same batch and steps");
        }
        // (batch, steps, features) · (features, heads·dim) -> (batch, heads, steps, dim)
        Tensor q = heads(project(query, queryKernel, queryBias), keyDim);
        Tensor k = heads(project(key, keyKernel, keyBias), keyDim);
        Tensor v = heads(project(value, valueKernel, valueBias), valueDim);
        Tensor scores = q.matmul(k, false, true);
        Tensor allowed = allowed(batch, tq, tv, queryMask, valueMask, attentionMask, causal, scores.dtype());
        // Disallowed positions get weight 0, and a row with none allowed is all zeros, as Keras's
        // softmax with a -1e9 bias and its zeroing of fully masked rows give.
        Tensor probs = NNOps.maskedSoftmax(scores, allowed, 1.0 / Math.sqrt(keyDim));
        Tensor dropped = attentionDropout == null ? probs : attentionDropout.call(probs, training);
        Tensor heads = dropped.matmul(v).transpose(1, 2).reshape(batch, tq, numHeads * valueDim);
        Tensor out = heads.matmul(VariableInternals.read(outputKernel).reshape(numHeads * valueDim, -1));
        if (useBias) {
            out = out.add(VariableInternals.read(outputBias));
        }
        return new Result(out, keepScores ? probs : null);
    }

    private Tensor project(Tensor x, Variable kernel, Variable bias) {
        Tensor y = x.matmul(VariableInternals.read(kernel).reshape(kernel.shape().dim(0), -1));
        return bias == null ? y : y.add(VariableInternals.read(bias).reshape(-1));
    }

    /** (batch, steps, heads·dim) -> (batch, heads, steps, dim). */
    private Tensor heads(Tensor x, int dim) {
        return x.reshape(x.shape().dim(0), x.shape().dim(1), numHeads, dim).transpose(1, 2);
    }

    /**
     * 1 where query position i may attend to value position j, shaped to broadcast over
     * (batch, heads, queryLen, valueLen); null when nothing is masked. Holds no gradient.
     */
    private static Tensor allowed(int batch, int tq, int tv, Tensor queryMask, Tensor valueMask,
            Tensor attentionMask, boolean causal, DType dtype) {
        Tensor m = null;
        if (queryMask != null) {
            checkMask("query mask", queryMask, batch, tq);
            m = cast(queryMask, dtype).ne(Tensor.scalar(0, dtype)).reshape(batch, 1, tq, 1);
        }
        if (valueMask != null) {
            checkMask("value mask", valueMask, batch, tv);
            m = and(m, cast(valueMask, dtype).ne(Tensor.scalar(0, dtype)).reshape(batch, 1, 1, tv));
        }
        if (attentionMask != null) {
            if (!attentionMask.shape().equals(Shape.of(batch, tq, tv))) {
                throw new IllegalArgumentException("MultiHeadAttention: the attention mask must be (batch, queryLen,"
                        + " valueLen) = (" + batch + ", " + tq + ", " + tv + "), got " + attentionMask.shape());
            }
            m = and(m, cast(attentionMask, dtype).ne(Tensor.scalar(0, dtype)).reshape(batch, 1, tq, tv));
        }
        if (causal) {
            m = and(m, causalMask(tq, tv, dtype));
        }
        return m;
    }

    private static void checkMask(String what, Tensor mask, int batch, int steps) {
        if (!mask.shape().equals(Shape.of(batch, steps))) {
            throw new IllegalArgumentException("MultiHeadAttention: the " + what + " must be (batch, steps) = (" + batch
                    + ", " + steps + "), got " + mask.shape());
        }
    }

    private static Tensor cast(Tensor t, DType dtype) {
        return t.dtype() == dtype ? t : t.cast(dtype);
    }

    private static Tensor and(Tensor a, Tensor b) {
        return a == null ? b : a.mul(b);
    }

    /** (1, 1, tq, tv): 1 where j ≤ i, as Keras's lower-triangular causal mask. */
    private static Tensor causalMask(int tq, int tv, DType dtype) {
        double[] m = new double[tq * tv];
        for (int i = 0; i < tq; i++) {
            for (int j = 0; j <= Math.min(i, tv - 1); j++) {
                m[i * tv + j] = 1;
            }
        }
        Tensor t = TensorInternals.wrap(DType.F64, Shape.of(1, 1, tq, tv), m);
        return dtype == DType.F64 ? t : t.cast(dtype);
    }

    /** Attends over positions, so the query's mask passes on as the output's. */
    @Override
    public boolean supportsMasking() {
        return true;
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return Shape.of(inputShape.dim(0), inputShape.dim(1), outputDim == 0 ? inputShape.dim(2) : outputDim);
    }

    /** The number of heads. */
    public int numHeads() {
        return numHeads;
    }

    /** Features per head of queries and keys. */
    public int keyDim() {
        return keyDim;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("num_heads", numHeads);
        c.put("key_dim", keyDim);
        c.put("value_dim", valueDim);
        c.put("dropout", dropout);
        c.put("use_bias", useBias);
        c.put("output_shape", outputDim == 0 ? null : outputDim);
        c.put("use_causal_mask", useCausalMask);
        c.put("kernel_initializer", Configs.of(kernelInitializer));
        c.put("bias_initializer", Configs.of(biasInitializer));
        c.put("kernel_regularizer", Configs.of(kernelRegularizer));
        c.put("bias_regularizer", Configs.of(biasRegularizer));
        c.put("seed", seed());
        return c;
    }

    static MultiHeadAttention fromConfig(Map<String, Object> c) {
        Builder b = builder(Configs.integer(c, "num_heads"), Configs.integer(c, "key_dim"))
                .name((String) c.get("name"))
                .valueDim(c.get("value_dim") == null ? 0 : Configs.integer(c, "value_dim"))
                .dropout(Configs.number(c, "dropout", 0))
                .useBias(Configs.bool(c, "use_bias", true))
                .outputDim(c.get("output_shape") == null ? 0 : Configs.integer(c, "output_shape"))
                .useCausalMask(Configs.bool(c, "use_causal_mask", false))
                .kernelInitializer(Configs.initializer(c.get("kernel_initializer"), Initializers.glorotUniform()))
                .biasInitializer(Configs.initializer(c.get("bias_initializer"), Initializers.zeros()))
                .kernelRegularizer(Configs.regularizer(c.get("kernel_regularizer")))
                .biasRegularizer(Configs.regularizer(c.get("bias_regularizer")));
        return b.build();
    }
}
