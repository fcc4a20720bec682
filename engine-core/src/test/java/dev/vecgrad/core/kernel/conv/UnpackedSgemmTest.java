package dev.vecgrad.core.kernel.conv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link UnpackedSgemm} against a plain f64 triple loop, on tile, panel and K-block edges. */
class UnpackedSgemmTest {

    @Test
    void matchesTheTripleLoopOnEveryEdge() {
        int nr = UnpackedSgemm.NR;
        int kc = UnpackedSgemm.KC;
        int[] ms = {1, 5, 6, 7, 13, 37};
        int[] ns = {nr, nr + 1, 2 * nr - 1, 2 * nr, 2 * nr + 5, UnpackedSgemm.MAX_N};
        int[] ks = {1, 2, kc - 1, kc, kc + 1, 2 * kc + 3};
        SplittableRandom r = new SplittableRandom(5);
        int checked = 0;
        for (int m : ms) {
            for (int n : ns) {
                for (int k : ks) {
                    boolean transA = r.nextBoolean();
                    boolean accumulate = r.nextBoolean();
                    // Leading dimensions wider than the matrices and offsets, as views into bigger arrays.
                    int lda = (transA ? m : k) + 3;
                    int ldb = n + 2;
                    int ldc = n + 1;
                    float[] a = random(r, 7 + (transA ? k : m) * lda);
                    float[] b = random(r, 5 + k * ldb);
                    float[] c = random(r, 2 + m * ldc);
                    double[] expected = new double[m * n];
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double s = accumulate ? c[2 + i * ldc + j] : 0;
                            for (int p = 0; p < k; p++) {
                                double aip = transA ? a[7 + p * lda + i] : a[7 + i * lda + p];
                                s += aip * b[5 + p * ldb + j];
                            }
                            expected[i * n + j] = s;
                        }
                    }
                    float[] before = c.clone();
                    UnpackedSgemm.gemm(transA, m, n, k, a, 7, lda, b, 5, ldb, c, 2, ldc, accumulate);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double e = expected[i * n + j];
                            assertThat((double) c[2 + i * ldc + j]).as("m=%d n=%d k=%d transA=%b acc=%b at (%d, %d)",
                                    m, n, k, transA, accumulate, i, j).isCloseTo(e, org.assertj.core.data.Offset.offset(1e-5 * (1 + Math.sqrt(k))));
                        }
                        // The padding between rows of C is left alone.
                        for (int j = n; j < ldc && 2 + i * ldc + j < c.length; j++) {
                            assertThat(c[2 + i * ldc + j]).isEqualTo(before[2 + i * ldc + j]);
                        }
                    }
                    assertThat(c[0]).isEqualTo(before[0]);
                    assertThat(c[1]).isEqualTo(before[1]);
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(ms.length * ns.length * ks.length);
    }

    @Test
    void emptyDepthZeroesOrKeepsC() {
        float[] c = {1, 2, 3};
        UnpackedSgemm.gemm(false, 1, 3, 0, new float[0], 0, 0, new float[0], 0, 3, c, 0, 3, true);
        assertThat(c).containsExactly(1, 2, 3);
        UnpackedSgemm.gemm(false, 1, 3, 0, new float[0], 0, 0, new float[0], 0, 3, c, 0, 3, false);
        assertThat(c).containsExactly(0, 0, 0);
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextDouble(-1, 1);
        }
        return a;
    }
}
