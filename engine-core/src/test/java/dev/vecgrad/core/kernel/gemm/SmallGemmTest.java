package dev.vecgrad.core.kernel.gemm;

import static dev.vecgrad.core.kernel.gemm.GemmFixture.randomF32;
import static dev.vecgrad.core.kernel.gemm.GemmFixture.toDouble;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The small-product path ({@link SmallSgemm}, {@link SmallDgemm}) against the plain reference loop
 * bit for bit (both are one FMA chain per element, p in order), on each plan of register tiles
 * whatever this machine's: every row remainder of the 6-, 5- and 4-row tiles, every panel width
 * (4, 6, 2 and 1 vectors) and the partial last vector, every
 * transposed form, offsets and row strides larger than the operand's width, B read in place and
 * copied, row blocks walked from the first or from the last; its gate, panel widths and in-place
 * rule computed from the caches; and one against two threads through {@link Gemm}.
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
        for (String plan : PLANS) {
            int[] ks = {1, 2, 7, 16, 33, 64, deepest(plan)};
            int trial = 0;
            for (int s = 1; s < 80; s += 2) {
                for (boolean sizeIsM : new boolean[] {true, false}) {
                    int other = 1 + 2 * rnd.nextInt(40);
                    int m = sizeIsM ? s : other;
                    int n = sizeIsM ? other : s;
                    check(plan, m, n, ks[rnd.nextInt(ks.length)], trial, rnd);
                    trial++;
                }
            }
        }
    }

    /**
     * Every panel plan: widths around each number of vectors from 1 to 12 (whole 4- and 2-vector
     * panels, the 6-vector last panel for 5 to 8 vectors left, the 2- and 1-vector rests, a partial
     * last vector), every m from 1 to 80 (each row remainder of the 6-, 5- and 4-row tiles), the
     * four transposed forms, K up to the deepest taken and both sides of the 6-vector panel's
     * depth: the reference loop's bits in f32 and f64, on each plan.
     */
    @Test
    void everyPanelWidthGivesTheReferenceLoopsBits() {
        Random rnd = new Random(53);
        int wideK = Math.min(SmallSgemm.maxK(SmallSgemm.PANEL_BYTES, 6, Float.BYTES),
                SmallDgemm.maxK(SmallDgemm.PANEL_BYTES, 6, Double.BYTES));
        for (String plan : PLANS) {
            int deepest = deepest(plan);
            int[] ks = {1, 5, 32, Math.min(wideK, deepest), Math.min(wideK + 1, deepest), deepest};
            int lanes = SmallSgemm.LANES;
            int trial = 0;
            for (int vectors = 1; vectors <= 12; vectors++) {
                for (int n : new int[] {vectors * lanes - 1, vectors * lanes, vectors * lanes + 1}) {
                    int m = 1 + trial % 80;
                    check(plan, m, n, ks[trial % ks.length], trial, rnd);
                    trial++;
                }
            }
            for (int m = 1; m <= 80; m++, trial++) {
                check(plan, m, 6 * lanes, ks[trial % ks.length], trial, rnd);
            }
        }
    }

    /**
     * B's row stride decides whether its panel is read in place: strides with a large power-of-two
     * factor (a whole way of L1 apart) and plain ones, at the deepest K taken and at shallow ones,
     * each panel width, give the reference loop's bits.
     */
    @Test
    void bReadInPlaceOrCopiedGivesTheReferenceLoopsBits() {
        Random rnd = new Random(43);
        int way = CpuCaches.DETECTED.l1Bytes() / CpuCaches.DETECTED.l1Ways();
        int nr = SmallSgemm.NR;
        int lanes = SmallSgemm.LANES;
        for (int n : new int[] {nr, 6 * lanes, 2 * nr + lanes, nr + 3}) {
            for (int ldb : new int[] {n, n + 1, 2 * nr, 4 * nr, way / Float.BYTES, way / Float.BYTES + lanes}) {
                if (ldb < n) {
                    continue;
                }
                for (String plan : PLANS) {
                    int maxK = SmallSgemm.Plan.valueOf(plan).maxK();
                    for (int k : new int[] {3, maxK / 4, maxK}) {
                        for (boolean ta : new boolean[] {false, true}) {
                            checkF32(plan, 23, n, k, ta, false, rnd.nextBoolean(), ldb, rnd);
                        }
                    }
                }
            }
        }
    }

    /** The in-place rule: contiguous panel rows spread over every set; rows a way apart share a few. */
    @Test
    void inPlaceFollowsTheStridesPowerOfTwo() {
        int way = CpuCaches.DETECTED.l1Bytes() / CpuCaches.DETECTED.l1Ways();
        int nr = SmallSgemm.NR;
        int maxK = SmallSgemm.PANEL_BYTES / (nr * Float.BYTES);
        assertThat(SmallSgemm.inPlace(maxK, nr, nr)).isTrue();
        assertThat(SmallSgemm.inPlace(maxK, nr + 1, nr)).isTrue();
        assertThat(SmallSgemm.inPlace(maxK + 1, nr, nr)).isFalse();
        assertThat(SmallSgemm.inPlace(maxK, 2 * nr, nr)).isFalse();
        assertThat(SmallSgemm.inPlace(maxK / 2, 2 * nr, nr)).isTrue();
        assertThat(SmallSgemm.inPlace(maxK, way / Float.BYTES, nr)).isFalse();
        int rowsPerWay = way / (nr * Float.BYTES);
        assertThat(SmallSgemm.inPlace(maxK / rowsPerWay, way / Float.BYTES, nr)).isTrue();
        assertThat(SmallSgemm.inPlace(maxK / rowsPerWay + 1, 2 * way / Float.BYTES, nr)).isFalse();
        int wide = 6 * SmallSgemm.LANES;
        int wideK = SmallSgemm.PANEL_BYTES / (wide * Float.BYTES);
        assertThat(SmallSgemm.inPlace(wideK, wide, wide)).isTrue();
        assertThat(SmallSgemm.inPlace(wideK + 1, wide, wide)).isFalse();
    }

    /**
     * The gate comes from the caches: the main panel of B in L1 less two ways, the operands in a
     * quarter of L2; the panels' widths from the columns left and the depth.
     */
    @Test
    void gateFollowsTheCaches() {
        CpuCaches caches = new CpuCaches(48 << 10, 12, 2 << 20, 64);
        assertThat(SmallSgemm.panelBytes(caches)).isEqualTo(40 << 10);
        assertThat(SmallSgemm.panelBytes(CpuCaches.FALLBACK)).isEqualTo(24 << 10);
        int lanes = SmallSgemm.LANES;
        assertThat(SmallSgemm.maxK(40 << 10, 4, Float.BYTES)).isEqualTo((40 << 10) / (4 * lanes * Float.BYTES));
        assertThat(SmallDgemm.maxK(40 << 10, 6, Double.BYTES))
                .isEqualTo((40 << 10) / (6 * SmallDgemm.LANES * Double.BYTES));
        assertThat(SmallSgemm.MAX_K).isEqualTo(SmallSgemm.maxK(SmallSgemm.PANEL_BYTES, SmallSgemm.PLAN.vectors,
                Float.BYTES));
        assertThat(SmallSgemm.Plan.FIVE_ROWS.maxK()).isEqualTo(SmallSgemm.maxK(SmallSgemm.PANEL_BYTES, 2, Float.BYTES));
        assertThat(SmallSgemm.PLAN).isEqualTo(VectorSgemm.REGISTERS >= 32 ? SmallSgemm.Plan.WIDE
                : SmallSgemm.Plan.FIVE_ROWS);
        assertThat(SmallSgemm.MAX_BYTES).isEqualTo(CpuCaches.DETECTED.l2Bytes() / 2);
        assertThat(SmallSgemm.suits(1, 1, SmallSgemm.MAX_K)).isTrue();
        assertThat(SmallSgemm.suits(1, 1, SmallSgemm.MAX_K + 1)).isFalse();
        int side = (int) Math.sqrt(SmallSgemm.MAX_BYTES / Float.BYTES);
        assertThat(SmallSgemm.suits(side + 1, side + 1, 1)).isFalse();
        assertThat(SmallSgemm.suits(side / 2, side / 2, 1)).isTrue();
        // A transposed A of up to half of L2 whatever B and C: 784 × 128 f32 (392 KiB) with a 1 MiB L2,
        // where K 128 is within MAX_K (an L1 of 48 KiB: 160; of 32 KiB: 96).
        long l2 = CpuCaches.DETECTED.l2Bytes();
        assertThat(SmallSgemm.takesTransposedA(784, 256, 128)).isEqualTo(l2 >= 2 * 392 * 1024 && 128 <= SmallSgemm.MAX_K);
        int k = SmallSgemm.MAX_K;
        int rows = (int) (l2 / 2 / Float.BYTES / k);
        assertThat(SmallSgemm.takesTransposedA(rows, 8192, k)).isTrue();
        assertThat(SmallSgemm.takesTransposedA(rows + 1, 8192, k)).isFalse();
        assertThat(SmallSgemm.takesTransposedA(1, 1, k + 1)).isFalse();

        int wideK = SmallSgemm.maxK(SmallSgemm.PANEL_BYTES, 6, Float.BYTES);
        SmallSgemm.Plan widePlan = SmallSgemm.Plan.WIDE;
        assertThat(SmallSgemm.panelVectors(6 * lanes, wideK, widePlan)).isEqualTo(6);
        assertThat(SmallSgemm.panelVectors(5 * lanes + 1, wideK, widePlan)).isEqualTo(6);
        assertThat(SmallSgemm.panelVectors(8 * lanes - 1, wideK, widePlan)).isEqualTo(6);
        assertThat(SmallSgemm.panelVectors(6 * lanes, wideK + 1, widePlan)).isEqualTo(4);
        assertThat(SmallSgemm.panelVectors(5 * lanes, wideK, widePlan)).isEqualTo(4);
        assertThat(SmallSgemm.panelVectors(8 * lanes, wideK, widePlan)).isEqualTo(4);
        assertThat(SmallSgemm.panelVectors(2 * lanes, 1, widePlan)).isEqualTo(2);
        assertThat(SmallSgemm.panelVectors(lanes, 1, widePlan)).isEqualTo(1);
        SmallSgemm.Plan five = SmallSgemm.Plan.FIVE_ROWS;
        assertThat(SmallSgemm.panelVectors(6 * lanes, five.maxK(), five)).isEqualTo(2);
        assertThat(SmallSgemm.panelVectors(lanes + 1, five.maxK(), five)).isEqualTo(2);
        assertThat(SmallSgemm.panelVectors(lanes, five.maxK(), five)).isEqualTo(1);
        assertThat(SmallSgemm.panelVectors(1, five.maxK(), five)).isEqualTo(1);
    }

    /**
     * What the blocked kernel hands over: with 32 vector registers what {@link SmallSgemm#suits}
     * takes (and a transposed A's wider rule); with 16 only products at most
     * {@link SmallSgemm#NARROW_COLUMNS} wide of those, A transposed or not, and past one panel of B
     * only with A in an eighth of L2.
     */
    @Test
    void takesFollowsThePlan() {
        int k = Math.min(64, SmallSgemm.MAX_K);
        int wide = SmallSgemm.NARROW_COLUMNS + 1;
        boolean narrow = SmallSgemm.PLAN == SmallSgemm.Plan.FIVE_ROWS;
        for (boolean ta : new boolean[] {false, true}) {
            assertThat(SmallSgemm.takes(ta, 64, SmallSgemm.NARROW_COLUMNS, k)).isTrue();
            assertThat(SmallSgemm.takes(ta, 64, wide, k)).isEqualTo(!narrow);
            assertThat(SmallSgemm.takes(ta, 64, 8, SmallSgemm.MAX_K + 1)).isFalse();
            assertThat(SmallDgemm.takes(ta, 64, SmallDgemm.NARROW_COLUMNS, k)).isTrue();
            assertThat(SmallDgemm.takes(ta, 64, wide, k)).isEqualTo(SmallDgemm.PLAN == SmallDgemm.Plan.WIDE);
        }
        int tall = (int) (SmallSgemm.MAX_BYTES / Float.BYTES / k);
        assertThat(SmallSgemm.takes(false, tall, 8, k)).isFalse();
        if (narrow) {
            // Past one panel of B, A is read again for each: it must fit in an eighth of L2.
            int lanes = SmallSgemm.LANES;
            int rows = (int) (SmallSgemm.MAX_REREAD_BYTES / Float.BYTES / k);
            assertThat(SmallSgemm.takes(false, rows, 2 * lanes + 1, k)).isTrue();
            assertThat(SmallSgemm.takes(false, rows + 1, 2 * lanes + 1, k)).isFalse();
            assertThat(SmallSgemm.takes(false, rows + 1, 2 * lanes, k))
                    .isEqualTo(SmallSgemm.suits(rows + 1, 2 * lanes, k));
        }
    }

    /**
     * One thread against two through {@link Gemm}, bit for bit: a product the small path takes
     * whole, and one it takes only as the two threads' halves (the whole runs blocked), on a
     * machine with 32 vector registers; a product narrow enough for any plan; each in the four
     * transposed forms.
     */
    @Test
    void oneAndTwoThreadsGiveTheSameBits() {
        int k = Math.min(64, SmallSgemm.MAX_K);
        int n = 96;
        int whole = 1;
        while (SmallSgemm.suits(whole, n, k)) {
            whole++;
        }
        int taken = 256;
        while (!SmallSgemm.suits(taken, 192, k)) {
            taken -= 32;
        }
        // One panel of B wide (both plans), K 64: the two threads' halves of 1024 rows are taken
        // where half of L2 holds 164 KiB.
        int[][] shapes = {{taken, 192, k}, {whole + 5, n, k}, {1024, 2 * SmallSgemm.LANES, 64}};
        assertThat(SmallSgemm.suits(shapes[1][0], n, k)).isFalse();
        assertThat(SmallSgemm.suits(shapes[1][0] / 2, n, k)).isTrue();
        for (int[] s : shapes) {
            GemmFixture.assertOneAndTwoThreadsGiveTheSameBits(s[0], s[1], s[2], s[0]);
        }
    }

    /** The plans of register tiles, by name (each precision has its own {@code Plan}). */
    private static final String[] PLANS = {"WIDE", "FIVE_ROWS"};

    /** The deepest K both precisions take on {@code plan}. */
    private static int deepest(String plan) {
        return Math.min(SmallSgemm.Plan.valueOf(plan).maxK(), SmallDgemm.Plan.valueOf(plan).maxK());
    }

    /** f32 and f64 with the transposed form {@code trial} picks, random strides, overwrite or accumulate. */
    private static void check(String plan, int m, int n, int k, int trial, Random rnd) {
        boolean ta = (trial & 1) != 0;
        boolean tb = (trial & 2) != 0;
        int ldb = (tb ? k : n) + rnd.nextInt(4);
        boolean acc = rnd.nextBoolean();
        checkF32(plan, m, n, k, ta, tb, acc, ldb, rnd);
        checkF64(plan, m, n, k, ta, tb, acc, ldb, rnd);
    }

    private static void checkF32(String plan, int m, int n, int k, boolean ta, boolean tb, boolean acc, int ldb,
            Random rnd) {
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
                rnd.nextBoolean(), SmallSgemm.Plan.valueOf(plan));
        assertThat(small).as("f32 %s m=%d n=%d k=%d transA=%s transB=%s accumulate=%s lda=%d ldb=%d ldc=%d", plan, m, n,
                k, ta, tb, acc, lda, ldb, ldc).containsExactly(loop);
    }

    private static void checkF64(String plan, int m, int n, int k, boolean ta, boolean tb, boolean acc, int ldb,
            Random rnd) {
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
                rnd.nextBoolean(), SmallDgemm.Plan.valueOf(plan));
        assertThat(small).as("f64 %s m=%d n=%d k=%d transA=%s transB=%s accumulate=%s lda=%d ldb=%d ldc=%d", plan, m, n,
                k, ta, tb, acc, lda, ldb, ldc).containsExactly(loop);
    }
}
