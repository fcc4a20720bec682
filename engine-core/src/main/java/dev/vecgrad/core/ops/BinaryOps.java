package dev.vecgrad.core.ops;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.kernel.Backend;
import dev.vecgrad.core.kernel.parallel.Parallel;

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
        return Primitives.ADD.apply(a, b);
    }

    /** a - b. */
    public static Tensor sub(Tensor a, Tensor b) {
        return Primitives.SUB.apply(a, b);
    }

    /** a · b. */
    public static Tensor mul(Tensor a, Tensor b) {
        return Primitives.MUL.apply(a, b);
    }

    /** a / b. */
    public static Tensor div(Tensor a, Tensor b) {
        return Primitives.DIV.apply(a, b);
    }

    /** a ^ b. */
    public static Tensor pow(Tensor a, Tensor b) {
        return Primitives.POW.apply(a, b);
    }

    /** Elementwise maximum (NaN if either is NaN). */
    public static Tensor maximum(Tensor a, Tensor b) {
        return Primitives.MAXIMUM.apply(a, b);
    }

    /** Elementwise minimum (NaN if either is NaN). */
    public static Tensor minimum(Tensor a, Tensor b) {
        return Primitives.MINIMUM.apply(a, b);
    }

    /**
     * {@code g} where {@code x > 0}, else 0: the gradient of {@code relu(x)} given the output's
     * gradient {@code g}, in one pass (PyTorch's {@code threshold_backward}). Where x is not
     * above zero the result is +0 even if g is NaN or infinite: those elements did not reach the
     * output.
     */
    public static Tensor reluGradient(Tensor g, Tensor x) {
        return Primitives.RELU_GRAD.apply(g, x);
    }

    /** 1 where a == b, else 0. */
    public static Tensor eq(Tensor a, Tensor b) {
        return Primitives.EQ.apply(a, b);
    }

    /** 1 where a != b, else 0. */
    public static Tensor ne(Tensor a, Tensor b) {
        return Primitives.NE.apply(a, b);
    }

    /** 1 where a &lt; b, else 0. */
    public static Tensor lt(Tensor a, Tensor b) {
        return Primitives.LT.apply(a, b);
    }

    /** 1 where a &lt;= b, else 0. */
    public static Tensor le(Tensor a, Tensor b) {
        return Primitives.LE.apply(a, b);
    }

    /** 1 where a &gt; b, else 0. */
    public static Tensor gt(Tensor a, Tensor b) {
        return Primitives.GT.apply(a, b);
    }

    /** 1 where a &gt;= b, else 0. */
    public static Tensor ge(Tensor a, Tensor b) {
        return Primitives.GE.apply(a, b);
    }

    /** x clipped into [lo, hi]: minimum(maximum(x, lo), hi), so it has a gradient for free. */
    public static Tensor clip(Tensor x, double lo, double hi) {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clip: lower bound " + lo + " is above upper bound " + hi);
        }
        return minimum(maximum(x, x.scalarLike(lo)), x.scalarLike(hi));
    }

    /**
     * {@code a} where {@code mask} is non-zero, else {@code b}; the three broadcast together. The
     * mask may have any dtype; a and b share one, which the result has.
     */
    public static Tensor where(Tensor mask, Tensor a, Tensor b) {
        return Dispatcher.call(Primitives.WHERE, null, mask, a, b);
    }

    /** Fails with a message naming both dtypes unless {@code a} and {@code b} share one. */
    static void checkSameDType(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": dtypes differ, " + a.dtype() + " " + a.shape() + " vs "
                    + b.dtype() + " " + b.shape() + "; convert one with cast(DType." + a.dtype() + ")");
        }
    }

    /** {@code where(mask, a, b)}: the three broadcast together; the mask may have any dtype. */
    static final class Where extends ComputePrimitive<Void> {
        Where() {
            super("where", true);
        }

        @Override
        public Shape inferShape(Tensor[] in, Void attrs) {
            checkSameDType(name(), in[1], in[2]);
            return Shape.broadcast(Shape.broadcast(in[0].shape(), in[1].shape(), name()), in[2].shape(), name());
        }

        @Override
        public DType inferDType(Tensor[] in, Void attrs) {
            return in[1].dtype();
        }

        @Override
        public void run(Backend backend, Tensor[] in, Void attrs, Tensor y) {
            Shape shape = y.shape();
            int fm = StridedLoop.flatStride(in[0], shape);
            int fa = StridedLoop.flatStride(in[1], shape);
            int fb = StridedLoop.flatStride(in[2], shape);
            if (fm >= 0 && fa >= 0 && fb >= 0 && !Parallel.worthSplitting(shape.size())) {
                select(in[0], in[0].offset(), fm, in[1], in[1].offset(), fa, in[2], in[2].offset(), fb, y, 0,
                        shape.size());
                return;
            }
            Tensor mv = ShapeOps.broadcastView(in[0], shape);
            Tensor av = ShapeOps.broadcastView(in[1], shape);
            Tensor bv = ShapeOps.broadcastView(in[2], shape);
            StridedLoop loop = new StridedLoop(shape, mv, av, bv);
            int ms = loop.innerStride(0);
            int as = loop.innerStride(1);
            int bs = loop.innerStride(2);
            loop.forEach(backend.parallel(), (offs, yo, n) -> select(mv, offs[0], ms, av, offs[1], as, bv, offs[2], bs,
                    y, yo, n));
        }

        /** {@code y[yo + i] = m[mo + i·ms] != 0 ? a[ao + i·as] : b[bo + i·bs]} for i in [0, n); NaN counts as non-zero. */
        private static void select(Tensor m, int mo, int ms, Tensor a, int ao, int as, Tensor b, int bo, int bs,
                Tensor y, int yo, int n) {
            Object mArr = m.array();
            Object aArr = a.array();
            Object bArr = b.array();
            Object yArr = y.array();
            DType mType = m.dtype();
            DType dtype = y.dtype();
            for (int i = 0; i < n; i++) {
                int mp = mo + i * ms;
                boolean pick = switch (mType) {
                    case F32 -> ((float[]) mArr)[mp] != 0;
                    case F64 -> ((double[]) mArr)[mp] != 0;
                    case I32 -> ((int[]) mArr)[mp] != 0;
                };
                int src = pick ? ao + i * as : bo + i * bs;
                Object from = pick ? aArr : bArr;
                switch (dtype) {
                    case F32 -> ((float[]) yArr)[yo + i] = ((float[]) from)[src];
                    case F64 -> ((double[]) yArr)[yo + i] = ((double[]) from)[src];
                    case I32 -> ((int[]) yArr)[yo + i] = ((int[]) from)[src];
                }
            }
        }
    }
}
