package dev.vecgrad.core.ops;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.kernel.Backend;
import dev.vecgrad.core.kernel.Kernels;
import dev.vecgrad.core.kernel.gemm.Gemm;

/**
 * Recurrences over a whole sequence as one op, so that a tape records one node for the sequence
 * rather than a dozen per step, and the gradient can gather the recurrent kernel's gradient of all
 * steps into one matrix product (autodiff's {@code RecurrentGradients}).
 */
public final class RecurrentOps {
    private RecurrentOps() {
    }

    /**
     * The LSTM recurrence ({@link Primitives#LSTM_SEQUENCE}) over {@code T} steps of a batch of {@code B}
     * with {@code H} units, given the input projections {@code xz (T, B, 4H)} (the input's product
     * with the input kernel, bias included, gates in the order i, f, g, o) and the recurrent kernel
     * {@code u (H, 4H)}. At step t, with the previous state (h, c), starting from {@code (h0, c0)}:
     * <pre>
     *   z = xz[t] + h·u      i, f, o = σ(z_i, z_f, z_o)      g = tanh(z_g)
     *   c' = f·c + i·g       h' = o·tanh(c')
     * </pre>
     * Where {@code mask (T, B, 1)} (optional) is 0, the state stays (h' = h, c' = c).
     *
     * @return {@code (T, B, 6H)}: per step and sample the state after the step and the gates,
     *     {@code [h, c, i, f, g, o]}; a caller reads the hidden states as the view
     *     {@code slice(2, 0, H)} and the cells as {@code slice(2, H, 2H)}
     */
    public static Tensor lstmSequence(Tensor xz, Tensor u, Tensor h0, Tensor c0, Tensor mask) {
        return mask == null ? Dispatcher.call(Primitives.LSTM_SEQUENCE, null, xz, u, h0, c0)
                : Dispatcher.call(Primitives.LSTM_SEQUENCE, null, xz, u, h0, c0, mask);
    }

    /** The LSTM recurrence over a sequence: inputs xz, u, h0, c0 and an optional mask. */
    static final class LstmSequence extends ComputePrimitive<Void> {
        LstmSequence() {
            super("lstm_sequence", true);
        }

        @Override
        public Shape inferShape(Tensor[] in, Void attrs) {
            if (in.length != 4 && in.length != 5) {
                throw new IllegalArgumentException("lstm_sequence: needs xz, u, h0, c0 and an optional mask, got "
                        + in.length + " inputs");
            }
            Tensor xz = in[0];
            Tensor u = in[1];
            Tensor h0 = in[2];
            Tensor c0 = in[3];
            Tensor mask = in.length == 5 ? in[4] : null;
            UnaryOps.requireFloating("lstm_sequence", xz);
            if (xz.rank() != 3 || u.rank() != 2 || xz.shape().dim(2) % 4 != 0 || xz.shape().dim(0) == 0) {
                throw new IllegalArgumentException("lstm_sequence: needs xz (T ≥ 1, B, 4H) and a recurrent kernel (H, 4H), got "
                        + xz.shape() + " and " + u.shape());
            }
            int steps = xz.shape().dim(0);
            int batch = xz.shape().dim(1);
            int units = xz.shape().dim(2) / 4;
            Shape state = Shape.of(batch, units);
            if (!u.shape().equals(Shape.of(units, 4 * units)) || !h0.shape().equals(state) || !c0.shape().equals(state)
                    || (mask != null && !mask.shape().equals(Shape.of(steps, batch, 1)))) {
                throw new IllegalArgumentException("lstm_sequence: for xz " + xz.shape() + " the recurrent kernel must be "
                        + Shape.of(units, 4 * units) + ", h0 and c0 " + state + " and the mask (if any) "
                        + Shape.of(steps, batch, 1) + "; got " + u.shape() + ", " + h0.shape() + ", " + c0.shape()
                        + (mask == null ? "" : ", " + mask.shape()));
            }
            for (int i = 1; i < in.length; i++) {
                BinaryOps.checkSameDType("lstm_sequence", xz, in[i]);
            }
            return Shape.of(steps, batch, 6 * units);
        }

        @Override
        public void run(Backend backend, Tensor[] in, Void attrs, Tensor y) {
            new LstmForward(backend, dense(in[0]), dense(in[1]), dense(in[2]), dense(in[3]),
                    in.length == 5 ? dense(in[4]) : null, y).run();
        }
    }

    private static Tensor dense(Tensor t) {
        return t.isContiguous() ? t : ShapeOps.copyRaw(t);
    }

    /**
     * The forward pass over raw arrays, F32 or F64: per step, z = xz[t] + h·u by one GEMM into a
     * scratch block, then per sample the gate activations and the new state written straight
     * into the step's packed output row.
     */
    private static final class LstmForward {
        private final Backend backend;
        private final Kernels k;
        private final boolean f32;
        private final Tensor xz;
        private final Tensor u;
        private final Tensor h0;
        private final Tensor c0;
        private final Tensor mask;
        private final Object out;
        private final int outOff;
        private final int steps;
        private final int batch;
        private final int units;

        LstmForward(Backend backend, Tensor xz, Tensor u, Tensor h0, Tensor c0, Tensor mask, Tensor y) {
            this.backend = backend;
            this.k = backend.kernels();
            this.f32 = xz.dtype() == DType.F32;
            this.xz = xz;
            this.u = u;
            this.h0 = h0;
            this.c0 = c0;
            this.mask = mask;
            this.out = y.array();
            this.outOff = y.offset();
            this.steps = xz.shape().dim(0);
            this.batch = xz.shape().dim(1);
            this.units = xz.shape().dim(2) / 4;
        }

        void run() {
            int h = units;
            int row = 6 * h;
            Object z = Tensor.allocate(xz.dtype(), batch * 4 * h);
            Object tmp = Tensor.allocate(xz.dtype(), h);
            for (int t = 0; t < steps; t++) {
                System.arraycopy(xz.array(), xz.offset() + t * batch * 4 * h, z, 0, batch * 4 * h);
                int stepOff = outOff + t * batch * row;
                // The previous hidden states: h0, or the h parts of the previous step's rows.
                Object hPrev = t == 0 ? h0.array() : out;
                int hOff = t == 0 ? h0.offset() : stepOff - batch * row;
                gemm(hPrev, hOff, t == 0 ? h : row, z);
                for (int b = 0; b < batch; b++) {
                    int o = stepOff + b * row;
                    int zo = b * 4 * h;
                    Object cPrev = t == 0 ? c0.array() : out;
                    int cOff = t == 0 ? c0.offset() + b * h : o - batch * row + h;
                    unary(Primitives.SIGMOID, z, zo, out, o + 2 * h, 2 * h);      // i, f
                    unary(Primitives.TANH, z, zo + 2 * h, out, o + 4 * h, h);     // g
                    unary(Primitives.SIGMOID, z, zo + 3 * h, out, o + 5 * h, h);  // o
                    binary(Primitives.MUL, out, o + 3 * h, cPrev, cOff, out, o + h);       // c = f·c_prev
                    binary(Primitives.MUL, out, o + 2 * h, out, o + 4 * h, tmp, 0);       //     + i·g
                    binary(Primitives.ADD, out, o + h, tmp, 0, out, o + h);
                    unary(Primitives.TANH, out, o + h, tmp, 0, h);
                    binary(Primitives.MUL, out, o + 5 * h, tmp, 0, out, o);                // h = o·tanh(c)
                    if (mask != null && maskAt(t * batch + b) == 0) {
                        Object hp = t == 0 ? h0.array() : out;
                        int hpOff = t == 0 ? h0.offset() + b * h : o - batch * row;
                        System.arraycopy(hp, hpOff, out, o, h);
                        System.arraycopy(cPrev, cOff, out, o + h, h);
                    }
                }
            }
        }

        private double maskAt(int i) {
            return f32 ? mask.f32Array()[mask.offset() + i] : mask.f64Array()[mask.offset() + i];
        }

        /** z (batch, 4H) += hPrev (batch, H, row stride lda) · u (H, 4H). */
        private void gemm(Object hPrev, int hOff, int lda, Object z) {
            int n = 4 * units;
            if (f32) {
                Gemm.sgemm(backend, false, false, batch, n, units, (float[]) hPrev, hOff, lda, u.f32Array(), u.offset(),
                        n, (float[]) z, 0, n, true);
            } else {
                Gemm.dgemm(backend, false, false, batch, n, units, (double[]) hPrev, hOff, lda, u.f64Array(),
                        u.offset(), n, (double[]) z, 0, n, true);
            }
        }

        private void unary(Unary op, Object x, int xOff, Object y, int yOff, int n) {
            if (f32) {
                k.unary(op, (float[]) x, xOff, 1, (float[]) y, yOff, n);
            } else {
                k.unary(op, (double[]) x, xOff, 1, (double[]) y, yOff, n);
            }
        }

        private void binary(Binary op, Object a, int aOff, Object b, int bOff, Object y, int yOff) {
            if (f32) {
                k.binary(op, (float[]) a, aOff, 1, (float[]) b, bOff, 1, (float[]) y, yOff, units);
            } else {
                k.binary(op, (double[]) a, aOff, 1, (double[]) b, bOff, 1, (double[]) y, yOff, units);
            }
        }
    }
}
