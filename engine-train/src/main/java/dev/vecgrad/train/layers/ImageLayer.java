package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;

/**
 * A weightless layer over channels-last images {@code (batch, height, width, channels)} (pooling,
 * upsampling, padding): building checks the shape through {@link #computeOutputShape}, and later
 * inputs may have any height and width with the channels it was built for.
 */
abstract class ImageLayer extends Layer {
    ImageLayer(String name) {
        super(name);
    }

    @Override
    protected final void build(Shape inputShape) {
        computeOutputShape(inputShape);
    }

    @Override
    protected final void checkInputShape(Shape builtFor, Shape given) {
        ConvShapes.checkChannels(this, builtFor, given);
    }

    /** {@code s} if it is an image shape, else an error naming the layer. */
    final Shape requireImage(Shape s) {
        if (s.rank() != 4) {
            throw new IllegalArgumentException(className() + " '" + name()
                    + "' needs channels-last inputs (batch, height, width, channels), got " + s);
        }
        return s;
    }
}
