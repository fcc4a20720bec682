package dev.vecgrad.core.kernel.gemm;

/**
 * Block sizes of the packed GEMM ({@link VectorSgemm}, {@link VectorDgemm}) for one element size
 * and register tile, derived from the core's caches ({@link CpuCaches}):
 * <ul>
 *   <li>{@code kc}, the depth of a block: the A micro-panel ({@code mr × kc}), which every tile of
 *       a row panel reads again, and the B micro-panel ({@code kc × nr}) streaming past it fit in
 *       the L1 data cache with one way to spare, so the A panel is still there at the next tile.
 *       (A deeper block, the A panel alone taking half of L1, halves the passes over C but slows
 *       products with k up to 256: packed A rows a power of two apart then likely crowd into half
 *       of L1's sets, where the B stream evicts them. docs/benchmarks.md has the figures.)</li>
 *   <li>{@code nc}: the packed B block ({@code kc × nc}) fills half of L2, from where the B
 *       micro-panels stream.</li>
 *   <li>{@code mc}: the packed A block ({@code mc × kc}) is the size of L2. It is read a micro-panel
 *       at a time, once per B block, so it need not stay in L2; a larger block means B is packed
 *       fewer times (once per block of rows).</li>
 * </ul>
 *
 * @param kc K block, a multiple of 8
 * @param nc N block, a multiple of the tile's {@code nr}
 * @param mc M block, a multiple of the tile's {@code mr}
 */
record GemmBlocking(int kc, int nc, int mc) {
    /** Bounds on kc: below, C is loaded and stored too often; above, nothing more is gained. */
    static final int MIN_KC = 64;
    /** See {@link #MIN_KC}. */
    static final int MAX_KC = 512;

    /** The blocks for {@code elementBytes}-byte elements and an {@code mr × nr} register tile. */
    static GemmBlocking of(CpuCaches caches, int elementBytes, int mr, int nr) {
        int l1 = caches.l1Bytes() - caches.l1Bytes() / caches.l1Ways();
        int kc = Math.clamp((long) l1 / ((long) (mr + nr) * elementBytes) / 8 * 8, MIN_KC, MAX_KC);
        int nc = Math.max(nr, caches.l2Bytes() / 2 / (kc * elementBytes) / nr * nr);
        int mc = Math.max(mr, caches.l2Bytes() / (kc * elementBytes) / mr * mr);
        return new GemmBlocking(kc, nc, mc);
    }
}
