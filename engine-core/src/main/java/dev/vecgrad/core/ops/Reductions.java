package dev.vecgrad.core.ops;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Engine;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.kernel.Kernels;
import dev.vecgrad.core.kernel.ScalarKernels;
import java.util.Arrays;

/**
 * Reductions over any set of axes ({@code null} meaning all), with or without keeping the reduced
 * axes as size 1. SUM, MAX, MIN and PROD are primitives; mean and variance are built from them.
 *
 * <p>Work is split into pieces whose boundaries depend only on the shape, and partial results are
 * combined in a fixed order, so a reduction gives the same bits on any thread count. Against a
 * left-to-right loop, float sums differ only by that documented reassociation.
 */
public final class Reductions {
    /** Elements per partial sum when one long run is reduced over several threads. */
    static final int CHUNK = StridedLoop.CHUNK;
    /** Elements a narrow column reduction folds per kernel call (see {@code foldNarrowColumns}). */
    static final int NARROW_BAND = 4096;

    private Reductions() {
    }

    /** Sum over {@code axes}. */
    public static Tensor sum(Tensor x, int[] axes, boolean keepDims) {
        return reduce(Op.SUM, x, axes, keepDims);
    }

    /** Maximum over {@code axes}; an empty reduction is an error. */
    public static Tensor max(Tensor x, int[] axes, boolean keepDims) {
        return reduce(Op.MAX, x, axes, keepDims);
    }

    /** Minimum over {@code axes}; an empty reduction is an error. */
    public static Tensor min(Tensor x, int[] axes, boolean keepDims) {
        return reduce(Op.MIN, x, axes, keepDims);
    }

    /** Product over {@code axes}. */
    public static Tensor prod(Tensor x, int[] axes, boolean keepDims) {
        return reduce(Op.PROD, x, axes, keepDims);
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
        Tensor centred = x.sub(mean(x, axes, true));
        return mean(centred.square(), axes, keepDims);
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
        return argReduce(Op.ARGMAX, x, axis);
    }

    /** Index of the smallest element along {@code axis}, first on ties; NaN counts as smallest. I32. */
    public static Tensor argmin(Tensor x, int axis) {
        return argReduce(Op.ARGMIN, x, axis);
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

    static Tensor reduce(Op op, Tensor x, int[] axes, boolean keepDims) {
        int[] ax = normalizeAxes(x.shape(), axes, op.opName());
        Tensor y = reduceRaw(op, x, ax, keepDims);
        return Recording.record(op, new Attrs.Reduce(ax, keepDims), y, x);
    }

    private static Shape outShape(Shape in, int[] axes, boolean keepDims) {
        boolean[] reduced = new boolean[in.rank()];
        for (int a : axes) {
            reduced[a] = true;
        }
        int[] dims = new int[in.rank()];
        int r = 0;
        for (int i = 0; i < in.rank(); i++) {
            if (!reduced[i]) {
                dims[r++] = in.dim(i);
            } else if (keepDims) {
                dims[r++] = 1;
            }
        }
        return Shape.of(Arrays.copyOf(dims, r));
    }

    /** The unrecorded reduction; {@code axes} normalised. */
    static Tensor reduceRaw(Op op, Tensor x, int[] axes, boolean keepDims) {
        Shape out = outShape(x.shape(), axes, keepDims);
        if (x.dtype() == DType.I32) {
            // Integers reduce exactly in double (|values| below 2^53) and are converted back.
            return ShapeOps.castRaw(reduceRaw(op, ShapeOps.castRaw(x, DType.F64), axes, keepDims), DType.I32);
        }
        long reducedCount = 1;
        for (int a : axes) {
            reducedCount *= x.shape().dim(a);
        }
        if (reducedCount == 0 && (op == Op.MAX || op == Op.MIN)) {
            throw new IllegalArgumentException(op.opName() + ": reducing axes " + Arrays.toString(axes) + " of "
                    + x.shape() + " covers no elements, and " + op.opName() + " has no identity");
        }
        Tensor y = Tensor.full(ScalarKernels.identity(op), x.dtype(), out.toArray());
        if (out.size() == 0 || reducedCount == 0) {
            return y;
        }
        // Group the axes into runs of kept (K) and reduced (R) dimensions, dropping size-1 axes.
        Tensor c = x.isContiguous() ? x : ShapeOps.copyRaw(x);
        boolean[] reduced = new boolean[x.rank()];
        for (int a : axes) {
            reduced[a] = true;
        }
        int[] sizes = new int[x.rank()];
        boolean[] kinds = new boolean[x.rank()];
        int groups = 0;
        for (int i = 0; i < x.rank(); i++) {
            int d = x.shape().dim(i);
            if (d == 1) {
                continue;
            }
            if (groups > 0 && kinds[groups - 1] == reduced[i]) {
                sizes[groups - 1] *= d;
            } else {
                sizes[groups] = d;
                kinds[groups] = reduced[i];
                groups++;
            }
        }
        if (groups == 0 || (groups == 1 && !kinds[0])) {
            // Every reduced axis has size 1: the result is the contiguous input's elements in order.
            System.arraycopy(c.array(), c.offset(), y.array(), 0, y.size());
            return y;
        }
        int k1;
        int r;
        int k2;
        if (groups == 1) {
            k1 = 1; r = sizes[0]; k2 = 1;
        } else if (groups == 2) {
            k1 = kinds[0] ? 1 : sizes[0];
            r = kinds[0] ? sizes[0] : sizes[1];
            k2 = kinds[0] ? sizes[1] : 1;
        } else if (groups == 3 && !kinds[0]) {
            k1 = sizes[0]; r = sizes[1]; k2 = sizes[2];
        } else {
            // Interleaved axes: move the kept axes first, the reduced ones last, and copy once.
            int[] perm = new int[x.rank()];
            int p = 0;
            for (int i = 0; i < x.rank(); i++) {
                if (!reduced[i]) {
                    perm[p++] = i;
                }
            }
            for (int i = 0; i < x.rank(); i++) {
                if (reduced[i]) {
                    perm[p++] = i;
                }
            }
            int[] pd = new int[x.rank()];
            int[] ps = new int[x.rank()];
            for (int i = 0; i < x.rank(); i++) {
                pd[i] = c.shape().dim(perm[i]);
                ps[i] = c.stride(perm[i]);
            }
            c = ShapeOps.copyRaw(Tensor.wrap(c.dtype(), Shape.of(pd), ps, c.offset(), c.array()));
            k1 = out.size(); r = (int) reducedCount; k2 = 1;
        }
        run(op, c, y, k1, r, k2);
        return y;
    }

    /** Reduces a contiguous [k1, r, k2] block over its middle axis into y ([k1, k2]). */
    private static void run(Op op, Tensor c, Tensor y, int k1, int r, int k2) {
        Kernels k = Engine.get().kernels();
        int base = c.offset();
        boolean f32 = c.dtype() == DType.F32;
        if (k2 == 1) {
            if (k1 == 1) {
                reduceAll(op, c, y, k);
                return;
            }
            // Rows: one kernel call per output element.
            int rowsPerChunk = Math.max(1, CHUNK / Math.max(r, 1));
            int chunks = (k1 + rowsPerChunk - 1) / rowsPerChunk;
            forChunks((long) k1 * r, chunks, ch -> {
                int end = Math.min(k1, (ch + 1) * rowsPerChunk);
                for (int i = ch * rowsPerChunk; i < end; i++) {
                    if (f32) {
                        y.f32Array()[i] = k.reduce(op, c.f32Array(), base + i * r, r);
                    } else {
                        y.f64Array()[i] = k.reduce(op, c.f64Array(), base + i * r, r);
                    }
                }
            });
            return;
        }
        // Columns: fold the r rows of each [r, k2] block into the k2 outputs, in row order.
        int colsPerChunk = Math.max(256, CHUNK / Math.max(r, 1));
        int colChunks = (k2 + colsPerChunk - 1) / colsPerChunk;
        int bandRows = colChunks == 1 && k2 <= NARROW_BAND / 2 ? NARROW_BAND / k2 : 1;
        forChunks((long) k1 * r * k2, k1 * colChunks, ch -> {
            int i = ch / colChunks;
            int from = (ch % colChunks) * colsPerChunk;
            int n = Math.min(k2, from + colsPerChunk) - from;
            if (bandRows > 1 && r > bandRows) {
                foldNarrowColumns(op, k, c, base + i * r * k2, r, k2, bandRows, y, i * k2);
                return;
            }
            for (int j = 0; j < r; j++) {
                int src = base + (i * r + j) * k2 + from;
                if (f32) {
                    k.accumulate(op, y.f32Array(), i * k2 + from, c.f32Array(), src, n);
                } else {
                    k.accumulate(op, y.f64Array(), i * k2 + from, c.f64Array(), src, n);
                }
            }
        });
    }

    /**
     * The r rows of a contiguous {@code [r, k2]} block with few columns (a bias gradient: many
     * pixels of a few channels) folded into {@code y[yOff .. yOff + k2)}. A kernel call per row
     * would cost more than its two or three vectors of work, so {@code band} consecutive rows are
     * folded at once into a {@code band x k2} accumulator (row j into its row j mod band, in row
     * order), whose rows are then folded into y in order: one call per {@code band * k2} elements.
     */
    private static void foldNarrowColumns(Op op, Kernels k, Tensor c, int src, int r, int k2, int band, Tensor y,
            int yOff) {
        int width = band * k2;
        if (c.dtype() == DType.F32) {
            float[] acc = new float[width];
            Arrays.fill(acc, (float) ScalarKernels.identity(op));
            for (int j = 0; j < r; j += band) {
                k.accumulate(op, acc, 0, c.f32Array(), src + j * k2, Math.min(band, r - j) * k2);
            }
            for (int q = 0; q < band; q++) {
                k.accumulate(op, y.f32Array(), yOff, acc, q * k2, k2);
            }
        } else {
            double[] acc = new double[width];
            Arrays.fill(acc, ScalarKernels.identity(op));
            for (int j = 0; j < r; j += band) {
                k.accumulate(op, acc, 0, c.f64Array(), src + j * k2, Math.min(band, r - j) * k2);
            }
            for (int q = 0; q < band; q++) {
                k.accumulate(op, y.f64Array(), yOff, acc, q * k2, k2);
            }
        }
    }

    /** One long run: fixed-size partial results, combined in order. */
    private static void reduceAll(Op op, Tensor c, Tensor y, Kernels k) {
        int n = c.size();
        int chunks = (n + CHUNK - 1) / CHUNK;
        double[] partial = new double[chunks];
        float[] partialF = new float[chunks];
        boolean f32 = c.dtype() == DType.F32;
        forChunks(n, chunks, ch -> {
            int from = ch * CHUNK;
            int len = Math.min(n, from + CHUNK) - from;
            if (f32) {
                partialF[ch] = k.reduce(op, c.f32Array(), c.offset() + from, len);
            } else {
                partial[ch] = k.reduce(op, c.f64Array(), c.offset() + from, len);
            }
        });
        if (f32) {
            y.f32Array()[0] = k.reduce(op, partialF, 0, chunks);
        } else {
            y.f64Array()[0] = k.reduce(op, partial, 0, chunks);
        }
    }

    /** Runs {@code chunks} chunks on the engine's threads when {@code work} elements are enough to be worth it. */
    static void forChunks(long work, int chunks, dev.vecgrad.core.kernel.Parallel.ChunkBody body) {
        if (work < StridedLoop.PARALLEL_MIN) {
            for (int c = 0; c < chunks; c++) {
                body.run(c);
            }
        } else {
            Engine.get().parallel().forEachChunk(chunks, body);
        }
    }

    private static Tensor argReduce(Op op, Tensor x, int axis) {
        int ax = Shape.normalizeAxis(axis, x.rank(), op.opName());
        int d = x.shape().dim(ax);
        if (d == 0) {
            throw new IllegalArgumentException(op.opName() + ": axis " + axis + " of " + x.shape() + " is empty");
        }
        int[] perm = new int[x.rank()];
        int[] outDims = new int[x.rank() - 1];
        for (int i = 0, j = 0; i < x.rank(); i++) {
            if (i != ax) {
                outDims[j] = x.shape().dim(i);
                perm[j++] = i;
            }
        }
        perm[x.rank() - 1] = ax;
        int[] pd = new int[x.rank()];
        int[] ps = new int[x.rank()];
        for (int i = 0; i < x.rank(); i++) {
            pd[i] = x.shape().dim(perm[i]);
            ps[i] = x.stride(perm[i]);
        }
        Tensor rows = ShapeOps.castRaw(ShapeOps.copyRaw(Tensor.wrap(x.dtype(), Shape.of(pd), ps, x.offset(), x.array())),
                DType.F64);
        double[] v = rows.f64Array();
        Tensor y = Tensor.zeros(DType.I32, outDims);
        int[] out = y.i32Array();
        boolean max = op == Op.ARGMAX;
        for (int row = 0; row < out.length; row++) {
            int best = 0;
            double bv = v[row * d];
            for (int i = 1; i < d && !Double.isNaN(bv); i++) {
                double e = v[row * d + i];
                if (Double.isNaN(e) || (max ? e > bv : e < bv)) {
                    best = i;
                    bv = e;
                }
            }
            out[row] = best;
        }
        return Recording.record(op, new Attrs.Axis(ax), y, x);
    }
}
