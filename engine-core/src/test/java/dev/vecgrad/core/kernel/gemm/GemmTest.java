package dev.vecgrad.core.kernel.gemm;

import static dev.vecgrad.core.kernel.gemm.GemmFixture.randomF32;
import static dev.vecgrad.core.kernel.gemm.GemmFixture.randomF64;
import static dev.vecgrad.core.kernel.gemm.GemmFixture.toDouble;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vecgrad.core.Engine;
import dev.vecgrad.core.kernel.Backend;
import dev.vecgrad.core.kernel.Epilogue;
import dev.vecgrad.core.kernel.Kernels;
import dev.vecgrad.core.kernel.parallel.Parallel;
import dev.vecgrad.core.ops.Primitives;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Gemm} against a naive triple loop in f64, with an error bound per element from the
 * sum of |a·b| over k (the bound of a k-term FMA chain), on shapes where 1, 7, 33, 64, 65, 257
 * and 300 each appear as m, as n and as k; and against the plain reference loop bit for bit, with
 * this machine's block sizes and with small blocks that put every M, N and K block edge inside a
 * small product.
 */
@ExtendWith(GemmFixture.class)
class GemmTest {
    /**
     * The system property in which a test execution names the walk the machine's register tiles
     * take over the first block of C in {@link #machineBlocksPastOneBlockGiveTheReferenceLoopsBits}:
     * {@code columns} or {@code rows}; where it is unset, either.
     */
    static final String WALK_PROPERTY = "vecgrad.test.walk";

    private static final int[] SIZES = {1, 7, 33, 64, 65, 257, 300};

    /**
     * Two Latin-square rotations of SIZES: each size is m, n and k at least once each, and no
     * product is larger than 300·257·65.
     */
    static Stream<Arguments> shapes() {
        List<Arguments> out = new ArrayList<>();
        int s = SIZES.length;
        for (int i = 0; i < s; i++) {
            out.add(Arguments.of(SIZES[i], SIZES[(i + 1) % s], SIZES[(i + 3) % s]));
            out.add(Arguments.of(SIZES[i], SIZES[(i + 5) % s], SIZES[(i + 4) % s]));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "f32 m={0} n={1} k={2}")
    @MethodSource("shapes")
    void f32AllTransposesMatchNaiveLoop(int m, int n, int k) {
        Random rnd = new Random(31L * m + 7L * n + k);
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0;
            boolean tb = (t & 2) != 0;
            boolean acc = rnd.nextBoolean();
            Layout l = Layout.random(m, n, k, ta, tb, rnd);
            float[] a = randomF32(l.aLen(), rnd);
            float[] b = randomF32(l.bLen(), rnd);
            float[] c = randomF32(l.cLen(), rnd);
            float[] before = c.clone();
            Gemm.sgemm(Engine.get().backend(), ta, tb, m, n, k, a, l.aOff, l.lda, b, l.bOff, l.ldb, c, l.cOff, l.ldc,
                    acc);
            checkF32(l, ta, tb, acc, toDouble(a), toDouble(b), toDouble(before), c);
        }
    }

    @ParameterizedTest(name = "f64 m={0} n={1} k={2}")
    @MethodSource("shapes")
    void f64AllTransposesMatchNaiveLoop(int m, int n, int k) {
        Random rnd = new Random(17L * m + 5L * n + k);
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0;
            boolean tb = (t & 2) != 0;
            boolean acc = rnd.nextBoolean();
            Layout l = Layout.random(m, n, k, ta, tb, rnd);
            double[] a = randomF64(l.aLen(), rnd);
            double[] b = randomF64(l.bLen(), rnd);
            double[] c = randomF64(l.cLen(), rnd);
            double[] before = c.clone();
            Gemm.dgemm(Engine.get().backend(), ta, tb, m, n, k, a, l.aOff, l.lda, b, l.bOff, l.ldb, c, l.cOff, l.ldc,
                    acc);
            check(l, ta, tb, acc, a, b, before, c, 0x1p-53, "dgemm");
        }
    }

    @Test
    void elementsOutsideCAreLeftAlone() {
        Random rnd = new Random(3);
        Layout l = new Layout(65, 33, 7, 9, 70, 5, 40, 11, 50);
        float[] a = randomF32(l.aLen(), rnd);
        float[] b = randomF32(l.bLen(), rnd);
        float[] c = randomF32(l.cLen() + 13, rnd);
        float[] before = c.clone();
        Gemm.sgemm(Engine.get().backend(), false, false, 65, 33, 7, a, l.aOff, l.lda, b, l.bOff, l.ldb, c, l.cOff,
                l.ldc, false);
        for (int idx = 0; idx < c.length; idx++) {
            int rel = idx - l.cOff;
            boolean inside = rel >= 0 && rel / l.ldc < 65 && rel % l.ldc < 33;
            if (!inside) {
                assertThat(c[idx]).as("C[%d] outside the 65×33 block", idx).isEqualTo(before[idx]);
            }
        }
    }

    @Test
    void zeroKOverwritesOrKeepsC() {
        float[] c = {1, 2, 3, 4};
        Gemm.sgemm(Engine.get().backend(), false, false, 2, 2, 0, new float[0], 0, 1, new float[0], 0, 2, c, 0, 2,
                true);
        assertThat(c).containsExactly(1, 2, 3, 4);
        Gemm.sgemm(Engine.get().backend(), false, false, 2, 2, 0, new float[0], 0, 1, new float[0], 0, 2, c, 0, 2,
                false);
        assertThat(c).containsExactly(0, 0, 0, 0);
    }

    @Test
    void resultIsBitIdenticalForOneAndTwoThreads() {
        // Cut along M, along N at a whole tile, along N at half a tile (100×280: 144 + 136 columns),
        // the MLP layer's three products, a 512-class square with tails in M, N and K, and a product
        // just above the smallest that is split (cut along N into three vectors each, tails in M and K);
        // the forward product, and those of 192 rows and more, on the packed path run as a team
        // (teamRunsProductsOfManyRows).
        int[][] shapes = {{257, 300, 65}, {300, 257, 300}, {64, 300, 200}, {600, 33, 200}, {100, 280, 300},
            {128, 256, 784}, {784, 256, 128}, {128, 784, 256}, {515, 509, 300}, {100, 96, 112}};
        for (int[] s : shapes) {
            GemmFixture.assertOneAndTwoThreadsGiveTheSameBits(s[0], s[1], s[2], s[0] + s[1] + s[2]);
        }
    }

    @Test
    void splitCoversEveryElementOnceInWholeTilesAndVectors() {
        int[][] shapes = {{1000, 257, 65}, {100, 280, 300}, {128, 784, 256}, {515, 509, 300}};
        for (int[] shape : shapes) {
            int m = shape[0];
            int n = shape[1];
            for (int threads : new int[] {2, 3, 4}) {
                Gemm.Split s = Gemm.Split.of(threads, m, n, shape[2], 12, 16);
                assertThat(s).as("%s on %d threads", Arrays.toString(shape), threads).isNotNull();
                assertThat(s.chunks()).isBetween(2, threads);
                int[] covered = new int[m * n];
                for (int ch = 0; ch < s.chunks(); ch++) {
                    assertThat(s.rowStart(ch) % 12).isZero();
                    assertThat(s.colStart(ch) % 16).isZero();
                    for (int i = s.rowStart(ch); i < s.rowEnd(ch); i++) {
                        for (int j = s.colStart(ch); j < s.colEnd(ch); j++) {
                            covered[i * n + j]++;
                        }
                    }
                }
                assertThat(covered).containsOnly(1);
            }
        }
        assertThat(Gemm.Split.of(1, 1000, 1000, 1000, 12, 32)).isNull();
        assertThat(Gemm.Split.of(2, 8, 8, 8, 12, 32)).isNull();
        // Products of 2^20 multiply-adds and more are split; 96³ stays on one thread.
        assertThat(Gemm.Split.of(2, 256, 64, 64, 12, 16)).isNotNull();
        assertThat(Gemm.Split.of(2, 96, 96, 96, 12, 16)).isNull();
    }

    /**
     * Two threads get one block each, cut across the larger side of C: the MLP layer's forward
     * (128×256) and input gradient (128×784) along N, its weight gradient (784×256) along M;
     * the cut falls on the even split of whole vectors (784 columns: 384 + 400). Of two blocks side by
     * side the second walks its row panels bottom-up.
     */
    @Test
    void twoThreadsCutTheLargerSideOfCInHalves() {
        Gemm.Split fwd = Gemm.Split.of(2, 128, 256, 784, 12, 16);
        assertThat(List.of(fwd.rows(), fwd.cols(), fwd.colEnd(0))).containsExactly(1, 2, 128);
        Gemm.Split dW = Gemm.Split.of(2, 784, 256, 128, 12, 16);
        assertThat(List.of(dW.rows(), dW.cols(), dW.rowEnd(0))).containsExactly(2, 1, 396);
        Gemm.Split dx = Gemm.Split.of(2, 128, 784, 256, 12, 16);
        assertThat(List.of(dx.rows(), dx.cols(), dx.colEnd(0))).containsExactly(1, 2, 384);
        Gemm.Split square = Gemm.Split.of(2, 512, 512, 512, 12, 16);
        assertThat(square.chunks()).isEqualTo(2);
        // Side by side, the second block walks bottom-up; one above the other, both walk top-down.
        assertThat(List.of(fwd.bottomUp(0), fwd.bottomUp(1), dW.bottomUp(0), dW.bottomUp(1)))
                .containsExactly(false, true, false, false);
    }

    /**
     * Products of at least 96 rows a thread that take the packed path run as a team of threads taking
     * row panels in turn, and so do those of at least 64 rows a thread whose K is cut into more than one
     * block: the MLP's 128-row forward product (K 784) runs as a team, its input gradient (K 256)
     * keeps one block a thread where 256 is one K block (an L1 of 48 KiB; with 32 KiB, f64's K block is
     * 168), and so does its f32 weight gradient (A transposed) where the small path takes it.
     */
    @Test
    void teamRunsProductsOfManyRows() {
        assertThat(VectorSgemm.MACHINE.shares(2, false, 784, 256, 128)).isTrue();
        assertThat(VectorSgemm.MACHINE.shares(2, false, 512, 512, 512)).isTrue();
        assertThat(VectorSgemm.MACHINE.shares(2, false, 600, 33, 200)).isTrue();
        assertThat(VectorSgemm.MACHINE.shares(2, false, 128, 256, 784)).isTrue();
        assertThat(VectorDgemm.MACHINE.shares(2, false, 128, 256, 784)).isTrue();
        assertThat(VectorSgemm.MACHINE.shares(2, false, 126, 256, 784)).isFalse();
        assertThat(VectorSgemm.MACHINE.shares(2, false, 128, 784, 256)).isEqualTo(256 > VectorSgemm.BLOCKS.kc());
        assertThat(VectorDgemm.MACHINE.shares(2, false, 128, 784, 256)).isEqualTo(256 > VectorDgemm.BLOCKS.kc());
        int kc = VectorSgemm.BLOCKS.kc();
        assertThat(VectorSgemm.MACHINE.shares(2, false, 128, 256, kc)).as("one K block of %d", kc).isFalse();
        assertThat(VectorSgemm.MACHINE.shares(2, false, 128, 256, kc + 1)).as("two K blocks").isTrue();
        VectorSgemm deep = new VectorSgemm(new GemmBlocking(40, 64, 48));
        assertThat(deep.shares(2, false, 128, 300, 41)).as("the kernel's own K block").isTrue();
        assertThat(deep.shares(2, false, 128, 300, 40)).isFalse();
        assertThat(VectorSgemm.MACHINE.shares(2, false, 192, 256, 784)).isTrue();
        assertThat(VectorSgemm.MACHINE.shares(1, false, 2048, 2048, 2048)).isFalse();
        assertThat(VectorDgemm.MACHINE.shares(3, false, 300, 257, 300)).isTrue();
        // With A transposed, the f32 weight gradient (K 128) goes to the small path on the 12-row
        // tile, whose two threads take a block of rows each; f64 keeps the team.
        boolean small = VectorSgemm.TILE == VectorSgemm.Tile.WIDE && SmallSgemm.takesTransposedA(784, 256, 128);
        assertThat(VectorSgemm.MACHINE.shares(2, true, 784, 256, 128)).isEqualTo(!small);
        assertThat(VectorDgemm.MACHINE.shares(2, true, 784, 256, 128)).isTrue();
        assertThat(VectorSgemm.MACHINE.shares(2, true, 784, 256, SmallSgemm.MAX_K + 1)).isTrue();
    }

    /**
     * A team's task takes a group of row panels: about {@link VectorSgemm.Team#GROUPS_A_PHASE} groups a
     * phase, so that a group's packed A, which serves every B block of the phase, stays within a
     * quarter of L2, and never fewer than one panel.
     */
    @Test
    void teamGroupsRowPanelsWithinAQuarterOfL2() {
        int l2 = 1 << 20;
        int panelBytes = VectorSgemm.MR * VectorSgemm.A_STRIDE * Float.BYTES;
        int fit = l2 / 4 / panelBytes;
        assertThat(VectorSgemm.Team.groupPanels(11, l2)).as("MLP x·W's 128 rows").isEqualTo(1);
        assertThat(VectorSgemm.Team.groupPanels(1, 1)).as("an L2 smaller than a panel").isEqualTo(1);
        assertThat(VectorSgemm.Team.groupPanels(16 * 3 + 15, 1 << 30)).isEqualTo(3);
        assertThat(VectorSgemm.Team.groupPanels(16 * (fit + 5), l2)).as("capped by L2").isEqualTo(fit);
        assertThat(VectorDgemm.Team.groupPanels(16 * 1000, l2))
                .isEqualTo(l2 / 4 / (VectorDgemm.MR * VectorDgemm.A_STRIDE * Double.BYTES));
    }

    /**
     * A team gives the reference loop's bits whoever runs it: the calling thread alone, or three
     * threads, through Gemm or directly, with this machine's blocks and with odd ones (K block 37,
     * N block a tile and 5 columns, so B's packing strips and the K and N blocks all end inside the
     * product, and phases run ahead of each other), and with blocks that make the product of many
     * rows two K blocks and two N blocks, few enough phases for each thread to pack its own B
     * ({@link VectorSgemm.Team#MAX_PRIVATE_PHASES}) while a row panel's second K block still waits
     * for its first; for a product of many rows, and for one of 128 rows with two K blocks and two N
     * blocks.
     */
    @Test
    void teamGivesTheReferenceBitsOnOneOrThreeThreads() {
        Random rnd = new Random(17);
        VectorSgemm odd = new VectorSgemm(new GemmBlocking(37, VectorSgemm.NR + 5, 25));
        VectorDgemm oddD = new VectorDgemm(new GemmBlocking(37, VectorDgemm.NR + 5, 25));
        VectorSgemm fewPhases = new VectorSgemm(new GemmBlocking(160, 260, 25));
        VectorDgemm fewPhasesD = new VectorDgemm(new GemmBlocking(160, 260, 25));
        try (Parallel three = new Parallel(3)) {
            Backend backend = new Backend(Engine.get().backend().kernels(), three);
            for (int[] s : new int[][] {{515, 509, 300}, {128, 784, 600}}) {
                int m = s[0];
                int n = s[1];
                int k = s[2];
                float[] a = randomF32(m * k, rnd);
                float[] b = randomF32(k * n, rnd);
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0;
                    boolean tb = (t & 2) != 0;
                    int lda = ta ? m : k;
                    int ldb = tb ? k : n;
                    float[] expected = randomF32(m * n, rnd);
                    float[] alone = expected.clone();
                    float[] teamOfThree = expected.clone();
                    float[] onThree = expected.clone();
                    float[] oddThree = expected.clone();
                    double[] expectedD = toDouble(expected);
                    double[] oddThreeD = expectedD.clone();
                    double[] oddTeamD = expectedD.clone();
                    float[] fewThree = expected.clone();
                    double[] fewThreeD = expectedD.clone();
                    Gemm.referenceF32(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, expected, 0, n, true);
                    Gemm.referenceF64(ta, tb, m, n, k, toDouble(a), 0, lda, toDouble(b), 0, ldb, expectedD, 0, n,
                            true);
                    VectorSgemm.MACHINE.team(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, alone, 0, n, true,
                            VectorSgemm.buffers(), null).run(0);
                    VectorSgemm.MACHINE.team(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, teamOfThree, 0, n, true,
                            VectorSgemm.buffers(), null).runOn(three);
                    Gemm.sgemm(null, backend, ta, tb, m, n, k, a, 0, lda, b, 0, ldb, onThree, 0, n, true, null);
                    Gemm.sgemm(odd, backend, ta, tb, m, n, k, a, 0, lda, b, 0, ldb, oddThree, 0, n, true, null);
                    Gemm.dgemm(oddD, backend, ta, tb, m, n, k, toDouble(a), 0, lda, toDouble(b), 0, ldb, oddThreeD, 0,
                            n, true, null);
                    oddD.team(ta, tb, m, n, k, toDouble(a), 0, lda, toDouble(b), 0, ldb, oddTeamD, 0, n, true,
                            VectorDgemm.buffers(), null).runOn(three);
                    VectorSgemm.Team few = fewPhases.team(ta, tb, m, n, k, a, 0, lda, b, 0, ldb, fewThree, 0, n, true,
                            VectorSgemm.buffers(), null);
                    boolean privately = few.packsPrivately();
                    few.runOn(three);
                    VectorDgemm.Team fewD = fewPhasesD.team(ta, tb, m, n, k, toDouble(a), 0, lda, toDouble(b), 0, ldb,
                            fewThreeD, 0, n, true, VectorDgemm.buffers(), null);
                    boolean privatelyD = fewD.packsPrivately();
                    fewD.runOn(three);
                    String what = m + "x" + n + "x" + k + " transA=" + ta + " transB=" + tb;
                    // 509 columns in N blocks of up to 260 are two, 300 steps in K blocks of up to 160 two; 784 columns are four.
                    assertThat(privately).as("few phases pack privately, " + what).isEqualTo(m == 515);
                    assertThat(privatelyD).as("f64 few phases pack privately, " + what).isEqualTo(m == 515);
                    assertThat(Arrays.mismatch(fewThree, expected)).as("few phases, team of three, " + what)
                            .isEqualTo(-1);
                    assertThat(Arrays.mismatch(fewThreeD, expectedD)).as("f64 few phases, team of three, " + what)
                            .isEqualTo(-1);
                    assertThat(Arrays.mismatch(alone, expected)).as("caller alone, " + what).isEqualTo(-1);
                    assertThat(Arrays.mismatch(teamOfThree, expected)).as("team of three, " + what).isEqualTo(-1);
                    assertThat(Arrays.mismatch(onThree, expected)).as("three threads, " + what).isEqualTo(-1);
                    assertThat(Arrays.mismatch(oddThree, expected)).as("odd blocks, three threads, " + what)
                            .isEqualTo(-1);
                    assertThat(Arrays.mismatch(oddThreeD, expectedD)).as("f64 odd blocks, three threads, " + what)
                            .isEqualTo(-1);
                    assertThat(Arrays.mismatch(oddTeamD, expectedD)).as("f64 odd blocks, team of three, " + what)
                            .isEqualTo(-1);
                }
            }
        }
    }

    /**
     * A team applies the epilogue to each row panel's part of C once its last K block is in: on two
     * threads, a product of two K blocks and two N blocks (A transposed, accumulating) gives the bits
     * of one thread's product with the same epilogue, in f32 and f64. The epilogue's map is square,
     * which the kernels compute bit for bit: a function from the JDK's vector math library (f64
     * tanh) may differ in its last bit between a call C2 has compiled and an earlier one.
     */
    @Test
    void teamAppliesTheEpilogueToEachFinishedRowPanel() {
        int m = 192;
        int n = 784;
        int k = 600;
        Random rnd = new Random(23);
        float[] a = randomF32(m * k, rnd);
        float[] b = randomF32(k * n, rnd);
        float[] bias = randomF32(n, rnd);
        float[] start = randomF32(m * n, rnd);
        Kernels kernels = Engine.get().backend().kernels();
        Epilogue epilogue = new Epilogue(kernels, List.of(
                new Epilogue.Combine(Primitives.ADD, null, Epilogue.Operand.row(bias, 0)),
                new Epilogue.Map(Primitives.SQUARE, null)));
        double[] biasD = toDouble(bias);
        Epilogue epilogueD = new Epilogue(kernels, List.of(
                new Epilogue.Combine(Primitives.ADD, null, Epilogue.Operand.row(biasD, 0)),
                new Epilogue.Map(Primitives.SQUARE, null)));
        assertThat(VectorSgemm.MACHINE.shares(2, true, m, n, k)).isTrue();
        try (Parallel one = new Parallel(1); Parallel two = new Parallel(2)) {
            float[][] c = {start.clone(), start.clone()};
            double[][] d = {toDouble(start), toDouble(start)};
            Parallel[] pools = {one, two};
            for (int i = 0; i < 2; i++) {
                Backend backend = new Backend(kernels, pools[i]);
                Gemm.sgemm(backend, true, false, m, n, k, a, 0, m, b, 0, n, c[i], 0, n, true,
                        epilogue);
                Gemm.dgemm(backend, true, false, m, n, k, toDouble(a), 0, m, toDouble(b), 0, n,
                        d[i], 0, n, true, epilogueD);
            }
            assertThat(Arrays.mismatch(c[1], c[0])).as("f32, first differing element").isEqualTo(-1);
            assertThat(Arrays.mismatch(d[1], d[0])).as("f64, first differing element").isEqualTo(-1);
        }
    }

    /**
     * Packing buffers and a team's state are reused: once warm, a product on one thread allocates
     * nothing, and one run by a team of two allocates on the calling thread only the small
     * description of the cut ({@code Gemm.Split}), whatever the product's size.
     */
    @Test
    void steadyStateCallsAllocateNothingButTheCutsDescription() {
        Random rnd = new Random(29);
        try (Parallel one = new Parallel(1); Parallel two = new Parallel(2)) {
            for (int[] s : new int[][] {{192, 256, 784}, {512, 512, 512}}) {
                int m = s[0];
                int n = s[1];
                int k = s[2];
                float[] a = randomF32(m * k, rnd);
                float[] b = randomF32(k * n, rnd);
                float[] c = new float[m * n];
                assertThat(VectorSgemm.MACHINE.shares(2, false, m, n, k)).isTrue();
                for (Parallel pool : new Parallel[] {one, two}) {
                    Backend backend = new Backend(Engine.get().backend().kernels(), pool);
                    Runnable call = () -> Gemm.sgemm(backend, false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, false);
                    long perCall = steadyBytesPerCall(call, pool == one ? 1 : 512);
                    String what = m + "x" + n + "x" + k + " on " + pool.threads() + " threads, bytes a call";
                    if (pool == one) {
                        assertThat(perCall).as(what).isZero();
                    } else {
                        assertThat(perCall).as(what).isLessThan(512);
                    }
                }
            }
        }
    }

    /**
     * A task of a team that throws (here C is one row short, past Gemm's checks, so the last row
     * panel's task of the first of many phases fails) stops the other threads instead of leaving
     * them waiting for it, whichever thread ran it; the exception reaches the caller, and the pool
     * then runs the next product.
     */
    @Test
    void teamTaskThatThrowsReachesTheCallerAndThePoolGoesOn() {
        int m = 515;
        int n = 509;
        int k = 300;
        Random rnd = new Random(19);
        float[] a = randomF32(m * k, rnd);
        float[] b = randomF32(k * n, rnd);
        VectorSgemm odd = new VectorSgemm(new GemmBlocking(37, VectorSgemm.NR + 5, 25));
        try (Parallel pool = new Parallel(2)) {
            for (int run = 0; run < 20; run++) {
                float[] shortC = new float[(m - 1) * n];
                VectorSgemm.Team team = odd.team(false, false, m, n, k, a, 0, k, b, 0, n, shortC, 0, n, false,
                        VectorSgemm.buffers(), null);
                assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThatThrownBy(() -> team.runOn(pool))
                        .isInstanceOf(IndexOutOfBoundsException.class));
            }
            float[] c = new float[m * n];
            float[] expected = new float[m * n];
            Gemm.referenceF32(false, false, m, n, k, a, 0, k, b, 0, n, expected, 0, n, false);
            Gemm.sgemm(new Backend(Engine.get().backend().kernels(), pool), false, false, m, n, k, a, 0, k, b, 0, n,
                    c, 0, n, false);
            assertThat(Arrays.mismatch(c, expected)).isEqualTo(-1);
        }
    }

    /**
     * The plain loop that tiny products take gives the packed SIMD kernel's bits exactly (one FMA
     * chain per element, from C when accumulating), so the size rule never changes a result.
     */
    @Test
    void tinyProductsLoopGivesTheSimdKernelsBits() {
        Random rnd = new Random(5);
        for (int trial = 0; trial < 80; trial++) {
            int m = 1 + rnd.nextInt(12);
            int n = 1 + rnd.nextInt(12);
            int k = 1 + rnd.nextInt(64);
            boolean ta = rnd.nextBoolean();
            boolean tb = rnd.nextBoolean();
            boolean acc = rnd.nextBoolean();
            Layout l = Layout.random(m, n, k, ta, tb, rnd);
            float[] a = randomF32(l.aLen(), rnd);
            float[] b = randomF32(l.bLen(), rnd);
            float[] loop = randomF32(l.cLen(), rnd);
            float[] simd = loop.clone();
            Gemm.referenceF32(ta, tb, m, n, k, a, l.aOff, l.lda, b, l.bOff, l.ldb, loop, l.cOff, l.ldc, acc);
            VectorSgemm.MACHINE.gemm(ta, tb, m, n, k, a, l.aOff, l.lda, b, l.bOff, l.ldb, simd, l.cOff, l.ldc, acc,
                    VectorSgemm.buffers());
            assertThat(loop).as("m=%d n=%d k=%d transA=%b transB=%b accumulate=%b", m, n, k, ta, tb, acc)
                    .containsExactly(simd);
        }
        assertThat(Gemm.tiny(10, 1, 10)).isTrue();
        assertThat(Gemm.tiny(10, 10, 1)).as("an outer product: the kernel is faster").isFalse();
        assertThat(Gemm.tiny(8, 8, 8)).isFalse();
    }

    /**
     * The register tile follows the vector registers: x86 has 16 without AVX-512 (preferred vectors
     * narrower than 512 bits) and 32 with it, other architectures 32; on 16, f32 takes the 5 × 2
     * tile and f64 the 3 × 3 one. Each tile's accumulators, B vectors and broadcasts fit in the
     * registers it is chosen for (on 16, two broadcasts, so that C2 can load one ahead of the FMAs
     * of the other), and this machine's tiles are the ones its architecture and vector width give;
     * the public accessors give this machine's registers and K block. A tile that reads A
     * interleaved has the three or five rows its packing writes.
     */
    @Test
    void registerTileFollowsTheVectorRegisters() {
        assertThat(VectorSgemm.vectorRegisters("amd64", 512)).isEqualTo(32);
        assertThat(VectorSgemm.vectorRegisters("amd64", 256)).isEqualTo(16);
        assertThat(VectorSgemm.vectorRegisters("x86", 128)).isEqualTo(16);
        assertThat(VectorSgemm.vectorRegisters("aarch64", 128)).isEqualTo(32);
        assertThat(VectorSgemm.vectorRegisters("aarch64", 2048)).isEqualTo(32);
        assertThat(VectorSgemm.vectorRegisters("riscv64", 256)).isEqualTo(32);
        assertThat(VectorSgemm.Tile.forRegisters(32, Float.BYTES)).isEqualTo(VectorSgemm.Tile.WIDE);
        assertThat(VectorSgemm.Tile.forRegisters(32, Double.BYTES)).isEqualTo(VectorSgemm.Tile.WIDE);
        assertThat(VectorSgemm.Tile.forRegisters(16, Float.BYTES)).isEqualTo(VectorSgemm.Tile.FIVE_ROWS);
        assertThat(VectorSgemm.Tile.forRegisters(16, Double.BYTES)).isEqualTo(VectorSgemm.Tile.SQUARE);
        for (int registers : new int[] {16, 32}) {
            for (int bytes : new int[] {Float.BYTES, Double.BYTES}) {
                VectorSgemm.Tile tile = VectorSgemm.Tile.forRegisters(registers, bytes);
                int broadcasts = registers == 16 ? 2 : 1;
                assertThat(tile.rows * tile.vectors + tile.vectors + broadcasts).as("%s registers", tile)
                        .isLessThanOrEqualTo(registers);
            }
        }
        for (VectorSgemm.Tile tile : VectorSgemm.Tile.values()) {
            // packAInterleaved writes three or five rows a step.
            assertThat(!tile.interleavedA || tile.rows == 3 || tile.rows == 5).as("%s interleaved A", tile).isTrue();
        }
        int bits = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
        int registers = VectorSgemm.vectorRegisters(System.getProperty("os.arch"), bits);
        VectorSgemm.Tile here = VectorSgemm.Tile.forRegisters(registers, Float.BYTES);
        VectorDgemm.Tile here64 = VectorDgemm.Tile.forRegisters(registers, Double.BYTES);
        assertThat(VectorSgemm.TILE).isEqualTo(here);
        assertThat(VectorDgemm.TILE).isEqualTo(here64);
        assertThat(Gemm.vectorRegisters()).isEqualTo(VectorSgemm.REGISTERS);
        // The K block: with column panels outermost B's micro-panel stays in L1 and fills half of it; with rows
        // outermost A's micro-panel is the deepest power of two within three quarters of L1.
        assertThat(here.columnsOuter ? Gemm.depthBlock(Float.BYTES, VectorSgemm.NR)
                : GemmBlocking.rowPanelDepth(CpuCaches.DETECTED, Float.BYTES, here.rows))
                .isEqualTo(VectorSgemm.BLOCKS.kc());
        assertThat(here64.columnsOuter ? Gemm.depthBlock(Double.BYTES, VectorDgemm.NR)
                : GemmBlocking.rowPanelDepth(CpuCaches.DETECTED, Double.BYTES, here64.rows))
                .isEqualTo(VectorDgemm.BLOCKS.kc());
        assertThat(VectorSgemm.MR).isEqualTo(here.rows);
        assertThat(VectorSgemm.NR).isEqualTo(here.vectors * VectorSgemm.LANES);
        assertThat(VectorDgemm.MR).isEqualTo(here64.rows);
        assertThat(VectorDgemm.NR).isEqualTo(here64.vectors * VectorDgemm.LANES);
        String tile = here.rows + "×" + here.vectors + " vectors";
        assertThat(Gemm.registerTile()).isEqualTo(here.rows == here64.rows && here.vectors == here64.vectors ? tile
                : tile + " (f64 " + here64.rows + "×" + here64.vectors + ")");
        assertThat(Engine.get().describe()).contains("GEMM tile " + Gemm.registerTile());
    }

    /**
     * The packed kernels give the plain loop's bits (one FMA chain per element, p in order) on
     * shapes at every edge of their tiles and of this machine's K block: m from 1 to past a tile's
     * rows (a last row panel of every height from 1 to 11, run on a scratch corner), n around one,
     * two and three vectors, k odd and even around the K block (a block packed one step deeper),
     * every transpose; with each register tile, whichever this machine uses.
     */
    @ParameterizedTest
    @EnumSource(VectorSgemm.Tile.class)
    void packedKernelsGiveTheReferenceLoopsBits(VectorSgemm.Tile tile) {
        int kc = VectorSgemm.BLOCKS.kc();
        int kcD = VectorDgemm.BLOCKS.kc();
        int lanes = VectorSgemm.LANES;
        int[] ms = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16, 20, 23, 25, 32, 64, 100};
        int[] ns = {1, lanes - 1, lanes, lanes + 1, 2 * lanes, 2 * lanes + 1, 3 * lanes, 3 * lanes + 1, 5 * lanes, 100};
        int[] ks = {1, 2, 17, kc - 1, kc + 1, kcD - 1, kcD + 1};
        checkPackedAgainstReference(tile, VectorSgemm.MACHINE, VectorDgemm.MACHINE, ms, ns, ks, 80, new Random(23));
    }

    /**
     * This machine's blocks on products past one M, N and K block: m seven rows past the M block,
     * n three columns past the N block and k three steps past the K block (second blocks ending in
     * an edge row panel, an edge column panel and an odd step), every transpose, accumulating or
     * not, with each register tile. Compared with {@code isEqualTo} (Arrays.equals: bit for bit, -0
     * and +0 apart), which stays linear on arrays this long.
     *
     * <p>The first block of C is then about half of the M block by half of the N block. With the
     * blocks of the column order ({@link GemmBlocking#columnOrder}: A's and B's blocks each half of
     * L2) it fits in half of L2, and the 16-register tiles walk it column panels outermost; with
     * those of the row order (A's block twice L2, an L2 of 512 KiB) it does not, and they walk it
     * row panels outermost ({@link GemmBlocking#columnsOuter}). Where a surefire execution runs this
     * class for one of the two walks, it names it in {@value #WALK_PROPERTY}, and the machine's
     * tiles must take it, so that the execution cannot test the other one unawares.
     */
    @ParameterizedTest
    @EnumSource(VectorSgemm.Tile.class)
    void machineBlocksPastOneBlockGiveTheReferenceLoopsBits(VectorSgemm.Tile tile) {
        int m = VectorSgemm.BLOCKS.mc() + 7;
        int n = VectorSgemm.BLOCKS.nc() + 3;
        int k = VectorSgemm.BLOCKS.kc() + 3;
        int mD = VectorDgemm.BLOCKS.mc() + 7;
        int nD = VectorDgemm.BLOCKS.nc() + 3;
        int kD = VectorDgemm.BLOCKS.kc() + 3;
        String walk = System.getProperty(WALK_PROPERTY);
        if (walk != null && tile == VectorSgemm.TILE) {
            assertThat(VectorSgemm.MACHINE.firstBlockColumnsOuter(m, n, tile) ? "columns" : "rows")
                    .as("f32 walk of the first block of C, %s, %s", tile, CpuCaches.DETECTED).isEqualTo(walk);
        }
        if (walk != null && f64(tile) == VectorDgemm.TILE) {
            assertThat(VectorDgemm.MACHINE.firstBlockColumnsOuter(mD, nD, f64(tile)) ? "columns" : "rows")
                    .as("f64 walk of the first block of C, %s, %s", tile, CpuCaches.DETECTED).isEqualTo(walk);
        }
        Random rnd = new Random(31);
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0;
            boolean tb = (t & 2) != 0;
            boolean acc = rnd.nextBoolean();
            Layout l = Layout.random(m, n, k, ta, tb, rnd);
            float[] a = randomF32(l.aLen(), rnd);
            float[] b = randomF32(l.bLen(), rnd);
            float[] loop = randomF32(l.cLen(), rnd);
            float[] simd = loop.clone();
            Gemm.referenceF32(ta, tb, m, n, k, a, l.aOff, l.lda, b, l.bOff, l.ldb, loop, l.cOff, l.ldc, acc);
            VectorSgemm.MACHINE.gemm(ta, tb, m, n, k, a, l.aOff, l.lda, b, l.bOff, l.ldb, simd, l.cOff, l.ldc, acc,
                    VectorSgemm.buffers(), null, 0, 0, false, tile);
            assertThat(simd).as("f32 m=%d n=%d k=%d transA=%b transB=%b accumulate=%b %s", m, n, k, ta, tb, acc, tile)
                    .isEqualTo(loop);
            Layout lD = Layout.random(mD, nD, kD, ta, tb, rnd);
            double[] ad = randomF64(lD.aLen(), rnd);
            double[] bd = randomF64(lD.bLen(), rnd);
            double[] loopD = randomF64(lD.cLen(), rnd);
            double[] simdD = loopD.clone();
            Gemm.referenceF64(ta, tb, mD, nD, kD, ad, lD.aOff, lD.lda, bd, lD.bOff, lD.ldb, loopD, lD.cOff, lD.ldc, acc);
            VectorDgemm.MACHINE.gemm(ta, tb, mD, nD, kD, ad, lD.aOff, lD.lda, bd, lD.bOff, lD.ldb, simdD, lD.cOff,
                    lD.ldc, acc, VectorDgemm.buffers(), null, 0, 0, false, f64(tile));
            assertThat(simdD).as("f64 m=%d n=%d k=%d transA=%b transB=%b accumulate=%b %s", mD, nD, kD, ta, tb, acc,
                    tile).isEqualTo(loopD);
        }
    }

    /**
     * The same with blocks of two tiles by two panels and a K block of 16: products of at most 76
     * rows, 160 columns and 41 steps run through several M, N and K blocks, their partial last
     * blocks and every edge tile, which this machine's blocks would reach only on large operands.
     */
    @ParameterizedTest
    @EnumSource(VectorSgemm.Tile.class)
    void smallBlocksGiveTheReferenceLoopsBits(VectorSgemm.Tile tile) {
        GemmBlocking blocksF = new GemmBlocking(16, 2 * tile.nr(), 2 * tile.rows);
        GemmBlocking blocksD = new GemmBlocking(16, 2 * f64(tile).nr(), 2 * tile.rows);
        int lanes = VectorSgemm.LANES;
        int[] ms = {1, 4, 12, 23, 24, 25, 36, 49, 76};
        int[] ns = {1, lanes + 1, 4 * lanes, 4 * lanes + 1, 6 * lanes + 3, 10 * lanes};
        int[] ks = {1, 15, 16, 17, 33, 41};
        checkPackedAgainstReference(tile, new VectorSgemm(blocksF), new VectorDgemm(blocksD), ms, ns, ks, 60,
                new Random(29));
    }

    /**
     * Blocks that are no multiple of anything: K blocks of 1, 3 and 7 steps (one step a block,
     * odd blocks, a first block of one step), N blocks of one column and of a tile and a few lanes,
     * M blocks of one row and of a tile and a half; every block is rounded up to whole tiles or
     * vectors where the kernel needs it. With several M blocks, B's K block is packed once for all
     * of them, or again for each where it is wider than {@link VectorSgemm#WHOLE_B_BLOCKS} blocks
     * (n = one tile more than that, + 3, with one-tile N blocks; {@link VectorDgemm#WHOLE_B_BLOCKS}
     * is no more). The products, every transpose, every edge tile, give the reference loop's bits.
     */
    @ParameterizedTest
    @EnumSource(VectorSgemm.Tile.class)
    void oddBlocksGiveTheReferenceLoopsBits(VectorSgemm.Tile tile) {
        int lanes = VectorSgemm.LANES;
        int[][] blocks = {{1, 1, 1}, {3, tile.nr() + 3, tile.rows + tile.rows / 2}, {7, 17, 5}};
        int[] ms = {1, 5, 9, 13, 23, 31};
        int[] ns = {1, lanes - 1, lanes + 1, 2 * lanes + 3, 3 * lanes + 1,
            (VectorSgemm.WHOLE_B_BLOCKS + 1) * tile.nr() + 3};
        int[] ks = {1, 2, 7, 8, 19};
        int seed = 41;
        for (int[] b : blocks) {
            GemmBlocking blocking = new GemmBlocking(b[0], b[1], b[2]);
            checkPackedAgainstReference(tile, new VectorSgemm(blocking), new VectorDgemm(blocking), ms, ns, ks, 40,
                    new Random(seed++));
        }
    }

    /**
     * Through {@link Gemm} with a kernel of odd blocks (K block 37, N block a tile and 5 columns, M
     * block 25 rows): one thread, two threads (the product split along M or N) and the reference
     * loop give the same bits, so a thread's share of C never changes an element's K order
     * whatever the blocks; every transpose, accumulating or not.
     */
    @Test
    void oddBlocksGiveTheSameBitsOnOneAndTwoThreads() {
        VectorSgemm kernelF = new VectorSgemm(new GemmBlocking(37, VectorSgemm.NR + 5, 25));
        VectorDgemm kernelD = new VectorDgemm(new GemmBlocking(37, VectorDgemm.NR + 5, 25));
        int before = Engine.get().parallel().threads();
        Random rnd = new Random(43);
        try {
            for (int[] s : new int[][] {{257, 300, 65}, {128, 784, 256}, {784, 256, 128}, {515, 509, 300}}) {
                int m = s[0];
                int n = s[1];
                int k = s[2];
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0;
                    boolean tb = (t & 2) != 0;
                    boolean acc = t == 3;
                    float[] a = randomF32(m * k, rnd);
                    float[] b = randomF32(k * n, rnd);
                    float[] loop = randomF32(m * n, rnd);
                    double[] loopD = toDouble(loop);
                    float[][] c = {loop.clone(), loop.clone()};
                    double[][] d = {loopD.clone(), loopD.clone()};
                    for (int threads = 1; threads <= 2; threads++) {
                        Engine.setThreads(threads);
                        Gemm.sgemm(kernelF, Engine.get().backend(), ta, tb, m, n, k, a, 0, ta ? m : k, b, 0,
                                tb ? k : n, c[threads - 1], 0, n, acc, null);
                        Gemm.dgemm(kernelD, Engine.get().backend(), ta, tb, m, n, k, toDouble(a), 0, ta ? m : k,
                                toDouble(b), 0, tb ? k : n, d[threads - 1], 0, n, acc, null);
                    }
                    Gemm.referenceF32(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, loop, 0, n, acc);
                    Gemm.referenceF64(ta, tb, m, n, k, toDouble(a), 0, ta ? m : k, toDouble(b), 0, tb ? k : n, loopD,
                            0, n, acc);
                    String what = String.format("%dx%dx%d transA=%b transB=%b accumulate=%b", m, n, k, ta, tb, acc);
                    assertThat(Arrays.mismatch(c[0], loop)).as("f32 one thread, first differing element, " + what)
                            .isEqualTo(-1);
                    assertThat(Arrays.mismatch(c[1], loop)).as("f32 two threads, first differing element, " + what)
                            .isEqualTo(-1);
                    assertThat(Arrays.mismatch(d[0], loopD)).as("f64 one thread, first differing element, " + what)
                            .isEqualTo(-1);
                    assertThat(Arrays.mismatch(d[1], loopD)).as("f64 two threads, first differing element, " + what)
                            .isEqualTo(-1);
                }
            }
        } finally {
            Engine.setThreads(before);
        }
    }

    /**
     * A kernel is refused blocks it cannot run: a K block deeper than packed A's rows hold (this
     * machine's K block), or deeper than any rule gives, and blocks below one element; the kernel
     * Gemm runs has this machine's blocks.
     */
    @Test
    void blocksOutsideTheKernelsRangeAreRefused() {
        int deeperD = VectorDgemm.BLOCKS.kc() + 1;
        assertThatThrownBy(() -> new VectorDgemm(new GemmBlocking(deeperD, 64, 12)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(" " + deeperD);
        int deeper = VectorSgemm.BLOCKS.kc() + 1;
        assertThatThrownBy(() -> new VectorSgemm(new GemmBlocking(deeper, 64, 12)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(" " + deeper);
        assertThatThrownBy(() -> new GemmBlocking(GemmBlocking.MAX_KC + 1, 64, 12))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kc " + (GemmBlocking.MAX_KC + 1));
        assertThatThrownBy(() -> new GemmBlocking(0, 64, 12)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kc 0");
        assertThatThrownBy(() -> new GemmBlocking(16, 0, 12)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nc 0");
        assertThatThrownBy(() -> new GemmBlocking(16, 64, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mc -1");
        assertThat(VectorSgemm.MACHINE).hasToString("VectorSgemm " + VectorSgemm.BLOCKS);
        assertThat(VectorDgemm.MACHINE).hasToString("VectorDgemm " + VectorDgemm.BLOCKS);
    }

    /**
     * {@link VectorSgemm#transpose}, into a segment and into an array, and its f64 twins put value {@code src[s + r·ld + l]} at {@code d
     * + r + l·stride}, for each of the T_ROWS rows r (16 or 8) and LANES lanes l, and
     * write nothing else: with this machine's lanes, whether or not its packs transpose ({@link
     * VectorSgemm#TRANSPOSES}), so that both test executions (AVX-512 and AVX2) check the zips at
     * four lane counts.
     */
    @Test
    void transposeMovesEveryValueToItsPlace() {
        int rows = VectorSgemm.T_ROWS;
        int ld = 37;
        int s = 5;
        int d = 3;
        int stride = 53;
        Random rnd = new Random(59);
        assertThat(VectorSgemm.LANES).isBetween(2, rows);
        int lanes = VectorSgemm.LANES;
        float[] src = randomF32(s + rows * ld, rnd);
        float[] dst = new float[d + rows + lanes * stride];
        Arrays.fill(dst, 7f);
        float[] expected = dst.clone();
        for (int r = 0; r < rows; r++) {
            for (int l = 0; l < lanes; l++) {
                expected[d + r + l * stride] = src[s + r * ld + l];
            }
        }
        float[] direct = dst.clone();
        VectorSgemm.transpose(src, s, ld, MemorySegment.ofArray(dst), d, stride);
        assertThat(dst).as("f32, %d lanes", lanes).containsExactly(expected);
        VectorSgemm.transpose(src, s, ld, direct, d, stride);
        assertThat(direct).as("f32 into an array, %d lanes", lanes).containsExactly(expected);

        int rowsD = VectorDgemm.T_ROWS;
        assertThat(VectorDgemm.LANES).isBetween(2, rowsD);
        int lanesD = VectorDgemm.LANES;
        double[] srcD = randomF64(s + rowsD * ld, rnd);
        double[] dstD = new double[d + rowsD + lanesD * stride];
        Arrays.fill(dstD, 7.0);
        double[] expectedD = dstD.clone();
        for (int r = 0; r < rowsD; r++) {
            for (int l = 0; l < lanesD; l++) {
                expectedD[d + r + l * stride] = srcD[s + r * ld + l];
            }
        }
        double[] directD = dstD.clone();
        VectorDgemm.transpose(srcD, s, ld, MemorySegment.ofArray(dstD), d, stride);
        assertThat(dstD).as("f64, %d lanes", lanesD).containsExactly(expectedD);
        VectorDgemm.transpose(srcD, s, ld, directD, d, stride);
        assertThat(directD).as("f64 into an array, %d lanes", lanesD).containsExactly(expectedD);
    }

    /**
     * A transposed, B transposed and both, on shapes that cut the transposing packs' blocks
     * ({@link VectorSgemm#T_ROWS} steps or columns × LANES) at every edge: m, n and k short of, at
     * and past multiples of LANES, of T_ROWS and of the tile, with this machine's blocks and with a
     * K block of 37 steps, an N block of two tiles and 5 columns and an M block of two tiles and 3
     * rows, so that kc, nc and mc are no multiples of LANES or of the tile either; with each
     * register tile, against the reference loops bit for bit.
     */
    @ParameterizedTest
    @EnumSource(VectorSgemm.Tile.class)
    void transposedOperandsAtEveryEdgeGiveTheReferenceLoopsBits(VectorSgemm.Tile tile) {
        int lanes = VectorSgemm.LANES;
        int t = VectorSgemm.T_ROWS;
        int nr = tile.nr();
        int[] ms = {1, lanes - 1, t + 1, 2 * t + lanes + 3};
        int[] ns = {lanes - 1, t + 1, 2 * nr - 1, 2 * nr + t + 1, 3 * nr + lanes + 5};
        int[] ks = {lanes - 1, t, t + 1, 2 * t + lanes + 1, 3 * t + 5};
        VectorSgemm oddF = new VectorSgemm(new GemmBlocking(37, 2 * nr + 5, 2 * tile.rows + 3));
        VectorDgemm oddD = new VectorDgemm(new GemmBlocking(37, 2 * f64(tile).nr() + 5, 2 * tile.rows + 3));
        Random rnd = new Random(61);
        for (boolean machine : new boolean[] {true, false}) {
            for (int m : ms) {
                for (int n : ns) {
                    for (int k : ks) {
                        for (int both = 0; both < 3; both++) {
                            boolean ta = both != 1;
                            boolean tb = both != 0;
                            checkPackedAgainstReference(tile, machine ? VectorSgemm.MACHINE : oddF,
                                    machine ? VectorDgemm.MACHINE : oddD, m, n, k, ta, tb, rnd.nextBoolean(), rnd);
                        }
                    }
                }
            }
        }
    }

    /**
     * The MLP layer's transposed products, xᵀ·dy (A transposed) and dy·Wᵀ (B transposed), allocate
     * nothing a call once compiled, f32 and f64, on one thread, with the register tile the machine
     * picks (the avx2 executions run the 16-register tiles on a machine of 32 registers). The 12-row
     * tile's transposing packs keep their vectors in registers; the 16-register tiles pack A
     * interleaved and read packed B as an array. xᵀ·dy also with K 192, past the small path's K, so
     * that the f32 product packs its transposed A too. A tile the machine never picks is left out:
     * under load C2 can leave it uncompiled, allocating boxed vectors, for more than a minute of the
     * test's CPU time (f32's 3 × 3 tile on an AVX2 machine: 193,536 bytes a call, once).
     */
    @Test
    void transposedProductsAllocateNothingInTheSteadyState() {
        Random rnd = new Random(67);
        try (Parallel one = new Parallel(1)) {
            Backend backend = new Backend(Engine.get().backend().kernels(), one);
            for (int[] s : new int[][] {{784, 256, 128, 1, 0}, {784, 256, 192, 1, 0}, {128, 784, 256, 0, 1}}) {
                int m = s[0];
                int n = s[1];
                int k = s[2];
                boolean ta = s[3] == 1;
                boolean tb = s[4] == 1;
                int lda = ta ? m : k;
                int ldb = tb ? k : n;
                float[] a = randomF32(m * k, rnd);
                float[] b = randomF32(k * n, rnd);
                float[] c = new float[m * n];
                double[] ad = toDouble(a);
                double[] bd = toDouble(b);
                double[] cd = new double[m * n];
                String what = m + "x" + n + "x" + k + " transA=" + ta + " transB=" + tb;
                assertThat(steadyBytesPerCall(
                        () -> Gemm.sgemm(backend, ta, tb, m, n, k, a, 0, lda, b, 0, ldb, c, 0, n, false), 1))
                        .as("f32 %s, %s tile, bytes a call", what, VectorSgemm.TILE).isZero();
                assertThat(steadyBytesPerCall(
                        () -> Gemm.dgemm(backend, ta, tb, m, n, k, ad, 0, lda, bd, 0, ldb, cd, 0, n, false), 1))
                        .as("f64 %s, %s tile, bytes a call", what, VectorDgemm.TILE).isZero();
            }
        }
    }

    /**
     * The fewest bytes a call of {@code call} allocates over batches of 10 calls, measured until a
     * batch allocates fewer than {@code enough} a call or for at most a minute of the calling
     * thread's CPU time: until the JIT has compiled the kernels, the Vector API allocates boxes.
     * Measured for a time rather than a number of calls: on a loaded machine, or after earlier
     * tests compiled the kernels for other shapes and they are compiled again, that takes longer.
     * CPU time rather than the clock's, so that a JVM that is paused or gets little of the
     * machine (when the tests share it with other work) is given as many calls as one that runs.
     */
    private static long steadyBytesPerCall(Runnable call, long enough) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long perCall = Long.MAX_VALUE;
        long deadline = mx.getCurrentThreadCpuTime() + Duration.ofSeconds(60).toNanos();
        while (perCall >= enough && mx.getCurrentThreadCpuTime() < deadline) {
            int calls = 10;
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < calls; i++) {
                call.run();
            }
            perCall = Math.min(perCall, (mx.getCurrentThreadAllocatedBytes() - before) / calls);
        }
        return perCall;
    }

    /**
     * {@code trials} random shapes from ms × ns × ks with random transposes and offsets: the packed
     * f32 and f64 kernels with the given tile and blocks, walking the row panels top-down and
     * bottom-up, against the reference loops, bit for bit.
     */
    private static void checkPackedAgainstReference(VectorSgemm.Tile tile, VectorSgemm kernelF, VectorDgemm kernelD,
            int[] ms, int[] ns, int[] ks, int trials, Random rnd) {
        for (int trial = 0; trial < trials; trial++) {
            int m = ms[rnd.nextInt(ms.length)];
            int n = ns[rnd.nextInt(ns.length)];
            int k = ks[rnd.nextInt(ks.length)];
            boolean ta = rnd.nextBoolean();
            boolean tb = rnd.nextBoolean();
            boolean acc = rnd.nextBoolean();
            checkPackedAgainstReference(tile, kernelF, kernelD, m, n, k, ta, tb, acc, rnd);
        }
    }

    /** One product of those above, with random offsets and leading dimensions. */
    private static void checkPackedAgainstReference(VectorSgemm.Tile tile, VectorSgemm kernelF, VectorDgemm kernelD,
            int m, int n, int k, boolean ta, boolean tb, boolean acc, Random rnd) {
        Layout l = Layout.random(m, n, k, ta, tb, rnd);
        String what = String.format("m=%d n=%d k=%d transA=%b transB=%b accumulate=%b %s %s", m, n, k, ta, tb, acc,
                kernelF, tile);
        float[] a = randomF32(l.aLen(), rnd);
        float[] b = randomF32(l.bLen(), rnd);
        float[] loop = randomF32(l.cLen(), rnd);
        float[] simd = loop.clone();
        float[] simdUp = loop.clone();
        Gemm.referenceF32(ta, tb, m, n, k, a, l.aOff, l.lda, b, l.bOff, l.ldb, loop, l.cOff, l.ldc, acc);
        kernelF.gemm(ta, tb, m, n, k, a, l.aOff, l.lda, b, l.bOff, l.ldb, simd, l.cOff, l.ldc, acc,
                VectorSgemm.buffers(), null, 0, 0, false, tile);
        kernelF.gemm(ta, tb, m, n, k, a, l.aOff, l.lda, b, l.bOff, l.ldb, simdUp, l.cOff, l.ldc, acc,
                VectorSgemm.buffers(), null, 0, 0, true, tile);
        assertThat(simd).as("f32 " + what).containsExactly(loop);
        assertThat(simdUp).as("f32 bottom-up " + what).containsExactly(loop);
        double[] ad = toDouble(a);
        double[] bd = toDouble(b);
        double[] loopD = randomF64(l.cLen(), rnd);
        double[] simdD = loopD.clone();
        double[] simdUpD = loopD.clone();
        Gemm.referenceF64(ta, tb, m, n, k, ad, l.aOff, l.lda, bd, l.bOff, l.ldb, loopD, l.cOff, l.ldc, acc);
        kernelD.gemm(ta, tb, m, n, k, ad, l.aOff, l.lda, bd, l.bOff, l.ldb, simdD, l.cOff, l.ldc, acc,
                VectorDgemm.buffers(), null, 0, 0, false, f64(tile));
        kernelD.gemm(ta, tb, m, n, k, ad, l.aOff, l.lda, bd, l.bOff, l.ldb, simdUpD, l.cOff, l.ldc, acc,
                VectorDgemm.buffers(), null, 0, 0, true, f64(tile));
        assertThat(simdD).as("f64 " + what).containsExactly(loopD);
        assertThat(simdUpD).as("f64 bottom-up " + what).containsExactly(loopD);
    }

    /**
     * A K block of an odd number of steps is packed one step deeper, and that step must leave every
     * sum's bits alone, signed zeros included: with A all +0 and B all negative every product is
     * -0, so C = -0 plus them stays -0 in the reference loop; a pad step of {@code +0 · +0} would
     * turn it into +0. Odd k (one block, and blocks of 257 + 256 steps), m and n at the tiles'
     * edges, every transpose, with each register tile.
     */
    @ParameterizedTest
    @EnumSource(VectorSgemm.Tile.class)
    void oddKBlocksKeepNegativeZeros(VectorSgemm.Tile tile) {
        int lanes = VectorSgemm.LANES;
        for (int k : new int[] {1, 3, 17, VectorSgemm.BLOCKS.kc() + 1, VectorDgemm.BLOCKS.kc() + 1}) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                int m = tile.rows + 5;
                int n = tile.nr() + lanes + 3;
                float[] a = new float[m * k];
                float[] b = new float[k * n];
                Arrays.fill(b, -1.5f);
                float[] c = new float[m * n];
                Arrays.fill(c, -0f);
                VectorSgemm.MACHINE.gemm(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, c, 0, n, true,
                        VectorSgemm.buffers(), null, 0, 0, false, tile);
                float[] expected = new float[m * n];
                Arrays.fill(expected, -0f);
                assertThat(c).as("f32 k=%d transA=%b transB=%b %s", k, ta, tb, tile).containsExactly(expected);
                double[] cd = toDouble(c);
                VectorDgemm.MACHINE.gemm(ta, tb, m, n, k, toDouble(a), 0, ta ? m : k, toDouble(b), 0, tb ? k : n, cd,
                        0, n, true, VectorDgemm.buffers(), null, 0, 0, false, f64(tile));
                assertThat(cd).as("f64 k=%d transA=%b transB=%b %s", k, ta, tb, tile).containsExactly(toDouble(expected));
            }
        }
    }

    /**
     * Every tile of C, at its edges too, runs the one register tile of its shape: the kernels have
     * a single tile method per {@link VectorSgemm.Tile}, which every call runs hundreds of times, so
     * the JIT compiles it within a product's first calls (a tile kept for edges alone would run
     * unoptimized code for seconds, see {@link VectorSgemm}).
     */
    @Test
    void edgesRunTheFullRegisterTile() {
        for (Class<?> kernel : List.of(VectorSgemm.class, VectorDgemm.class)) {
            List<String> tiles = Arrays.stream(kernel.getDeclaredMethods()).map(java.lang.reflect.Method::getName)
                    .filter(name -> name.matches("tile\\d+x\\d+")).sorted().toList();
            List<String> expected = Arrays.stream(VectorSgemm.Tile.values()).map(t -> "tile" + t.rows + "x" + t.vectors)
                    .sorted().toList();
            assertThat(tiles).as(kernel.getSimpleName()).isEqualTo(expected);
        }
    }

    /** The f64 kernel's tile of the same shape. */
    private static VectorDgemm.Tile f64(VectorSgemm.Tile tile) {
        return VectorDgemm.Tile.valueOf(tile.name());
    }

    /**
     * The packing buffers are reused from call to call and only the rows a tile reads are cleared:
     * after a product whose A is all NaN has filled them, products with a short last row panel
     * (m = 1, 2, 25, 27, 33 rows; full tiles, then a tile over a scratch corner that reads packed
     * rows past m) still give the reference loop's bits, so no stale packed row reaches C; with
     * each register tile.
     */
    @ParameterizedTest
    @EnumSource(VectorSgemm.Tile.class)
    void stalePackedRowsNeverReachC(VectorSgemm.Tile tile) {
        Random rnd = new Random(31);
        int k = 40;
        int n = 2 * VectorSgemm.NR + 3;
        float[] nanA = new float[48 * k];
        Arrays.fill(nanA, Float.NaN);
        double[] nanAd = toDouble(nanA);
        for (int m : new int[] {1, 2, 25, 27, 33}) {
            float[] b = randomF32(k * n, rnd);
            VectorSgemm.MACHINE.gemm(false, false, 48, n, k, nanA, 0, k, b, 0, n, new float[48 * n], 0, n, false,
                    VectorSgemm.buffers(), null, 0, 0, false, tile);
            VectorDgemm.MACHINE.gemm(false, false, 48, n, k, nanAd, 0, k, toDouble(b), 0, n, new double[48 * n], 0, n,
                    false, VectorDgemm.buffers(), null, 0, 0, false, f64(tile));
            float[] a = randomF32(m * k, rnd);
            float[] loop = new float[m * n];
            float[] simd = new float[m * n];
            Gemm.referenceF32(false, false, m, n, k, a, 0, k, b, 0, n, loop, 0, n, false);
            VectorSgemm.MACHINE.gemm(false, false, m, n, k, a, 0, k, b, 0, n, simd, 0, n, false, VectorSgemm.buffers(),
                    null, 0, 0, false, tile);
            assertThat(simd).as("f32 m=%d %s", m, tile).containsExactly(loop);
            double[] loopD = new double[m * n];
            double[] simdD = new double[m * n];
            Gemm.referenceF64(false, false, m, n, k, toDouble(a), 0, k, toDouble(b), 0, n, loopD, 0, n, false);
            VectorDgemm.MACHINE.gemm(false, false, m, n, k, toDouble(a), 0, k, toDouble(b), 0, n, simdD, 0, n, false,
                    VectorDgemm.buffers(), null, 0, 0, false, f64(tile));
            assertThat(simdD).as("f64 m=%d %s", m, tile).containsExactly(loopD);
        }
    }

    /**
     * Packing A a vector at a time reads whole vectors, and a transposed A's step holds only three
     * of their values: with A's array ending at its last element (no offset, lda = m, as many rows
     * as steps), the panels next to the end still give the reference loop's bits and read nothing
     * past the array; with a K block of 16 and k = 41 (vector steps, a short last block and the
     * odd-kc step), m from one tile to three and a part, every tile, both precisions.
     */
    @ParameterizedTest
    @EnumSource(VectorSgemm.Tile.class)
    void packingStopsAtTheEndOfA(VectorSgemm.Tile tile) {
        Random rnd = new Random(37);
        int k = 41;
        int n = VectorSgemm.NR + 5;
        VectorSgemm kernelF = new VectorSgemm(new GemmBlocking(16, 2 * tile.nr(), 4 * tile.rows));
        VectorDgemm kernelD = new VectorDgemm(new GemmBlocking(16, 2 * f64(tile).nr(), 4 * tile.rows));
        for (int m : new int[] {3, 7, 9, 11, 12, 13}) {
            for (boolean ta : new boolean[] {false, true}) {
                float[] a = randomF32(m * k, rnd);
                float[] b = randomF32(k * n, rnd);
                int lda = ta ? m : k;
                float[] loop = new float[m * n];
                float[] simd = new float[m * n];
                Gemm.referenceF32(ta, false, m, n, k, a, 0, lda, b, 0, n, loop, 0, n, false);
                kernelF.gemm(ta, false, m, n, k, a, 0, lda, b, 0, n, simd, 0, n, false, VectorSgemm.buffers(), null,
                        0, 0, false, tile);
                assertThat(simd).as("f32 m=%d transA=%b %s", m, ta, tile).containsExactly(loop);
                double[] loopD = new double[m * n];
                double[] simdD = new double[m * n];
                Gemm.referenceF64(ta, false, m, n, k, toDouble(a), 0, lda, toDouble(b), 0, n, loopD, 0, n, false);
                kernelD.gemm(ta, false, m, n, k, toDouble(a), 0, lda, toDouble(b), 0, n, simdD, 0, n, false,
                        VectorDgemm.buffers(), null, 0, 0, false, f64(tile));
                assertThat(simdD).as("f64 m=%d transA=%b %s", m, ta, tile).containsExactly(loopD);
            }
        }
    }

    @Test
    void referenceLoopMatchesNaiveLoop() {
        Random rnd = new Random(11);
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0;
            boolean tb = (t & 2) != 0;
            Layout l = Layout.random(33, 7, 65, ta, tb, rnd);
            float[] a = randomF32(l.aLen(), rnd);
            float[] b = randomF32(l.bLen(), rnd);
            float[] c = randomF32(l.cLen(), rnd);
            float[] before = c.clone();
            Gemm.referenceF32(ta, tb, 33, 7, 65, a, l.aOff, l.lda, b, l.bOff, l.ldb, c, l.cOff, l.ldc, t == 1);
            checkF32(l, ta, tb, t == 1, toDouble(a), toDouble(b), toDouble(before), c);
            double[] ad = randomF64(l.aLen(), rnd);
            double[] bd = randomF64(l.bLen(), rnd);
            double[] cd = randomF64(l.cLen(), rnd);
            double[] beforeD = cd.clone();
            Gemm.referenceF64(ta, tb, 33, 7, 65, ad, l.aOff, l.lda, bd, l.bOff, l.ldb, cd, l.cOff, l.ldc, t == 2);
            check(l, ta, tb, t == 2, ad, bd, beforeD, cd, 0x1p-53, "referenceF64");
        }
    }

    @Test
    void badArgumentsAreNamed() {
        float[] x = new float[12];
        assertThatThrownBy(() -> Gemm.sgemm(Engine.get().backend(), false, false, -1, 2, 2, x, 0, 2, x, 0, 2, x, 0, 2,
                false)) .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sgemm").hasMessageContaining("m=-1");
        assertThatThrownBy(() -> Gemm.sgemm(Engine.get().backend(), false, false, 2, 2, 3, x, 0, 2, x, 0, 2, x, 0, 2,
                false)) .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lda=2");
        assertThatThrownBy(() -> Gemm.sgemm(Engine.get().backend(), false, true, 2, 4, 3, x, 0, 3, x, 0, 4, x, 0, 4,
                false)) .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("B (4×3 as stored") .hasMessageContaining("has 12");
        assertThatThrownBy(() -> Gemm.dgemm(Engine.get().backend(), false, false, 2, 2, 2, new double[4], 0, 2,
                new double[4], 0, 2, new double[4], 1, 2,
                false)) .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dgemm").hasMessageContaining("C (2×2");
    }

    /** Operand placement: offsets and leading dimensions, each larger than the minimum when drawn at random. */
    record Layout(int m, int n, int k, int aOff, int lda, int bOff, int ldb, int cOff, int ldc) {

        static Layout random(int m, int n, int k, boolean ta, boolean tb, Random rnd) {
            int aCols = ta ? m : k;
            int bCols = tb ? k : n;
            return new Layout(m, n, k, rnd.nextInt(5), aCols + rnd.nextInt(4), rnd.nextInt(5), bCols + rnd.nextInt(4),
                    rnd.nextInt(5), n + rnd.nextInt(4));
        }

        int aLen() {
            return aOff + Math.max(m, k) * lda;
        }

        int bLen() {
            return bOff + Math.max(n, k) * ldb;
        }

        int cLen() {
            return cOff + m * ldc;
        }
    }

    private static void checkF32(Layout l, boolean ta, boolean tb, boolean acc, double[] a, double[] b, double[] before,
            float[] c) {
        check(l, ta, tb, acc, a, b, before, toDouble(c), 0x1p-24, "sgemm");
    }

    /** Naive f64 triple loop; each element must lie within (k + 2)·eps·(Σ|a·b| + |C before|) of it. */
    private static void check(Layout l, boolean ta, boolean tb, boolean acc, double[] a, double[] b, double[] before,
            double[] c, double eps, String what) {
        for (int i = 0; i < l.m; i++) {
            for (int j = 0; j < l.n; j++) {
                double s = 0;
                double mag = 0;
                for (int p = 0; p < l.k; p++) {
                    double x = ta ? a[l.aOff + p * l.lda + i] : a[l.aOff + i * l.lda + p];
                    double y = tb ? b[l.bOff + j * l.ldb + p] : b[l.bOff + p * l.ldb + j];
                    s += x * y;
                    mag += Math.abs(x * y);
                }
                int ci = l.cOff + i * l.ldc + j;
                if (acc) {
                    s += before[ci];
                    mag += Math.abs(before[ci]);
                }
                double tol = (l.k + 2) * eps * mag + Double.MIN_NORMAL;
                if (Math.abs(c[ci] - s) > tol) {
                    throw new AssertionError(String.format("%s %dx%dx%d transA=%s transB=%s acc=%s %s: C[%d][%d] = %s, "
                            + "expected %s (tolerance %s)", what, l.m, l.n, l.k, ta, tb, acc, l, i, j, c[ci], s, tol));
                }
            }
        }
    }
}
