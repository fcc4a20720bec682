package dev.vecgrad.core.kernel.conv;

import dev.vecgrad.core.kernel.Backend;
import dev.vecgrad.core.kernel.gemm.Gemm;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * An f32 GEMM for the products of a convolution, {@code C (+)= op(A)·B} with a narrow B (n, the
 * filter count, up to a few hundred), that reads A and B where they lie instead of packing them.
 *
 * <p>Why not {@link Gemm}: a packed GEMM copies every element of A into MR-row panels once per
 * call, and each A element then feeds only n multiply-adds. With n = 64 that is 4 vector FMAs, so
 * the scalar copy costs about as much as the product. Here the register tile broadcasts A straight
 * from the patch block (or the input), which the caller has just written and which is in cache,
 * and loads B rows, contiguous in the Keras filter layout or in the output gradient, in place.
 *
 * <p>The register tile is {@link #MR} rows by {@link #NR} columns (four vectors). With 32 vector
 * registers all six rows are in flight at once: 24 accumulators, four B vectors and a broadcast fill
 * 29 of them, and one step is 6 broadcasts, 4 loads and 24 FMAs. With 16 (x86 with AVX2; the rule
 * is {@link Gemm#vectorRegisters()}, the one that picks GEMM's register tile) the tile over A rows
 * read in order ({@link #tileUnit}) runs as three passes of two rows ({@link #PASS_ROWS}): 8
 * accumulators, four B vectors and two broadcasts, 8 FMA chains, as many as the FMA latency needs;
 * six rows at once would leave C2 short of registers for the accumulators, and it would keep some
 * on the stack. The tile that takes its depth steps from tables ({@link #gatherTile}) keeps its six
 * rows (see there). K is walked in blocks of {@link #KC} so
 * that the B rows of a block stay in L1 while every row tile passes over them ({@link Gemm#depthBlock},
 * the rule that sizes GEMM's K block). Edge tiles (fewer rows, or a last panel of fewer columns)
 * run the same tile on scratch copies.
 *
 * <p>Every element of C is one FMA chain over p = 0, 1, ..., k-1 in order, starting from C (when
 * accumulating) or zero, whatever the tile it falls in: results do not depend on blocking.
 */
final class UnpackedSgemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Vector lanes. */
    static final int LANES = S.length();
    /** Rows of the register tile. */
    static final int MR = 6;
    /** Columns of the register tile: four vectors. */
    static final int NR = 4 * LANES;
    /** Rows of C the tile keeps in flight at once: all {@link #MR} with 32 vector registers, else 2. */
    static final int PASS_ROWS = passRows(Gemm.vectorRegisters());
    /** K block: the B rows of one block ({@code KC x NR}), read by every row tile, fill half of L1. */
    static final int KC = Gemm.depthBlock(Float.BYTES, NR);
    /**
     * Widest B this pays for: past it a packed A panel feeds enough FMAs to repay its copy, and
     * {@link Gemm}'s larger tile wins.
     */
    static final int MAX_N = 256;

    /**
     * Whether a product of this width should run here rather than in {@link Gemm}. Touching this
     * class needs the Vector API: callers check {@link Backend#isVectorized()} first.
     */
    static boolean suits(int n) {
        return n >= NR && n <= MAX_N;
    }

    /**
     * The rows a pass of the tile holds for a machine of {@code registers} vector registers: every
     * row's 4 accumulators, 4 B vectors and the rows' broadcasts fit in them.
     */
    static int passRows(int registers) {
        return registers >= 32 ? MR : 2;
    }

    /** Per-thread scratch: a C tile and a B panel padded with zeros for the last columns. */
    static final class Scratch {
        final float[] c = new float[MR * NR];
        private float[] b = new float[0];

        /**
         * Columns {@code [j0, n)} (fewer than NR) of the k×n matrix B, as a k×NR panel padded with
         * zeros; the same for every row tile, so packed once per call.
         */
        float[] tailPanel(float[] src, int off, int ld, int k, int j0, int n) {
            if (b.length < k * NR) {
                b = new float[k * NR];
            }
            for (int p = 0; p < k; p++) {
                System.arraycopy(src, off + p * ld + j0, b, p * NR, n - j0);
                java.util.Arrays.fill(b, p * NR + n - j0, (p + 1) * NR, 0f);
            }
            return b;
        }
    }

    /** Offsets of a K block's depth steps in a padded B panel ({@link Scratch#tailPanel}): p * NR. */
    private static final int[] PANEL_STEPS = new int[KC];

    static {
        for (int p = 0; p < KC; p++) {
            PANEL_STEPS[p] = p * NR;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** The calling thread's scratch. */
    static Scratch scratch() {
        return SCRATCH.get();
    }

    private UnpackedSgemm() {
    }

    /**
     * {@code C (+)= op(A)·B} on the calling thread: op(A) is m×k, stored m×k with row stride
     * {@code lda} ({@code transA == false}) or k×m with row stride {@code lda} ({@code transA});
     * B is k×n with row stride {@code ldb}; C is m×n with row stride {@code ldc}.
     */
    static void gemm(boolean transA, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate) {
        gemm(transA, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, PASS_ROWS);
    }

    /**
     * {@link #gemm(boolean, int, int, int, float[], int, int, float[], int, int, float[], int, int, boolean)}
     * with the tile run {@code passRows} (6 or 2) rows at a time rather than as this machine runs it:
     * the same bits, so that both ways are tested on any machine.
     */
    static void gemm(boolean transA, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
            float[] c, int cOff, int ldc, boolean accumulate, int passRows) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            for (int i = 0; i < m && !accumulate; i++) {
                java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
            return;
        }
        Scratch s = SCRATCH.get();
        // A(i, p) lives at aOff + i * rowStep + p * depthStep.
        int rowStep = transA ? 1 : lda;
        int depthStep = transA ? lda : 1;
        int fullN = n - n % NR;
        float[] tailB = fullN < n ? s.tailPanel(b, bOff, ldb, k, fullN, n) : null;
        // Offsets of the K-block's depth steps from its start, in A and in B read in place.
        int[] aSteps = new int[KC];
        int[] bSteps = new int[KC];
        for (int p = 0; p < KC; p++) {
            aSteps[p] = p * depthStep;
            bSteps[p] = p * ldb;
        }
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            boolean add = accumulate || p0 > 0;
            for (int i0 = 0; i0 < m; i0 += MR) {
                int rows = Math.min(MR, m - i0);
                int a0 = aOff + i0 * rowStep + p0 * depthStep;
                // Rows past m repeat the last row: they read valid memory, and their results are dropped.
                int last = (rows - 1) * rowStep;
                int r1 = a0 + Math.min(1 * rowStep, last);
                int r2 = a0 + Math.min(2 * rowStep, last);
                int r3 = a0 + Math.min(3 * rowStep, last);
                int r4 = a0 + Math.min(4 * rowStep, last);
                int r5 = a0 + Math.min(5 * rowStep, last);
                for (int j0 = 0; j0 < n; j0 += NR) {
                    boolean fullCols = j0 < fullN;
                    float[] bArr = fullCols ? b : tailB;
                    int bi = fullCols ? bOff + p0 * ldb + j0 : p0 * NR;
                    int bStep = fullCols ? ldb : NR;
                    int[] bAt = fullCols ? bSteps : PANEL_STEPS;
                    int ci = cOff + i0 * ldc + j0;
                    if (rows == MR && fullCols) {
                        if (depthStep == 1) {
                            tileUnit(kc, a, a0, r1, r2, r3, r4, r5, bArr, bi, bStep, c, ci, ldc, add, passRows);
                        } else {
                            gatherTile(kc, a, aSteps, a0, r1, r2, r3, r4, r5, bArr, bAt, bi, c, ci, ldc, add);
                        }
                    } else {
                        int cols = Math.min(NR, n - j0);
                        java.util.Arrays.fill(s.c, 0f);
                        if (add) {
                            for (int r = 0; r < rows; r++) {
                                System.arraycopy(c, ci + r * ldc, s.c, r * NR, cols);
                            }
                        }
                        gatherTile(kc, a, aSteps, a0, r1, r2, r3, r4, r5, bArr, bAt, bi, s.c, 0, NR, true);
                        for (int r = 0; r < rows; r++) {
                            System.arraycopy(s.c, r * NR, c, ci + r * ldc, cols);
                        }
                    }
                }
            }
        }
    }

    /**
     * The register tile: C rows at {@code ci + r * ldc} (+)= sum over p < {@code count} of
     * {@code a[aAt[p] + r_r]} times the B row at {@code bAt[p] + bCol}, the depth steps given by
     * tables, all six rows at once whatever the vector registers. {@link #gemm} walks a transposed A
     * this way; the convolution's filter gradient walks the pixels of a block (A: the input at each
     * pixel's window corner, {@code r0 .. r5} six tap offsets; B: the output gradient), across output
     * rows, so the C tile is loaded and stored once a block, not once a row.
     */
    static void gatherTile(int count, float[] a, int[] aAt, int r0, int r1, int r2, int r3, int r4, int r5, float[] b,
            int[] bAt, int bCol, float[] c, int ci, int ldc, boolean add) {
        // Implementation note: with 16 vector registers C2 keeps some of the 24 accumulators on the
        // stack here too, but a step already loads two table entries, six A values and four B vectors;
        // three two-row passes (as tileUnit runs) load the tables and B three times, and measured slower
        // (the CNN's filter gradient 23.0–26.6 ms against 19.9–21.0 ms with the six-row tile under AVX2).
        FloatVector c00 = add ? FloatVector.fromArray(S, c, ci + 0 * ldc + 0 * LANES) : FloatVector.zero(S);
        FloatVector c01 = add ? FloatVector.fromArray(S, c, ci + 0 * ldc + 1 * LANES) : FloatVector.zero(S);
        FloatVector c02 = add ? FloatVector.fromArray(S, c, ci + 0 * ldc + 2 * LANES) : FloatVector.zero(S);
        FloatVector c03 = add ? FloatVector.fromArray(S, c, ci + 0 * ldc + 3 * LANES) : FloatVector.zero(S);
        FloatVector c10 = add ? FloatVector.fromArray(S, c, ci + 1 * ldc + 0 * LANES) : FloatVector.zero(S);
        FloatVector c11 = add ? FloatVector.fromArray(S, c, ci + 1 * ldc + 1 * LANES) : FloatVector.zero(S);
        FloatVector c12 = add ? FloatVector.fromArray(S, c, ci + 1 * ldc + 2 * LANES) : FloatVector.zero(S);
        FloatVector c13 = add ? FloatVector.fromArray(S, c, ci + 1 * ldc + 3 * LANES) : FloatVector.zero(S);
        FloatVector c20 = add ? FloatVector.fromArray(S, c, ci + 2 * ldc + 0 * LANES) : FloatVector.zero(S);
        FloatVector c21 = add ? FloatVector.fromArray(S, c, ci + 2 * ldc + 1 * LANES) : FloatVector.zero(S);
        FloatVector c22 = add ? FloatVector.fromArray(S, c, ci + 2 * ldc + 2 * LANES) : FloatVector.zero(S);
        FloatVector c23 = add ? FloatVector.fromArray(S, c, ci + 2 * ldc + 3 * LANES) : FloatVector.zero(S);
        FloatVector c30 = add ? FloatVector.fromArray(S, c, ci + 3 * ldc + 0 * LANES) : FloatVector.zero(S);
        FloatVector c31 = add ? FloatVector.fromArray(S, c, ci + 3 * ldc + 1 * LANES) : FloatVector.zero(S);
        FloatVector c32 = add ? FloatVector.fromArray(S, c, ci + 3 * ldc + 2 * LANES) : FloatVector.zero(S);
        FloatVector c33 = add ? FloatVector.fromArray(S, c, ci + 3 * ldc + 3 * LANES) : FloatVector.zero(S);
        FloatVector c40 = add ? FloatVector.fromArray(S, c, ci + 4 * ldc + 0 * LANES) : FloatVector.zero(S);
        FloatVector c41 = add ? FloatVector.fromArray(S, c, ci + 4 * ldc + 1 * LANES) : FloatVector.zero(S);
        FloatVector c42 = add ? FloatVector.fromArray(S, c, ci + 4 * ldc + 2 * LANES) : FloatVector.zero(S);
        FloatVector c43 = add ? FloatVector.fromArray(S, c, ci + 4 * ldc + 3 * LANES) : FloatVector.zero(S);
        FloatVector c50 = add ? FloatVector.fromArray(S, c, ci + 5 * ldc + 0 * LANES) : FloatVector.zero(S);
        FloatVector c51 = add ? FloatVector.fromArray(S, c, ci + 5 * ldc + 1 * LANES) : FloatVector.zero(S);
        FloatVector c52 = add ? FloatVector.fromArray(S, c, ci + 5 * ldc + 2 * LANES) : FloatVector.zero(S);
        FloatVector c53 = add ? FloatVector.fromArray(S, c, ci + 5 * ldc + 3 * LANES) : FloatVector.zero(S);
        for (int p = 0; p < count; p++) {
            int ad = aAt[p];
            int bi = bAt[p] + bCol;
            FloatVector b0 = FloatVector.fromArray(S, b, bi + 0 * LANES);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 1 * LANES);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * LANES);
            FloatVector b3 = FloatVector.fromArray(S, b, bi + 3 * LANES);
            FloatVector a0 = FloatVector.broadcast(S, a[ad + r0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S, a[ad + r1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.broadcast(S, a[ad + r2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.broadcast(S, a[ad + r3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            c33 = a3.fma(b3, c33);
            FloatVector a4 = FloatVector.broadcast(S, a[ad + r4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            c42 = a4.fma(b2, c42);
            c43 = a4.fma(b3, c43);
            FloatVector a5 = FloatVector.broadcast(S, a[ad + r5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            c52 = a5.fma(b2, c52);
            c53 = a5.fma(b3, c53);
        }
        c00.intoArray(c, ci + 0 * ldc + 0 * LANES);
        c01.intoArray(c, ci + 0 * ldc + 1 * LANES);
        c02.intoArray(c, ci + 0 * ldc + 2 * LANES);
        c03.intoArray(c, ci + 0 * ldc + 3 * LANES);
        c10.intoArray(c, ci + 1 * ldc + 0 * LANES);
        c11.intoArray(c, ci + 1 * ldc + 1 * LANES);
        c12.intoArray(c, ci + 1 * ldc + 2 * LANES);
        c13.intoArray(c, ci + 1 * ldc + 3 * LANES);
        c20.intoArray(c, ci + 2 * ldc + 0 * LANES);
        c21.intoArray(c, ci + 2 * ldc + 1 * LANES);
        c22.intoArray(c, ci + 2 * ldc + 2 * LANES);
        c23.intoArray(c, ci + 2 * ldc + 3 * LANES);
        c30.intoArray(c, ci + 3 * ldc + 0 * LANES);
        c31.intoArray(c, ci + 3 * ldc + 1 * LANES);
        c32.intoArray(c, ci + 3 * ldc + 2 * LANES);
        c33.intoArray(c, ci + 3 * ldc + 3 * LANES);
        c40.intoArray(c, ci + 4 * ldc + 0 * LANES);
        c41.intoArray(c, ci + 4 * ldc + 1 * LANES);
        c42.intoArray(c, ci + 4 * ldc + 2 * LANES);
        c43.intoArray(c, ci + 4 * ldc + 3 * LANES);
        c50.intoArray(c, ci + 5 * ldc + 0 * LANES);
        c51.intoArray(c, ci + 5 * ldc + 1 * LANES);
        c52.intoArray(c, ci + 5 * ldc + 2 * LANES);
        c53.intoArray(c, ci + 5 * ldc + 3 * LANES);
    }

    /**
     * {@link #gatherTile} for A rows that advance one element a step (patch rows, input runs), indexed
     * by the loop counter itself rather than through tables: C2 then drops the index loads and their
     * range checks.
     */
    static void tileUnit(int kc, float[] a, int r0, int r1, int r2, int r3, int r4, int r5, float[] b, int bi,
            int bStep, float[] c, int ci, int ldc, boolean add) {
        tileUnit(kc, a, r0, r1, r2, r3, r4, r5, b, bi, bStep, c, ci, ldc, add, PASS_ROWS);
    }

    /** {@link #tileUnit} with {@code passRows} (6 or 2) rows at a time rather than this machine's. */
    static void tileUnit(int kc, float[] a, int r0, int r1, int r2, int r3, int r4, int r5, float[] b, int bi,
            int bStep, float[] c, int ci, int ldc, boolean add, int passRows) {
        if (passRows == MR) {
            unit6(kc, a, r0, r1, r2, r3, r4, r5, b, bi, bStep, c, ci, ldc, add);
        } else {
            unit2(kc, a, r0, r1, b, bi, bStep, c, ci, ldc, add);
            unit2(kc, a, r2, r3, b, bi, bStep, c, ci + 2 * ldc, ldc, add);
            unit2(kc, a, r4, r5, b, bi, bStep, c, ci + 4 * ldc, ldc, add);
        }
    }

    /*
     * tileUnit's passes: R rows × 4 vectors of C, R·4 accumulators held in locals (so that C2 keeps them in
     * vector registers), each method branch-free in its loop and small enough that C2 inlines every
     * vector operation in it.
     */

    private static void unit6(int kc, float[] a, int r0, int r1, int r2, int r3, int r4, int r5, float[] b, int bi,
            int bStep, float[] c, int ci, int ldc, boolean add) {
        FloatVector c00 = add ? FloatVector.fromArray(S, c, ci + 0 * ldc + 0 * LANES) : FloatVector.zero(S);
        FloatVector c01 = add ? FloatVector.fromArray(S, c, ci + 0 * ldc + 1 * LANES) : FloatVector.zero(S);
        FloatVector c02 = add ? FloatVector.fromArray(S, c, ci + 0 * ldc + 2 * LANES) : FloatVector.zero(S);
        FloatVector c03 = add ? FloatVector.fromArray(S, c, ci + 0 * ldc + 3 * LANES) : FloatVector.zero(S);
        FloatVector c10 = add ? FloatVector.fromArray(S, c, ci + 1 * ldc + 0 * LANES) : FloatVector.zero(S);
        FloatVector c11 = add ? FloatVector.fromArray(S, c, ci + 1 * ldc + 1 * LANES) : FloatVector.zero(S);
        FloatVector c12 = add ? FloatVector.fromArray(S, c, ci + 1 * ldc + 2 * LANES) : FloatVector.zero(S);
        FloatVector c13 = add ? FloatVector.fromArray(S, c, ci + 1 * ldc + 3 * LANES) : FloatVector.zero(S);
        FloatVector c20 = add ? FloatVector.fromArray(S, c, ci + 2 * ldc + 0 * LANES) : FloatVector.zero(S);
        FloatVector c21 = add ? FloatVector.fromArray(S, c, ci + 2 * ldc + 1 * LANES) : FloatVector.zero(S);
        FloatVector c22 = add ? FloatVector.fromArray(S, c, ci + 2 * ldc + 2 * LANES) : FloatVector.zero(S);
        FloatVector c23 = add ? FloatVector.fromArray(S, c, ci + 2 * ldc + 3 * LANES) : FloatVector.zero(S);
        FloatVector c30 = add ? FloatVector.fromArray(S, c, ci + 3 * ldc + 0 * LANES) : FloatVector.zero(S);
        FloatVector c31 = add ? FloatVector.fromArray(S, c, ci + 3 * ldc + 1 * LANES) : FloatVector.zero(S);
        FloatVector c32 = add ? FloatVector.fromArray(S, c, ci + 3 * ldc + 2 * LANES) : FloatVector.zero(S);
        FloatVector c33 = add ? FloatVector.fromArray(S, c, ci + 3 * ldc + 3 * LANES) : FloatVector.zero(S);
        FloatVector c40 = add ? FloatVector.fromArray(S, c, ci + 4 * ldc + 0 * LANES) : FloatVector.zero(S);
        FloatVector c41 = add ? FloatVector.fromArray(S, c, ci + 4 * ldc + 1 * LANES) : FloatVector.zero(S);
        FloatVector c42 = add ? FloatVector.fromArray(S, c, ci + 4 * ldc + 2 * LANES) : FloatVector.zero(S);
        FloatVector c43 = add ? FloatVector.fromArray(S, c, ci + 4 * ldc + 3 * LANES) : FloatVector.zero(S);
        FloatVector c50 = add ? FloatVector.fromArray(S, c, ci + 5 * ldc + 0 * LANES) : FloatVector.zero(S);
        FloatVector c51 = add ? FloatVector.fromArray(S, c, ci + 5 * ldc + 1 * LANES) : FloatVector.zero(S);
        FloatVector c52 = add ? FloatVector.fromArray(S, c, ci + 5 * ldc + 2 * LANES) : FloatVector.zero(S);
        FloatVector c53 = add ? FloatVector.fromArray(S, c, ci + 5 * ldc + 3 * LANES) : FloatVector.zero(S);
        for (int p = 0; p < kc; p++, bi += bStep) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi + 0 * LANES);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 1 * LANES);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * LANES);
            FloatVector b3 = FloatVector.fromArray(S, b, bi + 3 * LANES);
            FloatVector a0 = FloatVector.broadcast(S, a[r0 + p]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S, a[r1 + p]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.broadcast(S, a[r2 + p]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.broadcast(S, a[r3 + p]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            c33 = a3.fma(b3, c33);
            FloatVector a4 = FloatVector.broadcast(S, a[r4 + p]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            c42 = a4.fma(b2, c42);
            c43 = a4.fma(b3, c43);
            FloatVector a5 = FloatVector.broadcast(S, a[r5 + p]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            c52 = a5.fma(b2, c52);
            c53 = a5.fma(b3, c53);
        }
        c00.intoArray(c, ci + 0 * ldc + 0 * LANES);
        c01.intoArray(c, ci + 0 * ldc + 1 * LANES);
        c02.intoArray(c, ci + 0 * ldc + 2 * LANES);
        c03.intoArray(c, ci + 0 * ldc + 3 * LANES);
        c10.intoArray(c, ci + 1 * ldc + 0 * LANES);
        c11.intoArray(c, ci + 1 * ldc + 1 * LANES);
        c12.intoArray(c, ci + 1 * ldc + 2 * LANES);
        c13.intoArray(c, ci + 1 * ldc + 3 * LANES);
        c20.intoArray(c, ci + 2 * ldc + 0 * LANES);
        c21.intoArray(c, ci + 2 * ldc + 1 * LANES);
        c22.intoArray(c, ci + 2 * ldc + 2 * LANES);
        c23.intoArray(c, ci + 2 * ldc + 3 * LANES);
        c30.intoArray(c, ci + 3 * ldc + 0 * LANES);
        c31.intoArray(c, ci + 3 * ldc + 1 * LANES);
        c32.intoArray(c, ci + 3 * ldc + 2 * LANES);
        c33.intoArray(c, ci + 3 * ldc + 3 * LANES);
        c40.intoArray(c, ci + 4 * ldc + 0 * LANES);
        c41.intoArray(c, ci + 4 * ldc + 1 * LANES);
        c42.intoArray(c, ci + 4 * ldc + 2 * LANES);
        c43.intoArray(c, ci + 4 * ldc + 3 * LANES);
        c50.intoArray(c, ci + 5 * ldc + 0 * LANES);
        c51.intoArray(c, ci + 5 * ldc + 1 * LANES);
        c52.intoArray(c, ci + 5 * ldc + 2 * LANES);
        c53.intoArray(c, ci + 5 * ldc + 3 * LANES);
    }

    private static void unit2(int kc, float[] a, int r0, int r1, float[] b, int bi, int bStep,
            float[] c, int ci, int ldc, boolean add) {
        FloatVector c00 = add ? FloatVector.fromArray(S, c, ci + 0 * ldc + 0 * LANES) : FloatVector.zero(S);
        FloatVector c01 = add ? FloatVector.fromArray(S, c, ci + 0 * ldc + 1 * LANES) : FloatVector.zero(S);
        FloatVector c02 = add ? FloatVector.fromArray(S, c, ci + 0 * ldc + 2 * LANES) : FloatVector.zero(S);
        FloatVector c03 = add ? FloatVector.fromArray(S, c, ci + 0 * ldc + 3 * LANES) : FloatVector.zero(S);
        FloatVector c10 = add ? FloatVector.fromArray(S, c, ci + 1 * ldc + 0 * LANES) : FloatVector.zero(S);
        FloatVector c11 = add ? FloatVector.fromArray(S, c, ci + 1 * ldc + 1 * LANES) : FloatVector.zero(S);
        FloatVector c12 = add ? FloatVector.fromArray(S, c, ci + 1 * ldc + 2 * LANES) : FloatVector.zero(S);
        FloatVector c13 = add ? FloatVector.fromArray(S, c, ci + 1 * ldc + 3 * LANES) : FloatVector.zero(S);
        for (int p = 0; p < kc; p++, bi += bStep) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi + 0 * LANES);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 1 * LANES);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * LANES);
            FloatVector b3 = FloatVector.fromArray(S, b, bi + 3 * LANES);
            FloatVector a0 = FloatVector.broadcast(S, a[r0 + p]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S, a[r1 + p]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            c13 = a1.fma(b3, c13);
        }
        c00.intoArray(c, ci + 0 * ldc + 0 * LANES);
        c01.intoArray(c, ci + 0 * ldc + 1 * LANES);
        c02.intoArray(c, ci + 0 * ldc + 2 * LANES);
        c03.intoArray(c, ci + 0 * ldc + 3 * LANES);
        c10.intoArray(c, ci + 1 * ldc + 0 * LANES);
        c11.intoArray(c, ci + 1 * ldc + 1 * LANES);
        c12.intoArray(c, ci + 1 * ldc + 2 * LANES);
        c13.intoArray(c, ci + 1 * ldc + 3 * LANES);
    }
}
