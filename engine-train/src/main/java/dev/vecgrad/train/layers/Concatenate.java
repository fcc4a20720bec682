package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.ShapeOps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Joins its inputs along one axis (the last by default), as Keras's {@code Concatenate}: inputs of
 * the same shape except on that axis. A merge layer of functional models:
 *
 * <pre>{@code
 * SymbolicTensor joined = new Concatenate().call(a, b);   // (None, 10) and (None, 4) -> (None, 14)
 * }</pre>
 *
 * <p>Masks: joining features (the last axis) keeps a position when every input keeps it; joining
 * along another axis joins the masks along it, a missing mask keeping all of its input.
 */
public final class Concatenate extends Layer {
    private final int axis;

    /** Joins along the last axis, with a default name. */
    public Concatenate() {
        this(-1, null);
    }

    /** Joins along {@code axis} (negative counts from the end; not the batch axis 0), called {@code name} (null: default). */
    public Concatenate(int axis, String name) {
        super(name);
        if (axis == 0) {
            throw new IllegalArgumentException("Concatenate: axis 0 is the batch axis; join along another");
        }
        this.axis = axis;
    }

    /** The axis joined along, as given. */
    public int axis() {
        return axis;
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        return x;
    }

    @Override
    protected Tensor forward(List<Tensor> inputs, List<Tensor> masks, boolean training) {
        return ShapeOps.concat(inputs, resolve(inputs.get(0).rank()));
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return inputShape;
    }

    /** The shared shape with the joined axis summed; an error naming every shape when they do not fit. */
    @Override
    public Shape computeOutputShape(List<Shape> inputShapes) {
        Shape first = inputShapes.get(0);
        int a = resolve(first.rank());
        int[] out = first.toArray();
        for (int i = 1; i < inputShapes.size(); i++) {
            Shape s = inputShapes.get(i);
            boolean fits = s.rank() == first.rank();
            for (int d = 1; fits && d < s.rank(); d++) {
                fits = d == a || s.dim(d) == first.dim(d);
            }
            if (!fits) {
                throw new IllegalArgumentException("Concatenate '" + name() + "' joins along axis " + axis
                        + " inputs that match elsewhere, got " + inputShapes);
            }
            out[a] += s.dim(a);
        }
        return Shape.of(out);
    }

    @Override
    public Tensor computeMask(List<Tensor> inputs, List<Tensor> masks) {
        if (masks.stream().allMatch(m -> m == null)) {
            return null;
        }
        int a = resolve(inputs.get(0).rank());
        int maskRank = firstMask(masks).rank();
        if (a >= maskRank) {
            Tensor kept = null;
            for (Tensor m : masks) {
                if (m != null) {
                    Tensor keep = m.ne(m.scalarLike(0));
                    kept = kept == null ? keep : kept.mul(keep);
                }
            }
            return kept;
        }
        List<Tensor> parts = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Tensor m = masks.get(i);
            if (m == null) {
                int[] dims = inputs.get(i).shape().toArray();
                int[] maskDims = new int[maskRank];
                System.arraycopy(dims, 0, maskDims, 0, maskRank);
                m = Tensor.ones(maskDims).cast(firstMask(masks).dtype());
            }
            parts.add(m);
        }
        return ShapeOps.concat(parts, a);
    }

    private static Tensor firstMask(List<Tensor> masks) {
        for (Tensor m : masks) {
            if (m != null) {
                return m;
            }
        }
        throw new IllegalStateException("no mask");
    }

    private int resolve(int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 1 || a >= rank) {
            throw new IllegalArgumentException("Concatenate '" + name() + "': axis " + axis + " does not fit inputs of rank "
                    + rank);
        }
        return a;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("axis", axis);
        return c;
    }
}
