package dev.vecgrad.train.layers;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The layer behind an {@link Input}: it declares a functional model's input (shape of one sample,
 * dtype, name) and passes its data on unchanged, as Keras's {@code InputLayer}.
 */
public final class InputLayer extends Layer {
    private final Shape sampleShape;
    private final DType inputType;
    private final SymbolicTensor output;

    /** An input of samples of {@code sampleShape} and {@code dtype}, called {@code name} (null: a default name). */
    public InputLayer(String name, DType dtype, int... sampleShape) {
        super(name);
        for (int d : sampleShape) {
            if (d < 1) {
                throw new IllegalArgumentException("Input: every dimension must be at least 1, got "
                        + Arrays.toString(sampleShape) + " (the batch axis is not part of the shape)");
            }
        }
        this.sampleShape = Shape.of(sampleShape);
        this.inputType = Objects.requireNonNull(dtype, "dtype");
        int[] batch = new int[sampleShape.length + 1];
        batch[0] = 1;
        System.arraycopy(sampleShape, 0, batch, 1, sampleShape.length);
        this.output = new Node(this, Shape.of(batch), dtype).outputs().get(0);
    }

    /** The symbolic tensor this input gives. */
    public SymbolicTensor output() {
        return output;
    }

    /** The dtype the input takes. */
    public DType inputDType() {
        return inputType;
    }

    /** The shape of one sample. */
    public Shape sampleShape() {
        return sampleShape;
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        return x;
    }

    @Override
    protected Tensor forward(Tensor x, Tensor mask, boolean training) {
        return x;
    }

    @Override
    public boolean supportsMasking() {
        return true;
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return inputShape;
    }

    @Override
    protected DType weightDType(DType given) {
        return inputType;
    }

    /** Name, {@code batch_shape} (the batch axis null, as Keras writes it) and {@code dtype}. */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        List<Object> batchShape = new ArrayList<>();
        batchShape.add(null);
        for (int d : sampleShape.toArray()) {
            batchShape.add(d);
        }
        c.put("batch_shape", batchShape);
        c.put("dtype", inputType.name());
        return c;
    }

    /** Rebuilds an InputLayer from {@link #getConfig()}. */
    static InputLayer fromConfig(Map<String, Object> c) {
        if (!(c.get("batch_shape") instanceof List<?> shape) || shape.isEmpty()) {
            throw new IllegalArgumentException("the config needs a list 'batch_shape'");
        }
        int[] dims = new int[shape.size() - 1];
        for (int i = 0; i < dims.length; i++) {
            if (!(shape.get(i + 1) instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < 1
                    || n.longValue() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("'batch_shape' must hold sizes after its batch axis, got " + shape);
            }
            dims[i] = n.intValue();
        }
        DType dtype = DType.F32;
        if (c.get("dtype") instanceof String d) {
            try {
                dtype = DType.valueOf(d);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'dtype' is '" + d + "', which is not a dtype this version knows");
            }
        }
        return new InputLayer((String) c.get("name"), dtype, dims);
    }
}
