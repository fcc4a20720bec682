package dev.vecgrad.core.kernel;

import dev.vecgrad.core.ops.Op;

/**
 * The reference kernels: one plain loop per operation, with each element computed in double by
 * {@link Math} or {@link MathRef} and rounded once. Readable first; {@link VectorKernels} is
 * tested against this class.
 */
public final class ScalarKernels implements Kernels {

    @Override
    public String description() {
        return "scalar reference";
    }

    /** The reference value of a unary op at {@code x}. */
    public static double unary(Op op, double x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case EXP -> Math.exp(x);
            case EXPM1 -> Math.expm1(x);
            case LOG -> Math.log(x);
            case LOG1P -> Math.log1p(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1 / Math.sqrt(x);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1 / x;
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> MathRef.sigmoid(x);
            case RELU -> Math.max(x, 0); // NaN stays NaN, -inf and -0 give +0
            case GELU_TANH -> MathRef.geluTanh(x);
            case GELU_ERF -> MathRef.geluErf(x);
            case ERF -> MathRef.erf(x);
            case SOFTPLUS -> MathRef.softplus(x);
            case FLOOR -> Math.floor(x);
            case CEIL -> Math.ceil(x);
            case ROUND -> Math.rint(x);
            default -> throw new IllegalArgumentException(op.opName() + " is not a unary op");
        };
    }

    /** The reference value of a binary op (comparisons give 1 or 0). */
    public static double binary(Op op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case RELU_GRAD -> b > 0 ? a : 0; // NaN b is not above 0
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            default -> throw new IllegalArgumentException(op.opName() + " is not a binary op");
        };
    }

    /** The identity of a reduction: 0 for SUM, 1 for PROD, -inf for MAX, +inf for MIN. */
    public static double identity(Op op) {
        return switch (op) {
            case SUM -> 0;
            case PROD -> 1;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
            default -> throw new IllegalArgumentException(op.opName() + " is not a reduction");
        };
    }

    /** One step of a reduction; MAX and MIN propagate NaN as NumPy does. */
    public static double combine(Op op, double acc, double x) {
        return switch (op) {
            case SUM -> acc + x;
            case PROD -> acc * x;
            case MAX -> Math.max(acc, x);
            case MIN -> Math.min(acc, x);
            default -> throw new IllegalArgumentException(op.opName() + " is not a reduction");
        };
    }

    @Override
    public void unary(Op op, float[] x, int xOff, int xStride, float[] y, int yOff, int n) {
        KernelArgs.check(op, "input", x.length, xOff, xStride, n);
        KernelArgs.check(op, "output", y.length, yOff, 1, n);
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) unary(op, x[xOff + i * xStride]);
        }
    }

    @Override
    public void unary(Op op, double[] x, int xOff, int xStride, double[] y, int yOff, int n) {
        KernelArgs.check(op, "input", x.length, xOff, xStride, n);
        KernelArgs.check(op, "output", y.length, yOff, 1, n);
        for (int i = 0; i < n; i++) {
            y[yOff + i] = unary(op, x[xOff + i * xStride]);
        }
    }

    @Override
    public void binary(Op op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, float[] y, int yOff,
            int n) {
        KernelArgs.check(op, "left operand", a.length, aOff, aStride, n);
        KernelArgs.check(op, "right operand", b.length, bOff, bStride, n);
        KernelArgs.check(op, "output", y.length, yOff, 1, n);
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) binary(op, a[aOff + i * aStride], b[bOff + i * bStride]);
        }
    }

    @Override
    public void binary(Op op, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride, double[] y,
            int yOff, int n) {
        KernelArgs.check(op, "left operand", a.length, aOff, aStride, n);
        KernelArgs.check(op, "right operand", b.length, bOff, bStride, n);
        KernelArgs.check(op, "output", y.length, yOff, 1, n);
        for (int i = 0; i < n; i++) {
            y[yOff + i] = binary(op, a[aOff + i * aStride], b[bOff + i * bStride]);
        }
    }

    /** Float reductions accumulate in float, left to right, like a naive loop would. */
    @Override
    public float reduce(Op op, float[] x, int off, int n) {
        KernelArgs.check(op, "input", x.length, off, 1, n);
        float acc = (float) identity(op);
        for (int i = 0; i < n; i++) {
            acc = (float) combine(op, acc, x[off + i]);
        }
        return acc;
    }

    @Override
    public double reduce(Op op, double[] x, int off, int n) {
        KernelArgs.check(op, "input", x.length, off, 1, n);
        double acc = identity(op);
        for (int i = 0; i < n; i++) {
            acc = combine(op, acc, x[off + i]);
        }
        return acc;
    }

    @Override
    public void accumulate(Op op, float[] acc, int accOff, float[] x, int xOff, int n) {
        KernelArgs.check(op, "accumulator", acc.length, accOff, 1, n);
        KernelArgs.check(op, "input", x.length, xOff, 1, n);
        for (int i = 0; i < n; i++) {
            acc[accOff + i] = (float) combine(op, acc[accOff + i], x[xOff + i]);
        }
    }

    @Override
    public void accumulate(Op op, double[] acc, int accOff, double[] x, int xOff, int n) {
        KernelArgs.check(op, "accumulator", acc.length, accOff, 1, n);
        KernelArgs.check(op, "input", x.length, xOff, 1, n);
        for (int i = 0; i < n; i++) {
            acc[accOff + i] = combine(op, acc[accOff + i], x[xOff + i]);
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
    public void softmaxRows(double[] x, int xOff, double[] y, int yOff, int rows, int cols) {
        KernelArgs.checkRows("softmax", "input", x.length, xOff, rows, cols);
        KernelArgs.checkRows("softmax", "output", y.length, yOff, rows, cols);
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols;
            int yo = yOff + r * cols;
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                m = Math.max(m, x[xo + j]);
            }
            double shift = Double.isFinite(m) ? m : 0;
            double s = 0;
            for (int j = 0; j < cols; j++) {
                y[yo + j] = Math.exp(x[xo + j] - shift);
                s += y[yo + j];
            }
            for (int j = 0; j < cols; j++) {
                y[yo + j] /= s;
            }
        }
    }

    @Override
    public void windowMax(float[] x, int xOff, int[] taps, int nTaps, float[] y, int yOff, int c) {
        windowMax(x, xOff, taps, nTaps, y, yOff, 0, c);
    }

    @Override
    public void windowMax(double[] x, int xOff, int[] taps, int nTaps, double[] y, int yOff, int c) {
        for (int i = 0; i < c; i++) {
            double best = x[xOff + taps[0] + i];
            for (int t = 1; t < nTaps; t++) {
                best = Math.max(best, x[xOff + taps[t] + i]);
            }
            y[yOff + i] = best;
        }
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

    @Override
    public void windowMaxRoute(float[] x, int xOff, int[] taps, int nTaps, float[] dy, int dyOff, float[] dx,
            int dxOff, int c, boolean disjoint) {
        windowMaxRoute(x, xOff, taps, nTaps, dy, dyOff, dx, dxOff, 0, c);
    }

    /** The reference adds at the arg-max only, which is right whether or not windows are {@code disjoint}. */
    @Override
    public void windowMaxRoute(double[] x, int xOff, int[] taps, int nTaps, double[] dy, int dyOff, double[] dx,
            int dxOff, int c, boolean disjoint) {
        for (int i = 0; i < c; i++) {
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
}
