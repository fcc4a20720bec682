package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.util.List;
import java.util.Map;

/**
 * The dot product of two inputs along one axis of each, per sample, as Keras's {@code Dot}:
 * for {@code (batch, d)} inputs the output is {@code (batch, 1)}; for {@code (batch, n, d)} and
 * {@code (batch, m, d)} with axes (2, 2) it is {@code (batch, n, m)} (the first input's remaining
 * axis, then the second's). With {@code normalize} both inputs are first scaled to unit length
 * along their axes, so the output is the cosine similarity. Inputs of rank 2 or 3; the axes exclude
 * the batch axis.
 *
 * <pre>{@code
 * SymbolicTensor similarity = new Dot(null, 1, 1, true).call(a, b);   // (batch, 1)
 * }</pre>
 */
public final class Dot extends Merge {
    private final int axisA;
    private final int axisB;
    private final boolean normalize;

    /** Along {@code axis} of both inputs, not normalized. */
    public Dot(int axis) {
        this(null, axis, axis, false);
    }

    /** Along {@code axisA} of the first input and {@code axisB} of the second; {@code name} null for the default. */
    public Dot(String name, int axisA, int axisB, boolean normalize) {
        super(name);
        this.axisA = axisA;
        this.axisB = axisB;
        this.normalize = normalize;
    }

    private int[] axes(Shape a, Shape b) {
        if (a.rank() != b.rank() || a.rank() < 2 || a.rank() > 3) {
            throw new IllegalArgumentException("Dot '" + name() + "' takes two inputs of the same rank, 2 or 3, got "
                    + a + " and " + b);
        }
        int ia = Shape.normalizeAxis(axisA, a.rank(), "Dot '" + name() + "'");
        int ib = Shape.normalizeAxis(axisB, b.rank(), "Dot '" + name() + "'");
        if (ia == 0 || ib == 0 || a.dim(ia) != b.dim(ib) || a.dim(0) != b.dim(0)) {
            throw new IllegalArgumentException("Dot '" + name() + "': axes (" + ia + ", " + ib + ") of " + a + " and " + b
                    + " must be non-batch axes of equal length, and the batches equal");
        }
        return new int[] {ia, ib};
    }

    @Override
    protected Tensor forward(List<Tensor> inputs, List<Tensor> masks, boolean training) {
        if (inputs.size() != 2) {
            throw new IllegalArgumentException("Dot '" + name() + "' takes exactly two inputs, got " + inputs.size());
        }
        Tensor a = inputs.get(0);
        Tensor b = inputs.get(1);
        int[] ax = axes(a.shape(), b.shape());
        if (normalize) {
            a = unit(a, ax[0]);
            b = unit(b, ax[1]);
        }
        if (a.rank() == 2) {
            return a.mul(b).sum(new int[] {1}, true);
        }
        // (batch, n, d) · (batch, d, m): the contracted axis last in a, first after the batch in b.
        return a.matmul(b, ax[0] == 1, ax[1] == 2);
    }

    /** x scaled to unit L2 norm along {@code axis}, as Keras's {@code l2_normalize} (squared norm at least 1e-12). */
    private static Tensor unit(Tensor x, int axis) {
        Tensor sq = x.square().sum(new int[] {axis}, true);
        return x.mul(sq.maximum(1e-12).rsqrt());
    }

    @Override
    public Shape computeOutputShape(List<Shape> inputShapes) {
        if (inputShapes.size() != 2) {
            throw new IllegalArgumentException("Dot '" + name() + "' takes exactly two inputs, got " + inputShapes.size());
        }
        Shape a = inputShapes.get(0);
        Shape b = inputShapes.get(1);
        int[] ax = axes(a, b);
        if (a.rank() == 2) {
            return Shape.of(a.dim(0), 1);
        }
        return Shape.of(a.dim(0), a.dim(3 - ax[0]), b.dim(3 - ax[1]));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("axes", Configs.list(axisA, axisB));
        c.put("normalize", normalize);
        return c;
    }

    static Dot fromConfig(Map<String, Object> c) {
        Object axes = c.get("axes");
        int[] ax = axes instanceof Number n ? new int[] {n.intValue(), n.intValue()} : Configs.ints(c, "axes");
        return new Dot((String) c.get("name"), ax[0], ax[1], Configs.bool(c, "normalize", false));
    }
}
