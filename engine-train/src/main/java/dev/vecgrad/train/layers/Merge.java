package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.util.List;

/**
 * A layer that combines several inputs into one, as Keras's merge layers: {@link Add},
 * {@link Multiply}, {@link Average} (elementwise, shapes broadcast together), {@link Concatenate}
 * and {@link Dot}. It is called on a list of at least two tensors, or of two symbolic tensors in a
 * functional model: {@code new Add().call(a, b)}.
 */
public abstract class Merge extends Layer {
    /** A merge layer called {@code name} (null for the default). */
    protected Merge(String name) {
        super(name);
    }

    @Override
    protected final Tensor forward(Tensor x, boolean training) {
        throw new IllegalArgumentException(className() + " '" + name()
                + "' merges several inputs: call it on a list of two or more tensors");
    }

    @Override
    public final Shape computeOutputShape(Shape inputShape) {
        throw new IllegalArgumentException(className() + " '" + name()
                + "' merges several inputs: give the shapes of two or more");
    }

    @Override
    protected final void build(List<Shape> inputShapes) {
        computeOutputShape(inputShapes);
    }

    @Override
    protected void checkInputShape(Shape builtFor, Shape given) {
        if (given.rank() != builtFor.rank()) {
            throw new IllegalArgumentException(incompatible(builtFor, given));
        }
    }

    /** Fails unless there are at least two inputs. */
    final void requireSeveral(int n) {
        if (n < 2) {
            throw new IllegalArgumentException(className() + " '" + name() + "' needs at least two inputs, got " + n);
        }
    }

    /** The broadcast shape of all inputs, or an error naming them. */
    final Shape broadcastShape(List<Shape> shapes) {
        requireSeveral(shapes.size());
        Shape out = shapes.get(0);
        for (int i = 1; i < shapes.size(); i++) {
            out = Shape.broadcast(out, shapes.get(i), className() + " '" + name() + "' of inputs " + shapes);
        }
        return out;
    }
}
