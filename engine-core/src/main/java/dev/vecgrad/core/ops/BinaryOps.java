package dev.vecgrad.core.ops;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Engine;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.kernel.Kernels;
import dev.vecgrad.core.kernel.Parallel;
import dev.vecgrad.core.kernel.ScalarKernels;

/**
 * Elementwise functions of two tensors with NumPy broadcasting, comparisons (which give a 0/1 mask
 * in the operands' dtype), and {@code where}. Both operands must have the same dtype. On I32, DIV
 * truncates toward zero like Java's {@code /} and fails on division by zero.
 */
public final class BinaryOps {
    private BinaryOps() {
    }

    /** a + b. */
    public static Tensor add(Tensor a, Tensor b) {
        return apply(Op.ADD, a, b);
    }

    /** a - b. */
    public static Tensor sub(Tensor a, Tensor b) {
        return apply(Op.SUB, a, b);
    }

    /** a · b. */
    public static Tensor mul(Tensor a, Tensor b) {
        return apply(Op.MUL, a, b);
    }

    /** a / b. */
    public static Tensor div(Tensor a, Tensor b) {
        return apply(Op.DIV, a, b);
    }

    /** a ^ b. */
    public static Tensor pow(Tensor a, Tensor b) {
        return apply(Op.POW, a, b);
    }

    /** Elementwise maximum (NaN if either is NaN). */
    public static Tensor maximum(Tensor a, Tensor b) {
        return apply(Op.MAXIMUM, a, b);
    }

    /** Elementwise minimum (NaN if either is NaN). */
    public static Tensor minimum(Tensor a, Tensor b) {
        return apply(Op.MINIMUM, a, b);
    }

    /**
     * {@code g} where {@code x > 0}, else 0: the gradient of {@code relu(x)} given the output's
     * gradient {@code g}, in one pass (PyTorch's {@code threshold_backward}). Where x is not
     * above zero the result is +0 even if g is NaN or infinite: those elements did not reach the
     * output.
     */
    public static Tensor reluGradient(Tensor g, Tensor x) {
        return apply(Op.RELU_GRAD, g, x);
    }

    /** 1 where a == b, else 0. */
    public static Tensor eq(Tensor a, Tensor b) {
        return apply(Op.EQ, a, b);
    }

    /** 1 where a != b, else 0. */
    public static Tensor ne(Tensor a, Tensor b) {
        return apply(Op.NE, a, b);
    }

    /** 1 where a &lt; b, else 0. */
    public static Tensor lt(Tensor a, Tensor b) {
        return apply(Op.LT, a, b);
    }

    /** 1 where a &lt;= b, else 0. */
    public static Tensor le(Tensor a, Tensor b) {
        return apply(Op.LE, a, b);
    }

    /** 1 where a &gt; b, else 0. */
    public static Tensor gt(Tensor a, Tensor b) {
        return apply(Op.GT, a, b);
    }

    /** 1 where a &gt;= b, else 0. */
    public static Tensor ge(Tensor a, Tensor b) {
        return apply(Op.GE, a, b);
    }

    /** x clipped into [lo, hi]: minimum(maximum(x, lo), hi), so it has a gradient for free. */
    public static Tensor clip(Tensor x, double lo, double hi) {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clip: lower bound " + lo + " is above upper bound " + hi);
        }
        return minimum(maximum(x, x.scalarLike(lo)), x.scalarLike(hi));
    }

    /** Runs binary {@code op} over {@code a} and {@code b} broadcast together, and records it. */
    static Tensor apply(Op op, Tensor a, Tensor b) {
        checkSameDType(op.opName(), a, b);
        Shape shape = Shape.broadcast(a.shape(), b.shape(), op.opName());
        Tensor y = Tensor.zeros(a.dtype(), shape);
        int fa = StridedLoop.flatStride(a, shape);
        int fb = StridedLoop.flatStride(b, shape);
        if (fa >= 0 && fb >= 0 && a.dtype().isFloating() && shape.size() < StridedLoop.PARALLEL_MIN) {
            // Small dense operands (or a single value against one): one kernel call, no loop to set up.
            Kernels k = Engine.get().kernels();
            if (a.dtype() == DType.F32) {
                k.binary(op, a.f32Array(), a.offset(), fa, b.f32Array(), b.offset(), fb, y.f32Array(), 0, shape.size());
            } else {
                k.binary(op, a.f64Array(), a.offset(), fa, b.f64Array(), b.offset(), fb, y.f64Array(), 0, shape.size());
            }
            return Recording.record(op, null, y, a, b);
        }
        if (a.dtype().isFloating() && fa == 1 && isRow(b, shape)) {
            return Recording.record(op, null, rowBroadcast(op, a, b, false, y), a, b);
        }
        if (a.dtype().isFloating() && fb == 1 && isRow(a, shape)) {
            return Recording.record(op, null, rowBroadcast(op, b, a, true, y), a, b);
        }
        Tensor av = ShapeOps.broadcastView(a, shape);
        Tensor bv = ShapeOps.broadcastView(b, shape);
        StridedLoop loop = new StridedLoop(shape, av, bv);
        int as = loop.innerStride(0);
        int bs = loop.innerStride(1);
        Kernels k = Engine.get().kernels();
        switch (a.dtype()) {
            case F32 -> {
                float[] aa = a.f32Array();
                float[] ba = b.f32Array();
                float[] ya = y.f32Array();
                loop.forEach((offs, yo, n) -> k.binary(op, aa, offs[0], as, ba, offs[1], bs, ya, yo, n));
            }
            case F64 -> {
                double[] aa = a.f64Array();
                double[] ba = b.f64Array();
                double[] ya = y.f64Array();
                loop.forEach((offs, yo, n) -> k.binary(op, aa, offs[0], as, ba, offs[1], bs, ya, yo, n));
            }
            case I32 -> {
                int[] aa = a.i32Array();
                int[] ba = b.i32Array();
                int[] ya = y.i32Array();
                loop.forEach((offs, yo, n) -> {
                    for (int i = 0; i < n; i++) {
                        ya[yo + i] = intBinary(op, aa[offs[0] + i * as], ba[offs[1] + i * bs]);
                    }
                });
            }
        }
        return Recording.record(op, null, y, a, b);
    }

    /** Rows up to this long are repeated by {@link #rowBroadcast}; longer rows make long enough runs. */
    private static final int ROW_MAX = 512;
    /** About how many elements one kernel call of {@link #rowBroadcast} covers. */
    private static final int ROW_BLOCK = 4096;

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
     * {@code op} between a contiguous operand and a short row repeated down it (a bias over a
     * batch of activations), into {@code y}. Walked row by row this is one kernel call per few
     * dozen elements; here each call covers a block of rows against a copy of the row repeated to
     * the block's length. {@code rowFirst} when the row is the left operand.
     */
    private static Tensor rowBroadcast(Op op, Tensor full, Tensor row, boolean rowFirst, Tensor y) {
        int r = row.size();
        int rows = y.size() / r;
        int blockRows = Math.max(1, Math.min(rows, ROW_BLOCK / r));
        Object repeated = y.dtype() == DType.F32 ? new float[blockRows * r] : new double[blockRows * r];
        for (int j = 0; j < blockRows; j++) {
            System.arraycopy(row.array(), row.offset(), repeated, j * r, r);
        }
        Kernels k = Engine.get().kernels();
        Object left = rowFirst ? repeated : full.array();
        Object right = rowFirst ? full.array() : repeated;
        Parallel.ChunkBody block = c -> {
            int first = c * blockRows * r;
            int n = Math.min(blockRows, rows - c * blockRows) * r;
            int fo = full.offset() + first;
            contiguous(k, op, left, rowFirst ? 0 : fo, right, rowFirst ? fo : 0, y.array(), first, n);
        };
        int blocks = (rows + blockRows - 1) / blockRows;
        if (y.size() < StridedLoop.PARALLEL_MIN) {
            for (int c = 0; c < blocks; c++) {
                block.run(c);
            }
        } else {
            Engine.get().parallel().forEachChunk(blocks, block);
        }
        return y;
    }

    /** One contiguous kernel call on F32 or F64 arrays (all three of one type). */
    private static void contiguous(Kernels k, Op op, Object a, int ao, Object b, int bo, Object y, int yo, int n) {
        if (y instanceof float[] yf) {
            k.binary(op, (float[]) a, ao, 1, (float[]) b, bo, 1, yf, yo, n);
        } else {
            k.binary(op, (double[]) a, ao, 1, (double[]) b, bo, 1, (double[]) y, yo, n);
        }
    }

    private static int intBinary(Op op, int a, int b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> {
                if (b == 0) {
                    throw new ArithmeticException("div: integer division by zero (I32 operands)");
                }
                yield a / b;
            }
            case POW -> (int) Math.pow(a, b);
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case RELU_GRAD -> b > 0 ? a : 0;
            default -> (int) ScalarKernels.binary(op, a, b);
        };
    }

    /**
     * {@code a} where {@code mask} is non-zero, else {@code b}; the three broadcast together. The
     * mask may have any dtype; a and b share one, which the result has.
     */
    public static Tensor where(Tensor mask, Tensor a, Tensor b) {
        checkSameDType("where", a, b);
        Shape shape = Shape.broadcast(Shape.broadcast(mask.shape(), a.shape(), "where"), b.shape(), "where");
        Tensor mv = ShapeOps.castRaw(ShapeOps.broadcastView(mask, shape), DType.F64);
        Tensor av = ShapeOps.broadcastView(a, shape);
        Tensor bv = ShapeOps.broadcastView(b, shape);
        Tensor y = Tensor.zeros(a.dtype(), shape.toArray());
        StridedLoop loop = new StridedLoop(shape, mv, av, bv);
        int ms = loop.innerStride(0);
        int as = loop.innerStride(1);
        int bs = loop.innerStride(2);
        double[] m = mv.f64Array();
        Object aArr = a.array();
        Object bArr = b.array();
        Object yArr = y.array();
        loop.forEach((offs, yo, n) -> {
            for (int i = 0; i < n; i++) {
                boolean pick = m[offs[0] + i * ms] != 0;
                int src = pick ? offs[1] + i * as : offs[2] + i * bs;
                Object from = pick ? aArr : bArr;
                switch (a.dtype()) {
                    case F32 -> ((float[]) yArr)[yo + i] = ((float[]) from)[src];
                    case F64 -> ((double[]) yArr)[yo + i] = ((double[]) from)[src];
                    case I32 -> ((int[]) yArr)[yo + i] = ((int[]) from)[src];
                }
            }
        });
        return Recording.record(Op.WHERE, null, y, mask, a, b);
    }

    /** Fails with a message naming both dtypes unless {@code a} and {@code b} share one. */
    static void checkSameDType(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": dtypes differ, " + a.dtype() + " " + a.shape() + " vs "
                    + b.dtype() + " " + b.shape() + "; convert one with cast(DType." + a.dtype() + ")");
        }
    }
}
