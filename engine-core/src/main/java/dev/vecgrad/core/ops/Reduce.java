package dev.vecgrad.core.ops;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
import dev.vecgrad.core.kernel.Backend;
import dev.vecgrad.core.kernel.Kernels;
import dev.vecgrad.core.kernel.Scratch;
import dev.vecgrad.core.kernel.parallel.Parallel;
import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;

/**
 * A reduction over a set of axes (sum, max, min, prod), declared by its name, its identity and
 * its combining step in double: the reference the scalar backend folds with and the SIMD kernels
 * are tested against. The attributes hold the axes, normalised (sorted, non-negative, distinct),
 * and whether they stay as size-1 dimensions.
 *
 * <p>The axes are grouped into runs of kept and reduced dimensions: a trailing reduction is a
 * row kernel, a leading or middle one folds rows into a vector accumulator, anything interleaved
 * is permuted and copied once. Work is split into pieces whose boundaries depend only on the
 * shape, and partial results are combined in a fixed order, so a reduction gives the same bits
 * on any thread count; against a left-to-right loop, float sums differ only by that documented
 * reassociation. I32 reduces exactly in double (values below 2^53) and converts back.
 */
public final class Reduce extends ComputePrimitive<Attrs.Reduce> {
    /** Elements per partial sum when one long run is reduced over several threads. */
    static final int CHUNK = StridedLoop.CHUNK;
    /**
     * Reduced elements that cost one unit of {@link Parallel}'s work: a reduction reads one element
     * and writes nothing where an elementwise op reads one or two and writes one.
     */
    static final long ELEMENTS_PER_WORK_UNIT = 2;
    /** Elements a narrow column reduction folds per kernel call (see {@link #foldNarrowColumns}). */
    static final int NARROW_BAND = 4096;

    private final double identity;
    private final DoubleBinaryOperator combine;
    private final boolean needsElements;

    /**
     * Declares a reduction.
     *
     * @param name          its name
     * @param identity      the result over no elements
     * @param combine       one step, {@code acc, x -> acc'}
     * @param needsElements whether reducing no elements is an error (max and min have no useful identity)
     */
    Reduce(String name, double identity, DoubleBinaryOperator combine, boolean needsElements) {
        super(name, true);
        this.identity = identity;
        this.combine = combine;
        this.needsElements = needsElements;
    }

    /** The identity: 0 for sum, 1 for prod, -inf for max, +inf for min. */
    public double identity() {
        return identity;
    }

    /** One step of the reduction in double; max and min propagate NaN as NumPy does. */
    public double combine(double acc, double x) {
        return combine.applyAsDouble(acc, x);
    }

    @Override
    public Shape inferShape(Tensor[] in, Attrs.Reduce attrs) {
        Shape s = in[0].shape();
        boolean[] reduced = new boolean[s.rank()];
        long count = 1;
        for (int a : attrs.axes()) {
            if (a < 0 || a >= s.rank() || reduced[a]) {
                throw new IllegalArgumentException(name() + ": axes " + Arrays.toString(attrs.axes())
                        + " are not distinct axes of " + s);
            }
            reduced[a] = true;
            count *= s.dim(a);
        }
        if (count == 0 && needsElements) {
            throw new IllegalArgumentException(name() + ": reducing axes " + Arrays.toString(attrs.axes()) + " of " + s
                    + " covers no elements, and " + name() + " has no identity");
        }
        int[] dims = new int[s.rank()];
        int r = 0;
        for (int i = 0; i < s.rank(); i++) {
            if (!reduced[i]) {
                dims[r++] = s.dim(i);
            } else if (attrs.keepDims()) {
                dims[r++] = 1;
            }
        }
        return Shape.of(Arrays.copyOf(dims, r));
    }

    @Override
    public void run(Backend backend, Tensor[] in, Attrs.Reduce attrs, Tensor y) {
        Tensor x = in[0];
        if (x.dtype() == DType.I32) {
            Tensor exact = Dispatcher.compute(this, attrs, ShapeOps.castRaw(x, DType.F64));
            double[] e = TensorInternals.f64(exact);
            int[] out = TensorInternals.i32(y);
            for (int i = 0; i < out.length; i++) {
                out[i] = (int) e[i];
            }
            return;
        }
        if (y.dtype() == DType.F32) {
            Arrays.fill(TensorInternals.f32(y), (float) identity);
        } else {
            Arrays.fill(TensorInternals.f64(y), identity);
        }
        int[] axes = attrs.axesInPlace();
        long reducedCount = 1;
        for (int a : axes) {
            reducedCount *= x.shape().dim(a);
        }
        if (y.size() == 0 || reducedCount == 0) {
            return;
        }
        // Group the axes into runs of kept (K) and reduced (R) dimensions, dropping size-1 axes.
        Tensor c = x.isContiguous() ? x : ShapeOps.copyRaw(x);
        // Up to three runs (kept, reduced, kept) are read straight from the shape; more interleaved
        // runs take the copy below. Nothing is allocated on the common paths (a replayed plan).
        int groups = 0;
        int s0 = 0;
        int s1 = 0;
        int s2 = 0;
        boolean firstReduced = false;
        boolean lastReduced = false;
        for (int i = 0; i < x.rank(); i++) {
            int d = x.shape().dim(i);
            if (d == 1) {
                continue;
            }
            boolean red = contains(axes, i);
            if (groups > 0 && lastReduced == red) {
                switch (groups) {
                    case 1 -> s0 *= d;
                    case 2 -> s1 *= d;
                    case 3 -> s2 *= d;
                    default -> { }
                }
            } else {
                groups++;
                switch (groups) {
                    case 1 -> { s0 = d; firstReduced = red; }
                    case 2 -> s1 = d;
                    case 3 -> s2 = d;
                    default -> { }
                }
                lastReduced = red;
            }
        }
        if (groups == 0 || (groups == 1 && !firstReduced)) {
            // Every reduced axis has size 1: the result is the contiguous input's elements in order.
            System.arraycopy(TensorInternals.data(c), c.offset(), TensorInternals.data(y), 0, y.size());
            return;
        }
        int k1;
        int r;
        int k2;
        if (groups == 1) {
            k1 = 1; r = s0; k2 = 1;
        } else if (groups == 2) {
            k1 = firstReduced ? 1 : s0;
            r = firstReduced ? s0 : s1;
            k2 = firstReduced ? s1 : 1;
        } else if (groups == 3 && !firstReduced) {
            k1 = s0; r = s1; k2 = s2;
        } else {
            // Interleaved axes: move the kept axes first, the reduced ones last, and copy once.
            int[] perm = new int[x.rank()];
            int p = 0;
            for (int i = 0; i < x.rank(); i++) {
                if (!contains(axes, i)) {
                    perm[p++] = i;
                }
            }
            for (int i = 0; i < x.rank(); i++) {
                if (contains(axes, i)) {
                    perm[p++] = i;
                }
            }
            int[] pd = new int[x.rank()];
            int[] ps = new int[x.rank()];
            for (int i = 0; i < x.rank(); i++) {
                pd[i] = c.shape().dim(perm[i]);
                ps[i] = c.stride(perm[i]);
            }
            c = ShapeOps.copyRaw(TensorInternals.wrap(c.dtype(), Shape.of(pd), ps, c.offset(), TensorInternals.data(c)));
            k1 = y.size(); r = (int) reducedCount; k2 = 1;
        }
        reduceBlock(backend, c, y, k1, r, k2);
    }

    private static boolean contains(int[] axes, int axis) {
        for (int a : axes) {
            if (a == axis) {
                return true;
            }
        }
        return false;
    }

    /** Reduces a contiguous [k1, r, k2] block over its middle axis into y ([k1, k2]). */
    private void reduceBlock(Backend backend, Tensor c, Tensor y, int k1, int r, int k2) {
        Kernels k = backend.kernels();
        Parallel parallel = backend.parallel();
        int base = c.offset();
        boolean f32 = c.dtype() == DType.F32;
        if (k2 == 1) {
            if (k1 == 1) {
                reduceAll(parallel, c, y, k);
                return;
            }
            // Rows: one kernel call per output element.
            int rowsPerChunk = Math.max(1, CHUNK / Math.max(r, 1));
            int chunks = (k1 + rowsPerChunk - 1) / rowsPerChunk;
            parallel.forEachChunk((long) k1 * r / ELEMENTS_PER_WORK_UNIT, chunks, ch -> {
                int end = Math.min(k1, (ch + 1) * rowsPerChunk);
                for (int i = ch * rowsPerChunk; i < end; i++) {
                    if (f32) {
                        TensorInternals.f32(y)[i] = k.reduce(this, TensorInternals.f32(c), base + i * r, r);
                    } else {
                        TensorInternals.f64(y)[i] = k.reduce(this, TensorInternals.f64(c), base + i * r, r);
                    }
                }
            });
            return;
        }
        // Columns: fold the r rows of each [r, k2] block into the k2 outputs, in row order.
        int colsPerChunk = Math.max(256, CHUNK / Math.max(r, 1));
        int colChunks = (k2 + colsPerChunk - 1) / colsPerChunk;
        int bandRows = colChunks == 1 && k2 <= NARROW_BAND / 2 ? NARROW_BAND / k2 : 1;
        parallel.forEachChunk((long) k1 * r * k2 / ELEMENTS_PER_WORK_UNIT, k1 * colChunks, ch -> {
            int i = ch / colChunks;
            int from = (ch % colChunks) * colsPerChunk;
            int n = Math.min(k2, from + colsPerChunk) - from;
            if (bandRows > 1 && r > bandRows) {
                foldNarrowColumns(k, c, base + i * r * k2, r, k2, bandRows, y, i * k2);
                return;
            }
            for (int j = 0; j < r; j++) {
                int src = base + (i * r + j) * k2 + from;
                if (f32) {
                    k.accumulate(this, TensorInternals.f32(y), i * k2 + from, TensorInternals.f32(c), src, n);
                } else {
                    k.accumulate(this, TensorInternals.f64(y), i * k2 + from, TensorInternals.f64(c), src, n);
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
    private void foldNarrowColumns(Kernels k, Tensor c, int src, int r, int k2, int band, Tensor y,
            int yOff) {
        int width = band * k2;
        if (c.dtype() == DType.F32) {
            float[] acc = Scratch.f32(Scratch.Slot.COLUMN_FOLD, width);
            Arrays.fill(acc, 0, width, (float) identity);
            for (int j = 0; j < r; j += band) {
                k.accumulate(this, acc, 0, TensorInternals.f32(c), src + j * k2, Math.min(band, r - j) * k2);
            }
            for (int q = 0; q < band; q++) {
                k.accumulate(this, TensorInternals.f32(y), yOff, acc, q * k2, k2);
            }
        } else {
            double[] acc = Scratch.f64(Scratch.Slot.COLUMN_FOLD, width);
            Arrays.fill(acc, 0, width, identity);
            for (int j = 0; j < r; j += band) {
                k.accumulate(this, acc, 0, TensorInternals.f64(c), src + j * k2, Math.min(band, r - j) * k2);
            }
            for (int q = 0; q < band; q++) {
                k.accumulate(this, TensorInternals.f64(y), yOff, acc, q * k2, k2);
            }
        }
    }

    /** Chunk {@code ch} of contiguous {@code c} reduced into its partial result (F32 or F64 array). */
    private void reduceChunk(Kernels k, Tensor c, int ch, float[] partialF, double[] partial) {
        int from = ch * CHUNK;
        int len = Math.min(c.size(), from + CHUNK) - from;
        if (partialF != null) {
            partialF[ch] = k.reduce(this, TensorInternals.f32(c), c.offset() + from, len);
        } else {
            partial[ch] = k.reduce(this, TensorInternals.f64(c), c.offset() + from, len);
        }
    }

    /** One long run: fixed-size partial results, combined in order. */
    private void reduceAll(Parallel parallel, Tensor c, Tensor y, Kernels k) {
        int n = c.size();
        int chunks = (n + CHUNK - 1) / CHUNK;
        boolean f32 = c.dtype() == DType.F32;
        float[] partialF = f32 ? Scratch.f32(Scratch.Slot.REDUCE_PARTIAL, chunks) : null;
        double[] partial = f32 ? null : Scratch.f64(Scratch.Slot.REDUCE_PARTIAL, chunks);
        if (chunks == 1) {
            reduceChunk(k, c, 0, partialF, partial); // no loop body to build for a short run
        } else {
            parallel.forEachChunk(n / ELEMENTS_PER_WORK_UNIT, chunks, ch -> reduceChunk(k, c, ch, partialF, partial));
        }
        if (f32) {
            TensorInternals.f32(y)[0] = k.reduce(this, partialF, 0, chunks);
        } else {
            TensorInternals.f64(y)[0] = k.reduce(this, partial, 0, chunks);
        }
    }
}
