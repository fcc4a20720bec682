package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.ShapeOps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Its inputs side by side along {@code axis} (default the last), as Keras's {@code Concatenate}:
 * every other axis must match. With masks, each input's mask (all ones where it has none) is
 * widened to the input's shape and concatenated the same way, and a position of the output is kept
 * where any of its features is, as Keras computes it.
 *
 * <pre>{@code
 * SymbolicTensor both = new Concatenate().call(imageFeatures, hintFeatures);   // (batch, 64 + 8)
 * }</pre>
 */
public final class Concatenate extends Merge {
    private final int axis;

    /** Along the last axis. */
    public Concatenate() {
        this(-1, null);
    }

    /**
     * Along {@code axis} (negative counts from the end; not the batch axis 0); {@code name} null
     * for the default.
     */
    public Concatenate(int axis, String name) {
        super(name);
        if (axis == 0) {
            throw new IllegalArgumentException("Concatenate: axis 0 is the batch axis; join along another axis");
        }
        this.axis = axis;
    }

    /** The axis joined along, as given (negative counts from the end). */
    public int axis() {
        return axis;
    }

    private int axisFor(int rank) {
        return Shape.normalizeAxis(axis, rank, "Concatenate '" + name() + "'");
    }

    @Override
    protected Tensor forward(List<Tensor> inputs, List<Tensor> masks, boolean training) {
        requireSeveral(inputs.size());
        return ShapeOps.concat(inputs, axisFor(inputs.get(0).rank()));
    }

    @Override
    public Shape computeOutputShape(List<Shape> inputShapes) {
        requireSeveral(inputShapes.size());
        Shape first = inputShapes.get(0);
        int a = axisFor(first.rank());
        int[] dims = first.toArray();
        for (int i = 1; i < inputShapes.size(); i++) {
            Shape s = inputShapes.get(i);
            boolean ok = s.rank() == first.rank();
            for (int d = 0; ok && d < s.rank(); d++) {
                ok = d == a || s.dim(d) == first.dim(d);
            }
            if (!ok) {
                throw new IllegalArgumentException("Concatenate '" + name() + "' needs inputs of one rank whose sizes match elsewhere than on axis "
                        + a + ", got " + inputShapes);
            }
            dims[a] += s.dim(a);
        }
        return Shape.of(dims);
    }

    @Override
    public Tensor computeMask(List<Tensor> inputs, List<Tensor> masks) {
        if (masks.stream().allMatch(m -> m == null)) {
            return null;
        }
        List<Tensor> full = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Tensor x = inputs.get(i);
            Tensor m = masks.get(i);
            if (m == null) {
                full.add(Tensor.ones(x.dtype(), x.shape().toArray()));
            } else {
                Tensor keep = m.ne(m.scalarLike(0));
                keep = keep.dtype() == x.dtype() ? keep : keep.cast(x.dtype());
                while (keep.rank() < x.rank()) {
                    keep = keep.unsqueeze(keep.rank());
                }
                full.add(keep.broadcastTo(x.shape().toArray()));
            }
        }
        return ShapeOps.concat(full, axisFor(inputs.get(0).rank())).max(new int[] {-1}, false);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("axis", axis);
        return c;
    }

    static Concatenate fromConfig(Map<String, Object> c) {
        return new Concatenate(c.get("axis") == null ? -1 : Configs.integer(c, "axis"), (String) c.get("name"));
    }
}
