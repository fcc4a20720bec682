package dev.vecgrad.core.kernel.elementwise;

/**
 * Scalar definitions of the functions the JDK's {@link Math} lacks (erf, GELU, softplus,
 * sigmoid), accurate to a few ulps in double. They are the reference the SIMD kernels are tested
 * against.
 */
public final class MathRef {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    private static final double SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double INV_SQRT_TWO = 1 / Math.sqrt(2);

    private MathRef() {
    }

    /**
     * The error function. For |x| &lt; 2.5 the series {@code erf x = 2/√π e^{-x²} Σ 2ⁿ x^{2n+1} / (2n+1)!!},
     * whose terms are all positive (no cancellation); beyond, 1 - erfc x with erfc from its
     * continued fraction (Lentz's method). Both are accurate to about 1e-16.
     */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double ax = Math.abs(x);
        if (ax > 6) {
            return Math.copySign(1.0, x);
        }
        if (ax < 2.5) {
            double term = ax;
            double sum = ax;
            double x2 = ax * ax;
            for (int n = 1; n < 200; n++) {
                term *= 2 * x2 / (2 * n + 1);
                sum += term;
                if (term < 1e-17 * sum) {
                    break;
                }
            }
            return Math.copySign(TWO_OVER_SQRT_PI * Math.exp(-x2) * sum, x);
        }
        return Math.copySign(1 - erfcLarge(ax), x);
    }

    /** erfc(x) for x >= 2.5 by the continued fraction e^{-x²}/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))). */
    private static double erfcLarge(double x) {
        // Modified Lentz evaluation of K = x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))).
        double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int n = 1; n < 500; n++) {
            double an = n / 2.0;
            d = x + an * d;
            d = d == 0 ? tiny : d;
            c = x + an / c;
            c = c == 0 ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }

    /** 1 / (1 + e^-x), without overflow for large |x|. */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /** ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|), stable for large |x|. */
    public static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /**
     * GELU with the tanh approximation, 0.5x(1 + tanh z) with z = √(2/π)(x + 0.044715x³),
     * evaluated as x·sigmoid(2z): the same function (1 + tanh z = 2·sigmoid(2z)), without the
     * cancellation that 1 + tanh z suffers for negative x.
     */
    public static double geluTanh(double x) {
        return x * sigmoid(2 * SQRT_TWO_OVER_PI * (x + 0.044715 * x * x * x));
    }

    /** Exact GELU: x·Φ(x) = 0.5x(1 + erf(x/√2)). */
    public static double geluErf(double x) {
        return 0.5 * x * (1 + erf(x * INV_SQRT_TWO));
    }
}
