package dev.vecgrad.core.kernel.elementwise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.ops.Primitives;
import dev.vecgrad.core.ops.Unary;
import java.util.Arrays;
import java.util.function.DoublePredicate;
import org.junit.jupiter.api.Test;

/**
 * Measures the SIMD transcendental functions against {@link Math} / {@link MathRef} in f64 over
 * dense grids (every 1021st F32 bit pattern, so all magnitudes of both signs, plus a 1e-4 grid on
 * [-12, 12]) and checks the bounds stated in {@link VectorKernels}'s documentation. Each grid runs
 * several times so that the JIT-compiled loops (which use the JDK's vector math library) are
 * measured as well as the first, interpreted, passes.
 */
class VectorAccuracyTest {
    private static final VectorKernels VEC = new VectorKernels();
    private static final int PASSES = 3;

    /** F32 inputs in [lo, hi]: every 1021st bit pattern plus a fine grid on [-12, 12]. */
    private static float[] f32Grid(double lo, double hi) {
        float[] out = new float[(int) ((1L << 32) / 1021) + 240_002];
        int n = 0;
        for (long b = 0; b < (1L << 32); b += 1021) {
            float f = Float.intBitsToFloat((int) b);
            if (f >= lo && f <= hi) {
                out[n++] = f;
            }
        }
        for (int i = -120_000; i <= 120_000; i++) {
            float f = (float) (i * 1e-4);
            if (f >= lo && f <= hi) {
                out[n++] = f;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** F64 inputs in [lo, hi]: a 1e-4 grid on [-40, 40] and 200k log-spaced magnitudes of both signs. */
    private static double[] f64Grid(double lo, double hi) {
        double[] out = new double[800_001 + 400_000];
        int n = 0;
        for (int i = -400_000; i <= 400_000; i++) {
            double x = i * 1e-4 + 1e-9 * (i % 7);
            if (x >= lo && x <= hi) {
                out[n++] = x;
            }
        }
        for (int i = 0; i < 200_000; i++) {
            double m = Math.pow(10, -300 + 608.0 * i / 200_000);
            for (double x : new double[] {m, -m}) {
                if (x >= lo && x <= hi) {
                    out[n++] = x;
                }
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The largest error of {@code op} over {@code x}: [max ulp, max relative (where counted), max |err|/max(1,|x|)]. */
    private static double[] f32Errors(Unary op, float[] x, DoublePredicate relCounted) {
        float[] y = new float[x.length];
        double[] worst = new double[3];
        for (int pass = 0; pass < PASSES; pass++) {
            VEC.unary(op, x, 0, 1, y, 0, x.length);
            for (int i = 0; i < x.length; i++) {
                double ref = op.reference(x[i]);
                if (Double.isNaN(ref)) {
                    assertThat(y[i]).as("%s(%s)", op, x[i]).isNaN();
                    continue;
                }
                if (Float.isInfinite((float) ref)) {
                    assertThat(y[i]).as("%s(%s)", op, x[i]).isEqualTo((float) ref);
                    continue;
                }
                double err = Math.abs(y[i] - ref);
                if (err == 0) {
                    continue;
                }
                worst[0] = Math.max(worst[0], err / Math.ulp((float) ref));
                if (relCounted.test(x[i]) && Math.abs(ref) >= Float.MIN_NORMAL) {
                    worst[1] = Math.max(worst[1], err / Math.abs(ref));
                }
                worst[2] = Math.max(worst[2], err / Math.max(1, Math.abs(x[i])));
            }
        }
        System.out.printf("f32 %-9s over %,d inputs: max %.3f ulp, max relative %.3g, max |err|/max(1,|x|) %.3g%n", op,
                x.length, worst[0], worst[1], worst[2]);
        return worst;
    }

    private static double[] f64Errors(Unary op, double[] x, DoublePredicate relCounted) {
        double[] y = new double[x.length];
        double[] worst = new double[3];
        for (int pass = 0; pass < PASSES; pass++) {
            VEC.unary(op, x, 0, 1, y, 0, x.length);
            for (int i = 0; i < x.length; i++) {
                double ref = op.reference(x[i]);
                if (Double.isNaN(ref)) {
                    assertThat(y[i]).as("%s(%s)", op, x[i]).isNaN();
                    continue;
                }
                if (Double.isInfinite(ref)) {
                    assertThat(y[i]).as("%s(%s)", op, x[i]).isEqualTo(ref);
                    continue;
                }
                double err = Math.abs(y[i] - ref);
                if (err == 0) {
                    continue;
                }
                worst[0] = Math.max(worst[0], err / Math.ulp(ref));
                if (relCounted.test(x[i]) && Math.abs(ref) >= Double.MIN_NORMAL) {
                    worst[1] = Math.max(worst[1], err / Math.abs(ref));
                }
                worst[2] = Math.max(worst[2], err / Math.max(1, Math.abs(x[i])));
            }
        }
        System.out.printf("f64 %-9s over %,d inputs: max %.3f ulp, max relative %.3g, max |err|/max(1,|x|) %.3g%n", op,
                x.length, worst[0], worst[1], worst[2]);
        return worst;
    }

    @Test
    void f32ExpLogTanhAreWithinOneUlp() {
        assertThat(f32Errors(Primitives.EXP, f32Grid(-104, 89), x -> true)[0]).isLessThanOrEqualTo(1);
        assertThat(f32Errors(Primitives.LOG, f32Grid(0, Float.MAX_VALUE), x -> true)[0]).isLessThanOrEqualTo(1);
        assertThat(f32Errors(Primitives.TANH, f32Grid(-Float.MAX_VALUE, Float.MAX_VALUE), x -> true)[0]).isLessThanOrEqualTo(1);
    }

    @Test
    void f32SigmoidIsWithinTwoAndAHalfUlps() {
        assertThat(f32Errors(Primitives.SIGMOID, f32Grid(-Float.MAX_VALUE, Float.MAX_VALUE), x -> true)[0])
                .isLessThanOrEqualTo(2.5);
    }

    @Test
    void f32GeluTanhKeepsItsRelativeAccuracy() {
        float[] grid = f32Grid(-Float.MAX_VALUE, Float.MAX_VALUE);
        assertThat(f32Errors(Primitives.GELU_TANH, grid, x -> x >= -3)[1]).as("relative error for x >= -3").isLessThanOrEqualTo(1e-6);
        assertThat(f32Errors(Primitives.GELU_TANH, grid, x -> true)[1]).as("relative error, normal results").isLessThanOrEqualTo(2.5e-5);
    }

    @Test
    void f32GeluErfAndErfAreWithinTheirAbsoluteBounds() {
        float[] grid = f32Grid(-Float.MAX_VALUE, Float.MAX_VALUE);
        assertThat(f32Errors(Primitives.ERF, grid, x -> true)[2]).isLessThanOrEqualTo(2e-7);
        assertThat(f32Errors(Primitives.GELU_ERF, grid, x -> x >= -1)[2]).isLessThanOrEqualTo(2e-7);
    }

    @Test
    void f32OtherTranscendentalsAreWithinTheirBounds() {
        assertThat(f32Errors(Primitives.EXPM1, f32Grid(-Float.MAX_VALUE, 88), x -> true)[0]).isLessThanOrEqualTo(1);
        assertThat(f32Errors(Primitives.LOG1P, f32Grid(-1, Float.MAX_VALUE), x -> true)[0]).isLessThanOrEqualTo(1);
        assertThat(f32Errors(Primitives.SIN, f32Grid(-1e4, 1e4), x -> true)[0]).isLessThanOrEqualTo(1);
        assertThat(f32Errors(Primitives.COS, f32Grid(-1e4, 1e4), x -> true)[0]).isLessThanOrEqualTo(1);
        assertThat(f32Errors(Primitives.SOFTPLUS, f32Grid(-Float.MAX_VALUE, Float.MAX_VALUE), x -> true)[0]).isLessThanOrEqualTo(2);
        assertThat(f32Errors(Primitives.RSQRT, f32Grid(0, Float.MAX_VALUE), x -> true)[0]).isLessThanOrEqualTo(2);
    }

    @Test
    void f64TranscendentalsAreWithinTheirBounds() {
        assertThat(f64Errors(Primitives.EXP, f64Grid(-745, 709), x -> true)[0]).isLessThanOrEqualTo(4);
        assertThat(f64Errors(Primitives.LOG, f64Grid(0, Double.MAX_VALUE), x -> true)[0]).isLessThanOrEqualTo(4);
        assertThat(f64Errors(Primitives.TANH, f64Grid(-Double.MAX_VALUE, Double.MAX_VALUE), x -> true)[0]).isLessThanOrEqualTo(4);
        assertThat(f64Errors(Primitives.SIGMOID, f64Grid(-Double.MAX_VALUE, Double.MAX_VALUE), x -> true)[0]).isLessThanOrEqualTo(4);
        assertThat(f64Errors(Primitives.GELU_TANH, f64Grid(-Double.MAX_VALUE, Double.MAX_VALUE), x -> true)[1])
                .isLessThanOrEqualTo(1e-12);
    }
}
