package dev.vecgrad.core.kernel.conv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.kernel.gemm.Gemm;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link UnpackedSgemm} against a plain triple loop, on tile, panel and K-block edges. */
class UnpackedSgemmTest {

    /**
     * Every element of C is the triple loop's FMA chain over p in order, bit for bit, with the tile
     * over an untransposed A run six rows at a time (32 vector registers) and in passes of two (16),
     * whichever this machine uses (a transposed A runs the six-row table-walking tile either way);
     * the padding around C is left alone.
     */
    @ParameterizedTest
    @ValueSource(ints = {6, 2})
    void matchesTheTripleLoopOnEveryEdge(int passRows) {
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
                    float[] expected = new float[m * n];
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            float s = accumulate ? c[2 + i * ldc + j] : 0;
                            for (int p = 0; p < k; p++) {
                                float aip = transA ? a[7 + p * lda + i] : a[7 + i * lda + p];
                                s = Math.fma(aip, b[5 + p * ldb + j], s);
                            }
                            expected[i * n + j] = s;
                        }
                    }
                    float[] before = c.clone();
                    UnpackedSgemm.gemm(transA, m, n, k, a, 7, lda, b, 5, ldb, c, 2, ldc, accumulate, passRows);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            assertThat(c[2 + i * ldc + j]).as("m=%d n=%d k=%d transA=%b acc=%b pass=%d at (%d, %d)",
                                    m, n, k, transA, accumulate, passRows, i, j).isEqualTo(expected[i * n + j]);
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

    /**
     * The tile's rows in flight follow the vector registers by the rule that picks GEMM's register
     * tile: six rows (24 accumulators + 4 B vectors + a broadcast) where there are 32, passes of two
     * (8 + 4 + 2) where there are 16; the K block is the one GEMM's rule gives for a panel of NR
     * columns, whose KC rows fill half of L1.
     */
    @Test
    void tileAndDepthBlockFollowTheMachine() {
        assertThat(UnpackedSgemm.passRows(32)).isEqualTo(UnpackedSgemm.MR);
        assertThat(UnpackedSgemm.passRows(16)).isEqualTo(2);
        for (int registers : new int[] {16, 32}) {
            int rows = UnpackedSgemm.passRows(registers);
            int broadcasts = registers == 16 ? rows : 1;
            assertThat(4 * rows + 4 + broadcasts).isLessThanOrEqualTo(registers);
            assertThat(UnpackedSgemm.MR % rows).isZero();
        }
        assertThat(UnpackedSgemm.PASS_ROWS).isEqualTo(UnpackedSgemm.passRows(Gemm.vectorRegisters()));
        assertThat(UnpackedSgemm.KC).isEqualTo(Gemm.depthBlock(Float.BYTES, UnpackedSgemm.NR));
        assertThat(UnpackedSgemm.KC % 8).isZero();
        assertThat(UnpackedSgemm.KC).isBetween(64, 512);
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
