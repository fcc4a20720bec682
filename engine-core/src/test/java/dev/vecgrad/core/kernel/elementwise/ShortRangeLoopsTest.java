package dev.vecgrad.core.kernel.elementwise;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The plain loops that {@link FloatLoops} and {@link DoubleLoops} run on ranges shorter than
 * {@code SHORT} give the bits of the vector loops: an elementwise result does not depend on the
 * lanes around it, so the first {@code n} outputs of a call long enough for the vector loop are
 * what a short call must produce; the short sum is checked against the vector sum at lengths where
 * both can run, with values of mixed magnitude, where any change of order shows.
 */
class ShortRangeLoopsTest {
    private static final SplittableRandom RNG = new SplittableRandom(42);

    /** A binary loop over F32 ranges. */
    private interface F32Op {
        void run(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n);
    }

    /** A binary loop over F64 ranges. */
    private interface F64Op {
        void run(double[] a, int ao, double[] b, int bo, double[] y, int yo, int n);
    }

    @Test
    void shortElementwiseCallsMatchTheVectorLoopsBitForBit() {
        int long32 = FloatLoops.SHORT + 3 * FloatLoops.L + 5;
        int long64 = DoubleLoops.SHORT + 3 * DoubleLoops.L + 5;
        F32Op[] f32 = {FloatLoops::add, FloatLoops::sub, FloatLoops::mul, FloatLoops::div, FloatLoops::eq};
        F64Op[] f64 = {DoubleLoops::add, DoubleLoops::sub, DoubleLoops::mul, DoubleLoops::div, DoubleLoops::eq};
        for (int k = 0; k < f32.length; k++) {
            float[] a = floats(long32 + 2);
            float[] b = floats(long32 + 2);
            b[5] = a[6]; // an equal pair for eq, at the offsets used below
            b[9] = Float.NaN;
            float[] full = new float[long32];
            f32[k].run(a, 1, b, 0, full, 0, long32);
            for (int n : new int[] {1, FloatLoops.L - 1, FloatLoops.L + 1, 4 * FloatLoops.L + 3, FloatLoops.SHORT - 1}) {
                float[] y = new float[n + 2];
                f32[k].run(a, 1, b, 0, y, 2, n);
                for (int i = 0; i < n; i++) {
                    assertThat(Float.floatToRawIntBits(y[2 + i])).as("F32 op %d, n %d, element %d", k, n, i)
                            .isEqualTo(Float.floatToRawIntBits(full[i]));
                }
            }
            double[] c = doubles(long64 + 2);
            double[] d = doubles(long64 + 2);
            d[5] = c[6];
            d[9] = Double.NaN;
            double[] full64 = new double[long64];
            f64[k].run(c, 1, d, 0, full64, 0, long64);
            for (int n : new int[] {1, DoubleLoops.L + 1, 4 * DoubleLoops.L + 3, DoubleLoops.SHORT - 1}) {
                double[] y = new double[n + 2];
                f64[k].run(c, 1, d, 0, y, 2, n);
                for (int i = 0; i < n; i++) {
                    assertThat(Double.doubleToRawLongBits(y[2 + i])).as("F64 op %d, n %d, element %d", k, n, i)
                            .isEqualTo(Double.doubleToRawLongBits(full64[i]));
                }
            }
        }
    }

    @Test
    void theShortSumAddsInTheVectorSumsOrder() {
        for (int n : new int[] {FloatLoops.SHORT, FloatLoops.SHORT + 1, FloatLoops.SHORT + FloatLoops.L + 3,
                FloatLoops.SHORT + 4 * FloatLoops.L + 2 * FloatLoops.L + 7}) {
            float[] x = floats(n + 3);
            assertThat(Float.floatToRawIntBits(FloatLoops.shortSum(x, 3, n))).as("F32 sum of %d", n)
                    .isEqualTo(Float.floatToRawIntBits(FloatLoops.sum(x, 3, n)));
        }
        for (int n : new int[] {DoubleLoops.SHORT, DoubleLoops.SHORT + DoubleLoops.L + 3,
                DoubleLoops.SHORT + 6 * DoubleLoops.L + 7}) {
            double[] x = doubles(n + 3);
            assertThat(Double.doubleToRawLongBits(DoubleLoops.shortSum(x, 3, n))).as("F64 sum of %d", n)
                    .isEqualTo(Double.doubleToRawLongBits(DoubleLoops.sum(x, 3, n)));
        }
        // Short sums are sums: within rounding of a double loop.
        float[] x = floats(FloatLoops.SHORT - 1);
        double exact = 0;
        double magnitude = 0;
        for (float v : x) {
            exact += v;
            magnitude += Math.abs(v);
        }
        assertThat((double) FloatLoops.sum(x, 0, x.length)).isCloseTo(exact, org.assertj.core.data.Offset.offset(
                magnitude * x.length * Math.ulp(1f)));
    }

    /** Values spread over six orders of magnitude, both signs, so that the order of additions matters. */
    private static float[] floats(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((RNG.nextBoolean() ? 1 : -1) * Math.pow(10, RNG.nextDouble(-3, 3)));
        }
        return v;
    }

    private static double[] doubles(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (RNG.nextBoolean() ? 1 : -1) * Math.pow(10, RNG.nextDouble(-3, 3)) * (1 + 1e-9 * i);
        }
        return v;
    }
}
