package dev.vecgrad.core.kernel.gemm;

import static dev.vecgrad.core.kernel.gemm.GemmFixture.randomF32;
import static dev.vecgrad.core.kernel.gemm.GemmFixture.toDouble;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The small-product path ({@link SmallSgemm}, {@link SmallDgemm}) against the plain reference loop
 * bit for bit (both are one FMA chain per element, p in order): every row remainder of its 6-row
 * tile, every width of its 4-, 2- and 1-vector tiles and the partial last vector, every transposed
 * form, offsets and row strides larger than the operand's width, B read in place and copied, row
 * blocks walked from the first or from the last; its gate and in-place rule computed from the
 * caches; and one against two threads through {@link Gemm}.
 */
@ExtendWith(GemmFixture.class)
class SmallGemmTest {
    /**
     * Every odd size 1..79 as m and as n (the other drawn from the same sizes), K from 1 to the
     * deepest taken, the four transposed forms in turn, overwrite and accumulate, random offsets
     * and strides: the reference loop's bits in f32 and f64.
     */
    @Test
    void oddSizesGiveTheReferenceLoopsBits() {
        Random rnd = new Random(41);
        int[] ks = {1, 2, 7, 16, 33, 64, Math.min(SmallSgemm.MAX_K, SmallDgemm.MAX_K)};
        int trial = 0;
        for (int s = 1; s < 80; s += 2) {
            for (boolean sizeIsM : new boolean[] {true, false}) {
                int other = 1 + 2 * rnd.nextInt(40);
                int m = sizeIsM ? s : other;
                int n = sizeIsM ? other : s;
                int k = ks[rnd.nextInt(ks.length)];
                boolean tb = (trial & 2) != 0;
                int ldb = (tb ? k : n) + rnd.nextInt(4);
                boolean acc = rnd.nextBoolean();
                checkF32(m, n, k, (trial & 1) != 0, tb, acc, ldb, rnd);
                checkF64(m, n, k, (trial & 1) != 0, tb, acc, ldb, rnd);
                trial++;
            }
        }
    }

    /**
     * B's row stride decides whether its panel is read in place: strides with a large power-of-two
     * factor (a whole way of L1 apart) and plain ones, at the deepest K taken and at shallow ones,
     * each tile width, give the reference loop's bits.
     */
    @Test
    void bReadInPlaceOrCopiedGivesTheReferenceLoopsBits() {
        Random rnd = new Random(43);
        int way = CpuCaches.DETECTED.l1Bytes() / CpuCaches.DETECTED.l1Ways();
        for (int n : new int[] {SmallSgemm.NR, 2 * SmallSgemm.NR + SmallSgemm.LANES, SmallSgemm.NR + 3}) {
            for (int ldb : new int[] {n, n + 1, 2 * SmallSgemm.NR, 4 * SmallSgemm.NR, way / Float.BYTES,
                way / Float.BYTES + SmallSgemm.LANES}) {
                if (ldb < n) {
                    continue;
                }
                for (int k : new int[] {3, SmallSgemm.MAX_K / 4, SmallSgemm.MAX_K}) {
                    for (boolean ta : new boolean[] {false, true}) {
                        checkF32(23, n, k, ta, false, rnd.nextBoolean(), ldb, rnd);
                    }
                }
            }
        }
    }

    /** The in-place rule: contiguous panel rows spread over every set; rows a way apart share a few. */
    @Test
    void inPlaceFollowsTheStridesPowerOfTwo() {
        int way = CpuCaches.DETECTED.l1Bytes() / CpuCaches.DETECTED.l1Ways();
        int maxK = SmallSgemm.MAX_K;
        assertThat(SmallSgemm.inPlace(maxK, SmallSgemm.NR)).isTrue();
        assertThat(SmallSgemm.inPlace(maxK, SmallSgemm.NR + 1)).isTrue();
        assertThat(SmallSgemm.inPlace(maxK, 2 * SmallSgemm.NR)).isFalse();
        assertThat(SmallSgemm.inPlace(maxK / 2, 2 * SmallSgemm.NR)).isTrue();
        assertThat(SmallSgemm.inPlace(maxK, way / Float.BYTES)).isFalse();
        int rowsPerWay = way / (SmallSgemm.NR * Float.BYTES);
        assertThat(SmallSgemm.inPlace(maxK / rowsPerWay, way / Float.BYTES)).isTrue();
        assertThat(SmallSgemm.inPlace(maxK / rowsPerWay + 1, 2 * way / Float.BYTES)).isFalse();
    }

    /** The gate comes from the caches: the B panel in L1 less two ways, the operands in a quarter of L2. */
    @Test
    void gateFollowsTheCaches() {
        CpuCaches caches = new CpuCaches(48 << 10, 12, 2 << 20, 64);
        assertThat(SmallSgemm.maxK(caches, Float.BYTES)).isEqualTo((40 << 10) / (SmallSgemm.NR * Float.BYTES));
        assertThat(SmallDgemm.maxK(caches, Double.BYTES)).isEqualTo((40 << 10) / (SmallDgemm.NR * Double.BYTES));
        assertThat(SmallSgemm.maxK(CpuCaches.FALLBACK, Float.BYTES))
                .isEqualTo((24 << 10) / (SmallSgemm.NR * Float.BYTES));
        assertThat(SmallSgemm.MAX_BYTES).isEqualTo(CpuCaches.DETECTED.l2Bytes() / 4);
        assertThat(SmallSgemm.suits(1, 1, SmallSgemm.MAX_K)).isTrue();
        assertThat(SmallSgemm.suits(1, 1, SmallSgemm.MAX_K + 1)).isFalse();
        int side = (int) Math.sqrt(SmallSgemm.MAX_BYTES / Float.BYTES);
        assertThat(SmallSgemm.suits(side + 1, side + 1, 1)).isFalse();
        assertThat(SmallSgemm.suits(side / 2, side / 2, 1)).isTrue();
    }

    /**
     * One thread against two through {@link Gemm}, bit for bit: a product the small path takes
     * whole, and one it takes only as the two threads' halves (the whole runs blocked), each in the
     * four transposed forms.
     */
    @Test
    void oneAndTwoThreadsGiveTheSameBits() {
        int k = Math.min(64, SmallSgemm.MAX_K);
        int n = 96;
        int whole = 1;
        while (SmallSgemm.suits(whole, n, k)) {
            whole++;
        }
        int[][] shapes = {{256, 192, k}, {whole + 5, n, k}};
        assertThat(SmallSgemm.suits(256, 192, k)).isTrue();
        assertThat(SmallSgemm.suits(shapes[1][0], n, k)).isFalse();
        assertThat(SmallSgemm.suits(shapes[1][0] / 2, n, k)).isTrue();
        for (int[] s : shapes) {
            GemmFixture.assertOneAndTwoThreadsGiveTheSameBits(s[0], s[1], s[2], s[0]);
        }
    }

    private static void checkF32(int m, int n, int k, boolean ta, boolean tb, boolean acc, int ldb, Random rnd) {
        int aOff = rnd.nextInt(5);
        int lda = (ta ? m : k) + rnd.nextInt(4);
        int bOff = rnd.nextInt(5);
        int cOff = rnd.nextInt(5);
        int ldc = n + rnd.nextInt(4);
        float[] a = randomF32(aOff + (ta ? k : m) * lda, rnd);
        float[] b = randomF32(bOff + (tb ? n : k) * ldb, rnd);
        float[] loop = randomF32(cOff + m * ldc, rnd);
        float[] small = loop.clone();
        Gemm.referenceF32(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, loop, cOff, ldc, acc);
        SmallSgemm.gemm(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, small, cOff, ldc, acc, SmallSgemm.buffers(),
                rnd.nextBoolean());
        assertThat(small).as("f32 m=%d n=%d k=%d transA=%s transB=%s accumulate=%s lda=%d ldb=%d ldc=%d", m, n, k, ta,
                tb, acc, lda, ldb, ldc).containsExactly(loop);
    }

    private static void checkF64(int m, int n, int k, boolean ta, boolean tb, boolean acc, int ldb, Random rnd) {
        int aOff = rnd.nextInt(5);
        int lda = (ta ? m : k) + rnd.nextInt(4);
        int bOff = rnd.nextInt(5);
        int cOff = rnd.nextInt(5);
        int ldc = n + rnd.nextInt(4);
        double[] a = toDouble(randomF32(aOff + (ta ? k : m) * lda, rnd));
        double[] b = toDouble(randomF32(bOff + (tb ? n : k) * ldb, rnd));
        double[] loop = toDouble(randomF32(cOff + m * ldc, rnd));
        double[] small = loop.clone();
        Gemm.referenceF64(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, loop, cOff, ldc, acc);
        SmallDgemm.gemm(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, small, cOff, ldc, acc, SmallDgemm.buffers(),
                rnd.nextBoolean());
        assertThat(small).as("f64 m=%d n=%d k=%d transA=%s transB=%s accumulate=%s lda=%d ldb=%d ldc=%d", m, n, k, ta,
                tb, acc, lda, ldb, ldc).containsExactly(loop);
    }
}
