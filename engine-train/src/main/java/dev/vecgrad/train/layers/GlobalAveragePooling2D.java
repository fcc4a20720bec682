package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;

/**
 * The mean over height and width of channels-last inputs, {@code (batch, h, w, c)} to
 * {@code (batch, c)}, as Keras's {@code GlobalAveragePooling2D}.
 */
public final class GlobalAveragePooling2D extends Layer {
    /** With the default name. */
    public GlobalAveragePooling2D() {
        this(null);
    }

    /** Called {@code name} (null: default). */
    public GlobalAveragePooling2D(String name) {
        super(name);
    }

    @Override
    protected void build(Shape inputShape) {
        computeOutputShape(inputShape);
    }

    @Override
    protected void checkInputShape(Shape builtFor, Shape given) {
        ConvShapes.checkChannels(this, builtFor, given);
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        return x.mean(new int[] {1, 2}, false);
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        if (inputShape.rank() != 4) {
            throw new IllegalArgumentException("GlobalAveragePooling2D '" + name()
                    + "' needs channels-last inputs (batch, height, width, channels), got " + inputShape);
        }
        return Shape.of(inputShape.dim(0), inputShape.dim(3));
    }
}
