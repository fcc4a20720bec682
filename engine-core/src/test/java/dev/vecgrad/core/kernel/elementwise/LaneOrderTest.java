package dev.vecgrad.core.kernel.elementwise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.kernel.KernelInputs;
import dev.vecgrad.core.ops.Primitives;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The SIMD sum adds in the order {@code FloatLoops} documents, bit for bit: four lane-wise
 * accumulators over blocks of four vectors, then the first accumulator over the remaining whole
 * vectors, the four combined lane-wise as {@code (a0 + a1) + (a2 + a3)}, their lanes added from
 * lane 0 up onto 0, then the tail one element at a time. The scalar code below follows that order
 * for any lane count, so it checks the kernel on this machine's vector shape.
 */
class LaneOrderTest {
    private static final VectorKernels VEC = new VectorKernels();

    @Test
    void theF32SumAddsInItsDocumentedOrder() {
        int lanes = FloatLoops.L;
        int differsFromLeftToRight = 0;
        for (int n : sizes(lanes)) {
            float[] x = KernelInputs.f32(spread(n + 3, n));
            double[] exact = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                exact[i] = x[i];
            }
            float expected = (float) documentedOrder(exact, 3, n, lanes, v -> (float) v);
            float actual = VEC.reduce(Primitives.SUM, x, 3, n);
            assertThat(Float.floatToRawIntBits(actual)).as("f32 sum n=%d: %s vs %s", n, actual, expected)
                    .isEqualTo(Float.floatToRawIntBits(expected));
            float leftToRight = 0;
            for (int i = 0; i < n; i++) {
                leftToRight += x[3 + i];
            }
            differsFromLeftToRight += leftToRight != expected ? 1 : 0;
        }
        // The inputs span many binades, so the order shows in the last bits: the check can fail.
        assertThat(differsFromLeftToRight).isPositive();
    }

    @Test
    void theF64SumAddsInItsDocumentedOrder() {
        int lanes = DoubleLoops.L;
        for (int n : sizes(lanes)) {
            double[] x = spread(n + 1, n);
            double expected = documentedOrder(x, 1, n, lanes, v -> v);
            double actual = VEC.reduce(Primitives.SUM, x, 1, n);
            assertThat(Double.doubleToRawLongBits(actual)).as("f64 sum n=%d: %s vs %s", n, actual, expected)
                    .isEqualTo(Double.doubleToRawLongBits(expected));
        }
    }

    /** Every size up to six blocks of four vectors and a few over, so every tail and loop mix is hit. */
    private static List<Integer> sizes(int lanes) {
        List<Integer> sizes = new ArrayList<>();
        for (int n = 0; n <= 24 * lanes + 3; n++) {
            sizes.add(n);
        }
        sizes.addAll(List.of(1000, 4099, 65_537));
        return sizes;
    }

    /** n values of both signs whose magnitudes span 2^-20 to 2^20, so that reordering changes the sum. */
    private static double[] spread(int length, long seed) {
        double[] u = KernelInputs.uniform(length, seed, -1, 1);
        double[] e = KernelInputs.uniform(length, seed + 7, -20, 20);
        double[] x = new double[length];
        for (int i = 0; i < length; i++) {
            x[i] = Math.scalb(u[i], (int) e[i]);
        }
        return x;
    }

    /**
     * The sum in the documented order, each addition rounded by {@code round}: to float for the F32
     * kernel (a float sum computed in double and rounded to float is the float sum, as double holds
     * more than twice float's precision), unchanged for the F64 one.
     */
    private static double documentedOrder(double[] x, int off, int n, int lanes, DoubleUnaryOperator round) {
        double[][] acc = new double[4][lanes];
        int i = 0;
        for (int bound = n - n % (4 * lanes); i < bound; i += 4 * lanes) {
            for (int a = 0; a < 4; a++) {
                for (int j = 0; j < lanes; j++) {
                    acc[a][j] = round.applyAsDouble(acc[a][j] + x[off + i + a * lanes + j]);
                }
            }
        }
        for (int bound = n - n % lanes; i < bound; i += lanes) {
            for (int j = 0; j < lanes; j++) {
                acc[0][j] = round.applyAsDouble(acc[0][j] + x[off + i + j]);
            }
        }
        double sum = 0;
        for (int j = 0; j < lanes; j++) {
            double pair01 = round.applyAsDouble(acc[0][j] + acc[1][j]);
            double pair23 = round.applyAsDouble(acc[2][j] + acc[3][j]);
            sum = round.applyAsDouble(sum + round.applyAsDouble(pair01 + pair23));
        }
        for (; i < n; i++) {
            sum = round.applyAsDouble(sum + x[off + i]);
        }
        return sum;
    }
}
