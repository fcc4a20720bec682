package dev.vecgrad.core.ops;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
import dev.vecgrad.core.kernel.Backend;
import dev.vecgrad.core.kernel.Kernels;
import dev.vecgrad.core.kernel.Scratch;
import dev.vecgrad.core.kernel.parallel.Parallel;
import java.util.function.DoubleBinaryOperator;
import java.util.function.IntBinaryOperator;

/**
 * An elementwise function of two tensors broadcast together (NumPy rules), declared by its name
 * and its reference definition in double, which the scalar backend computes (rounded once) and
 * the SIMD kernels are tested against, and its I32 form. Both operands must have one dtype, which
 * the result has; comparisons give 1 or 0 in it.
 *
 * <p>Besides the general strided walk, two layouts take shortcuts: small dense operands (or a
 * single value against one) are one kernel call; a short contiguous row broadcast down a
 * contiguous operand (a bias over a batch) is repeated into a block so that each kernel call
 * covers many rows.
 */
public final class Binary extends ComputePrimitive<Void> {
    /** Rows up to this long are repeated by {@link #rowBroadcast}; longer rows make long enough runs. */
    private static final int ROW_MAX = 512;
    /** About how many elements one kernel call of {@link #rowBroadcast} covers. */
    private static final int ROW_BLOCK = 4096;

    private final DoubleBinaryOperator reference;
    private final IntBinaryOperator integer;

    /**
     * Declares a binary function.
     *
     * @param name           its name
     * @param differentiable whether a gradient flows through it
     * @param reference      its value in double
     * @param integer        its I32 form
     */
    Binary(String name, boolean differentiable, DoubleBinaryOperator reference, IntBinaryOperator integer) {
        super(name, differentiable);
        this.reference = reference;
        this.integer = integer;
    }

    /** The reference value at {@code (a, b)}. */
    public double reference(double a, double b) {
        return reference.applyAsDouble(a, b);
    }

    /** Runs on two tensors: {@code Primitives.ADD.apply(a, b)}. */
    public Tensor apply(Tensor a, Tensor b) {
        return Dispatcher.call(this, a, b);
    }

    /** Runs on a tensor and a number taken in its dtype: {@code Primitives.MUL.apply(x, 2)}. */
    public Tensor apply(Tensor a, double c) {
        return Dispatcher.call(this, a, c);
    }

    @Override
    public Shape inferShape(Tensor[] in, Void attrs) {
        BinaryOps.checkSameDType(name(), in[0], in[1]);
        return Shape.broadcast(in[0].shape(), in[1].shape(), name());
    }

    @Override
    public int inPlaceInput() {
        return 0;
    }

    @Override
    public void run(Backend backend, Tensor[] in, Void attrs, Tensor y) {
        Tensor a = in[0];
        Tensor b = in[1];
        Shape shape = y.shape();
        Kernels k = backend.kernels();
        if (runFlat(k, a, b, y)) {
            return;
        }
        boolean floating = a.dtype().isFloating();
        int fa = StridedLoop.flatStride(a, shape);
        int fb = StridedLoop.flatStride(b, shape);
        if (!floating && fa >= 0 && fb >= 0 && !Parallel.worthSplitting(shape.size())) {
            integers(TensorInternals.i32(a), a.offset(), fa, TensorInternals.i32(b), b.offset(), fb, TensorInternals.i32(y), 0, shape.size());
            return;
        }
        if (floating && fa == 1 && isRow(b, shape)) {
            rowBroadcast(backend, a, b, false, y);
            return;
        }
        if (floating && fb == 1 && isRow(a, shape)) {
            rowBroadcast(backend, b, a, true, y);
            return;
        }
        if (floating && fa == 1 && isColumn(b, shape)) {
            columnBroadcast(k, a, b, false, y);
            return;
        }
        if (floating && fb == 1 && isColumn(a, shape)) {
            columnBroadcast(k, b, a, true, y);
            return;
        }
        Tensor av = ShapeOps.broadcastView(a, shape);
        Tensor bv = ShapeOps.broadcastView(b, shape);
        StridedLoop loop = new StridedLoop(shape, av, bv);
        int as = loop.innerStride(0);
        int bs = loop.innerStride(1);
        Parallel parallel = backend.parallel();
        switch (a.dtype()) {
            case F32 -> {
                float[] aa = TensorInternals.f32(a);
                float[] ba = TensorInternals.f32(b);
                float[] ya = TensorInternals.f32(y);
                loop.forEach(parallel, (offs, yo, n) -> k.binary(this, aa, offs[0], as, ba, offs[1], bs, ya, yo, n));
            }
            case F64 -> {
                double[] aa = TensorInternals.f64(a);
                double[] ba = TensorInternals.f64(b);
                double[] ya = TensorInternals.f64(y);
                loop.forEach(parallel, (offs, yo, n) -> k.binary(this, aa, offs[0], as, ba, offs[1], bs, ya, yo, n));
            }
            case I32 -> {
                int[] aa = TensorInternals.i32(a);
                int[] ba = TensorInternals.i32(b);
                int[] ya = TensorInternals.i32(y);
                loop.forEach(parallel, (offs, yo, n) -> integers(aa, offs[0], as, ba, offs[1], bs, ya, yo, n));
            }
        }
    }

    /**
     * The flat path: small dense floating operands, or a single value against a dense one, are one
     * kernel call into the fresh contiguous {@code y}, with no loop to set up. Returns whether it
     * ran; it declines integer, strided or {@linkplain Parallel#worthSplitting big} operands, which
     * the row-broadcast and strided paths take.
     */
    boolean runFlat(Kernels k, Tensor a, Tensor b, Tensor y) {
        Shape shape = y.shape();
        int fa = StridedLoop.flatStride(a, shape);
        int fb = StridedLoop.flatStride(b, shape);
        if (fa < 0 || fb < 0 || !a.dtype().isFloating() || Parallel.worthSplitting(shape.size())) {
            return false;
        }
        if (a.dtype() == DType.F32) {
            k.binary(this, TensorInternals.f32(a), a.offset(), fa, TensorInternals.f32(b), b.offset(), fb, TensorInternals.f32(y), 0, shape.size());
        } else {
            k.binary(this, TensorInternals.f64(a), a.offset(), fa, TensorInternals.f64(b), b.offset(), fb, TensorInternals.f64(y), 0, shape.size());
        }
        return true;
    }

    /**
     * Whether {@code this(a, c)} for a number {@code c} may skip the scalar tensor: {@code a} is
     * floating, contiguous and too small to split, so {@link #runWithScalar} is one kernel call.
     */
    static boolean takesScalarShortcut(Tensor a) {
        return a.dtype().isFloating() && a.isContiguous() && !Parallel.worthSplitting(a.size());
    }

    /** {@code y = this(a, c)}, {@code c} rounded to {@code a}'s dtype, for an {@code a} that {@link #takesScalarShortcut}. */
    void runWithScalar(Kernels k, Tensor a, double c, Tensor y) {
        if (a.dtype() == DType.F32) {
            k.binaryScalar(this, TensorInternals.f32(a), a.offset(), (float) c, TensorInternals.f32(y), 0, a.size());
        } else {
            k.binaryScalar(this, TensorInternals.f64(a), a.offset(), c, TensorInternals.f64(y), 0, a.size());
        }
    }

    /**
     * {@code y = this(a, b)} for an {@code a} that {@link #takesScalarShortcut} and a one-element
     * {@code b} of its dtype, read in place.
     */
    void runWithScalar(Kernels k, Tensor a, Tensor b, Tensor y) {
        if (a.dtype() == DType.F32) {
            k.binary(this, TensorInternals.f32(a), a.offset(), 1, TensorInternals.f32(b), b.offset(), 0, TensorInternals.f32(y), 0, a.size());
        } else {
            k.binary(this, TensorInternals.f64(a), a.offset(), 1, TensorInternals.f64(b), b.offset(), 0, TensorInternals.f64(y), 0, a.size());
        }
    }

    /**
     * Whether {@code t} is a short contiguous row that broadcasting repeats down the leading
     * dimensions of {@code shape}: its shape, leading 1s aside, is the trailing part of {@code shape}.
     */
    private static boolean isRow(Tensor t, Shape shape) {
        int n = t.size();
        if (n < 2 || n > ROW_MAX || !t.isContiguous() || n == shape.size()) {
            return false;
        }
        int lead = 0;
        while (t.shape().dim(lead) == 1) {
            lead++;
        }
        int rank = t.shape().rank() - lead;
        for (int i = 0; i < rank; i++) {
            if (t.shape().dim(lead + i) != shape.dim(shape.rank() - rank + i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * This op between a contiguous operand and a short row repeated down it (a bias over a batch
     * of activations), into {@code y}. Walked row by row this is one kernel call per few dozen
     * elements; here each call covers a block of rows against a copy of the row repeated to the
     * block's length, in the calling thread's {@link Scratch} array. {@code rowFirst} when the row
     * is the left operand.
     */
    private void rowBroadcast(Backend backend, Tensor full, Tensor row, boolean rowFirst, Tensor y) {
        int r = row.size();
        int rows = y.size() / r;
        int blockRows = Math.max(1, Math.min(rows, ROW_BLOCK / r));
        Object repeated = y.dtype() == DType.F32 ? Scratch.f32(Scratch.Slot.ROW_BROADCAST, blockRows * r)
                : Scratch.f64(Scratch.Slot.ROW_BROADCAST, blockRows * r);
        for (int j = 0; j < blockRows; j++) {
            System.arraycopy(TensorInternals.data(row), row.offset(), repeated, j * r, r);
        }
        Kernels k = backend.kernels();
        Object left = rowFirst ? repeated : TensorInternals.data(full);
        Object right = rowFirst ? TensorInternals.data(full) : repeated;
        Parallel.ChunkBody block = c -> {
            int first = c * blockRows * r;
            int n = Math.min(blockRows, rows - c * blockRows) * r;
            int fo = full.offset() + first;
            call(k, left, rowFirst ? 0 : fo, 1, right, rowFirst ? fo : 0, 1, TensorInternals.data(y), first, n);
        };
        int blocks = (rows + blockRows - 1) / blockRows;
        backend.parallel().forEachChunk(y.size(), blocks, block);
    }

    /** The I32 form over a run: {@code y[yo + i] = a[ao + i·as] op b[bo + i·bs]}. */
    private void integers(int[] a, int ao, int as, int[] b, int bo, int bs, int[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] = integer.applyAsInt(a[ao + i * as], b[bo + i * bs]);
        }
    }

    /**
     * Whether {@code t} is a column that broadcasting repeats along the last dimension of
     * {@code shape} (a per-row statistic, as in {@code x - max(x, -1, keepDims)}, or such a column
     * already broadcast to the full shape): it has {@code shape}'s rank and leading dimensions, its
     * last dimension is 1 or has stride 0, its rows follow one another one element apart, and the
     * output is small enough for one thread.
     */
    private static boolean isColumn(Tensor t, Shape shape) {
        int r = shape.rank();
        if (r < 2 || t.rank() != r || shape.dim(r - 1) == 1 || (t.shape().dim(r - 1) != 1 && t.stride(r - 1) != 0)
                || Parallel.worthSplitting(shape.size())) {
            return false;
        }
        int expected = 1;
        for (int i = r - 2; i >= 0; i--) {
            int d = t.shape().dim(i);
            if (d != shape.dim(i) || (d != 1 && t.stride(i) != expected)) {
                return false;
            }
            expected *= d;
        }
        return true;
    }

    /**
     * This op between a contiguous operand and a column (one value per row, see {@link #isColumn})
     * into {@code y}: one kernel call per row, the column's value as a broadcast operand, as the
     * strided path would make them, without setting that path up. {@code columnFirst} when the
     * column is the left operand.
     */
    private void columnBroadcast(Kernels k, Tensor full, Tensor column, boolean columnFirst, Tensor y) {
        int cols = y.shape().dim(-1);
        int rows = y.size() / cols;
        Object f = TensorInternals.data(full);
        Object c = TensorInternals.data(column);
        for (int r = 0; r < rows; r++) {
            int fo = full.offset() + r * cols;
            int co = column.offset() + r;
            if (columnFirst) {
                call(k, c, co, 0, f, fo, 1, TensorInternals.data(y), r * cols, cols);
            } else {
                call(k, f, fo, 1, c, co, 0, TensorInternals.data(y), r * cols, cols);
            }
        }
    }

    /** One kernel call on F32 or F64 arrays (all three of one type). */
    private void call(Kernels k, Object a, int ao, int as, Object b, int bo, int bs, Object y, int yo, int n) {
        if (y instanceof float[] yf) {
            k.binary(this, (float[]) a, ao, as, (float[]) b, bo, bs, yf, yo, n);
        } else {
            k.binary(this, (double[]) a, ao, as, (double[]) b, bo, bs, (double[]) y, yo, n);
        }
    }
}
