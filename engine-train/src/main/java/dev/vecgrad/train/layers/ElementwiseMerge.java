package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.util.List;

/**
 * The merges that combine their inputs element by element, shapes broadcast together. The
 * output's mask keeps a position where every input's mask (of those given) keeps it, as Keras's.
 */
abstract class ElementwiseMerge extends Merge {
    ElementwiseMerge(String name) {
        super(name);
    }

    /** The inputs combined. */
    abstract Tensor combine(List<Tensor> inputs);

    /** The inputs added, in order. */
    static Tensor sum(List<Tensor> inputs) {
        Tensor sum = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) {
            sum = sum.add(inputs.get(i));
        }
        return sum;
    }

    @Override
    protected final Tensor forward(List<Tensor> inputs, List<Tensor> masks, boolean training) {
        requireSeveral(inputs.size());
        return combine(inputs);
    }

    @Override
    public final Shape computeOutputShape(List<Shape> inputShapes) {
        return broadcastShape(inputShapes);
    }

    @Override
    public final Tensor computeMask(List<Tensor> inputs, List<Tensor> masks) {
        Tensor out = null;
        for (Tensor m : masks) {
            if (m != null) {
                Tensor keep = m.ne(m.scalarLike(0));
                out = out == null ? keep : out.mul(keep.dtype() == out.dtype() ? keep : keep.cast(out.dtype()));
            }
        }
        return out;
    }
}
