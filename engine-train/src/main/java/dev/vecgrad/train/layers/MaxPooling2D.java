package dev.vecgrad.train.layers;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.ConvOps;
import dev.vecgrad.core.ops.Padding;

/**
 * The maximum of each window, per channel, as Keras's {@code MaxPooling2D} (default pool 2x2,
 * strides equal to the pool, VALID). The gradient goes to each window's maximum.
 *
 * <pre>{@code
 * new MaxPooling2D().call(Tensor.zeros(8, 28, 28, 32));   // (8, 14, 14, 32)
 * }</pre>
 */
public final class MaxPooling2D extends Pooling2D {
    /** 2x2 windows, stride 2, VALID. */
    public MaxPooling2D() {
        this(null, new int[] {2, 2}, null, Padding.VALID);
    }

    /**
     * Max pooling with the given window, strides and padding.
     *
     * @param name null for the default
     * @param poolSize window (height, width)
     * @param strides (height, width), or null for the pool size
     */
    public MaxPooling2D(String name, int[] poolSize, int[] strides, Padding padding) {
        super(name, poolSize, strides, padding);
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        return ConvOps.maxPool2d(x, attrs());
    }
}
