package dev.vecgrad.core.kernel.gemm;

/**
 * Block sizes of the packed GEMM ({@link VectorSgemm}, {@link VectorDgemm}) for one element size
 * and register tile, derived from the core's caches ({@link CpuCaches}). Which micro-panel stays
 * in L1 depends on the order in which a block's tiles run: with row panels outermost (the 12-row
 * tile) every tile of a row panel reads the same A micro-panel ({@code mr × kc}) while B's
 * micro-panels stream past it from L2; with column panels outermost (the 16-register tiles, whose
 * B micro-panels are three to eight times the size of their A micro-panels) every tile of a column
 * panel reads the same B micro-panel ({@code kc × nr}) while A's micro-panels stream past it.
 * <ul>
 *   <li>{@code kc}, the depth of a block. C is loaded and stored once per K block, so a deeper
 *       block means fewer passes over C. With column panels outermost, the B micro-panel that
 *       stays fills half of the L1 data cache ({@link #depth}); the streaming A micro-panel then no
 *       longer fits beside it in L1 when k reaches kc, and comes from L2. With row panels
 *       outermost, the A micro-panel is the deepest power of two that fits in three quarters of
 *       L1 ({@link #rowPanelDepth}): the B micro-panel it meets is larger than L1 at any such
 *       depth and streams from L2 whatever kc is, and L2 feeds the 12-row tile's steps (its 24
 *       FMAs read 12 broadcasts of A and 2 vectors of B) faster than the FMAs consume them even
 *       where part of A's panel comes from there too, while a shallower block costs a pass over C
 *       more per kc steps.</li>
 *   <li>{@code nc}: the packed B block ({@code kc × nc}) fills half of L2, from where the B
 *       micro-panels stream.</li>
 *   <li>{@code mc}: with row panels outermost, the packed A block ({@code mc × kc}) is twice the
 *       size of L2. It is read a micro-panel at a time, once per B block, so it need not stay in
 *       L2; a larger block means B is packed fewer times (once per block of rows). With column
 *       panels outermost it is read once per B micro-panel, so it fills half of L2, beside B's
 *       block; but only with an L2 of at least {@link #MIN_COLUMN_ORDER_L2} ({@link #columnOrder}).
 *       With a smaller L2 half of it holds too few rows: the 16-register tiles then get the A block
 *       of rows outermost, twice L2, so that a large product's blocks of C, too large for half of
 *       L2, run rows outermost ({@link #columnsOuter}), while a product of few rows keeps the
 *       column order.</li>
 * </ul>
 * Packed A rows are {@link #rowStride} apart rather than {@code kc}: see there.
 *
 * <p>A kernel rounds the M and N blocks up to whole tiles and vectors, so blocks other than the
 * rule's (a test's, a comparison's) may be any size from 1, and K blocks up to {@link #MAX_KC}.
 *
 * @param kc K block: the rule's is a multiple of 8 from {@link #MIN_KC} to {@link #MAX_KC}
 * @param nc N block: the rule's is a multiple of the tile's {@code nr}
 * @param mc M block: the rule's is a multiple of the tile's {@code mr}
 */
// Implementation note: block sizes compared in one JVM, variants alternating call block by call
// block, on a core with a 48 KiB L1D and a 2 MiB L2 (blocks then: f32 kc 512, nc 512, mc 1020; f64
// kc 256, nc 512, mc 1020, A's block the size of L2), at 512³, 1024³, 2048³ and the MLP shapes,
// three JVMs, speed relative to those blocks. Halving mc, so that packed A (mc·kc) and B (kc·nc)
// fit in L2 together: 0.84–1.04 at 512³–2048³ (a quarter: 0.81–0.95), since each M block packs
// all of B again while the A micro-panels stream from the next level either way. Doubling nc (B the size of L2): 0.78–0.89 at
// 1024³–2048³. Halving nc, kc 384 (f32 and f64) and f64 kc 512 (rows padded for it, 0.78–0.90):
// none won in all three JVMs on any square; on the MLP shapes every variant stayed within the
// 0.94–1.04 that two copies of the same kernel showed. Doubling mc gained 0–5 % in most JVMs there.
// On a core with a 48 KiB L1D and a 1 MiB L2 (f32 kc 512, nc 256; f64 kc 256, nc 256), where a
// 2048-wide product has 8 B blocks, more than were then kept packed for every M block (4), an A
// block of twice L2 (mc 1020) against one the size of L2 (mc 504), alternating 200 ms blocks in one
// JVM, medians over 6 rounds: f32 2048³ 1.01–1.04 (4 JVMs), 1536³ 1.03–1.04 (2); f64 2048³ 1.02–1.04,
// 1536³ 1.02–1.03; 512³, 1024³ and 784×128·128×256 0.998–1.04. Four times L2 (mc 2040) gained as much
// at 1536³–2048³ but went to 0.99 at 1024³ in one JVM.
// On the same core, deeper K blocks for fewer passes over C (the N block shrunk to keep B's block
// at half of L2) gained only in JVMs on a vCPU the host was slowing: f32 768 and 1024 at 2048³
// 0.97-1.05, within 1-3 % of what a copy with these blocks read in the same JVMs; f64 384 and 512
// 0.95-1.08 (docs/benchmarks/what-did-not-work.md).
// On a core with a 32 KiB L1D and a 1 MiB L2 (Zen 4), where an A micro-panel of half of L1 gave f64
// kc 168 (nc 384, mc 1560) and f32 kc 336, deeper K blocks with B's block kept at half of L2 (nc and
// mc from the rule for each kc; packed A rows padded for kc 512 in every variant), 250 ms blocks
// alternating in one JVM, 8 rounds, pinned, 4 JVMs (2 a vCPU), medians of per-round ratios to kc 168: f64 kc 256 (nc 256, mc 1020) 1.04-1.08 at 256³,
// 1.00-1.04 at 512³, 1.06-1.13 at 1024³, 1.06-1.08 at 2048³, 1.04-1.07 at 128×256·(784×256)ᵀ and
// 0.96-1.03 at 128×784·784×256, where a copy of the kc 168 kernel read 0.97-1.06; kc 336 0.98-1.09,
// kc 512 0.98-1.10, neither ahead of 256. f32 kc 512 (nc 256, mc 1020) against 336, 2 JVMs: 1.02-1.04
// at 512³, 1.05-1.06 at 1024³-2048³, 0.995-1.01 at 256³ and the MLP shapes; kc 256 0.98-1.02.
// There the f64 tiles alone at kc 256 (packed A and B blocks of up to 516 × 256 and 256 × 256, C in
// cache) ran 55-56 GFLOP/s, 0.96-0.97 of a register-only loop of 12 FMA chains (57-58): the A
// micro-panel of three quarters of L1 does not starve the loop.
// On a core with a 32 KiB L1D and a 512 KiB L2 (AVX2, 16 ymm registers), where half of L2 holds
// an A block of 255 rows (f32 kc 256) or 195 (f64 kc 168): one thread, variants alternating 80-500 ms
// blocks in one JVM, thread CPU time, medians of per-round ratios over 6-16 rounds (two copies of the
// same kernel read 1.00-1.05 beside them). The A block of twice L2 (f32 mc 1020, f64 780) against half
// of it: f32 1.02-1.08 at 1024³ (three JVMs), 1.09-1.26 at 2048³ (two), 0.98-1.06 at 256³-512³, 1.01
// at 784×128ᵀ·128×256; f64 1.04-1.08 at 512³, 1.11-1.14 at 1024³ (three JVMs), 0.97-1.08 at 2048³
// (three), 1.01-1.02 at 256³ and 784×128ᵀ·128×256. The gain is B's block packed once per 1020 (780)
// rows rather than per 255 (195) (a pass of packing B is about 2 % of a 1024³ product), and C's rows
// met in order: down a column panel each tile's C comes from beyond L2 unprefetched (the f32 tiles
// alone over packed blocks with a 1024-wide C ran 0.90 of the same over a C in cache in column order,
// 0.94 in row order). The f32 tiles' loop alone, packed A and B in L2, C in cache, ran 0.95-1.0 of a
// 10-chain register-only FMA loop in either order.
record GemmBlocking(int kc, int nc, int mc) {
    /** Bounds on the rule's kc: below, C is loaded and stored too often; above, nothing more is gained. */
    static final int MIN_KC = 64;
    /** See {@link #MIN_KC}; also the deepest K block of any blocking. */
    static final int MAX_KC = 512;
    /** The most cache lines {@link #rowStride} pads a packed A row with. */
    static final int MAX_PAD_LINES = 16;

    /**
     * Checks the blocks.
     *
     * @throws IllegalArgumentException if a block is below 1 or kc is above {@link #MAX_KC}
     */
    GemmBlocking {
        if (kc < 1 || kc > MAX_KC || nc < 1 || mc < 1) {
            throw new IllegalArgumentException("blocks must be at least 1, kc at most " + MAX_KC + ": kc " + kc + ", nc "
                    + nc + ", mc " + mc);
        }
    }

    /**
     * The blocks for {@code elementBytes}-byte elements and an {@code mr × nr} register tile whose
     * tiles run with row panels outermost ({@code columnsOuter} false: A's micro-panel stays in L1)
     * or column panels outermost (true: B's micro-panel stays in L1; its A block is that of rows
     * outermost where {@link #columnOrder} says the L2 is too small for the column order's).
     */
    static GemmBlocking of(CpuCaches caches, int elementBytes, int mr, int nr, boolean columnsOuter) {
        boolean columns = columnsOuter && columnOrder(caches);
        int kc = columnsOuter ? depth(caches, elementBytes, nr) : rowPanelDepth(caches, elementBytes, mr);
        int nc = Math.max(nr, caches.l2Bytes() / 2 / (kc * elementBytes) / nr * nr);
        long aBlock = columns ? caches.l2Bytes() / 2 : 2L * caches.l2Bytes();
        int mc = (int) Math.max(mr, aBlock / ((long) kc * elementBytes) / mr * mr);
        return new GemmBlocking(kc, nc, mc);
    }

    /**
     * The most B blocks of the rule's size ({@code nc}, half of L2) whose packed K block a kernel of
     * {@code elementBytes}-byte elements keeps for every M block of a product, rather than packing
     * each B block again for each M block: 8 for 4-byte elements, 4 for 8-byte ones. Kept, B's K
     * block is packed once, but each B block then comes from beyond L2 (the whole K block is up to 4
     * or 2 times its size) while the first row panel of every M block after the first reads it;
     * packed again, it is in L2 when its tiles start. At single precision the packing saved is
     * worth more than that for up to 8 blocks; at double precision it was not past 4.
     */
    // Implementation note: one thread on a core with a 48 KiB L1D and a 1 MiB L2 (f32 kc 512, f64 kc
    // 256, nc 256, mc 1020: a 2048-wide product has 8 B blocks and 3 M blocks, the K block of B 4 MiB
    // at either precision), 8 blocks against 4, alternating 250-300 ms blocks in one JVM (6 of each
    // count's JVMs pinned to one vCPU), thread CPU time, medians per JVM: f32 2048³ 0.98-1.07 (13 JVMs, 10 of them at
    // 1.02 or more), 1536³ 0.99-1.04 (9); f64 2048³ 0.94-1.03 (13 JVMs, median 0.99), 1536³
    // 0.95-1.02 (9). Packing each B block during the first M block rather than the whole K block up
    // front gained nothing over either (f32 2048³ 1.01-1.05, f64 0.98-1.04, 6 JVMs).
    static int wholeBBlocks(int elementBytes) {
        return elementBytes <= Float.BYTES ? 8 : 4;
    }

    /**
     * Whether a block of C of {@code mc × nc} {@code elementBytes}-byte elements runs with column
     * panels outermost, for a tile made for that order: only while the block fits in half of L2.
     * Walking down a column panel, each tile's C starts in rows {@code ldc} apart, which the
     * hardware prefetchers do not fetch ahead, while along a row panel they do; a block of C that
     * stays in L2 costs the column order little, but one that comes from beyond it stalls every
     * tile on C's loads, and then rows go outermost.
     */
    static boolean columnsOuter(CpuCaches caches, int elementBytes, int mc, int nc) {
        return (long) mc * nc * elementBytes <= caches.l2Bytes() / 2;
    }

    /**
     * The smallest L2 whose half holds the A block of the column order: the L2 of the cores on
     * which that order was measured to win (1 and 2 MiB, an A block of 390-1023 rows); with 512
     * KiB, the A block of 195-255 rows it gives lost to the row order's (see the class's note).
     */
    static final int MIN_COLUMN_ORDER_L2 = 1 << 20;

    /**
     * Whether the blocks of a tile made for column panels outermost are sized for that order,
     * A's block half of L2 ({@link #of}): with an L2 of at least {@link #MIN_COLUMN_ORDER_L2}.
     */
    static boolean columnOrder(CpuCaches caches) {
        return caches.l2Bytes() >= MIN_COLUMN_ORDER_L2;
    }

    /**
     * The K block for a panel of {@code width} × kc {@code elementBytes}-byte elements that every
     * tile reads again and that stays in L1 beside what streams past it (GEMM's B micro-panel with
     * column panels outermost, {@code width = nr}; a panel read in place, {@link Gemm#depthBlock}):
     * the panel fills half of the L1 data cache, a multiple of 8 between {@link #MIN_KC} and
     * {@link #MAX_KC}.
     */
    static int depth(CpuCaches caches, int elementBytes, int width) {
        return Math.clamp((long) caches.l1Bytes() / 2 / ((long) width * elementBytes) / 8 * 8, MIN_KC, MAX_KC);
    }

    /**
     * The K block for row panels outermost, whose tiles all read one A micro-panel of {@code mr} ×
     * kc {@code elementBytes}-byte elements: the deepest power of two whose panel fits in three
     * quarters of the L1 data cache, between {@link #MIN_KC} and {@link #MAX_KC}. The panel need
     * not stay whole in L1 (see the class comment), but the more of it does, the fewer of a step's
     * loads wait on L2; a quarter of L1 is left to the B and C lines the tile touches. A power of
     * two rather than the share's exact depth: deeper blocks within it ran no faster.
     */
    static int rowPanelDepth(CpuCaches caches, int elementBytes, int mr) {
        long fit = (long) caches.l1Bytes() * 3 / 4 / ((long) mr * elementBytes);
        return (int) Math.clamp(Long.highestOneBit(Math.max(1, fit)), MIN_KC, MAX_KC);
    }

    /**
     * The distance, in elements, between the rows of packed A for K blocks of up to {@code kc}:
     * {@code kc} rounded up to whole cache lines, plus 1 to {@link #MAX_PAD_LINES} lines. A tile
     * reads its {@code mr} rows side by side, so where they start decides how many of their lines
     * share an L1 set. Rows a power of two apart start in the same few sets: at a K block of 512
     * f32 (2 KiB rows, 4 KiB per L1 way), twelve rows filled to 256 steps (k = 256) put 6 lines
     * in each of half of the sets, which with the B micro-panel's 8 lines a set overflow 12 ways
     * and evict A between tiles. The padding chosen is the one under which the rows crowd least
     * ({@link #crowding}), summed over rows filled to a quarter, half, three quarters and all of
     * {@code kc}, since a product's k decides how much of each row is in use; ties go to the
     * shorter stride.
     */
    static int rowStride(CpuCaches caches, int elementBytes, int mr, int kc) {
        int line = caches.lineBytes();
        int sets = Math.max(1, caches.l1Bytes() / (caches.l1Ways() * line));
        int rowLines = (kc * elementBytes + line - 1) / line;
        int bestPad = 1;
        int bestCost = Integer.MAX_VALUE;
        for (int pad = 1; pad <= MAX_PAD_LINES; pad++) {
            int cost = 0;
            for (int quarters = 1; quarters <= 4; quarters++) {
                cost += crowding(sets, mr, rowLines + pad, Math.max(1, rowLines * quarters / 4));
            }
            if (cost < bestCost) {
                bestCost = cost;
                bestPad = pad;
            }
        }
        return (rowLines + bestPad) * line / elementBytes;
    }

    /**
     * The most lines that fall into one of {@code sets} L1 sets when {@code rows} rows start
     * {@code strideLines} lines apart and each touches {@code usedLines + 1} lines from its start
     * (one more than it fills, as a row need not start on a line boundary).
     */
    static int crowding(int sets, int rows, int strideLines, int usedLines) {
        int[] perSet = new int[sets];
        int most = 0;
        for (int r = 0; r < rows; r++) {
            long start = (long) r * strideLines;
            for (int j = 0; j <= usedLines; j++) {
                most = Math.max(most, ++perSet[(int) ((start + j) % sets)]);
            }
        }
        return most;
    }
}
