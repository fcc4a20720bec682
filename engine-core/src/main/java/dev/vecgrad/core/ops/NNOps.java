package dev.vecgrad.core.ops;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;

/**
 * Neural-network composites built from primitives, so they get their gradients for free:
 * softmax, log-softmax and log-sum-exp, each stable for large inputs.
 *
 * <p>Stability comes from subtracting the maximum along the axis. That maximum is taken with
 * recording paused: the functions are invariant to the shift, so treating it as a constant
 * changes no gradient and keeps the recorded graph small.
 */
public final class NNOps {
    private NNOps() {
    }

    /** exp(x - max) / sum(exp(x - max)) along {@code axis}. */
    public static Tensor softmax(Tensor x, int axis) {
        int[] ax = {Shape.normalizeAxis(axis, x.rank(), "softmax")};
        Tensor e = x.sub(shift(x, ax)).exp();
        return e.div(e.sum(ax, true));
    }

    /** (x - max) - log(sum(exp(x - max))) along {@code axis}. */
    public static Tensor logSoftmax(Tensor x, int axis) {
        int[] ax = {Shape.normalizeAxis(axis, x.rank(), "logSoftmax")};
        Tensor z = x.sub(shift(x, ax));
        return z.sub(z.exp().sum(ax, true).log());
    }

    /** max + log(sum(exp(x - max))) over {@code axes} (null for all). */
    public static Tensor logSumExp(Tensor x, int[] axes, boolean keepDims) {
        int[] ax = Reductions.normalizeAxes(x.shape(), axes, "logSumExp");
        Tensor m = shift(x, ax);
        Tensor lse = x.sub(m).exp().sum(ax, true).log().add(m);
        return keepDims ? lse : lse.reshape(Reductions.reduceRaw(dev.vecgrad.core.ops.Op.SUM, m, ax, false).shape()
                .toArray());
    }

    /** The maximum over {@code axes} (kept as size 1), unrecorded; infinite maxima become 0 so x - m stays finite. */
    private static Tensor shift(Tensor x, int[] axes) {
        UnaryOps.requireFloating("softmax", x);
        try (Recording.Paused p = Recording.pause()) {
            Tensor m = Reductions.reduceRaw(Op.MAX, x, axes, true);
            Tensor finite = m.sub(m).eq(m.sub(m));
            return BinaryOps.where(finite, m, m.scalarLike(0));
        }
    }
}
