package dev.vecgrad.core.kernel.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The f32 GEMM for small products, which {@link VectorSgemm#gemm} hands over when
 * {@link #takes} says so: products whose fixed costs (packing both operands, loading and storing
 * C once per tile, the short tiles at the edges) weigh as much as their multiply-adds.
 *
 * <pre>
 * for jc in N by panels of the tile's width: one panel of B: k × width, read in place (or copied once)
 *   for ir in M by the tile's rows:         A's rows read in place, C loaded and stored once
 *     register tile: C[ir.., jc..] (+)= A[ir.., :] · B[:, jc..]
 * </pre>
 * <ul>
 *   <li>No K blocking: the whole of K runs through each tile, so the panel of B ({@code k × width})
 *       must stay in L1 ({@link #MAX_K}), and C is loaded and stored once.</li>
 *   <li>No packing of A: the tile's broadcasts read op(A) where it is, row r of a tile at
 *       {@code ai + r·rs} and step p at {@code p·ps} (rows of A, or columns of a transposed A);
 *       a tile on the last, short row block reads and writes its last row again for the rows
 *       past m, which stores the same values twice.</li>
 *   <li>No packing of an untransposed B whose panel is whole and whose rows spread over L1's sets
 *       ({@link #inPlace}): the tile reads B's rows where they are, {@code ldb} apart. Other panels
 *       (a transposed B, a row stride with a large power-of-two factor, a partial last vector) are
 *       copied once a call into a panel {@code k × width}, zero past the last column.</li>
 *   <li>The register tiles come from the machine's vector registers ({@link Plan}). With 32
 *       ({@link Plan#WIDE}) the main tile is {@link #MR} = 6 rows × 4 vectors: 24 accumulators, 4 B
 *       vectors and a broadcast, 10 loads for 24 FMAs a step (the 12 × 2 tile of the
 *       blocked kernel needs 14). A last panel of 5 to 8 vectors runs 4 rows × 6 vectors (as many
 *       accumulators, 6 B vectors: again 10 loads for 24 FMAs), where a 4-vector panel would
 *       leave a 2-vector one whose tile does 12 FMAs for 8 loads, each with its own index and
 *       range check. Narrower tiles (2 vectors, 1 vector) finish N; a last partial vector runs the
 *       tile on a scratch copy of C's corner.</li>
 *   <li>With 16 ({@link Plan#FIVE_ROWS}, x86 with AVX2) the tile is 5 rows × 2 vectors: 10
 *       accumulators (two FMA chains more than the latency needs), 2 B vectors and the broadcasts;
 *       a last vector of N runs 5 × 1, a partial one on the scratch copy. Only products at most
 *       {@link #NARROW_COLUMNS} wide come here ({@link #takes}).</li>
 * </ul>
 *
 * <p>Every C element is one FMA chain over p = 0, 1, ..., k-1 from C (or zero), as in
 * {@link VectorSgemm}: the result has the same bits as the blocked kernel's and
 * {@link Gemm#referenceF32}'s, whatever the tile.
 *
 * <p>One source for both precisions (F64Source): SmallDgemm.java is generated from SmallSgemm.java.
 */
final class SmallSgemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Vector lanes. */
    static final int LANES = S.length();
    /** Rows of the main register tile of {@link Plan#WIDE}. */
    static final int MR = 6;
    /** Columns of the main register tile of {@link Plan#WIDE}: four vectors. */
    static final int NR = 4 * LANES;
    /** Vectors of the widest tile, 4 rows × 6 vectors, which takes a last panel of 5 to 8 vectors. */
    static final int WIDE_VECTORS = 6;

    /** The register tiles a product runs on, chosen from the machine's vector registers ({@link #PLAN}). */
    enum Plan {
        /** 6 × 4 vectors (4 × 6 for a last panel of 5 to 8 vectors), 2 and 1 for the rest: 32 registers. */
        WIDE(6, 4),
        /** 5 × 2 vectors, 5 × 1 for the rest: 10 accumulators, 2 B vectors and the broadcasts in 16 registers. */
        FIVE_ROWS(5, 2);

        /** Rows of the main tile. */
        final int rows;
        /** Vectors of the main tile's width. */
        final int vectors;

        Plan(int rows, int vectors) {
            this.rows = rows;
            this.vectors = vectors;
        }

        /** The deepest product this plan takes: a panel of B as wide as its main tile fills L1's share. */
        int maxK() {
            return SmallSgemm.maxK(PANEL_BYTES, vectors, Float.BYTES);
        }
    }

    /** Bytes of L1 a panel of B may fill: all but two ways, one for A's rows streaming past, one for C's tile. */
    static final int PANEL_BYTES = panelBytes(CpuCaches.DETECTED);
    /** This machine's plan: {@link Plan#WIDE} with 32 vector registers, {@link Plan#FIVE_ROWS} with 16. */
    static final Plan PLAN = VectorSgemm.REGISTERS >= 32 ? Plan.WIDE : Plan.FIVE_ROWS;
    /** The deepest product taken: a panel of B as wide as {@link #PLAN}'s main tile fills L1's share. */
    static final int MAX_K = PLAN.maxK();
    /** The largest product taken, in bytes of A, B and C together: half of L2. */
    static final long MAX_BYTES = CpuCaches.DETECTED.l2Bytes() / 2;

    /** Bytes of one way of L1: rows this far apart fall in the same set. */
    private static final int WAY_BYTES = CpuCaches.DETECTED.l1Bytes() / CpuCaches.DETECTED.l1Ways();
    /** Elements of the largest register tile, 24 vectors (6 × 4 and 4 × 6). */
    private static final int TILE_ELEMENTS = 24 * LANES;

    /** Zeros: the starting accumulators of a tile that overwrites C. */
    private static final float[] ZEROS = new float[WIDE_VECTORS * LANES];

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private SmallSgemm() {
    }

    /** Bytes of L1 a panel of B may fill on a machine with {@code caches}: all of L1 but two ways. */
    static int panelBytes(CpuCaches caches) {
        return caches.l1Bytes() - 2 * (caches.l1Bytes() / caches.l1Ways());
    }

    /**
     * The deepest K at which a panel of B {@code vectors} wide, in elements of {@code elementBytes},
     * fits in {@code panelBytes}.
     */
    static int maxK(int panelBytes, int vectors, int elementBytes) {
        return panelBytes / (vectors * LANES * elementBytes);
    }

    /**
     * Vectors of the panel that starts with {@code rest} columns left, K deep, on {@code plan}'s
     * tiles. {@link Plan#WIDE}: 4; the 6-vector panel when 5 to 8 vectors are left and its panel
     * fits L1; 2 or 1 vectors for what is left after the last whole panel. Other plans: their main
     * tile's vectors, or fewer for the rest.
     */
    static int panelVectors(int rest, int k, Plan plan) {
        if (plan != Plan.WIDE) {
            return Math.min(plan.vectors, (rest + LANES - 1) / LANES);
        }
        if (rest > 5 * LANES && rest < 8 * LANES && k <= maxK(PANEL_BYTES, WIDE_VECTORS, Float.BYTES)) {
            return WIDE_VECTORS;
        }
        if (rest >= NR) {
            return 4;
        }
        return rest > LANES ? 2 : 1;
    }

    /**
     * Whether an {@code m × n × k} product runs here: its main panel of B fits in L1
     * ({@link #MAX_K}) and A, B and C together in half of L2 ({@link #MAX_BYTES}). Past that,
     * the blocked kernel's packing costs little beside the product, while this path reads A once
     * for every panel of B.
     */
    // Implementation note: on a core with a 48 KiB L1D and a 1 MiB L2, the two paths alternating in
    // 100 ms blocks in one JVM, three JVMs with the shapes in different orders, this path over the
    // blocked one (median of the JVMs' medians; best blocks): f32 160³ 1.33 (186 against 155
    // GFLOP/s), 256×256×128 1.15 (200 against 169); f64 128³ 1.13 (90 against 81). A quarter of L2
    // sent all three to the blocked kernel. Beyond half of L2 the blocked kernel was ahead or even
    // (f32 1024×256×128 0.89 and 1536×512×96 0.95 in one JVM; 784×128·128×256, an MLP's weight
    // gradient, 0.99), though this path also won some larger ones (f64 160³ 1.14, 256×256×128 1.13).
    static boolean suits(int m, int n, int k) {
        return k <= MAX_K && ((long) m * k + (long) k * n + (long) m * n) * Float.BYTES <= MAX_BYTES;
    }
    // F64Source: F32 only begin

    /**
     * Whether an {@code m × n × k} product with a transposed A runs here beyond {@link #suits}:
     * its main panel of B fits in L1 ({@link #MAX_K}) and A alone in half of L2, where it stays
     * while the panels of B pass, whatever the size of B and C. The blocked kernel transposes A as
     * it packs it; this path reads A's columns where they are.
     */
    // Implementation note: on a core with a 48 KiB L1D and a 1 MiB L2, after the blocked kernel's
    // in-register transposition of A, the two paths alternating in 100 ms blocks in one JVM, median
    // per JVM of this path over the blocked one: 784×256×128 (A 392 KiB, an MLP's weight gradient)
    // 0.95-1.18, median of 10 JVMs 1.12 (the transposing pack of A alone took a tenth of the blocked
    // product's time); 1024×1024×128 (A 512 KiB) 0.90-1.09, median 1.04; 2048×1024×128 (A 1 MiB)
    // 0.96-1.02. On two threads (Gemm's grid, a block of rows each on this path, against the blocked
    // kernel's team), wall time: 784×256×128 0.99-1.24, 1024×1024×128 1.56-1.75. At f64 this path
    // lost (0.90-1.09, median 0.97), so the F64 kernel has no such rule.
    static boolean takesTransposedA(int m, int n, int k) {
        return k <= MAX_K && (long) m * k * Float.BYTES <= CpuCaches.DETECTED.l2Bytes() / 2;
    }
    // F64Source: F32 only end

    /**
     * Columns of the widest product {@link Plan#FIVE_ROWS} takes. Its loop runs slower than the
     * blocked kernel's over packed operands (A read in place costs an address a row, B a range
     * check a vector), which only the packing it saves pays for: packing A costs the blocked
     * kernel as much for one column panel as for many, so this path wins on few of them.
     */
    // Implementation note: on an AVX2-only core (16 vector registers, 32 KiB L1D, 512 KiB L2),
    // this path over the blocked one with its 5 × 2 (f32) and 3 × 3 (f64) tiles, alternating 30 ms
    // blocks in one JVM, median of 10 rounds (an A/A copy of the blocked kernel 0.98-1.05): f32
    // m×n×k 64×16×64 1.52, 128×16×128 1.37, 64×32×64 1.17, 128×32×128 1.14, 64×48×64 1.17 but
    // 128×48×128 1.00 and 256×48×128 0.96, 64³ 0.99, 128×64×128 0.90, 128³ 0.86; f64 64×16×64
    // 1.80, 128×16×128 1.36, 64×32×64 1.36, 128×32×128 1.19, 128×48×128 0.85, 256×48×128 0.84,
    // 64³ 1.04, 128³ 0.80. With A transposed (both paths), f32: 64×16×64 1.93, 128×32×128 1.14,
    // 128×48×128 0.98. Where A is read for more than one panel: f32 256×32×128 (A 128 KiB) 0.90 in
    // two runs, against 128×32×128 (A 64 KiB) 1.04-1.14; one panel: f32 128×10×256 (A 128 KiB)
    // 1.42, 512×16×64 (A 128 KiB) 1.09. In L1 (one 5 × 2 tile, K 256) this loop ran 0.83 of a
    // register-only loop of 10 FMA chains with A's step specialised to 1, 0.63 with it an argument.
    static final int NARROW_COLUMNS = 32;

    /** The most bytes of A that {@link Plan#FIVE_ROWS} reads again for a second panel of B: an eighth of L2. */
    static final long MAX_REREAD_BYTES = CpuCaches.DETECTED.l2Bytes() / 8;

    /**
     * Whether this machine's blocked kernel hands an {@code m × n × k} product, with A transposed
     * or not, to this path: with {@link Plan#WIDE}, where {@link #suits} says so (at f32 also where
     * takesTransposedA does (F64Source)); with {@link Plan#FIVE_ROWS}, where {@link #suits} says so,
     * the product is at most {@link #NARROW_COLUMNS} wide, and it is one panel of B wide or A fits
     * in an eighth of L2 ({@link #MAX_REREAD_BYTES}): each panel reads all of A again.
     */
    static boolean takes(boolean transA, int m, int n, int k) {
        if (PLAN == Plan.FIVE_ROWS) {
            boolean onePanel = n <= Plan.FIVE_ROWS.vectors * LANES;
            return n <= NARROW_COLUMNS && suits(m, n, k)
                    && (onePanel || (long) m * k * Float.BYTES <= MAX_REREAD_BYTES);
        }
        boolean small = suits(m, n, k);
        small |= transA && takesTransposedA(m, n, k); // F64Source: F32 only
        return small;
    }

    /**
     * Whether a panel of B, {@code k} rows of {@code width} elements {@code ldb} apart, can be read
     * where it is and stay in L1. Rows whose stride in bytes has a large power-of-two factor start
     * in few of L1's sets and crowd them: rows twice the panel's width apart use half of the sets,
     * rows a way apart the same few. With {@code g}, that factor, clamped between the panel's row
     * and a way, the rows fill the sets they use as a panel {@code g / rowBytes} times deeper would
     * fill all of them, so the panel stays in L1 while that deeper panel would fit
     * ({@link #PANEL_BYTES}).
     */
    static boolean inPlace(int k, int ldb, int width) {
        long rowBytes = (long) width * Float.BYTES;
        long spread = Math.clamp(Long.lowestOneBit((long) ldb * Float.BYTES), rowBytes, WAY_BYTES);
        return k * spread <= PANEL_BYTES;
    }

    /** Per-thread buffers: the copied panel of B, a tile of C for the partial last vector, gather offsets. */
    static final class Buffers {
        final float[] panel = new float[PANEL_BYTES / Float.BYTES];
        final float[] scratch = new float[TILE_ELEMENTS];
        private final int[] index = new int[LANES];
        private int indexLd = -1;

        /** Gather offsets {@code 0, ld, 2·ld, ...} of LANES consecutive rows of a transposed B. */
        int[] index(int ld) {
            if (ld != indexLd) {
                for (int i = 0; i < LANES; i++) {
                    index[i] = i * ld;
                }
                indexLd = ld;
            }
            return index;
        }
    }

    /** The calling thread's buffers. */
    static Buffers buffers() {
        return BUFFERS.get();
    }

    /**
     * {@code C = op(A)·op(B)} (or {@code +=} when {@code accumulate}) on the calling thread;
     * arguments as in {@link Gemm#sgemm}, already validated, m, n, k &gt; 0, {@code k ≤ MAX_K}.
     * {@code bottomUp} walks the row blocks from the last, as {@link VectorSgemm#gemm} does for
     * the second of two blocks side by side.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
            float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate, Buffers buf,
            boolean bottomUp) {
        gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, buf, bottomUp, PLAN);
    }

    /** {@link #gemm} on the tiles of {@code plan}, {@code k ≤ plan.maxK()}: the same bits whatever the plan. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
            float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate, Buffers buf,
            boolean bottomUp, Plan plan) {
        int rs = transA ? 1 : lda;
        int ps = transA ? lda : 1;
        int[] index = transB ? buf.index(ldb) : null;
        float[] in = accumulate ? c : ZEROS;
        int inLd = accumulate ? ldc : 0;
        for (int jc = 0; jc < n; ) {
            int rest = n - jc;
            int vectors = panelVectors(rest, k, plan);
            int mr = vectors == WIDE_VECTORS ? 4 : plan.rows;
            int width = vectors * LANES;
            int cols = Math.min(width, rest);
            float[] bp;
            int bi;
            int bs;
            if (!transB && cols == width && inPlace(k, ldb, width)) {
                bp = b;
                bi = bOff + jc;
                bs = ldb;
            } else {
                pack(transB, b, bOff, ldb, k, jc, cols, width, buf, index);
                bp = buf.panel;
                bi = 0;
                bs = width;
            }
            int last = (m - 1) / mr * mr;
            for (int q = 0; q <= last; q += mr) {
                int ir = bottomUp ? last - q : q;
                int rows = Math.min(mr, m - ir);
                int ai = aOff + ir * rs;
                int ci = cOff + ir * ldc + jc;
                if (cols == width) {
                    tile(mr, vectors, k, a, ai, rs, ps, bp, bi, bs, c, ci, ldc, rows, in, accumulate ? ci : 0, inLd);
                } else {
                    // The last vector is partial: the tile runs on a copy of C's corner.
                    float[] scratch = buf.scratch;
                    if (accumulate) {
                        for (int r = 0; r < rows; r++) {
                            System.arraycopy(c, ci + r * ldc, scratch, r * width, cols);
                        }
                    }
                    tile(mr, vectors, k, a, ai, rs, ps, bp, bi, bs, scratch, 0, width, rows,
                            accumulate ? scratch : ZEROS, 0, accumulate ? width : 0);
                    for (int r = 0; r < rows; r++) {
                        System.arraycopy(scratch, r * width, c, ci + r * ldc, cols);
                    }
                }
            }
            jc += cols;
        }
    }

    /**
     * The tile of {@code mr} rows × {@code vectors} vectors (6×4, 4×6, 6×2, 6×1, 5×2 or 5×1; the
     * 5-row ones specialised to {@code ps = 1} when A's step is 1); arguments as below.
     */
    private static void tile(int mr, int vectors, int k, float[] a, int ai, int rs, int ps, float[] b, int bi, int bs,
            float[] c, int ci, int ldc, int rows, float[] cIn, int inOff, int inLd) {
        if (ps == 1 && mr == Plan.FIVE_ROWS.rows) {
            switch (mr * 10 + vectors) {
                case 52 -> tile5x2Unit(k, a, ai, rs, b, bi, bs, c, ci, ldc, rows, cIn, inOff, inLd);
                case 51 -> tile5x1Unit(k, a, ai, rs, b, bi, bs, c, ci, ldc, rows, cIn, inOff, inLd);
                default -> throw new IllegalArgumentException("no " + mr + "×" + vectors + " tile");
            }
            return;
        }
        switch (mr * 10 + vectors) {
            case 64 -> tile6x4(k, a, ai, rs, ps, b, bi, bs, c, ci, ldc, rows, cIn, inOff, inLd);
            case 46 -> tile4x6(k, a, ai, rs, ps, b, bi, bs, c, ci, ldc, rows, cIn, inOff, inLd);
            case 62 -> tile6x2(k, a, ai, rs, ps, b, bi, bs, c, ci, ldc, rows, cIn, inOff, inLd);
            case 61 -> tile6x1(k, a, ai, rs, ps, b, bi, bs, c, ci, ldc, rows, cIn, inOff, inLd);
            case 52 -> tile5x2(k, a, ai, rs, ps, b, bi, bs, c, ci, ldc, rows, cIn, inOff, inLd);
            case 51 -> tile5x1(k, a, ai, rs, ps, b, bi, bs, c, ci, ldc, rows, cIn, inOff, inLd);
            default -> throw new IllegalArgumentException("no " + mr + "×" + vectors + " tile");
        }
    }

    /**
     * Packs op(B)'s rows 0..k-1, columns j0..j0+cols-1 into {@code buf.panel}, {@code width} wide,
     * zero past cols. Of a transposed B, blocks of {@link VectorSgemm#T_ROWS} whole-vector columns
     * × LANES steps are transposed in registers ({@link VectorSgemm#transpose}), the other whole
     * vectors gathered with {@code index}, and the columns of a partial last vector moved one at a
     * time.
     */
    private static void pack(boolean transB, float[] b, int bOff, int ldb, int k, int j0, int cols, int width,
            Buffers buf, int[] index) {
        float[] dst = buf.panel;
        if (!transB) {
            // Masked loads leave the tail of a panel that ends in a partial vector zero.
            for (int p = 0, s = bOff + j0, d = 0; p < k; p++, s += ldb, d += width) {
                for (int v = 0; v < width; v += LANES) {
                    FloatVector.fromArray(S, b, s + v, S.indexInRange(v, cols)).intoArray(dst, d + v);
                }
            }
        } else {
            int s = bOff + j0 * ldb;
            int full = cols - cols % LANES;
            int blocked = VectorSgemm.TRANSPOSES ? full / VectorSgemm.T_ROWS * VectorSgemm.T_ROWS : 0;
            int deep = k / LANES * LANES;
            for (int j = 0; j < blocked; j += VectorSgemm.T_ROWS) {
                for (int p = 0; p < deep; p += LANES) {
                    VectorSgemm.transpose(b, s + j * ldb + p, ldb, dst, j + p * width, width);
                }
            }
            for (int v = 0; v < full; v += LANES) {
                for (int p = v < blocked ? deep : 0; p < k; p++) {
                    FloatVector.fromArray(S, b, s + v * ldb + p, index, 0).intoArray(dst, p * width + v);
                }
            }
            for (int p = 0; p < k; p++) {
                for (int j = full; j < width; j++) {
                    dst[p * width + j] = j < cols ? b[s + j * ldb + p] : 0;
                }
            }
        }
    }


    /*
     * The register tiles: R rows × V vectors of C. Row r (r < rows; rows past that repeat the last
     * row) takes its A values from a[ai + r·rs + p·ps] and its accumulators from cIn at
     * inOff + r·inLd (C itself, or zeros with inLd = 0); step p reads V vectors of B at bi + p·bs.
     * The accumulators are locals so that C2 keeps them in registers; the loads of C all come before
     * the stores, so a repeated row stores the same values twice. The strides are arguments, not
     * constants: C2 then keeps a range check a step for each A row, which measured faster with 32
     * vector registers than a tile specialised to ps = 1. The 16-register tiles have that
     * specialisation too (tile5x2Unit, tile5x1Unit), taken for an untransposed A: there C2 takes
     * the range checks of A's rows out of the loop, and it ran 1.3 times as fast (see
     * {@link #NARROW_COLUMNS}).
     */

    private static void tile6x4(int k, float[] a, int ai, int rs, int ps, float[] b, int bi, int bs, float[] c,
            int ci, int ldc, int rows, float[] cIn, int inOff, int inLd) {
        int r1 = Math.min(1, rows - 1);
        int r2 = Math.min(2, rows - 1);
        int r3 = Math.min(3, rows - 1);
        int r4 = Math.min(4, rows - 1);
        int r5 = Math.min(5, rows - 1);
        int a0 = ai;
        int a1 = ai + r1 * rs;
        int a2 = ai + r2 * rs;
        int a3 = ai + r3 * rs;
        int a4 = ai + r4 * rs;
        int a5 = ai + r5 * rs;
        int c0 = ci;
        int c1 = ci + r1 * ldc;
        int c2 = ci + r2 * ldc;
        int c3 = ci + r3 * ldc;
        int c4 = ci + r4 * ldc;
        int c5 = ci + r5 * ldc;
        int i0 = inOff;
        int i1 = inOff + r1 * inLd;
        int i2 = inOff + r2 * inLd;
        int i3 = inOff + r3 * inLd;
        int i4 = inOff + r4 * inLd;
        int i5 = inOff + r5 * inLd;
        FloatVector acc0_0 = FloatVector.fromArray(S, cIn, i0);
        FloatVector acc0_1 = FloatVector.fromArray(S, cIn, i0 + LANES);
        FloatVector acc0_2 = FloatVector.fromArray(S, cIn, i0 + 2 * LANES);
        FloatVector acc0_3 = FloatVector.fromArray(S, cIn, i0 + 3 * LANES);
        FloatVector acc1_0 = FloatVector.fromArray(S, cIn, i1);
        FloatVector acc1_1 = FloatVector.fromArray(S, cIn, i1 + LANES);
        FloatVector acc1_2 = FloatVector.fromArray(S, cIn, i1 + 2 * LANES);
        FloatVector acc1_3 = FloatVector.fromArray(S, cIn, i1 + 3 * LANES);
        FloatVector acc2_0 = FloatVector.fromArray(S, cIn, i2);
        FloatVector acc2_1 = FloatVector.fromArray(S, cIn, i2 + LANES);
        FloatVector acc2_2 = FloatVector.fromArray(S, cIn, i2 + 2 * LANES);
        FloatVector acc2_3 = FloatVector.fromArray(S, cIn, i2 + 3 * LANES);
        FloatVector acc3_0 = FloatVector.fromArray(S, cIn, i3);
        FloatVector acc3_1 = FloatVector.fromArray(S, cIn, i3 + LANES);
        FloatVector acc3_2 = FloatVector.fromArray(S, cIn, i3 + 2 * LANES);
        FloatVector acc3_3 = FloatVector.fromArray(S, cIn, i3 + 3 * LANES);
        FloatVector acc4_0 = FloatVector.fromArray(S, cIn, i4);
        FloatVector acc4_1 = FloatVector.fromArray(S, cIn, i4 + LANES);
        FloatVector acc4_2 = FloatVector.fromArray(S, cIn, i4 + 2 * LANES);
        FloatVector acc4_3 = FloatVector.fromArray(S, cIn, i4 + 3 * LANES);
        FloatVector acc5_0 = FloatVector.fromArray(S, cIn, i5);
        FloatVector acc5_1 = FloatVector.fromArray(S, cIn, i5 + LANES);
        FloatVector acc5_2 = FloatVector.fromArray(S, cIn, i5 + 2 * LANES);
        FloatVector acc5_3 = FloatVector.fromArray(S, cIn, i5 + 3 * LANES);
        for (int p = 0; p < k; p++) {
            int bp = bi + p * bs;
            int ap = p * ps;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + LANES);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * LANES);
            FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * LANES);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + ap]);
            acc0_0 = x0.fma(b0, acc0_0);
            acc0_1 = x0.fma(b1, acc0_1);
            acc0_2 = x0.fma(b2, acc0_2);
            acc0_3 = x0.fma(b3, acc0_3);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + ap]);
            acc1_0 = x1.fma(b0, acc1_0);
            acc1_1 = x1.fma(b1, acc1_1);
            acc1_2 = x1.fma(b2, acc1_2);
            acc1_3 = x1.fma(b3, acc1_3);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + ap]);
            acc2_0 = x2.fma(b0, acc2_0);
            acc2_1 = x2.fma(b1, acc2_1);
            acc2_2 = x2.fma(b2, acc2_2);
            acc2_3 = x2.fma(b3, acc2_3);
            FloatVector x3 = FloatVector.broadcast(S, a[a3 + ap]);
            acc3_0 = x3.fma(b0, acc3_0);
            acc3_1 = x3.fma(b1, acc3_1);
            acc3_2 = x3.fma(b2, acc3_2);
            acc3_3 = x3.fma(b3, acc3_3);
            FloatVector x4 = FloatVector.broadcast(S, a[a4 + ap]);
            acc4_0 = x4.fma(b0, acc4_0);
            acc4_1 = x4.fma(b1, acc4_1);
            acc4_2 = x4.fma(b2, acc4_2);
            acc4_3 = x4.fma(b3, acc4_3);
            FloatVector x5 = FloatVector.broadcast(S, a[a5 + ap]);
            acc5_0 = x5.fma(b0, acc5_0);
            acc5_1 = x5.fma(b1, acc5_1);
            acc5_2 = x5.fma(b2, acc5_2);
            acc5_3 = x5.fma(b3, acc5_3);
        }
        acc0_0.intoArray(c, c0);
        acc0_1.intoArray(c, c0 + LANES);
        acc0_2.intoArray(c, c0 + 2 * LANES);
        acc0_3.intoArray(c, c0 + 3 * LANES);
        acc1_0.intoArray(c, c1);
        acc1_1.intoArray(c, c1 + LANES);
        acc1_2.intoArray(c, c1 + 2 * LANES);
        acc1_3.intoArray(c, c1 + 3 * LANES);
        acc2_0.intoArray(c, c2);
        acc2_1.intoArray(c, c2 + LANES);
        acc2_2.intoArray(c, c2 + 2 * LANES);
        acc2_3.intoArray(c, c2 + 3 * LANES);
        acc3_0.intoArray(c, c3);
        acc3_1.intoArray(c, c3 + LANES);
        acc3_2.intoArray(c, c3 + 2 * LANES);
        acc3_3.intoArray(c, c3 + 3 * LANES);
        acc4_0.intoArray(c, c4);
        acc4_1.intoArray(c, c4 + LANES);
        acc4_2.intoArray(c, c4 + 2 * LANES);
        acc4_3.intoArray(c, c4 + 3 * LANES);
        acc5_0.intoArray(c, c5);
        acc5_1.intoArray(c, c5 + LANES);
        acc5_2.intoArray(c, c5 + 2 * LANES);
        acc5_3.intoArray(c, c5 + 3 * LANES);
    }

    private static void tile4x6(int k, float[] a, int ai, int rs, int ps, float[] b, int bi, int bs, float[] c,
            int ci, int ldc, int rows, float[] cIn, int inOff, int inLd) {
        int r1 = Math.min(1, rows - 1);
        int r2 = Math.min(2, rows - 1);
        int r3 = Math.min(3, rows - 1);
        int a0 = ai;
        int a1 = ai + r1 * rs;
        int a2 = ai + r2 * rs;
        int a3 = ai + r3 * rs;
        int c0 = ci;
        int c1 = ci + r1 * ldc;
        int c2 = ci + r2 * ldc;
        int c3 = ci + r3 * ldc;
        int i0 = inOff;
        int i1 = inOff + r1 * inLd;
        int i2 = inOff + r2 * inLd;
        int i3 = inOff + r3 * inLd;
        FloatVector acc0_0 = FloatVector.fromArray(S, cIn, i0);
        FloatVector acc0_1 = FloatVector.fromArray(S, cIn, i0 + LANES);
        FloatVector acc0_2 = FloatVector.fromArray(S, cIn, i0 + 2 * LANES);
        FloatVector acc0_3 = FloatVector.fromArray(S, cIn, i0 + 3 * LANES);
        FloatVector acc0_4 = FloatVector.fromArray(S, cIn, i0 + 4 * LANES);
        FloatVector acc0_5 = FloatVector.fromArray(S, cIn, i0 + 5 * LANES);
        FloatVector acc1_0 = FloatVector.fromArray(S, cIn, i1);
        FloatVector acc1_1 = FloatVector.fromArray(S, cIn, i1 + LANES);
        FloatVector acc1_2 = FloatVector.fromArray(S, cIn, i1 + 2 * LANES);
        FloatVector acc1_3 = FloatVector.fromArray(S, cIn, i1 + 3 * LANES);
        FloatVector acc1_4 = FloatVector.fromArray(S, cIn, i1 + 4 * LANES);
        FloatVector acc1_5 = FloatVector.fromArray(S, cIn, i1 + 5 * LANES);
        FloatVector acc2_0 = FloatVector.fromArray(S, cIn, i2);
        FloatVector acc2_1 = FloatVector.fromArray(S, cIn, i2 + LANES);
        FloatVector acc2_2 = FloatVector.fromArray(S, cIn, i2 + 2 * LANES);
        FloatVector acc2_3 = FloatVector.fromArray(S, cIn, i2 + 3 * LANES);
        FloatVector acc2_4 = FloatVector.fromArray(S, cIn, i2 + 4 * LANES);
        FloatVector acc2_5 = FloatVector.fromArray(S, cIn, i2 + 5 * LANES);
        FloatVector acc3_0 = FloatVector.fromArray(S, cIn, i3);
        FloatVector acc3_1 = FloatVector.fromArray(S, cIn, i3 + LANES);
        FloatVector acc3_2 = FloatVector.fromArray(S, cIn, i3 + 2 * LANES);
        FloatVector acc3_3 = FloatVector.fromArray(S, cIn, i3 + 3 * LANES);
        FloatVector acc3_4 = FloatVector.fromArray(S, cIn, i3 + 4 * LANES);
        FloatVector acc3_5 = FloatVector.fromArray(S, cIn, i3 + 5 * LANES);
        for (int p = 0; p < k; p++) {
            int bp = bi + p * bs;
            int ap = p * ps;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + LANES);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * LANES);
            FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * LANES);
            FloatVector b4 = FloatVector.fromArray(S, b, bp + 4 * LANES);
            FloatVector b5 = FloatVector.fromArray(S, b, bp + 5 * LANES);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + ap]);
            acc0_0 = x0.fma(b0, acc0_0);
            acc0_1 = x0.fma(b1, acc0_1);
            acc0_2 = x0.fma(b2, acc0_2);
            acc0_3 = x0.fma(b3, acc0_3);
            acc0_4 = x0.fma(b4, acc0_4);
            acc0_5 = x0.fma(b5, acc0_5);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + ap]);
            acc1_0 = x1.fma(b0, acc1_0);
            acc1_1 = x1.fma(b1, acc1_1);
            acc1_2 = x1.fma(b2, acc1_2);
            acc1_3 = x1.fma(b3, acc1_3);
            acc1_4 = x1.fma(b4, acc1_4);
            acc1_5 = x1.fma(b5, acc1_5);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + ap]);
            acc2_0 = x2.fma(b0, acc2_0);
            acc2_1 = x2.fma(b1, acc2_1);
            acc2_2 = x2.fma(b2, acc2_2);
            acc2_3 = x2.fma(b3, acc2_3);
            acc2_4 = x2.fma(b4, acc2_4);
            acc2_5 = x2.fma(b5, acc2_5);
            FloatVector x3 = FloatVector.broadcast(S, a[a3 + ap]);
            acc3_0 = x3.fma(b0, acc3_0);
            acc3_1 = x3.fma(b1, acc3_1);
            acc3_2 = x3.fma(b2, acc3_2);
            acc3_3 = x3.fma(b3, acc3_3);
            acc3_4 = x3.fma(b4, acc3_4);
            acc3_5 = x3.fma(b5, acc3_5);
        }
        acc0_0.intoArray(c, c0);
        acc0_1.intoArray(c, c0 + LANES);
        acc0_2.intoArray(c, c0 + 2 * LANES);
        acc0_3.intoArray(c, c0 + 3 * LANES);
        acc0_4.intoArray(c, c0 + 4 * LANES);
        acc0_5.intoArray(c, c0 + 5 * LANES);
        acc1_0.intoArray(c, c1);
        acc1_1.intoArray(c, c1 + LANES);
        acc1_2.intoArray(c, c1 + 2 * LANES);
        acc1_3.intoArray(c, c1 + 3 * LANES);
        acc1_4.intoArray(c, c1 + 4 * LANES);
        acc1_5.intoArray(c, c1 + 5 * LANES);
        acc2_0.intoArray(c, c2);
        acc2_1.intoArray(c, c2 + LANES);
        acc2_2.intoArray(c, c2 + 2 * LANES);
        acc2_3.intoArray(c, c2 + 3 * LANES);
        acc2_4.intoArray(c, c2 + 4 * LANES);
        acc2_5.intoArray(c, c2 + 5 * LANES);
        acc3_0.intoArray(c, c3);
        acc3_1.intoArray(c, c3 + LANES);
        acc3_2.intoArray(c, c3 + 2 * LANES);
        acc3_3.intoArray(c, c3 + 3 * LANES);
        acc3_4.intoArray(c, c3 + 4 * LANES);
        acc3_5.intoArray(c, c3 + 5 * LANES);
    }

    private static void tile6x2(int k, float[] a, int ai, int rs, int ps, float[] b, int bi, int bs, float[] c,
            int ci, int ldc, int rows, float[] cIn, int inOff, int inLd) {
        int r1 = Math.min(1, rows - 1);
        int r2 = Math.min(2, rows - 1);
        int r3 = Math.min(3, rows - 1);
        int r4 = Math.min(4, rows - 1);
        int r5 = Math.min(5, rows - 1);
        int a0 = ai;
        int a1 = ai + r1 * rs;
        int a2 = ai + r2 * rs;
        int a3 = ai + r3 * rs;
        int a4 = ai + r4 * rs;
        int a5 = ai + r5 * rs;
        int c0 = ci;
        int c1 = ci + r1 * ldc;
        int c2 = ci + r2 * ldc;
        int c3 = ci + r3 * ldc;
        int c4 = ci + r4 * ldc;
        int c5 = ci + r5 * ldc;
        int i0 = inOff;
        int i1 = inOff + r1 * inLd;
        int i2 = inOff + r2 * inLd;
        int i3 = inOff + r3 * inLd;
        int i4 = inOff + r4 * inLd;
        int i5 = inOff + r5 * inLd;
        FloatVector acc0_0 = FloatVector.fromArray(S, cIn, i0);
        FloatVector acc0_1 = FloatVector.fromArray(S, cIn, i0 + LANES);
        FloatVector acc1_0 = FloatVector.fromArray(S, cIn, i1);
        FloatVector acc1_1 = FloatVector.fromArray(S, cIn, i1 + LANES);
        FloatVector acc2_0 = FloatVector.fromArray(S, cIn, i2);
        FloatVector acc2_1 = FloatVector.fromArray(S, cIn, i2 + LANES);
        FloatVector acc3_0 = FloatVector.fromArray(S, cIn, i3);
        FloatVector acc3_1 = FloatVector.fromArray(S, cIn, i3 + LANES);
        FloatVector acc4_0 = FloatVector.fromArray(S, cIn, i4);
        FloatVector acc4_1 = FloatVector.fromArray(S, cIn, i4 + LANES);
        FloatVector acc5_0 = FloatVector.fromArray(S, cIn, i5);
        FloatVector acc5_1 = FloatVector.fromArray(S, cIn, i5 + LANES);
        for (int p = 0; p < k; p++) {
            int bp = bi + p * bs;
            int ap = p * ps;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + LANES);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + ap]);
            acc0_0 = x0.fma(b0, acc0_0);
            acc0_1 = x0.fma(b1, acc0_1);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + ap]);
            acc1_0 = x1.fma(b0, acc1_0);
            acc1_1 = x1.fma(b1, acc1_1);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + ap]);
            acc2_0 = x2.fma(b0, acc2_0);
            acc2_1 = x2.fma(b1, acc2_1);
            FloatVector x3 = FloatVector.broadcast(S, a[a3 + ap]);
            acc3_0 = x3.fma(b0, acc3_0);
            acc3_1 = x3.fma(b1, acc3_1);
            FloatVector x4 = FloatVector.broadcast(S, a[a4 + ap]);
            acc4_0 = x4.fma(b0, acc4_0);
            acc4_1 = x4.fma(b1, acc4_1);
            FloatVector x5 = FloatVector.broadcast(S, a[a5 + ap]);
            acc5_0 = x5.fma(b0, acc5_0);
            acc5_1 = x5.fma(b1, acc5_1);
        }
        acc0_0.intoArray(c, c0);
        acc0_1.intoArray(c, c0 + LANES);
        acc1_0.intoArray(c, c1);
        acc1_1.intoArray(c, c1 + LANES);
        acc2_0.intoArray(c, c2);
        acc2_1.intoArray(c, c2 + LANES);
        acc3_0.intoArray(c, c3);
        acc3_1.intoArray(c, c3 + LANES);
        acc4_0.intoArray(c, c4);
        acc4_1.intoArray(c, c4 + LANES);
        acc5_0.intoArray(c, c5);
        acc5_1.intoArray(c, c5 + LANES);
    }

    private static void tile6x1(int k, float[] a, int ai, int rs, int ps, float[] b, int bi, int bs, float[] c,
            int ci, int ldc, int rows, float[] cIn, int inOff, int inLd) {
        int r1 = Math.min(1, rows - 1);
        int r2 = Math.min(2, rows - 1);
        int r3 = Math.min(3, rows - 1);
        int r4 = Math.min(4, rows - 1);
        int r5 = Math.min(5, rows - 1);
        int a0 = ai;
        int a1 = ai + r1 * rs;
        int a2 = ai + r2 * rs;
        int a3 = ai + r3 * rs;
        int a4 = ai + r4 * rs;
        int a5 = ai + r5 * rs;
        int c0 = ci;
        int c1 = ci + r1 * ldc;
        int c2 = ci + r2 * ldc;
        int c3 = ci + r3 * ldc;
        int c4 = ci + r4 * ldc;
        int c5 = ci + r5 * ldc;
        int i0 = inOff;
        int i1 = inOff + r1 * inLd;
        int i2 = inOff + r2 * inLd;
        int i3 = inOff + r3 * inLd;
        int i4 = inOff + r4 * inLd;
        int i5 = inOff + r5 * inLd;
        FloatVector acc0_0 = FloatVector.fromArray(S, cIn, i0);
        FloatVector acc1_0 = FloatVector.fromArray(S, cIn, i1);
        FloatVector acc2_0 = FloatVector.fromArray(S, cIn, i2);
        FloatVector acc3_0 = FloatVector.fromArray(S, cIn, i3);
        FloatVector acc4_0 = FloatVector.fromArray(S, cIn, i4);
        FloatVector acc5_0 = FloatVector.fromArray(S, cIn, i5);
        for (int p = 0; p < k; p++) {
            int bp = bi + p * bs;
            int ap = p * ps;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + ap]);
            acc0_0 = x0.fma(b0, acc0_0);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + ap]);
            acc1_0 = x1.fma(b0, acc1_0);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + ap]);
            acc2_0 = x2.fma(b0, acc2_0);
            FloatVector x3 = FloatVector.broadcast(S, a[a3 + ap]);
            acc3_0 = x3.fma(b0, acc3_0);
            FloatVector x4 = FloatVector.broadcast(S, a[a4 + ap]);
            acc4_0 = x4.fma(b0, acc4_0);
            FloatVector x5 = FloatVector.broadcast(S, a[a5 + ap]);
            acc5_0 = x5.fma(b0, acc5_0);
        }
        acc0_0.intoArray(c, c0);
        acc1_0.intoArray(c, c1);
        acc2_0.intoArray(c, c2);
        acc3_0.intoArray(c, c3);
        acc4_0.intoArray(c, c4);
        acc5_0.intoArray(c, c5);
    }

    private static void tile5x2(int k, float[] a, int ai, int rs, int ps, float[] b, int bi, int bs, float[] c,
            int ci, int ldc, int rows, float[] cIn, int inOff, int inLd) {
        int r1 = Math.min(1, rows - 1);
        int r2 = Math.min(2, rows - 1);
        int r3 = Math.min(3, rows - 1);
        int r4 = Math.min(4, rows - 1);
        int a0 = ai;
        int a1 = ai + r1 * rs;
        int a2 = ai + r2 * rs;
        int a3 = ai + r3 * rs;
        int a4 = ai + r4 * rs;
        int c0 = ci;
        int c1 = ci + r1 * ldc;
        int c2 = ci + r2 * ldc;
        int c3 = ci + r3 * ldc;
        int c4 = ci + r4 * ldc;
        int i0 = inOff;
        int i1 = inOff + r1 * inLd;
        int i2 = inOff + r2 * inLd;
        int i3 = inOff + r3 * inLd;
        int i4 = inOff + r4 * inLd;
        FloatVector acc0_0 = FloatVector.fromArray(S, cIn, i0);
        FloatVector acc0_1 = FloatVector.fromArray(S, cIn, i0 + LANES);
        FloatVector acc1_0 = FloatVector.fromArray(S, cIn, i1);
        FloatVector acc1_1 = FloatVector.fromArray(S, cIn, i1 + LANES);
        FloatVector acc2_0 = FloatVector.fromArray(S, cIn, i2);
        FloatVector acc2_1 = FloatVector.fromArray(S, cIn, i2 + LANES);
        FloatVector acc3_0 = FloatVector.fromArray(S, cIn, i3);
        FloatVector acc3_1 = FloatVector.fromArray(S, cIn, i3 + LANES);
        FloatVector acc4_0 = FloatVector.fromArray(S, cIn, i4);
        FloatVector acc4_1 = FloatVector.fromArray(S, cIn, i4 + LANES);
        for (int p = 0; p < k; p++) {
            int bp = bi + p * bs;
            int ap = p * ps;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + LANES);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + ap]);
            acc0_0 = x0.fma(b0, acc0_0);
            acc0_1 = x0.fma(b1, acc0_1);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + ap]);
            acc1_0 = x1.fma(b0, acc1_0);
            acc1_1 = x1.fma(b1, acc1_1);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + ap]);
            acc2_0 = x2.fma(b0, acc2_0);
            acc2_1 = x2.fma(b1, acc2_1);
            FloatVector x3 = FloatVector.broadcast(S, a[a3 + ap]);
            acc3_0 = x3.fma(b0, acc3_0);
            acc3_1 = x3.fma(b1, acc3_1);
            FloatVector x4 = FloatVector.broadcast(S, a[a4 + ap]);
            acc4_0 = x4.fma(b0, acc4_0);
            acc4_1 = x4.fma(b1, acc4_1);
        }
        acc0_0.intoArray(c, c0);
        acc0_1.intoArray(c, c0 + LANES);
        acc1_0.intoArray(c, c1);
        acc1_1.intoArray(c, c1 + LANES);
        acc2_0.intoArray(c, c2);
        acc2_1.intoArray(c, c2 + LANES);
        acc3_0.intoArray(c, c3);
        acc3_1.intoArray(c, c3 + LANES);
        acc4_0.intoArray(c, c4);
        acc4_1.intoArray(c, c4 + LANES);
    }

    private static void tile5x1(int k, float[] a, int ai, int rs, int ps, float[] b, int bi, int bs, float[] c,
            int ci, int ldc, int rows, float[] cIn, int inOff, int inLd) {
        int r1 = Math.min(1, rows - 1);
        int r2 = Math.min(2, rows - 1);
        int r3 = Math.min(3, rows - 1);
        int r4 = Math.min(4, rows - 1);
        int a0 = ai;
        int a1 = ai + r1 * rs;
        int a2 = ai + r2 * rs;
        int a3 = ai + r3 * rs;
        int a4 = ai + r4 * rs;
        int c0 = ci;
        int c1 = ci + r1 * ldc;
        int c2 = ci + r2 * ldc;
        int c3 = ci + r3 * ldc;
        int c4 = ci + r4 * ldc;
        int i0 = inOff;
        int i1 = inOff + r1 * inLd;
        int i2 = inOff + r2 * inLd;
        int i3 = inOff + r3 * inLd;
        int i4 = inOff + r4 * inLd;
        FloatVector acc0_0 = FloatVector.fromArray(S, cIn, i0);
        FloatVector acc1_0 = FloatVector.fromArray(S, cIn, i1);
        FloatVector acc2_0 = FloatVector.fromArray(S, cIn, i2);
        FloatVector acc3_0 = FloatVector.fromArray(S, cIn, i3);
        FloatVector acc4_0 = FloatVector.fromArray(S, cIn, i4);
        for (int p = 0; p < k; p++) {
            int bp = bi + p * bs;
            int ap = p * ps;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + ap]);
            acc0_0 = x0.fma(b0, acc0_0);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + ap]);
            acc1_0 = x1.fma(b0, acc1_0);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + ap]);
            acc2_0 = x2.fma(b0, acc2_0);
            FloatVector x3 = FloatVector.broadcast(S, a[a3 + ap]);
            acc3_0 = x3.fma(b0, acc3_0);
            FloatVector x4 = FloatVector.broadcast(S, a[a4 + ap]);
            acc4_0 = x4.fma(b0, acc4_0);
        }
        acc0_0.intoArray(c, c0);
        acc1_0.intoArray(c, c1);
        acc2_0.intoArray(c, c2);
        acc3_0.intoArray(c, c3);
        acc4_0.intoArray(c, c4);
    }

    private static void tile5x2Unit(int k, float[] a, int ai, int rs, float[] b, int bi, int bs, float[] c,
            int ci, int ldc, int rows, float[] cIn, int inOff, int inLd) {
        int r1 = Math.min(1, rows - 1);
        int r2 = Math.min(2, rows - 1);
        int r3 = Math.min(3, rows - 1);
        int r4 = Math.min(4, rows - 1);
        int a0 = ai;
        int a1 = ai + r1 * rs;
        int a2 = ai + r2 * rs;
        int a3 = ai + r3 * rs;
        int a4 = ai + r4 * rs;
        int c0 = ci;
        int c1 = ci + r1 * ldc;
        int c2 = ci + r2 * ldc;
        int c3 = ci + r3 * ldc;
        int c4 = ci + r4 * ldc;
        int i0 = inOff;
        int i1 = inOff + r1 * inLd;
        int i2 = inOff + r2 * inLd;
        int i3 = inOff + r3 * inLd;
        int i4 = inOff + r4 * inLd;
        FloatVector acc0_0 = FloatVector.fromArray(S, cIn, i0);
        FloatVector acc0_1 = FloatVector.fromArray(S, cIn, i0 + LANES);
        FloatVector acc1_0 = FloatVector.fromArray(S, cIn, i1);
        FloatVector acc1_1 = FloatVector.fromArray(S, cIn, i1 + LANES);
        FloatVector acc2_0 = FloatVector.fromArray(S, cIn, i2);
        FloatVector acc2_1 = FloatVector.fromArray(S, cIn, i2 + LANES);
        FloatVector acc3_0 = FloatVector.fromArray(S, cIn, i3);
        FloatVector acc3_1 = FloatVector.fromArray(S, cIn, i3 + LANES);
        FloatVector acc4_0 = FloatVector.fromArray(S, cIn, i4);
        FloatVector acc4_1 = FloatVector.fromArray(S, cIn, i4 + LANES);
        for (int p = 0; p < k; p++) {
            int bp = bi + p * bs;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + LANES);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + p]);
            acc0_0 = x0.fma(b0, acc0_0);
            acc0_1 = x0.fma(b1, acc0_1);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + p]);
            acc1_0 = x1.fma(b0, acc1_0);
            acc1_1 = x1.fma(b1, acc1_1);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + p]);
            acc2_0 = x2.fma(b0, acc2_0);
            acc2_1 = x2.fma(b1, acc2_1);
            FloatVector x3 = FloatVector.broadcast(S, a[a3 + p]);
            acc3_0 = x3.fma(b0, acc3_0);
            acc3_1 = x3.fma(b1, acc3_1);
            FloatVector x4 = FloatVector.broadcast(S, a[a4 + p]);
            acc4_0 = x4.fma(b0, acc4_0);
            acc4_1 = x4.fma(b1, acc4_1);
        }
        acc0_0.intoArray(c, c0);
        acc0_1.intoArray(c, c0 + LANES);
        acc1_0.intoArray(c, c1);
        acc1_1.intoArray(c, c1 + LANES);
        acc2_0.intoArray(c, c2);
        acc2_1.intoArray(c, c2 + LANES);
        acc3_0.intoArray(c, c3);
        acc3_1.intoArray(c, c3 + LANES);
        acc4_0.intoArray(c, c4);
        acc4_1.intoArray(c, c4 + LANES);
    }

    private static void tile5x1Unit(int k, float[] a, int ai, int rs, float[] b, int bi, int bs, float[] c,
            int ci, int ldc, int rows, float[] cIn, int inOff, int inLd) {
        int r1 = Math.min(1, rows - 1);
        int r2 = Math.min(2, rows - 1);
        int r3 = Math.min(3, rows - 1);
        int r4 = Math.min(4, rows - 1);
        int a0 = ai;
        int a1 = ai + r1 * rs;
        int a2 = ai + r2 * rs;
        int a3 = ai + r3 * rs;
        int a4 = ai + r4 * rs;
        int c0 = ci;
        int c1 = ci + r1 * ldc;
        int c2 = ci + r2 * ldc;
        int c3 = ci + r3 * ldc;
        int c4 = ci + r4 * ldc;
        int i0 = inOff;
        int i1 = inOff + r1 * inLd;
        int i2 = inOff + r2 * inLd;
        int i3 = inOff + r3 * inLd;
        int i4 = inOff + r4 * inLd;
        FloatVector acc0_0 = FloatVector.fromArray(S, cIn, i0);
        FloatVector acc1_0 = FloatVector.fromArray(S, cIn, i1);
        FloatVector acc2_0 = FloatVector.fromArray(S, cIn, i2);
        FloatVector acc3_0 = FloatVector.fromArray(S, cIn, i3);
        FloatVector acc4_0 = FloatVector.fromArray(S, cIn, i4);
        for (int p = 0; p < k; p++) {
            int bp = bi + p * bs;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + p]);
            acc0_0 = x0.fma(b0, acc0_0);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + p]);
            acc1_0 = x1.fma(b0, acc1_0);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + p]);
            acc2_0 = x2.fma(b0, acc2_0);
            FloatVector x3 = FloatVector.broadcast(S, a[a3 + p]);
            acc3_0 = x3.fma(b0, acc3_0);
            FloatVector x4 = FloatVector.broadcast(S, a[a4 + p]);
            acc4_0 = x4.fma(b0, acc4_0);
        }
        acc0_0.intoArray(c, c0);
        acc1_0.intoArray(c, c1);
        acc2_0.intoArray(c, c2);
        acc3_0.intoArray(c, c3);
        acc4_0.intoArray(c, c4);
    }
}
