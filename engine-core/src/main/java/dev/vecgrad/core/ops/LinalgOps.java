package dev.vecgrad.core.ops;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.kernel.Backend;
import dev.vecgrad.core.kernel.Epilogue;
import dev.vecgrad.core.kernel.gemm.Gemm;

/**
 * Matrix multiplication over the last two axes, with broadcast batch axes and optional
 * transposition of either operand. A transposed operand, or a transposed view, is handed to the
 * GEMM kernel as a flag: no transpose is ever copied. Each batch entry is one {@link Gemm} call
 * on the same arrays at a new offset; the kernel's packing buffers belong to the thread and are
 * reused from one entry to the next, so the batch loop allocates nothing but the output.
 *
 * <p>When b is one matrix broadcast over the batch ({@code x (B, T, F) · w (F, N)}, a dense layer
 * over a sequence), the batch entries of op(a) are stacked into the rows of one product instead:
 * w is packed once rather than once per entry. If op(a)'s rows are not stacked in memory (a
 * transposed or permuted view), they are copied so when that costs no more than the packings it
 * saves (op(a) has no more rows than w has columns). The gradient rule folds w's gradient the
 * same way, into one product over every row.
 */
public final class LinalgOps {
    private LinalgOps() {
    }

    /**
     * {@code op(a) · op(b)} where op transposes the last two axes when its flag is set. Both operands
     * need rank 2 or more; leading axes broadcast.
     *
     * <pre>{@code
     * Tensor y = x.matmul(w);                          // (128, 784) · (784, 256) -> (128, 256)
     * Tensor dw = LinalgOps.matmul(x, dy, true, false);  // xᵀ · dy without copying xᵀ
     * }</pre>
     */
    public static Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        return Dispatcher.call(Primitives.MATMUL, new Attrs.Matmul(transposeA, transposeB), a, b);
    }

    /** {@code op(a) · op(b)} over the last two axes, batch axes broadcast. */
    static final class Matmul extends ComputePrimitive<Attrs.Matmul> implements Fusable<Attrs.Matmul> {
        Matmul() {
            super("matmul", true);
        }

        @Override
        public Shape inferShape(Tensor[] in, Attrs.Matmul attrs) {
            Tensor a = in[0];
            Tensor b = in[1];
            boolean transposeA = attrs.transposeA();
            boolean transposeB = attrs.transposeB();
            BinaryOps.checkSameDType("matmul", a, b);
            UnaryOps.requireFloating("matmul", a);
            if (a.rank() < 2 || b.rank() < 2) {
                throw new IllegalArgumentException("matmul: both operands need rank 2 or more, got " + a.shape()
                        + " and " + b.shape());
            }
            int m = a.shape().dim(transposeA ? -1 : -2);
            int ka = a.shape().dim(transposeA ? -2 : -1);
            int kb = b.shape().dim(transposeB ? -1 : -2);
            int n = b.shape().dim(transposeB ? -2 : -1);
            if (ka != kb) {
                throw new IllegalArgumentException("matmul: inner dimensions differ: " + a.shape()
                        + (transposeA ? "ᵀ" : "") + " · " + b.shape() + (transposeB ? "ᵀ" : "") + " (" + ka + " vs "
                        + kb + ")");
            }
            Shape batch = Shape.broadcast(batchShape(a), batchShape(b), "matmul (batch dimensions)");
            int[] outDims = new int[batch.rank() + 2];
            for (int i = 0; i < batch.rank(); i++) {
                outDims[i] = batch.dim(i);
            }
            outDims[batch.rank()] = m;
            outDims[batch.rank() + 1] = n;
            return Shape.of(outDims);
        }

        @Override
        public void run(Backend backend, Tensor[] in, Attrs.Matmul attrs, Tensor y) {
            run(backend, in, attrs, y, null);
        }

        /** A product without batch dimensions (or with only 1s), whose C is the whole output. */
        @Override
        public boolean takesEpilogue(Tensor[] in, Attrs.Matmul attrs) {
            return in[0].size() == in[0].shape().dim(-1) * in[0].shape().dim(-2)
                    && in[1].size() == in[1].shape().dim(-1) * in[1].shape().dim(-2);
        }

        @Override
        public void run(Backend backend, Tensor[] in, Attrs.Matmul attrs, Tensor y, Epilogue epilogue) {
            if (epilogue != null && !takesEpilogue(in, attrs)) {
                throw new IllegalArgumentException("matmul: an epilogue needs a product without batch dimensions, got "
                        + in[0].shape() + " · " + in[1].shape());
            }
            Tensor a = in[0];
            Tensor b = in[1];
            int r = y.rank();
            int m = y.shape().dim(r - 2);
            int n = y.shape().dim(r - 1);
            int k = a.shape().dim(attrs.transposeA() ? -2 : -1);
            Shape batch = r == 2 ? NO_BATCH : Shape.of(java.util.Arrays.copyOf(y.shape().toArray(), r - 2));
            Operand pa = Operand.of(a, batch, attrs.transposeA());
            Operand pb = Operand.of(b, batch, attrs.transposeB());
            int batches = batch.size();
            if (batches > 1 && pb.broadcast()) {
                Operand rows = pa.stacked(batch, m) ? pa : null;
                if (rows == null && m <= n) {
                    Tensor opA = attrs.transposeA()
                            ? Primitives.PERMUTE.view(a, new Attrs.Permute(swapLast(a.rank()))) : a;
                    rows = Operand.of(ShapeOps.copyRaw(opA), batch, false);
                }
                if (rows != null) {
                    gemm(backend, rows, pb, batches * m, n, k, rows.t.offset(), pb.t.offset(), y, 0, epilogue);
                    return;
                }
            }
            int[] bi = r == 2 ? NO_STRIDES : new int[batch.rank()];
            for (int t = 0; t < batches; t++) {
                int offA = pa.offset(bi);
                int offB = pb.offset(bi);
                gemm(backend, pa, pb, m, n, k, offA, offB, y, t * m * n, epilogue);
                for (int i = bi.length - 1; i >= 0 && ++bi[i] == batch.dim(i); i--) {
                    bi[i] = 0;
                }
            }
        }
    }

    /** C (at offC, leading dimension n) = op(A) · op(B), the operands at the given offsets. */
    private static void gemm(Backend backend, Operand pa, Operand pb, int m, int n, int k, int offA, int offB, Tensor y,
            int offC, Epilogue epilogue) {
        if (y.dtype() == DType.F32) {
            Gemm.sgemm(backend, pa.trans, pb.trans, m, n, k, pa.t.f32Array(), offA, pa.ld, pb.t.f32Array(), offB, pb.ld,
                    y.f32Array(), offC, n, false, epilogue);
        } else {
            Gemm.dgemm(backend, pa.trans, pb.trans, m, n, k, pa.t.f64Array(), offA, pa.ld, pb.t.f64Array(), offB, pb.ld,
                    y.f64Array(), offC, n, false, epilogue);
        }
    }

    /** The batch shape of a plain matrix product, and its (no) batch strides: shared, so a product allocates nothing. */
    private static final Shape NO_BATCH = Shape.of();
    private static final int[] NO_STRIDES = new int[0];

    /** The permutation that swaps the last two of {@code rank} axes. */
    private static int[] swapLast(int rank) {
        int[] p = new int[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = i;
        }
        p[rank - 2] = rank - 1;
        p[rank - 1] = rank - 2;
        return p;
    }

    private static Shape batchShape(Tensor t) {
        int[] d = new int[t.rank() - 2];
        for (int i = 0; i < d.length; i++) {
            d[i] = t.shape().dim(i);
        }
        return Shape.of(d);
    }

    /** One operand as GEMM sees it: an array, a leading dimension, a transpose flag, batch strides. */
    private record Operand(Tensor t, int ld, boolean trans, int[] batchStrides) {

        static Operand of(Tensor x, Shape batch, boolean transpose) {
            int r = x.rank();
            int rows = x.shape().dim(r - 2);
            int cols = x.shape().dim(r - 1);
            int rowStride = x.stride(r - 2);
            int colStride = x.stride(r - 1);
            Tensor t = x;
            boolean trans = transpose;
            int ld;
            if ((colStride == 1 || cols == 1) && (rows == 1 || rowStride >= cols)) {
                ld = rows == 1 ? Math.max(cols, 1) : rowStride;
            } else if ((rowStride == 1 || rows == 1) && colStride >= rows) {
                // A transposed view of a row-major matrix: flip the flag instead of copying.
                trans = !trans;
                ld = cols == 1 ? Math.max(rows, 1) : colStride;
            } else {
                t = ShapeOps.copyRaw(x);
                ld = Math.max(cols, 1);
            }
            int[] bs = batch.rank() == 0 ? NO_STRIDES : new int[batch.rank()];
            int shift = batch.rank() - (r - 2);
            for (int i = 0; i < r - 2; i++) {
                bs[i + shift] = t.shape().dim(i) == 1 ? 0 : t.stride(i);
            }
            return new Operand(t, ld, trans, bs);
        }

        /** Whether every batch entry is the same matrix. */
        boolean broadcast() {
            for (int s : batchStrides) {
                if (s != 0) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Whether the untransposed entries of {@code batch}, {@code m} rows each, follow one another
         * in memory at one leading dimension, so that together they are one matrix of batch·m rows.
         */
        boolean stacked(Shape batch, int m) {
            if (trans) {
                return false;
            }
            long step = (long) m * ld;
            for (int i = batch.rank() - 1; i >= 0; i--) {
                if (batch.dim(i) > 1 && batchStrides[i] != step) {
                    return false;
                }
                step *= batch.dim(i);
            }
            return true;
        }

        int offset(int[] batchIndex) {
            int o = t.offset();
            for (int i = 0; i < batchIndex.length; i++) {
                o += batchIndex[i] * batchStrides[i];
            }
            return o;
        }
    }
}
