package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.util.Arrays;
import java.util.Map;

/**
 * Reshapes each sample to {@code targetShape} (the batch axis stays; one target dimension may be
 * -1 and is then inferred), as Keras's {@code Reshape}.
 *
 * <pre>{@code
 * new Reshape(28, 28, 1).call(Tensor.zeros(32, 784));   // (32, 28, 28, 1)
 * }</pre>
 */
public final class Reshape extends Layer {
    private final int[] targetShape;

    /** Reshapes samples to {@code targetShape}. */
    public Reshape(int... targetShape) {
        this(null, targetShape);
    }

    /** Reshapes samples to {@code targetShape}; {@code name} null for the default. */
    public Reshape(String name, int... targetShape) {
        super(name);
        int unknown = 0;
        for (int d : targetShape) {
            if (d == -1) {
                unknown++;
            } else if (d <= 0) {
                throw new IllegalArgumentException("Reshape: target dimensions must be positive or -1, got "
                        + Arrays.toString(targetShape));
            }
        }
        if (unknown > 1) {
            throw new IllegalArgumentException("Reshape: at most one target dimension may be -1, got "
                    + Arrays.toString(targetShape));
        }
        this.targetShape = targetShape.clone();
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        return x.reshape(computeOutputShape(x.shape()).toArray());
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        if (inputShape.rank() < 1) {
            throw new IllegalArgumentException("Reshape '" + name() + "' needs a batch axis, got a scalar");
        }
        int per = inputShape.size() / Math.max(1, inputShape.dim(0));
        int known = 1;
        int unknownAt = -1;
        for (int i = 0; i < targetShape.length; i++) {
            if (targetShape[i] == -1) {
                unknownAt = i;
            } else {
                known *= targetShape[i];
            }
        }
        int[] dims = new int[targetShape.length + 1];
        dims[0] = inputShape.dim(0);
        System.arraycopy(targetShape, 0, dims, 1, targetShape.length);
        if (unknownAt >= 0 && known > 0 && per % known == 0) {
            dims[unknownAt + 1] = per / known;
        } else if (unknownAt >= 0 || known != per) {
            throw new IllegalArgumentException("Reshape '" + name() + "': samples of shape " + inputShape
                    + " (" + per + " elements each) cannot be reshaped to " + Arrays.toString(targetShape));
        }
        return Shape.of(dims);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("target_shape", Configs.list(targetShape));
        return c;
    }

    /** The per-sample target shape (a copy). */
    public int[] targetShape() {
        return targetShape.clone();
    }
}
