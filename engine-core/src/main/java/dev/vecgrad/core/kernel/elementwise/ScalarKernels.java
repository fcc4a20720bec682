package dev.vecgrad.core.kernel.elementwise;

import dev.vecgrad.core.kernel.Kernels;
import dev.vecgrad.core.ops.Binary;
import dev.vecgrad.core.ops.Reduce;
import dev.vecgrad.core.ops.Unary;

/**
 * The reference kernels: one plain loop per operation, with each element computed in double by
 * the primitive's reference definition ({@link Unary#reference}, {@link Binary#reference},
 * {@link Reduce#combine}) and rounded once. Readable first; {@link VectorKernels} is
 * tested against this class.
 */
public final class ScalarKernels implements Kernels {

    @Override
    public String description() {
        return "scalar reference";
    }

    // F64Source: F32 begin
    @Override
    public void unary(Unary op, float[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        KernelArgs.check(op, "input", x.length, xOff, xStride, n);
        KernelArgs.check(op, "output", y.length, yOff, 1, n);
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) op.reference(x[xOff + i * xStride]);
        }
    }

    @Override
    public void binary(Binary op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, float[] y,
            int yOff, int n) {
        KernelArgs.check(op, "left operand", a.length, aOff, aStride, n);
        KernelArgs.check(op, "right operand", b.length, bOff, bStride, n);
        KernelArgs.check(op, "output", y.length, yOff, 1, n);
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) op.reference(a[aOff + i * aStride], b[bOff + i * bStride]);
        }
    }

    /** Float reductions accumulate in float, left to right, like a naive loop would. */
    @Override
    public float reduce(Reduce op, float[] x, int off, int n) {
        KernelArgs.check(op, "input", x.length, off, 1, n);
        float acc = (float) op.identity();
        for (int i = 0; i < n; i++) {
            acc = (float) op.combine(acc, x[off + i]);
        }
        return acc;
    }

    @Override
    public void accumulate(Reduce op, float[] acc, int accOff, float[] x, int xOff, int n) {
        KernelArgs.check(op, "accumulator", acc.length, accOff, 1, n);
        KernelArgs.check(op, "input", x.length, xOff, 1, n);
        for (int i = 0; i < n; i++) {
            acc[accOff + i] = (float) op.combine(acc[accOff + i], x[xOff + i]);
        }
    }

    /** Each element in double: e^(x - m) / Σ e^(x - m), rounded once. */
    @Override
    public void softmaxRows(float[] x, int xOff, float[] y, int yOff, int rows, int cols) {
        KernelArgs.checkRows("softmax", "input", x.length, xOff, rows, cols);
        KernelArgs.checkRows("softmax", "output", y.length, yOff, rows, cols);
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols;
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                m = Math.max(m, x[xo + j]);
            }
            double shift = Double.isFinite(m) ? m : 0;
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += Math.exp(x[xo + j] - shift);
            }
            for (int j = 0; j < cols; j++) {
                y[yOff + r * cols + j] = (float) (Math.exp(x[xo + j] - shift) / s);
            }
        }
    }

    @Override
    public void windowMax(float[] x, int xOff, int[] taps, int nTaps, float[] y, int yOff, int c) {
        windowMax(x, xOff, taps, nTaps, y, yOff, 0, c);
    }

    /** {@link #windowMax} over channels {@code [from, c)} only, for the SIMD kernel's last channels. */
    static void windowMax(float[] x, int xOff, int[] taps, int nTaps, float[] y, int yOff, int from, int c) {
        for (int i = from; i < c; i++) {
            float best = x[xOff + taps[0] + i];
            for (int t = 1; t < nTaps; t++) {
                best = Math.max(best, x[xOff + taps[t] + i]);
            }
            y[yOff + i] = best;
        }
    }

    /** The reference adds at the arg-max only, which is right whether or not windows are {@code disjoint}. */
    @Override
    public void windowMaxRoute(float[] x, int xOff, int[] taps, int nTaps, float[] dy, int dyOff, float[] dx,
            int dxOff, int c, boolean disjoint) {
        windowMaxRoute(x, xOff, taps, nTaps, dy, dyOff, dx, dxOff, 0, c);
    }

    /** {@link #windowMaxRoute} over channels {@code [from, c)} only, for the SIMD kernel's last channels. */
    static void windowMaxRoute(float[] x, int xOff, int[] taps, int nTaps, float[] dy, int dyOff, float[] dx,
            int dxOff, int from, int c) {
        for (int i = from; i < c; i++) {
            int at = 0;
            float best = x[xOff + taps[0] + i];
            for (int t = 1; t < nTaps; t++) {
                float v = x[xOff + taps[t] + i];
                if (v > best || (v != v && best == best)) {
                    best = v;
                    at = t;
                }
            }
            dx[dxOff + taps[at] + i] += dy[dyOff + i];
        }
    }
    // F64Source: F32 end
    // F64Source: F64 begin (generated from the F32 section above: edit that one, then run F64Source)
    @Override
    public void unary(Unary op, double[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        KernelArgs.check(op, "input", x.length, xOff, xStride, n);
        KernelArgs.check(op, "output", y.length, yOff, 1, n);
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (double) op.reference(x[xOff + i * xStride]);
        }
    }

    @Override
    public void binary(Binary op, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride, double[] y,
            int yOff, int n) {
        KernelArgs.check(op, "left operand", a.length, aOff, aStride, n);
        KernelArgs.check(op, "right operand", b.length, bOff, bStride, n);
        KernelArgs.check(op, "output", y.length, yOff, 1, n);
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (double) op.reference(a[aOff + i * aStride], b[bOff + i * bStride]);
        }
    }

    /** Double reductions accumulate in double, left to right, like a naive loop would. */
    @Override
    public double reduce(Reduce op, double[] x, int off, int n) {
        KernelArgs.check(op, "input", x.length, off, 1, n);
        double acc = (double) op.identity();
        for (int i = 0; i < n; i++) {
            acc = (double) op.combine(acc, x[off + i]);
        }
        return acc;
    }

    @Override
    public void accumulate(Reduce op, double[] acc, int accOff, double[] x, int xOff, int n) {
        KernelArgs.check(op, "accumulator", acc.length, accOff, 1, n);
        KernelArgs.check(op, "input", x.length, xOff, 1, n);
        for (int i = 0; i < n; i++) {
            acc[accOff + i] = (double) op.combine(acc[accOff + i], x[xOff + i]);
        }
    }

    /** Each element in double: e^(x - m) / Σ e^(x - m), rounded once. */
    @Override
    public void softmaxRows(double[] x, int xOff, double[] y, int yOff, int rows, int cols) {
        KernelArgs.checkRows("softmax", "input", x.length, xOff, rows, cols);
        KernelArgs.checkRows("softmax", "output", y.length, yOff, rows, cols);
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols;
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                m = Math.max(m, x[xo + j]);
            }
            double shift = Double.isFinite(m) ? m : 0;
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += Math.exp(x[xo + j] - shift);
            }
            for (int j = 0; j < cols; j++) {
                y[yOff + r * cols + j] = (double) (Math.exp(x[xo + j] - shift) / s);
            }
        }
    }

    @Override
    public void windowMax(double[] x, int xOff, int[] taps, int nTaps, double[] y, int yOff, int c) {
        windowMax(x, xOff, taps, nTaps, y, yOff, 0, c);
    }

    /** {@link #windowMax} over channels {@code [from, c)} only, for the SIMD kernel's last channels. */
    static void windowMax(double[] x, int xOff, int[] taps, int nTaps, double[] y, int yOff, int from, int c) {
        for (int i = from; i < c; i++) {
            double best = x[xOff + taps[0] + i];
            for (int t = 1; t < nTaps; t++) {
                best = Math.max(best, x[xOff + taps[t] + i]);
            }
            y[yOff + i] = best;
        }
    }

    /** The reference adds at the arg-max only, which is right whether or not windows are {@code disjoint}. */
    @Override
    public void windowMaxRoute(double[] x, int xOff, int[] taps, int nTaps, double[] dy, int dyOff, double[] dx,
            int dxOff, int c, boolean disjoint) {
        windowMaxRoute(x, xOff, taps, nTaps, dy, dyOff, dx, dxOff, 0, c);
    }

    /** {@link #windowMaxRoute} over channels {@code [from, c)} only, for the SIMD kernel's last channels. */
    static void windowMaxRoute(double[] x, int xOff, int[] taps, int nTaps, double[] dy, int dyOff, double[] dx,
            int dxOff, int from, int c) {
        for (int i = from; i < c; i++) {
            int at = 0;
            double best = x[xOff + taps[0] + i];
            for (int t = 1; t < nTaps; t++) {
                double v = x[xOff + taps[t] + i];
                if (v > best || (v != v && best == best)) {
                    best = v;
                    at = t;
                }
            }
            dx[dxOff + taps[at] + i] += dy[dyOff + i];
        }
    }
    // F64Source: F64 end
}
