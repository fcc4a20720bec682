package dev.vecgrad.core.kernel.elementwise;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The F64 forms of {@link FloatMathLoops}: e^x, sigmoid, softplus, tanh GELU and softmax from the
 * Vector API's F64 math, and sign through the double's bits. erf and exact GELU are not here: F64
 * takes the scalar reference for those, as no F64 erf is available in the Vector API.
 */
final class DoubleMathLoops {
    private static final VectorSpecies<Double> S = DoubleLoops.S;
    private static final int L = DoubleLoops.L;

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    /** gelu_tanh(x) = x·sigmoid(x·(G0 + G1·x²)), the tanh form rewritten as 1 + tanh(z) = 2·sigmoid(2z). */
    private static final double G0 = 2 * SQRT_2_OVER_PI;
    private static final double G1 = 2 * SQRT_2_OVER_PI * 0.044715;

    private DoubleMathLoops() {
    }

    /** Math.signum: ±1 with the sign of x, except ±0 and NaN. Loops are laid out as in {@link FloatMathLoops}. */
    static void sign(double[] x, int xo, double[] y, int yo, int n) {
        int full = S.loopBound(n);
        signRun(x, xo, y, yo, full);
        if (full < n) {
            double[] t = new double[L];
            System.arraycopy(x, xo + full, t, 0, n - full);
            signRun(t, 0, t, 0, L);
            System.arraycopy(t, 0, y, yo + full, n - full);
        }
    }

    private static void signRun(double[] x, int xo, double[] y, int yo, int n) {
        for (int i = 0; i < n; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, x, xo + i);
            DoubleVector one = v.reinterpretAsLongs().and(0x8000_0000_0000_0000L).or(Double.doubleToRawLongBits(1))
                    .reinterpretAsDoubles();
            DoubleVector out = v.blend(one, v.abs().compare(VectorOperators.GT, 0));
            out.intoArray(y, yo + i);
        }
    }

    /** 1/(1 + e^-x) from e = e^-|x|, as {@link FloatMathLoops#sigmoid}. */
    static void sigmoid(double[] x, int xo, double[] y, int yo, int n) {
        int full = S.loopBound(n);
        sigmoidRun(x, xo, y, yo, full);
        if (full < n) {
            double[] t = new double[L];
            System.arraycopy(x, xo + full, t, 0, n - full);
            sigmoidRun(t, 0, t, 0, L);
            System.arraycopy(t, 0, y, yo + full, n - full);
        }
    }

    private static void sigmoidRun(double[] x, int xo, double[] y, int yo, int n) {
        for (int i = 0; i < n; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, x, xo + i);
            DoubleVector e = v.abs().neg().lanewise(VectorOperators.EXP);
            DoubleVector num = DoubleVector.broadcast(S, 1).blend(e, v.compare(VectorOperators.LT, 0));
            DoubleVector out = num.div(e.add(1));
            out.intoArray(y, yo + i);
        }
    }

    /** x·sigmoid(2z), as {@link FloatMathLoops#geluTanh}. */
    static void geluTanh(double[] x, int xo, double[] y, int yo, int n) {
        int full = S.loopBound(n);
        geluTanhRun(x, xo, y, yo, full);
        if (full < n) {
            double[] t = new double[L];
            System.arraycopy(x, xo + full, t, 0, n - full);
            geluTanhRun(t, 0, t, 0, L);
            System.arraycopy(t, 0, y, yo + full, n - full);
        }
    }

    private static void geluTanhRun(double[] x, int xo, double[] y, int yo, int n) {
        for (int i = 0; i < n; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, x, xo + i);
            DoubleVector u = v.mul(v).lanewise(VectorOperators.FMA, G1, G0).mul(v);
            DoubleVector e = u.abs().neg().lanewise(VectorOperators.EXP);
            DoubleVector num = DoubleVector.broadcast(S, 1).blend(e, u.compare(VectorOperators.LT, 0));
            DoubleVector out = v.mul(num.div(e.add(1)));
            out.intoArray(y, yo + i);
        }
    }

    /** max(x, 0) + ln(1 + e^-|x|). */
    static void softplus(double[] x, int xo, double[] y, int yo, int n) {
        int full = S.loopBound(n);
        softplusRun(x, xo, y, yo, full);
        if (full < n) {
            double[] t = new double[L];
            System.arraycopy(x, xo + full, t, 0, n - full);
            softplusRun(t, 0, t, 0, L);
            System.arraycopy(t, 0, y, yo + full, n - full);
        }
    }

    private static void softplusRun(double[] x, int xo, double[] y, int yo, int n) {
        for (int i = 0; i < n; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, x, xo + i);
            DoubleVector out = v.max(0).add(v.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P));
            out.intoArray(y, yo + i);
        }
    }

    static void exp(double[] x, int xo, double[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            DoubleVector.fromArray(S, x, xo + i).lanewise(VectorOperators.EXP).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector.fromArray(S, x, xo + i, m).lanewise(VectorOperators.EXP).intoArray(y, yo + i, m);
        }
    }

    static void tanh(double[] x, int xo, double[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            DoubleVector.fromArray(S, x, xo + i).lanewise(VectorOperators.TANH).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector.fromArray(S, x, xo + i, m).lanewise(VectorOperators.TANH).intoArray(y, yo + i, m);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Softmax over rows.

    /**
     * Softmax of each row of a contiguous [rows, cols] block: a vector pass for the maximum, one
     * that writes e^(x - max), the sum of those in {@link DoubleLoops#sum}'s fixed order, and a
     * pass that scales by the reciprocal of the sum. The shift is 0 when the maximum is not
     * finite, as in the composite softmax. e^x is {@link Math#exp} element by element rather than
     * the Vector API's: compiled, that one comes from a vector math library whose last bit can
     * differ from what the same code gives interpreted, and a model's output must not depend on
     * whether its softmax was compiled yet.
     */
    static void softmaxRows(double[] x, int xOff, double[] y, int yOff, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols;
            int yo = yOff + r * cols;
            double m = DoubleLoops.max(x, xo, cols);
            double shift = m - m == 0 ? m : 0;
            for (int j = 0; j < cols; j++) {
                y[yo + j] = Math.exp(x[xo + j] - shift);
            }
            DoubleLoops.scale(y, yo, 1 / DoubleLoops.sum(y, yo, cols), cols);
        }
    }
}
