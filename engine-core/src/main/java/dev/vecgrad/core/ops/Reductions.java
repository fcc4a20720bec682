package dev.vecgrad.core.ops;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.kernel.Backend;
import java.util.Arrays;

/**
 * Reductions over any set of axes ({@code null} meaning all), with or without keeping the reduced
 * axes as size 1. SUM, MAX, MIN and PROD are primitives; mean, variance and std are built from them.
 *
 * <p>Work is split into pieces whose boundaries depend only on the shape, and partial results are
 * combined in a fixed order, so a reduction gives the same bits on any thread count. Against a
 * left-to-right loop, float sums differ only by that documented reassociation.
 */
public final class Reductions {
    private Reductions() {
    }

    /** Sum over {@code axes}. */
    public static Tensor sum(Tensor x, int[] axes, boolean keepDims) {
        return reduce(Primitives.SUM, x, axes, keepDims);
    }

    /** Maximum over {@code axes}; an empty reduction is an error. */
    public static Tensor max(Tensor x, int[] axes, boolean keepDims) {
        return reduce(Primitives.MAX, x, axes, keepDims);
    }

    /** Minimum over {@code axes}; an empty reduction is an error. */
    public static Tensor min(Tensor x, int[] axes, boolean keepDims) {
        return reduce(Primitives.MIN, x, axes, keepDims);
    }

    /** Product over {@code axes}. */
    public static Tensor prod(Tensor x, int[] axes, boolean keepDims) {
        return reduce(Primitives.PROD, x, axes, keepDims);
    }

    /** Mean over {@code axes}: the sum divided by the number of reduced elements. */
    public static Tensor mean(Tensor x, int[] axes, boolean keepDims) {
        UnaryOps.requireFloating("mean", x);
        int[] ax = normalizeAxes(x.shape(), axes, "mean");
        long count = 1;
        for (int a : ax) {
            count *= x.shape().dim(a);
        }
        Tensor total = sum(x, ax, keepDims);
        // A mean over one element is that element: no division to run and to differentiate.
        return count == 1 ? total : total.div(x.scalarLike(count)); // 0/0 gives NaN for an empty mean, as NumPy
    }

    /** Population variance over {@code axes}: mean((x - mean(x))²). */
    public static Tensor variance(Tensor x, int[] axes, boolean keepDims) {
        return variance(x, axes, keepDims, 0);
    }

    /**
     * Variance over {@code axes} with a degrees-of-freedom correction, as PyTorch's
     * {@code var(correction=...)} and NumPy's {@code ddof}: {@code Σ(x - mean(x))² / (n - correction)}
     * for {@code n} reduced elements. {@code correction} 0 is the population variance, 1 the
     * unbiased sample variance; when {@code n <= correction} the result is infinite or NaN, as in
     * NumPy.
     *
     * <pre>{@code
     * Reductions.variance(Tensor.of(new double[] {1, 2, 3, 4}), null, false, 1);   // 5/3
     * }</pre>
     */
    public static Tensor variance(Tensor x, int[] axes, boolean keepDims, double correction) {
        if (!Double.isFinite(correction)) {
            throw new IllegalArgumentException("variance: the correction must be finite, got " + correction);
        }
        int[] ax = normalizeAxes(x.shape(), axes, "variance");
        long count = 1;
        for (int a : ax) {
            count *= x.shape().dim(a);
        }
        Tensor centred = x.sub(mean(x, ax, true));
        return sum(centred.square(), ax, keepDims).div(x.scalarLike(Math.max(0, count - correction)));
    }

    /**
     * Standard deviation over {@code axes}: the square root of
     * {@link #variance(Tensor, int[], boolean, double)} with the same correction.
     */
    public static Tensor std(Tensor x, int[] axes, boolean keepDims, double correction) {
        return variance(x, axes, keepDims, correction).sqrt();
    }

    /** Sums {@code x} down to {@code target}, undoing a broadcast from {@code target} to {@code x}'s shape. */
    public static Tensor sumToShape(Tensor x, Shape target) {
        if (x.shape().equals(target)) {
            return x;
        }
        if (!target.broadcastableTo(x.shape())) {
            throw new IllegalArgumentException("sumToShape: " + x.shape() + " is not a broadcast of " + target);
        }
        int shift = x.rank() - target.rank();
        int[] axes = new int[x.rank()];
        int n = 0;
        for (int i = 0; i < x.rank(); i++) {
            if (i < shift || (target.dim(i - shift) == 1 && x.shape().dim(i) != 1)) {
                axes[n++] = i;
            }
        }
        return sum(x, Arrays.copyOf(axes, n), true).reshape(target.toArray());
    }

    /** Index of the largest element along {@code axis}, first on ties; NaN counts as largest. I32. */
    public static Tensor argmax(Tensor x, int axis) {
        return argReduce(Primitives.ARGMAX, x, axis);
    }

    /** Index of the smallest element along {@code axis}, first on ties; NaN counts as smallest. I32. */
    public static Tensor argmin(Tensor x, int axis) {
        return argReduce(Primitives.ARGMIN, x, axis);
    }

    /** Sorted, distinct, non-negative axes; null means all. */
    static int[] normalizeAxes(Shape shape, int[] axes, String op) {
        if (axes == null) {
            int[] all = new int[shape.rank()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        boolean[] seen = new boolean[shape.rank()];
        for (int a : axes) {
            int ax = Shape.normalizeAxis(a, shape.rank(), op);
            if (seen[ax]) {
                throw new IllegalArgumentException(op + ": axis " + a + " given twice in " + Arrays.toString(axes)
                        + " for shape " + shape);
            }
            seen[ax] = true;
        }
        int[] out = new int[axes.length];
        int n = 0;
        for (int i = 0; i < seen.length; i++) {
            if (seen[i]) {
                out[n++] = i;
            }
        }
        return out;
    }

    static Tensor reduce(Reduce op, Tensor x, int[] axes, boolean keepDims) {
        return Dispatcher.call(op, new Attrs.Reduce(normalizeAxes(x.shape(), axes, op.name()), keepDims), x);
    }

    private static Tensor argReduce(ComputePrimitive<Attrs.Axis> op, Tensor x, int axis) {
        return Dispatcher.call(op, new Attrs.Axis(Shape.normalizeAxis(axis, x.rank(), op.name())), x);
    }

    /** Argmax or argmin along one axis: I32 indices, first on ties, NaN winning. */
    static final class ArgReduce extends ComputePrimitive<Attrs.Axis> {
        private final boolean max;

        ArgReduce(String name, boolean max) {
            super(name, false);
            this.max = max;
        }

        @Override
        public Shape inferShape(Tensor[] in, Attrs.Axis attrs) {
            Tensor x = in[0];
            int ax = attrs.axis();
            Shape.normalizeAxis(ax, x.rank(), name());
            if (x.shape().dim(ax) == 0) {
                throw new IllegalArgumentException(name() + ": axis " + ax + " of " + x.shape() + " is empty");
            }
            int[] outDims = new int[x.rank() - 1];
            for (int i = 0, j = 0; i < x.rank(); i++) {
                if (i != ax) {
                    outDims[j++] = x.shape().dim(i);
                }
            }
            return Shape.of(outDims);
        }

        @Override
        public DType inferDType(Tensor[] in, Attrs.Axis attrs) {
            return DType.I32;
        }

        @Override
        public void run(Backend backend, Tensor[] in, Attrs.Axis attrs, Tensor y) {
            Tensor x = in[0];
            int ax = attrs.axis();
            int rank = x.rank();
            int d = x.shape().dim(ax);
            int step = x.stride(ax);
            Object data = x.array();
            int[] out = y.i32Array();
            // Walk the kept axes in row-major order (an odometer over every axis but ax), reading
            // each line along ax in place: no copy of x, nothing allocated per call beyond the counter.
            int[] counter = new int[rank];
            int off = x.offset();
            for (int row = 0; row < out.length; row++) {
                out[row] = best(data, off, step, d);
                for (int i = rank - 1; i >= 0; i--) {
                    if (i == ax) {
                        continue;
                    }
                    off += x.stride(i);
                    if (++counter[i] < x.shape().dim(i)) {
                        break;
                    }
                    off -= x.stride(i) * x.shape().dim(i);
                    counter[i] = 0;
                }
            }
        }

        /** The index of the first extreme of the d values at data[off + i * step], the first NaN winning. */
        private int best(Object data, int off, int step, int d) {
            int best = 0;
            double bv = value(data, off);
            for (int i = 1; i < d && !Double.isNaN(bv); i++) {
                double e = value(data, off + i * step);
                if (Double.isNaN(e) || (max ? e > bv : e < bv)) {
                    best = i;
                    bv = e;
                }
            }
            return best;
        }

        /** Element {@code i} of an F32, F64 or I32 array, exactly, as a double. */
        private static double value(Object data, int i) {
            return switch (data) {
                case float[] f -> f[i];
                case double[] f -> f[i];
                case int[] n -> n[i];
                default -> throw new IllegalStateException("unexpected array " + data.getClass());
            };
        }
    }
}
