package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;

/**
 * Flattens everything but the batch axis: {@code (batch, d1, d2, ...)} becomes
 * {@code (batch, d1 * d2 * ...)}; a rank-1 input becomes {@code (batch, 1)}, as Keras's
 * {@code Flatten}.
 */
public final class Flatten extends Layer {
    /** A Flatten with the default name. */
    public Flatten() {
        this(null);
    }

    /** A Flatten called {@code name} (null: default). */
    public Flatten(String name) {
        super(name);
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        return x.reshape(computeOutputShape(x.shape()).toArray());
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        if (inputShape.rank() < 1) {
            throw new IllegalArgumentException("Flatten '" + name() + "' needs a batch axis, got a scalar");
        }
        int rest = 1;
        for (int i = 1; i < inputShape.rank(); i++) {
            rest *= inputShape.dim(i);
        }
        return Shape.of(inputShape.dim(0), rest);
    }
}
