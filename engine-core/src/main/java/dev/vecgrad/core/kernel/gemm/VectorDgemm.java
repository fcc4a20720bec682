package dev.vecgrad.core.kernel.gemm;

import dev.vecgrad.core.kernel.Epilogue;
import dev.vecgrad.core.kernel.parallel.Parallel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The f64 SIMD GEMM behind {@link Gemm#dgemm}, single-threaded on one block of C; {@link Gemm}
 * splits big products over threads and calls {@link #gemm} once per block, or has its threads run
 * the whole product together as a {@link Team}.
 *
 * <p>Small products, whose packing and per-tile costs weigh as much as their multiply-adds, go
 * to {@link SmallDgemm} instead (one pass over K, A and B read in place; {@link SmallDgemm#takes}):
 * with 32 vector registers on its 6 × 4-vector tile, with 16 on a 5 × 2 one and only for products
 * a few column panels wide, past which the packed 16-register tiles are faster.
 *
 * <p>BLIS structure, written for row-major C with the vector lanes along N:
 * <pre>
 * for pc in K by ≤ KC:                     the K loop: same order whatever the thread split
 *   pack B[pc.., all of N] (several M blocks: see below)
 *   for ic in M by ≤ MC:                   A block (≤ MC × KC), packed once per (pc, ic)
 *     pack A[ic.., pc..] into rows A_STRIDE apart
 *     for jc in N by ≤ NC:                 B block (KC × NC) in NR-column micro-panels: stays in L2
 *       pack B[pc.., jc..] (unless packed above)
 *       for ir in MC by MR:                one A micro-panel (MR rows × KC): read by every tile of the row
 *         for jr in NC by NR:              one B micro-panel streamed from L2
 *           MR × NR register tile: C[ir.., jr..] (+)= A-panel · B-panel
 * </pre>
 * The 16-register tiles, whose B micro-panels are three (5 × 2) to eight (3 × 3) times their A
 * micro-panels, swap the two innermost loops while the block of C fits in half of L2 ({@link
 * Tile#columnsOuter}): a B micro-panel stays in L1 while every A micro-panel of the block streams
 * past it from L2, and their blocks are sized for that order ({@link GemmBlocking}).
 * With several M blocks, B's whole K block (KC × N) is packed once and serves every M block, unless
 * it is wider than {@link #WHOLE_B_BLOCKS} B blocks; otherwise each B block is packed just before
 * its tiles run.
 * MC, KC and NC, the block sizes, are a kernel's own ({@link #VectorDgemm(GemmBlocking)}); those of
 * {@link #MACHINE}, the kernel {@link Gemm} runs, come from this machine's caches ({@link #BLOCKS},
 * {@link GemmBlocking}, {@link CpuCaches}). The register tile ({@link #TILE}) comes from its vector
 * registers ({@link #vectorRegisters}), chosen once when this class is loaded:
 * <ul>
 *   <li>With 32 vector registers (x86 with AVX-512, AArch64's NEON and SVE, and every other
 *       architecture) {@link #MR} × {@link #NR} = 12 × 2 vectors: 24 accumulators + 2 B vectors +
 *       the broadcasts. With 16 (x86 with AVX2, that is preferred vectors of at most 256 bits)
 *       {@link #MR} × {@link #NR} = 5 × 2 vectors at f64: 10 accumulators + 2 B vectors + the
 *       broadcasts, which C2 issues ahead of their FMAs, and 3 × 3 vectors at f64: 9 accumulators
 *       + 3 B vectors + 3 broadcasts ({@link Tile#forRegisters}); the 5 × 2 tile's 16 columns
 *       divide more products' n than the 3 × 3 tile's 24, so fewer of its FMAs fall past the last
 *       column. A 6 × 2 tile (BLIS's shape for AVX2) leaves C2 two accumulators short, and it keeps
 *       those on the stack, a store and a reload in their FMA chains on every step; a 4 × 2 tile
 *       fits but its 8 chains leave no slack. Either way there
 *       are enough independent FMA chains to cover the FMA latency (4 cycles × 2 ports = 8 needed),
 *       and a step loads NR / LANES vectors and broadcasts MR values from memory for MR·NR / LANES
 *       FMAs.</li>
 *   <li>Packed A keeps each row of the block whole: row i at {@code i·A_STRIDE}. Packing an
 *       untransposed A is then a copy of row pieces, and the tile's MR broadcasts at step p read
 *       {@code pa[ai + p + r·A_STRIDE]}, one index register and MR constant displacements, so C2
 *       checks no bounds inside the loop ({@link #A_STRIDE} is a constant once this class is loaded).
 *       The stride is KC padded by a few cache lines, so that the tile's rows do not crowd into a
 *       few of L1's sets ({@link GemmBlocking#rowStride}). A transposed A is gathered into the same
 *       layout. The 16-register tiles read A interleaved instead: the row panel at {@code
 *       ir·A_STRIDE} holds step p's MR values at {@code MR·p, MR·p + 1, ...}, so their loops run on
 *       A's index; the 3 × 3 tile's alone, from which C2 derives B's (B's step, 3·LANES values, is
 *       LANES times A's), spending 5 instructions a step on indices and loop control instead of 11
 *       (with 16 registers that overhead cannot be spread over two steps an iteration instead: C2
 *       then spills).</li>
 *   <li>Packed B micro-panels hold NR columns a step, contiguously, so B's step is the constant NR
 *       too. (Reading an untransposed B in place, with its row stride as the step, saves packing it
 *       but costs C2 its bounds-check elimination and a register; measured, that lost more than the
 *       packing saved from m = 128 up.) For the 12-row tile packed B lives off the heap at the start
 *       of a cache line ({@link #B_ALIGNMENT}, {@link #packedB}), so that none of its vector loads
 *       straddles two lines.</li>
 * </ul>
 *
 * <p>Edges: only the full register tile runs. A tile at the edge of C (a last row panel of fewer
 * than MR rows, a last column panel of fewer than NR columns) runs on a scratch copy of C's corner,
 * over packed rows and columns that are zero past the edge, and only the corner is copied back; a
 * K block of an odd number of steps is packed one step deeper, with a step that adds nothing
 * ({@link #packA}). So the JIT compiles one tile, which every call runs hundreds of times, and a
 * product with edges reaches full speed as soon as one without them.
 *
 * <p>One source for both precisions (F64Source): VectorDgemm.java is generated from VectorSgemm.java,
 * so edit VectorSgemm.java only and regenerate (F64Source); engine-core's tests fail while it is stale.
 *
 * <p>Every C element is one FMA chain: it starts from C (or zero), and takes the products of p = 0,
 * 1, ..., k-1 in order, KC at a time, whatever the tile or thread it falls in: results do not
 * depend on the split, and equal {@link Gemm#referenceF64}'s bit for bit.
 */
final class VectorDgemm {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    /** Vector lanes. */
    static final int LANES = S.length();
    /** Bytes in a vector. */
    private static final long VECTOR_BYTES = (long) LANES * Double.BYTES;
    /** Bytes in a step of the 12-row tile's packed B micro-panel: two vectors. */
    private static final long STEP_BYTES = 2 * VECTOR_BYTES;
    /** The byte order of packed B, which only this class writes and reads. */
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    /**
     * The register tile shapes, each {@code rows} × {@code vectors} vectors of C. Packed B holds
     * {@link #nr()} columns a step: the tile's width.
     */
    enum Tile {
        /** 12 × 2 vectors: 24 accumulators + 2 B vectors + 1 broadcast, for 32 vector registers. */
        WIDE(12, 2, false, false),
        /**
         * 3 × 3 vectors: 9 accumulators + 3 B vectors + the broadcasts C2 loads ahead of their FMAs
         * (up to 3), for 16 vector registers at f64: one FMA chain more than the latency needs. Reads
         * A interleaved, and runs with column panels outermost.
         */
        SQUARE(3, 3, true, true),
        /**
         * 5 × 2 vectors: 10 accumulators + 2 B vectors + the broadcasts C2 loads ahead of their FMAs,
         * for 16 vector registers at f64: two FMA chains more than the latency needs. Reads A
         * interleaved, and runs with column panels outermost.
         */
        FIVE_ROWS(5, 2, true, true);

        /** Rows of the tile. */
        final int rows;
        /** Vectors of the tile's width. */
        final int vectors;
        /**
         * Whether the tile reads packed A interleaved, a row panel's {@code rows} values of each K
         * step adjacent, rather than as whole rows {@link #A_STRIDE} apart: the 3- and 5-row tiles
         * ({@link #packAInterleaved}).
         */
        final boolean interleavedA;
        /**
         * Whether a block's tiles run with column panels outermost, so that each B micro-panel
         * stays in L1 while A's micro-panels stream past it, rather than row panels outermost
         * ({@link #macro}): for a tile whose B micro-panel ({@code kc × nr}) is many times its A
         * micro-panel ({@code rows × kc}), since streaming the smaller panel moves fewer bytes a
         * step. Its blocks are sized for that order ({@link GemmBlocking#of}; with an L2 too small
         * for that order's A block, {@link GemmBlocking#columnOrder}, A's block is the row order's),
         * and a block of C too large for it runs rows outermost all the same ({@link
         * GemmBlocking#columnsOuter}).
         */
        final boolean columnsOuter;

        Tile(int rows, int vectors, boolean interleavedA, boolean columnsOuter) {
            this.rows = rows;
            this.vectors = vectors;
            this.interleavedA = interleavedA;
            this.columnsOuter = columnsOuter;
        }

        /** Columns of the tile, and of a packed B micro-panel's step. */
        int nr() {
            return vectors * LANES;
        }

        /**
         * The tile for {@code registers} vector registers and {@code elementBytes}-byte elements: the
         * 12-row tile with 32; with 16, 5 × 2 for 4-byte elements, whose 16 columns (two 8-lane
         * vectors) divide more products' n than the 3 × 3 tile's 24, and 3 × 3 for 8-byte ones.
         */
        // Implementation note: both tiles' loops run at the same speed alone (packed A and B in L2:
        // 5 × 2 0.99-1.01 of 3 × 3, f64 and f64, on an AVX2-limited Zen 5 core); in the engine, one
        // shape a JVM, 8 alternating 40 ms blocks, thread CPU time, two JVMs pinned to different
        // vCPUs, f64 5 × 2 ran 1.12 (64³), 1.10 (128³), 1.00-1.05 (256³-2048³) and 1.00-1.09 (the
        // MLP shapes 128×784·784×256, 784×128·128×256, 128×256·256×784) of 3 × 3, but f64 0.97-0.98
        // at 128³ and 0.92-0.97 at 2048³ whatever its blocks (K 256 or 384, N 168-256, M 170-340).
        static Tile forRegisters(int registers, int elementBytes) {
            if (registers >= 32) {
                return WIDE;
            }
            return elementBytes <= Integer.BYTES ? FIVE_ROWS : SQUARE;
        }
    }

    /**
     * Vector registers of a machine of architecture {@code arch} ({@code os.arch}) whose preferred
     * vectors are {@code vectorBits} wide: on x86, 32 with AVX-512 and 16 without it, which the
     * preferred width tells apart (512 bits only with AVX-512; a JVM run with {@code -XX:UseAVX=2}
     * or {@code -XX:MaxVectorSize=32} counts as AVX2); 32 on every other architecture (AArch64's
     * NEON and SVE have 32, RISC-V's V 32, POWER's VSX 64).
     */
    static int vectorRegisters(String arch, int vectorBits) {
        boolean x86 = switch (arch) {
            case "amd64", "x86_64", "x86", "i386", "i486", "i586", "i686" -> true;
            default -> false;
        };
        return x86 && vectorBits < 512 ? 16 : 32;
    }

    /** This machine's vector registers. */
    static final int REGISTERS = vectorRegisters(System.getProperty("os.arch"), S.vectorBitSize());
    /** This machine's register tile. */
    static final Tile TILE = Tile.forRegisters(REGISTERS, Double.BYTES);
    /** Rows of this machine's register tile. */
    static final int MR = TILE.rows;
    /** Columns of this machine's register tile. */
    static final int NR = TILE.nr();
    /** The most elements of any tile of C: the size of an edge tile's scratch corner. */
    private static final int MAX_TILE = Arrays.stream(Tile.values()).mapToInt(t -> t.rows * t.nr()).max().orElseThrow();
    /** The widest tile's columns. */
    private static final int MAX_NR = Arrays.stream(Tile.values()).mapToInt(Tile::nr).max().orElseThrow();
    /** This machine's block sizes. */
    static final GemmBlocking BLOCKS = GemmBlocking.of(CpuCaches.DETECTED, Double.BYTES, MR, NR, TILE.columnsOuter);
    /**
     * The distance between packed A rows: the deepest K block, {@code BLOCKS.kc()}, plus the
     * padding {@link GemmBlocking#rowStride} chooses to spread the rows over L1's sets.
     */
    static final int A_STRIDE = GemmBlocking.rowStride(CpuCaches.DETECTED, Double.BYTES, MR, BLOCKS.kc());
    /**
     * Where packed B starts: at a multiple of a cache line (and of a vector), so that no vector the
     * tiles load from it straddles two lines. A Java array's elements start wherever the heap put
     * the array, so packed B lives off the heap ({@link #packedB}).
     */
    // Implementation note: with packed A and B at each of the 16 double offsets of a line inside one
    // array, the one-thread product ran 4 % (1024³) and 7 % (2048³) faster, median over 15
    // alternating rounds in 3 JVMs, at the offset where they start on a line than at the other 15,
    // which were all within 2 % of one another: every other offset splits each 64-byte load. Off
    // the heap against the array, alternating 10 ms blocks in one JVM (3 JVMs): 1.02-1.06x at
    // 1024³-2048³, 1.01-1.09x at 256³ and the MLP shapes, f64 and f64, in every JVM (the array code
    // against a copy of itself: 0.98-1.03x).
    static final long B_ALIGNMENT = Long.highestOneBit(Math.max(CpuCaches.DETECTED.lineBytes(), VECTOR_BYTES));
    /**
     * The most B blocks (of NC columns) whose packed K block is kept for every M block; past that, B
     * is packed again for each M block ({@link GemmBlocking#wholeBBlocks}).
     */
    static final int WHOLE_B_BLOCKS = GemmBlocking.wholeBBlocks(Double.BYTES);
    /** The kernel with this machine's block sizes, {@link #BLOCKS}: the one {@link Gemm} runs. */
    static final VectorDgemm MACHINE = new VectorDgemm(BLOCKS);

    /** The M, K and N blocks of this kernel's products. */
    private final GemmBlocking blocks;

    /**
     * A kernel whose products are cut into {@code blocks}: {@link #BLOCKS} for speed ({@link
     * #MACHINE}), others to compare block sizes or to cross every block edge on small operands;
     * the result is the same bits whatever the blocks.
     *
     * @throws IllegalArgumentException if the K block is deeper than {@code BLOCKS.kc()}, the
     *     longest row packed A has room for ({@link #A_STRIDE})
     */
    VectorDgemm(GemmBlocking blocks) {
        if (blocks.kc() > BLOCKS.kc()) {
            throw new IllegalArgumentException("K block " + blocks.kc() + " is deeper than packed A's rows hold: at "
                    + "most " + BLOCKS.kc() + " (" + BLOCKS + ")");
        }
        this.blocks = blocks;
    }

    /** The kernel and its blocks, e.g. {@code VectorDgemm GemmBlocking[kc=512, nc=512, mc=1020]}. */
    @Override
    public String toString() {
        return "VectorDgemm " + blocks;
    }

    /**
     * Per-thread packing buffers, and the thread's team, grown to the largest block seen and then
     * reused by every call.
     */
    static final class Buffers {
        double[] a = new double[0];
        private MemorySegment b = MemorySegment.NULL;
        /** {@link #b}'s array, for the 16-register tiles ({@link #arrayOf}). */
        private double[] bArray;
        /** An edge tile's corner of C, the size of the largest tile. */
        final double[] scratch = new double[MAX_TILE];
        /** The team this thread leads when it shares a product with others ({@link #team}). */
        final Team team = new Team();
        private final int[] aIndex = new int[LANES];
        private final int[] bIndex = new int[LANES];
        private int aIndexLd = -1;
        private int bIndexLd = -1;

        /**
         * This thread's packed B, room for {@code doubles} values for {@code tile} ({@link #packedB}):
         * the one-thread path's, and a {@link Team}'s block of the phase this thread works in when the
         * team's threads pack their own.
         */
        MemorySegment b(long doubles, Tile tile) {
            MemorySegment packed = packedB(b, doubles, tile);
            if (packed != b) {
                b = packed;
                bArray = arrayOf(packed);
            }
            return b;
        }

        /** The array of the packed B that {@link #b} returned last: null off the heap (the 12-row tile's). */
        double[] bArray() {
            return bArray;
        }

        /** Gather offsets {@code 0, ld, 2·ld, ...} of LANES consecutive rows of a transposed A. */
        int[] aIndex(int ld) {
            if (ld != aIndexLd) {
                fillIndex(aIndex, ld);
                aIndexLd = ld;
            }
            return aIndex;
        }

        /** Gather offsets {@code 0, ld, 2·ld, ...} of LANES consecutive rows of a transposed B. */
        int[] bIndex(int ld) {
            if (ld != bIndexLd) {
                fillIndex(bIndex, ld);
                bIndexLd = ld;
            }
            return bIndex;
        }

        private static void fillIndex(int[] index, int ld) {
            for (int i = 0; i < LANES; i++) {
                index[i] = i * ld;
            }
        }
    }

    /**
     * A packed B buffer with room for {@code doubles} values for {@code tile}: {@code packed}, or one
     * that replaces it when it is too small or of the other kind. For the 12-row tile it lives off
     * the heap, {@link #B_ALIGNMENT}-byte aligned, in an automatic arena: any thread may read and
     * write it (a {@link Team}'s threads pack and read their leader's), and its memory goes back
     * once nothing holds it, when a larger one replaces it or the {@link Buffers} holding it go with
     * their thread. For the 16-register tiles it is a Java array ({@link #fullTile}).
     */
    static MemorySegment packedB(MemorySegment packed, long doubles, Tile tile) {
        boolean offHeap = tile == Tile.WIDE;
        if (packed.byteSize() >= doubles * Double.BYTES && packed.isNative() == offHeap) {
            return packed;
        }
        return offHeap ? Arena.ofAuto().allocate(doubles * Double.BYTES, B_ALIGNMENT)
                : MemorySegment.ofArray(new double[Math.toIntExact(doubles)]);
    }

    /**
     * The Java array a packed B buffer of the 16-register tiles views, which {@link #fullTile} reads; null
     * for one off the heap. Taken once a buffer, when {@link #packedB} makes it, rather than a
     * block: {@code heapBase()} returns an {@code Optional}, which the JIT does not always keep
     * off the heap.
     */
    // Implementation note: taken in macro, a block at a time, it allocated 16 bytes a block once
    // compiled: 128 bytes a call of double precision 784×256×128 with A transposed under
    // -XX:UseAVX=2 (JFR's allocation events pointed at macro's heapBase().orElseThrow()).
    static double[] arrayOf(MemorySegment packed) {
        return packed.isNative() ? null : (double[]) packed.heapBase().orElseThrow();
    }

    /** A row of zeros: the starting accumulators of a tile that overwrites C ({@code ldcIn = 0}). */
    private static final double[] ZEROS = new double[MAX_NR];

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /** The calling thread's packing buffers. */
    static Buffers buffers() {
        return BUFFERS.get();
    }

    /**
     * {@code C = op(A)·op(B)} (or {@code +=} when {@code accumulate}) for one block of C, on the
     * calling thread; arguments as in {@link Gemm#dgemm}, already validated, m, n, k &gt; 0. A
     * product that {@link SmallDgemm} takes ({@link #small}) runs there instead, unblocked and
     * unpacked.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff,
            int ldb, double[] c, int cOff, int ldc, boolean accumulate, Buffers buf) {
        gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, buf, null, 0, 0, false);
    }

    /**
     * {@link #gemm(boolean, boolean, int, int, int, double[], int, int, double[], int, int, double[], int, int, boolean, Buffers)}
     * then {@code epilogue} (unless null) on each block of C once its last K block is in, while the
     * block is in cache; {@code row0} and {@code col0} are where this C starts in the whole product,
     * so that the epilogue reads the operands of the right elements. {@code bottomUp} walks each
     * block's row panels from the last: two threads whose blocks of C meet along a column then reach
     * the rows there at different times (the cache line across the cut is written by both). The walk
     * never changes the order of an element's sum.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff,
            int ldb, double[] c, int cOff, int ldc, boolean accumulate, Buffers buf, Epilogue epilogue, int row0,
            int col0, boolean bottomUp) {
        if (small(transA, m, n, k)) {
            SmallDgemm.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate,
                    SmallDgemm.buffers(), bottomUp);
            if (epilogue != null) {
                epilogue.apply(c, cOff, ldc, row0, col0, m, n);
            }
            return;
        }
        gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, buf, epilogue, row0, col0,
                bottomUp, TILE);
    }

    /**
     * {@link #gemm(boolean, boolean, int, int, int, double[], int, int, double[], int, int, double[], int, int, boolean, Buffers, Epilogue, int, int, boolean)}
     * on the packed path whatever the product's size, with register tiles of the shape {@code tile}
     * rather than this machine's: the same bits, so that every tile is tested on any machine.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff,
            int ldb, double[] c, int cOff, int ldc, boolean accumulate, Buffers buf, Epilogue epilogue, int row0,
            int col0, boolean bottomUp, Tile tile) {
        int mr = tile.rows;
        int nr = tile.nr();
        int mb = mBlock(m, tile);
        int kb = block(k, blocks.kc(), 1);
        int nb = nBlock(n, tile);
        if (buf.a.length < roundUp(mb, mr) * A_STRIDE) {
            buf.a = new double[roundUp(mb, mr) * A_STRIDE];
        }
        boolean wholeB = m > mb && n <= WHOLE_B_BLOCKS * nb;
        double[] pa = buf.a;
        MemorySegment pb = buf.b((long) roundUp(wholeB ? n : nb, nr) * steps(kb), tile);
        double[] pbArray = buf.bArray();
        int[] bIndex = transB ? buf.bIndex(ldb) : null;
        for (int pc = 0; pc < k; pc += kb) {
            int kc = Math.min(kb, k - pc);
            boolean add = accumulate || pc > 0;
            for (int jc = 0; wholeB && jc < n; jc += nb) {
                packB(transB, b, bOff, ldb, pc, kc, jc, Math.min(nb, n - jc), pb, pbArray, jc * steps(kc), bIndex,
                        tile.vectors);
            }
            for (int ic = 0; ic < m; ic += mb) {
                int mc = Math.min(mb, m - ic);
                packA(transA, a, aOff, lda, ic, mc, pc, kc, buf, tile);
                for (int jc = 0; jc < n; jc += nb) {
                    int nc = Math.min(nb, n - jc);
                    if (!wholeB) {
                        packB(transB, b, bOff, ldb, pc, kc, jc, nc, pb, pbArray, 0, bIndex, tile.vectors);
                    }
                    macro(tile, mc, nc, steps(kc), pa, pb, pbArray, wholeB ? jc * steps(kc) : 0, c,
                            cOff + ic * ldc + jc, ldc, add, buf.scratch, bottomUp);
                    if (epilogue != null && pc + kc == k) {
                        epilogue.apply(c, cOff + ic * ldc + jc, ldc, row0 + ic, col0 + jc, mc, nc);
                    }
                }
            }
        }
    }

    /**
     * Whether this kernel hands a product to {@link SmallDgemm}: with this machine's blocks, where
     * {@link SmallDgemm#takes} says so.
     */
    private boolean small(boolean transA, int m, int n, int k) {
        return blocks.equals(BLOCKS) && SmallDgemm.takes(transA, m, n, k);
    }

    /**
     * Whether {@link #team} should run this product on {@code threads} threads rather than {@link
     * Gemm}'s grid of one block a thread: it goes to the packed path (not {@link SmallDgemm}) and has
     * at least {@link Team#MIN_ROWS_PER_THREAD} rows a thread, or {@link Team#MIN_DEEP_ROWS_PER_THREAD}
     * when K is cut into more than one block.
     */
    boolean shares(int threads, boolean transA, int m, int n, int k) {
        int minRows = k > blocks.kc() ? Team.MIN_DEEP_ROWS_PER_THREAD : Team.MIN_ROWS_PER_THREAD;
        return threads > 1 && m >= minRows * threads
                && !small(transA, m, n, k);
    }

    /**
     * The whole product {@code C (+)= op(A)·op(B)} as a {@link Team} that any number of threads run
     * together, each calling {@link Team#run}, or a pool's through {@link Team#runOn}; arguments as
     * in {@link #gemm}. The team is {@code buf}'s, the calling thread's, set up for this product: a
     * thread leads one product at a time, so every product it leads reuses the same team.
     */
    Team team(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff, int lda, double[] b, int bOff,
            int ldb, double[] c, int cOff, int ldc, boolean accumulate, Buffers buf, Epilogue epilogue) {
        buf.team.start(blocks, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, epilogue);
        return buf.team;
    }

    /**
     * One product shared by threads that take its work from a common counter, so that a thread
     * running faster takes more of it. The work comes in phases, one a (K block, span of N blocks)
     * pair in the one-thread order (K blocks outermost); a span is up to {@link #MAX_SPAN_BLOCKS}
     * N blocks. A phase packs B's blocks of the span, each in {@link #PACK_TASKS} column strips,
     * into one of two buffers that every thread reads (phases take turns with them), then runs one
     * task a group of row panels of C ({@link #groupPanels}), which packs its own rows of A once and
     * multiplies them by each B block of the span in turn, as the one-thread path does with its M
     * block. A product of at most {@link #MAX_PRIVATE_PHASES} (K block, N block) pairs has no pack
     * tasks: each thread packs the phase's blocks into its own buffer ({@link Buffers#b}) when it
     * claims its first group of the phase (a thread's phases only go forward, so once a phase).
     *
     * <p>Tasks are claimed in order, and each waits only for what it needs: a pack task, for the
     * groups of the phase two before, which read the buffer it overwrites (so the next phase's
     * B is packed while this phase's last groups run); a group, for its part of C to have taken the
     * K blocks before its own (the same group, {@code spans} phases before), which it waits for
     * after packing its A, and for each B block's packing (unless its thread packs its own) just
     * before it multiplies by it. Every wait is for a task claimed earlier, by a thread that is
     * running it, so any number of threads, one included, finish the product; and every C element
     * takes its K blocks in order, in the same tile: the bits do not depend on the threads or on who
     * ran what. A task that throws marks the team failed: the others stop at their next task or
     * wait, and the exception goes to whoever runs the threads ({@link #runOn}, through {@code
     * Parallel.forEachChunk}).
     *
     * <p>A team belongs to one thread's {@link Buffers} and is set up again for each product that
     * thread leads ({@link #team}), so its packed B and its counters are allocated once.
     */
    static final class Team implements Parallel.ChunkBody {
        /** Column strips of each B block packed as separate tasks in a phase, so that the threads share the packing. */
        static final int PACK_TASKS = 4;
        /**
         * The most (K block, N block) pairs of a product whose threads each pack every phase's B
         * blocks themselves rather than share one packed copy: with few, most of the work waits for
         * a phase's shared packing, and half of each shared block is read from the other core's
         * cache just after it wrote it; with many, packing every block on every thread costs more.
         */
        // Implementation note, from 2 threads against 1 in one JVM on an AMD EPYC guest (2 vCPUs, 1 MiB
        // L2 each), 50 ms blocks alternating, 12-16 rounds in which both vCPUs ran a register-only FMA
        // loop at 1.8x one or more, medians, with a phase of one N block and a task of one row panel:
        // private blocks against shared ones gave 1.79 vs 1.65 (dgemm 512³, 2 pairs), 1.71 vs 1.53
        // (dgemm 512³, 4), 1.74 vs 1.55 and 1.74 vs 1.58 (MLP xᵀ·dy, dgemm and dgemm, 1), but 1.44 vs
        // 1.78 (dgemm 1024³, 8) and 1.62 vs 1.71 (dgemm 1024³, 16).
        static final int MAX_PRIVATE_PHASES = 4;
        /**
         * The most N blocks in a phase: a group's packed A serves all of them, and the two shared
         * buffers hold {@code 2 · MAX_SPAN_BLOCKS} B blocks of half of L2 each.
         */
        // Implementation note, from 2 threads in one JVM on an AMD EPYC guest (2 vCPUs, 1 MiB L2 each),
        // 60 ms blocks in a shuffled order, copies of the kernel in classes of their own, median of the
        // per-round ratios over 90-160 rounds: phases of all N blocks with a task of a group of row
        // panels against phases of one N block with a task of one row panel (A packed again for every
        // N block) ran 1.04-1.06x at 2048³ (three JVMs, dgemm and dgemm), 1.00-1.05x (dgemm) and 1.08x
        // (dgemm) at 1024³, 0.98-1.02x at 512³; groups of 8, 16 or 32 a phase were within 0.98-1.03x
        // of each other.
        static final int MAX_SPAN_BLOCKS = 8;
        /**
         * Groups of row panels a phase aims at: enough for the threads to even out their shares,
         * a faster thread taking more groups, and to keep the wait at the end for the last group
         * short.
         */
        static final int GROUPS_A_PHASE = 16;
        /**
         * Rows of C a thread below which {@link Gemm}'s grid runs the product instead: a product of
         * a few row panels a thread gains nothing from sharing them.
         */
        // Implementation note: 96 rows is 8 panels of the 12-row tile. On two threads, alternating
        // with the one-block-a-thread grid in one JVM, with the team's B packed in shared strips, the
        // MLP products of 128 rows ran at 0.92-1.06 of the grid's speed with both vCPUs free and
        // 0.95-1.05 with one of them busy, whether a row panel's columns were one task or two (a
        // product shorter than the scheduler's time slice gains nothing from the busy vCPU's thread
        // either way); those of one K block keep the grid (MIN_DEEP_ROWS_PER_THREAD for the others).
        static final int MIN_ROWS_PER_THREAD = 96;
        /**
         * {@link #MIN_ROWS_PER_THREAD} for a product of more than one K block. A grid short enough
         * to cut along N has both threads write every row of C, each its side of the cut, and the
         * cache line that straddles the cut on each row goes back and forth between their cores
         * once a K block; a team's row panels share a line only where two panels meet.
         */
        // Implementation note, from 2 threads against 1 in one JVM on an AMD EPYC guest (2 vCPUs,
        // 1 MiB L2 each), 40-50 ms blocks alternating, rounds in which both vCPUs ran a register-only
        // FMA loop at 1.8x one or more, medians, single / double precision. MLP x·W (128×784·784×256,
        // 2 / 4 K blocks): team 1.71 / 1.81 against the 1×2 grid's 1.63 / 1.57, the team ahead in 8
        // of 10 / 4 of 4 rounds. The grid's loss is its shared C: with each thread writing its block
        // into a separate array the grid ran 1.85 (double), and running its two blocks on one thread
        // in turn took 0.94-1.0x one thread's speed, so packing all of A twice is not it. MLP dy·Wᵀ
        // (128×256·(784×256)ᵀ, one K block) stays on the grid: 1.77 / 1.86 against the team's
        // 1.42 / 1.53, since the team's threads each gather all of Bᵀ.
        static final int MIN_DEEP_ROWS_PER_THREAD = 64;
        /** Polls a waiting thread spins through before it yields its core at each further poll. */
        private static final int SPINS = 1 << 12;

        private boolean transA;
        private boolean transB;
        private int m;
        private int n;
        private int k;
        private double[] a;
        private int aOff;
        private int lda;
        private double[] b;
        private int bOff;
        private int ldb;
        private double[] c;
        private int cOff;
        private int ldc;
        private boolean accumulate;
        private Epilogue epilogue;
        private int kb;
        private int nb;
        private int nBlocks;
        private int spanBlocks;
        private int spans;
        private int groupRows;
        private int groups;
        private int packTasks;
        private int perPhase;
        private int tasks;
        /** Whether each thread packs every phase's B blocks itself ({@link #MAX_PRIVATE_PHASES}). */
        private boolean privateB;
        /** Packed B, even phases in the first buffer, odd ones in the second ({@link #packedB}). */
        private final MemorySegment[] pb = {MemorySegment.NULL, MemorySegment.NULL};
        /** {@link #pb}'s arrays, for the 16-register tiles ({@link #arrayOf}). */
        private final double[][] pbArrays = new double[2][];
        /** Pack tasks done, per (phase, B block of the span). */
        private AtomicIntegerArray packed = new AtomicIntegerArray(0);
        /** Groups done, per phase. */
        private AtomicIntegerArray multiplied = new AtomicIntegerArray(0);
        /** K blocks each group's part of C has taken, per (span, group). */
        private AtomicIntegerArray partBlocks = new AtomicIntegerArray(0);
        private final AtomicInteger next = new AtomicInteger();
        private volatile boolean failed;

        /** Sets the team up for one product, cut into {@code blocks}. */
        private void start(GemmBlocking blocks, boolean transA, boolean transB, int m, int n, int k,
                double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c, int cOff, int ldc,
                boolean accumulate, Epilogue epilogue) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
            this.accumulate = accumulate;
            this.epilogue = epilogue;
            this.kb = block(k, blocks.kc(), 1);
            this.nb = block(n, blocks.nc(), NR);
            this.nBlocks = (n + nb - 1) / nb;
            int kBlocks = (k + kb - 1) / kb;
            int panels = (m + MR - 1) / MR;
            int groupPanels = groupPanels(panels, CpuCaches.DETECTED.l2Bytes());
            this.groupRows = groupPanels * MR;
            this.groups = (panels + groupPanels - 1) / groupPanels;
            this.spanBlocks = Math.min(nBlocks, MAX_SPAN_BLOCKS);
            this.spans = (nBlocks + spanBlocks - 1) / spanBlocks;
            int phases = kBlocks * spans;
            this.privateB = kBlocks * nBlocks <= MAX_PRIVATE_PHASES;
            this.packTasks = privateB ? 0 : PACK_TASKS * spanBlocks;
            this.perPhase = packTasks + groups;
            this.tasks = phases * perPhase;
            long bLen = (long) spanBlocks * nb * steps(kb);
            for (int i = 0; i < pb.length && !privateB; i++) {
                MemorySegment packed = packedB(pb[i], bLen, TILE);
                if (packed != pb[i]) {
                    pb[i] = packed;
                    pbArrays[i] = arrayOf(packed);
                }
            }
            packed = zeros(packed, phases * spanBlocks);
            multiplied = zeros(multiplied, phases);
            partBlocks = zeros(partBlocks, spans * groups);
            next.set(0);
            failed = false;
        }

        /**
         * Row panels of MR rows in a group, one task, of a product of {@code panels} row panels: about
         * {@link #GROUPS_A_PHASE} groups, and their packed A within a quarter of the L2 cache of
         * {@code l2Bytes}, where it stays while the span's B blocks stream past it; at least one.
         */
        static int groupPanels(int panels, int l2Bytes) {
            int fit = l2Bytes / 4 / (MR * A_STRIDE * Double.BYTES);
            return Math.max(1, Math.min(fit, panels / GROUPS_A_PHASE));
        }

        /** Whether the product set up last has each thread pack every phase's B block itself ({@link #MAX_PRIVATE_PHASES}). */
        boolean packsPrivately() {
            return privateB;
        }

        /** {@code counts} with its first {@code length} counts zero, or a new array if it is shorter. */
        private static AtomicIntegerArray zeros(AtomicIntegerArray counts, int length) {
            if (counts.length() < length) {
                return new AtomicIntegerArray(length);
            }
            for (int i = 0; i < length; i++) {
                counts.set(i, 0);
            }
            return counts;
        }

        /**
         * Runs the product on {@code pool}'s threads, the caller among them, and then lets go of the
         * operands, so that the team keeps no caller's arrays alive.
         */
        void runOn(Parallel pool) {
            try {
                pool.forEachChunk(pool.threads(), this);
            } finally {
                a = null;
                b = null;
                c = null;
                epilogue = null;
            }
        }

        /**
         * Runs tasks on the calling thread until none is left to claim or the team has failed;
         * {@code chunk} is not used: every thread takes its tasks from the same counter.
         */
        @Override
        public void run(int chunk) {
            Buffers buf = buffers();
            if (buf.a.length < groupRows * A_STRIDE) {
                buf.a = new double[groupRows * A_STRIDE];
            }
            MemorySegment ownB = privateB ? buf.b((long) spanBlocks * nb * steps(kb), TILE) : null;
            double[] ownBArray = buf.bArray();
            int[] bIndex = transB ? buf.bIndex(ldb) : null;
            try {
                for (int t, ownPhase = -1; (t = next.getAndIncrement()) < tasks; ) {
                    int phase = t / perPhase;
                    int task = t % perPhase;
                    int kBlock = phase / spans;
                    int span = phase % spans;
                    int pc = kBlock * kb;
                    int kc = Math.min(kb, k - pc);
                    int firstBlock = span * spanBlocks;
                    int blocksHere = Math.min(spanBlocks, nBlocks - firstBlock);
                    MemorySegment packedB = privateB ? ownB : pb[phase & 1];
                    double[] packedBArray = privateB ? ownBArray : pbArrays[phase & 1];
                    if (task < packTasks) {
                        if (phase >= 2 && !await(multiplied, phase - 2, groups)) {
                            return;
                        }
                        int s = task / PACK_TASKS;
                        int strip = task % PACK_TASKS;
                        if (s < blocksHere) {
                            int jc = (firstBlock + s) * nb;
                            int nc = Math.min(nb, n - jc);
                            int units = (nc + NR - 1) / NR;
                            int j0 = Math.min(nc, units * strip / PACK_TASKS * NR);
                            int j1 = Math.min(nc, units * (strip + 1) / PACK_TASKS * NR);
                            if (j1 > j0) {
                                packB(transB, b, bOff, ldb, pc, kc, jc + j0, j1 - j0, packedB, packedBArray,
                                        (s * nb + j0) * steps(kc), bIndex, TILE.vectors);
                            }
                        }
                        packed.incrementAndGet(phase * spanBlocks + s);
                    } else {
                        int group = task - packTasks;
                        int ir = group * groupRows;
                        int rows = Math.min(groupRows, m - ir);
                        int part = span * groups + group;
                        if (privateB && phase != ownPhase) {
                            for (int s = 0; s < blocksHere; s++) {
                                int jc = (firstBlock + s) * nb;
                                packB(transB, b, bOff, ldb, pc, kc, jc, Math.min(nb, n - jc), ownB, ownBArray, s * nb * steps(kc),
                                        bIndex, TILE.vectors);
                            }
                            ownPhase = phase;
                        }
                        packA(transA, a, aOff, lda, ir, rows, pc, kc, buf, TILE);
                        if (!await(partBlocks, part, kBlock)) {
                            return;
                        }
                        for (int s = 0; s < blocksHere; s++) {
                            if (!privateB && !await(packed, phase * spanBlocks + s, PACK_TASKS)) {
                                return;
                            }
                            int jc = (firstBlock + s) * nb;
                            int nc = Math.min(nb, n - jc);
                            int ci = cOff + ir * ldc + jc;
                            macro(TILE, rows, nc, steps(kc), buf.a, packedB, packedBArray, s * nb * steps(kc), c, ci,
                                    ldc, accumulate || pc > 0, buf.scratch, false);
                            if (epilogue != null && pc + kc == k) {
                                epilogue.apply(c, ci, ldc, ir, jc, rows, nc);
                            }
                        }
                        partBlocks.set(part, kBlock + 1);
                        multiplied.incrementAndGet(phase);
                    }
                }
            } catch (RuntimeException | Error e) {
                failed = true;
                throw e;
            }
        }

        /** Waits until {@code counts[i]} reaches {@code count}; false if the team failed first. */
        private boolean await(AtomicIntegerArray counts, int i, int count) {
            for (int polls = 0; counts.get(i) < count; polls++) {
                if (failed) {
                    return false;
                }
                if (polls < SPINS) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            return !failed;
        }
    }

    /**
     * The block length for a dimension of {@code size}: as many blocks as {@code max} forces,
     * of equal length rounded up to {@code unit} (2048 columns become 2 × 1024, not 1020 + 1020 and
     * a thin 8, whose A panels would be streamed in for one tile each). For K the blocks depend on
     * k alone, never on a thread's share of M or N, so every C element sums in the same order.
     */
    private static int block(int size, int max, int unit) {
        int parts = (size + max - 1) / max;
        return roundUp((size + parts - 1) / parts, unit);
    }

    /** The rows of the blocks {@link #gemm} cuts m rows of C into, for register tiles of the shape {@code tile}. */
    private int mBlock(int m, Tile tile) {
        return block(m, blocks.mc(), tile.rows);
    }

    /** The columns of the blocks {@link #gemm} cuts n columns of C into, for register tiles of the shape {@code tile}. */
    private int nBlock(int n, Tile tile) {
        return block(n, blocks.nc(), tile.nr());
    }

    /**
     * Whether {@link #gemm} walks the first block of C of an {@code m × n} product with column panels
     * outermost ({@link #columnsOuter}), with register tiles of the shape {@code tile}: for a test that
     * must know which walk a product at these blocks takes.
     */
    boolean firstBlockColumnsOuter(int m, int n, Tile tile) {
        return columnsOuter(tile, Math.min(mBlock(m, tile), m), Math.min(nBlock(n, tile), n));
    }

    /**
     * Whether {@link #macro} runs an {@code mc × nc} block of C with column panels outermost: where
     * {@code tile} is made for that order and the block fits in half of L2 ({@link
     * GemmBlocking#columnsOuter}).
     */
    private static boolean columnsOuter(Tile tile, int mc, int nc) {
        return tile.columnsOuter && GemmBlocking.columnsOuter(CpuCaches.DETECTED, Double.BYTES, mc, nc);
    }

    /**
     * All register tiles of an mc × nc block of C, from packed A and packed B (from {@code pbOff},
     * {@code kc} steps deep, even: {@link #steps}; {@code pbArray} is its array for the 16-register tiles,
     * {@link #arrayOf}), row panels or column panels outermost as the
     * tile and the block's size have it ({@link Tile#columnsOuter}); row panels from the last when
     * {@code bottomUp}. Every tile is the full register tile: one at the edge of C (fewer rows or
     * columns left than the tile's) runs on a scratch copy of C's corner, whose rows and columns
     * past the edge come from the zeros packing put past A's rows and B's columns, and only the
     * corner goes back to C.
     */
    // Implementation note: edge tiles of their own (8 and 4 rows, 1 vector) were at most a little
    // faster once compiled (the full tile on the edges ran 0.98-1.01x their speed in f64 and
    // 0.98-0.99x in f64, alternating in one JVM on 256-1024 cubed and the MLP shapes), but each is
    // called a few times a block where the full tile runs hundreds of times, so the JIT compiled them
    // later, and until then they ran unoptimized code, where the Vector API is one to two orders of
    // magnitude slower: in a JVM running many shapes, products with such edges still ran at a quarter
    // to half speed after seconds of warm-up.
    private static void macro(Tile tile, int mc, int nc, int kc, double[] pa, MemorySegment pb, double[] pbArray,
            int pbOff, double[] c, int cOff, int ldc, boolean add, double[] scratch, boolean bottomUp) {
        double[] in = add ? c : ZEROS;
        int inLd = add ? ldc : 0;
        int mr = tile.rows;
        int nr = tile.nr();
        int rowPanels = (mc + mr - 1) / mr;
        int colPanels = (nc + nr - 1) / nr;
        boolean columnsOuter = columnsOuter(tile, mc, nc);
        for (int t = 0, row = 0, col = 0; t < rowPanels * colPanels; t++) {
            int ir = (bottomUp ? rowPanels - 1 - row : row) * mr;
            int jr = col * nr;
            int rows = Math.min(mr, mc - ir);
            int cols = Math.min(nr, nc - jr);
            int bi = pbOff + jr * kc;
            int ci = cOff + ir * ldc + jr;
            if (rows == mr && cols == nr) {
                fullTile(tile, kc, pa, ir * A_STRIDE, pb, pbArray, bi, c, ci, ldc, in, add ? ci : 0, inLd);
            } else {
                loadEdge(c, ci, ldc, rows, cols, add, scratch, nr);
                fullTile(tile, kc, pa, ir * A_STRIDE, pb, pbArray, bi, scratch, 0, nr, scratch, 0, nr);
                storeEdge(scratch, c, ci, ldc, rows, cols, nr);
            }
            if (columnsOuter) {
                if (++row == rowPanels) {
                    row = 0;
                    col++;
                }
            } else if (++col == colPanels) {
                col = 0;
                row++;
            }
        }
    }

    /**
     * The {@code tile.rows} × {@code tile.vectors} tile, {@code kc} steps (even), B's micro-panel at
     * value {@code bi} of {@code bp}: off the heap for the 12-row tile, a Java array for the
     * 16-register tiles ({@link Buffers#b}), which {@link #arrayOf} takes out of the segment once a buffer, as
     * {@code bArray}.
     */
    // Implementation note: over a segment, C2 unrolls the 3 × 3 tile's loop four times and, with 16
    // vector registers, spills the broadcasts it hoists (34 instructions a step instead of 20); the
    // 12-row tile's loop over a segment is the one over an array, B's loads without bounds checks.
    private static void fullTile(Tile tile, int kc, double[] ap, int ai, MemorySegment bp, double[] bArray, int bi,
            double[] c, int ci, int ldc, double[] cIn, int cInOff, int ldcIn) {
        switch (tile) {
            case WIDE -> tile12x2(kc, ap, ai, bp, bi, c, ci, ldc, cIn, cInOff, ldcIn);
            case SQUARE -> tile3x3(kc, ap, ai, bArray, bi, c, ci, ldc, cIn, cInOff, ldcIn);
            case FIVE_ROWS -> tile5x2(kc, ap, ai, bArray, bi, c, ci, ldc, cIn, cInOff, ldcIn);
        }
    }

    /**
     * Fills scratch, as rows {@code nr} apart, with C's {@code rows × cols} corner (zeros when not
     * adding) and zeros around it.
     */
    private static void loadEdge(double[] c, int ci, int ldc, int rows, int cols, boolean add, double[] scratch,
            int nr) {
        Arrays.fill(scratch, 0);
        if (add) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(c, ci + r * ldc, scratch, r * nr, cols);
            }
        }
    }

    /** Copies the valid {@code rows × cols} corner of an edge tile from scratch (rows {@code nr} apart) into C. */
    private static void storeEdge(double[] scratch, double[] c, int ci, int ldc, int rows, int cols, int nr) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(scratch, r * nr, c, ci + r * ldc, cols);
        }
    }

    /**
     * Packs rows {@code [i0, i0 + mc)} × columns {@code [p0, p0 + kc)} of op(A) as rows
     * {@link #A_STRIDE} apart: row i of the block at {@code i·A_STRIDE}, with the rows past
     * {@code mc} that a last row panel of fewer than {@code tile.rows} rows reads zero: the tile
     * computes them into a scratch corner that is dropped, and zeros keep stale values (subnormal
     * ones are slow to multiply on some cores) out of its FMAs. An odd {@code kc} gets one more
     * step, {@code -0} in every row, which {@link #packB}'s {@code +0} step meets: {@code -0 · +0 =
     * -0}, and {@code x + -0} is {@code x} for every x (+0 and -0 included), so that step leaves
     * every sum's bits as they are, and the tile, which takes its steps in pairs, always has an
     * even number of them. A row is copied with vector moves, which cost less than a call to
     * {@code System.arraycopy} for the short rows of small products. A transposed A is packed
     * {@link #T_ROWS} steps × LANES rows at a time with {@link #transpose} ({@link #TRANSPOSES});
     * the rows and steps past the last such block are gathered, LANES steps at a time (see {@link
     * Buffers#aIndex}). The packed block goes to {@code buf.a}. The tile that reads A interleaved
     * gets it from {@link #packAInterleaved}.
     */
    private static void packA(boolean transA, double[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
            Buffers buf, Tile tile) {
        double[] dst = buf.a;
        if (tile.interleavedA) {
            packAInterleaved(transA, a, aOff, lda, i0, mc, p0, kc, dst, tile.rows);
            return;
        }
        if (!transA) {
            packARows(a, aOff + i0 * lda + p0, lda, mc, kc, dst);
        } else {
            packAColumns(a, aOff + p0 * lda + i0, lda, mc, kc, buf);
        }
        int end = roundUp(mc, tile.rows);
        for (int i = mc; i < end; i++) {
            Arrays.fill(dst, i * A_STRIDE, i * A_STRIDE + kc, 0);
        }
        if (kc % 2 != 0) {
            for (int i = 0; i < end; i++) {
                dst[i * A_STRIDE + kc] = -0.0;
            }
        }
    }

    /*
     * packA's parts, each a small method of its own, for the reason given at packB's parts.
     */

    /** Rows of an untransposed A, {@code mc} rows {@code lda} apart from {@code s}, {@code kc} values each, into {@code dst}. */
    private static void packARows(double[] a, int s, int lda, int mc, int kc, double[] dst) {
        int full = kc - kc % LANES;
        for (int i = 0, d = 0; i < mc; i++, s += lda, d += A_STRIDE) {
            int p = 0;
            for (; p < full; p += LANES) {
                DoubleVector.fromArray(S, a, s + p).intoArray(dst, d + p);
            }
            for (; p < kc; p++) {
                dst[d + p] = a[s + p];
            }
        }
    }

    /**
     * Rows of a transposed A, op(A)[i][p] = a[s + p·lda + i]: row i of the block is column i of the
     * stored A. Blocks of {@link #T_ROWS} steps × LANES rows are {@link #transpose}d into {@code
     * buf.a} ({@link #TRANSPOSES}); the steps past the last such block, and the rows past the
     * last whole vector of them, are gathered LANES steps at a time ({@link Buffers#aIndex}), the
     * rest moved one at a time.
     */
    private static void packAColumns(double[] a, int s, int lda, int mc, int kc, Buffers buf) {
        int rows = TRANSPOSES ? mc / LANES * LANES : 0;
        int deep = kc / T_ROWS * T_ROWS;
        double[] dst = buf.a;
        for (int i = 0; i < rows; i += LANES) {
            for (int p = 0; p < deep; p += T_ROWS) {
                transpose(a, s + p * lda + i, lda, dst, i * A_STRIDE + p, A_STRIDE);
            }
        }
        int[] index = buf.aIndex(lda);
        int full = kc - kc % LANES;
        for (int i = 0; i < mc; i++) {
            int si = s + i;
            int d = i * A_STRIDE;
            int p = i < rows ? deep : 0;
            for (; p < full; p += LANES) {
                DoubleVector.fromArray(S, a, si + p * lda, index, 0).intoArray(dst, d + p);
            }
            for (; p < kc; p++) {
                dst[d + p] = a[si + p * lda];
            }
        }
    }

    /**
     * {@link #packA} for the tiles of {@code mr} = 3 or 5 rows that read A interleaved ({@link
     * Tile#interleavedA}): the row panel starting at block row {@code ir} (a multiple of mr) at
     * {@code ir·A_STRIDE}, with step p's mr values at {@code mr·p, mr·p + 1, ...}, rows past
     * {@code mc} zero and the step an odd {@code kc} gains {@code -0}, as in {@link #packA}. A full
     * panel of an untransposed A is interleaved LANES steps at a time with vector shuffles ({@link
     * #interleave}, {@link #interleave5}); of a transposed A, whose step holds mr adjacent values,
     * with one or two vector moves a step ({@link #interleaveTransposed}).
     */
    private static void packAInterleaved(boolean transA, double[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
            double[] dst, int mr) {
        for (int ir = 0; ir < mc; ir += mr) {
            int d = ir * A_STRIDE;
            int rows = Math.min(mr, mc - ir);
            if (rows == 3 && mr == 3 && !transA) {
                int s0 = aOff + (i0 + ir) * lda + p0;
                interleave(a, s0, s0 + lda, s0 + 2 * lda, kc, dst, d);
            } else if (rows == 5 && mr == 5 && !transA) {
                interleave5(a, aOff + (i0 + ir) * lda + p0, lda, kc, dst, d);
            } else if (rows == mr && transA) {
                interleaveTransposed(a, aOff + p0 * lda + i0 + ir, lda, kc, dst, d, mr);
            } else {
                // The last row panel, fewer rows than the tile's: zeros, then the rows there are.
                Arrays.fill(dst, d, d + mr * kc, 0);
                int step = transA ? lda : 1;
                for (int r = 0; r < rows; r++) {
                    int s = transA ? aOff + p0 * lda + i0 + ir + r : aOff + (i0 + ir + r) * lda + p0;
                    for (int p = 0; p < kc; p++) {
                        dst[d + mr * p + r] = a[s + p * step];
                    }
                }
            }
            if (kc % 2 != 0) {
                Arrays.fill(dst, d + mr * kc, d + mr * kc + mr, -0.0);
            }
        }
    }

    /*
     * Interleaving LANES steps of three rows r0, r1, r2 gives three vectors: lane l of output o holds
     * row (o·LANES + l) mod 3's step (o·LANES + l) / 3. LANES is a power of two, not a multiple of 3,
     * so each lane of a row goes to exactly one of the outputs: one shuffle a row (SPREAD_ROWr) moves
     * each of its values to the lane where it belongs, and two blends an output (OUTo_ROWr) take
     * each lane from the right row.
     */
    private static final VectorShuffle<Double> SPREAD_ROW0 = spread(0);
    private static final VectorShuffle<Double> SPREAD_ROW1 = spread(1);
    private static final VectorShuffle<Double> SPREAD_ROW2 = spread(2);
    private static final VectorMask<Double> OUT0_ROW1 = rowLanes(0, 1);
    private static final VectorMask<Double> OUT0_ROW2 = rowLanes(0, 2);
    private static final VectorMask<Double> OUT1_ROW1 = rowLanes(1, 1);
    private static final VectorMask<Double> OUT1_ROW2 = rowLanes(1, 2);
    private static final VectorMask<Double> OUT2_ROW1 = rowLanes(2, 1);
    private static final VectorMask<Double> OUT2_ROW2 = rowLanes(2, 2);

    /** The shuffle that moves each of LANES steps of {@code row} to its lane in the output that holds it. */
    private static VectorShuffle<Double> spread(int row) {
        int[] source = new int[LANES];
        for (int out = 0; out < 3; out++) {
            for (int l = 0; l < LANES; l++) {
                if ((out * LANES + l) % 3 == row) {
                    source[l] = (out * LANES + l) / 3;
                }
            }
        }
        return VectorShuffle.fromArray(S, source, 0);
    }

    /** The lanes of output {@code out} that hold a value of {@code row}. */
    private static VectorMask<Double> rowLanes(int out, int row) {
        boolean[] lanes = new boolean[LANES];
        for (int l = 0; l < LANES; l++) {
            lanes[l] = (out * LANES + l) % 3 == row;
        }
        return VectorMask.fromArray(S, lanes, 0);
    }

    /**
     * Interleaves {@code kc} steps of the rows at {@code s0}, {@code s1} and {@code s2} of {@code a}
     * into {@code dst} from {@code d}: LANES steps at a time with three vector loads, three shuffles,
     * six blends and three stores, the steps left over (fewer than LANES) with three moves each.
     */
    private static void interleave(double[] a, int s0, int s1, int s2, int kc, double[] dst, int d) {
        int p = 0;
        for (; p <= kc - LANES; p += LANES, d += 3 * LANES) {
            DoubleVector r0 = DoubleVector.fromArray(S, a, s0 + p).rearrange(SPREAD_ROW0);
            DoubleVector r1 = DoubleVector.fromArray(S, a, s1 + p).rearrange(SPREAD_ROW1);
            DoubleVector r2 = DoubleVector.fromArray(S, a, s2 + p).rearrange(SPREAD_ROW2);
            r0.blend(r1, OUT0_ROW1).blend(r2, OUT0_ROW2).intoArray(dst, d);
            r0.blend(r1, OUT1_ROW1).blend(r2, OUT1_ROW2).intoArray(dst, d + LANES);
            r0.blend(r1, OUT2_ROW1).blend(r2, OUT2_ROW2).intoArray(dst, d + 2 * LANES);
        }
        for (; p < kc; p++, d += 3) {
            dst[d] = a[s0 + p];
            dst[d + 1] = a[s1 + p];
            dst[d + 2] = a[s2 + p];
        }
    }

    /**
     * Interleaves {@code kc} steps of a transposed A's {@code mr} rows, step p's values at {@code
     * s + p·lda}, adjacent in {@code a}, into {@code dst} from {@code d}. A step is v = ⌈mr /
     * LANES⌉ vector loads and stores, whose lanes past the step's mr values the next step's stores
     * overwrite; the last {@code (v·LANES - 1) / mr} steps, whose vectors would reach past the
     * panel's {@code mr·kc} values, take mr moves. So no load reaches past A either: from the last
     * vector step's mr values on, A holds at least that many more of its rows, {@code lda ≥ mr}
     * values each, and the mr values, at least {@code v·LANES} in all.
     */
    private static void interleaveTransposed(double[] a, int s, int lda, int kc, double[] dst, int d, int mr) {
        int vectors = (mr + LANES - 1) / LANES;
        int vectorSteps = kc - (vectors * LANES - 1) / mr;
        int p = 0;
        for (; p < vectorSteps; p++, d += mr) {
            for (int v = 0; v < vectors * LANES; v += LANES) {
                DoubleVector.fromArray(S, a, s + p * lda + v).intoArray(dst, d + v);
            }
        }
        for (; p < kc; p++, d += mr) {
            for (int r = 0; r < mr; r++) {
                dst[d + r] = a[s + p * lda + r];
            }
        }
    }

    /*
     * Interleaving LANES steps of five rows r0..r4 gives five vectors: lane l of output o holds row
     * (o·LANES + l) mod 5's step (o·LANES + l) / 5. As with three rows, one shuffle a row (SPREAD5_ROWr)
     * moves its step p to lane (5p + r) mod LANES, where every output that holds it has it; lane l of
     * output o then comes from row (o·LANES + l) mod 5 = (o·LANES mod 5 + l mod 5) mod 5, so four
     * blends an output, with the lanes l mod 5 = 1, 2, 3, 4 (FIVE_LANES1..4), pick its rows
     * ({@link #blend5}, the rows rotated to start at row o·LANES mod 5): five shuffles and four
     * masks, which fit in 16 registers with the five rows.
     */
    private static final VectorShuffle<Double> SPREAD5_ROW0 = spread5(0);
    private static final VectorShuffle<Double> SPREAD5_ROW1 = spread5(1);
    private static final VectorShuffle<Double> SPREAD5_ROW2 = spread5(2);
    private static final VectorShuffle<Double> SPREAD5_ROW3 = spread5(3);
    private static final VectorShuffle<Double> SPREAD5_ROW4 = spread5(4);
    private static final VectorMask<Double> FIVE_LANES1 = lanesModFive(1);
    private static final VectorMask<Double> FIVE_LANES2 = lanesModFive(2);
    private static final VectorMask<Double> FIVE_LANES3 = lanesModFive(3);
    private static final VectorMask<Double> FIVE_LANES4 = lanesModFive(4);

    /** The shuffle that moves step p of {@code row} (of five) to lane (5p + row) mod LANES. */
    private static VectorShuffle<Double> spread5(int row) {
        int[] source = new int[LANES];
        for (int p = 0; p < LANES; p++) {
            source[(5 * p + row) % LANES] = p;
        }
        return VectorShuffle.fromArray(S, source, 0);
    }

    /** The lanes l with l mod 5 = {@code rest}. */
    private static VectorMask<Double> lanesModFive(int rest) {
        boolean[] lanes = new boolean[LANES];
        for (int l = 0; l < LANES; l++) {
            lanes[l] = l % 5 == rest;
        }
        return VectorMask.fromArray(S, lanes, 0);
    }

    /**
     * Interleaves {@code kc} steps of the five rows from {@code s}, {@code lda} apart, of {@code a}
     * into {@code dst} from {@code d}: LANES steps at a time with five vector loads, five shuffles,
     * twenty blends and five stores, the steps left over (fewer than LANES) with five moves each.
     */
    private static void interleave5(double[] a, int s, int lda, int kc, double[] dst, int d) {
        int p = 0;
        for (; p <= kc - LANES; p += LANES, d += 5 * LANES) {
            DoubleVector r0 = DoubleVector.fromArray(S, a, s + p).rearrange(SPREAD5_ROW0);
            DoubleVector r1 = DoubleVector.fromArray(S, a, s + lda + p).rearrange(SPREAD5_ROW1);
            DoubleVector r2 = DoubleVector.fromArray(S, a, s + 2 * lda + p).rearrange(SPREAD5_ROW2);
            DoubleVector r3 = DoubleVector.fromArray(S, a, s + 3 * lda + p).rearrange(SPREAD5_ROW3);
            DoubleVector r4 = DoubleVector.fromArray(S, a, s + 4 * lda + p).rearrange(SPREAD5_ROW4);
            // Output o starts at row (o·LANES) mod 5 = o·k mod 5 for k = LANES mod 5, a constant C2 folds.
            switch (LANES % 5) {
                case 1 -> {
                    blend5(r0, r1, r2, r3, r4).intoArray(dst, d);
                    blend5(r1, r2, r3, r4, r0).intoArray(dst, d + LANES);
                    blend5(r2, r3, r4, r0, r1).intoArray(dst, d + 2 * LANES);
                    blend5(r3, r4, r0, r1, r2).intoArray(dst, d + 3 * LANES);
                    blend5(r4, r0, r1, r2, r3).intoArray(dst, d + 4 * LANES);
                }
                case 2 -> {
                    blend5(r0, r1, r2, r3, r4).intoArray(dst, d);
                    blend5(r2, r3, r4, r0, r1).intoArray(dst, d + LANES);
                    blend5(r4, r0, r1, r2, r3).intoArray(dst, d + 2 * LANES);
                    blend5(r1, r2, r3, r4, r0).intoArray(dst, d + 3 * LANES);
                    blend5(r3, r4, r0, r1, r2).intoArray(dst, d + 4 * LANES);
                }
                case 3 -> {
                    blend5(r0, r1, r2, r3, r4).intoArray(dst, d);
                    blend5(r3, r4, r0, r1, r2).intoArray(dst, d + LANES);
                    blend5(r1, r2, r3, r4, r0).intoArray(dst, d + 2 * LANES);
                    blend5(r4, r0, r1, r2, r3).intoArray(dst, d + 3 * LANES);
                    blend5(r2, r3, r4, r0, r1).intoArray(dst, d + 4 * LANES);
                }
                default -> {
                    blend5(r0, r1, r2, r3, r4).intoArray(dst, d);
                    blend5(r4, r0, r1, r2, r3).intoArray(dst, d + LANES);
                    blend5(r3, r4, r0, r1, r2).intoArray(dst, d + 2 * LANES);
                    blend5(r2, r3, r4, r0, r1).intoArray(dst, d + 3 * LANES);
                    blend5(r1, r2, r3, r4, r0).intoArray(dst, d + 4 * LANES);
                }
            }
        }
        for (; p < kc; p++, d += 5) {
            for (int r = 0; r < 5; r++) {
                dst[d + r] = a[s + r * lda + p];
            }
        }
    }

    /**
     * An output of {@link #interleave5}: lanes l mod 5 = 0 from {@code a}, 1 from {@code b}, 2 from
     * {@code c}, 3 from {@code d} and 4 from {@code e}. At most 35 bytecodes (the JVM's
     * MaxInlineSize), so that C2 inlines it however cold the call's profile: a helper that takes or
     * returns vectors and is not inlined boxes them on every call.
     */
    private static DoubleVector blend5(DoubleVector a, DoubleVector b, DoubleVector c, DoubleVector d, DoubleVector e) {
        return a.blend(b, FIVE_LANES1).blend(c, FIVE_LANES2).blend(d, FIVE_LANES3).blend(e, FIVE_LANES4);
    }

    /**
     * Packs rows {@code [p0, p0 + kc)} × columns {@code [j0, j0 + nc)} of op(B) into micro-panels
     * of {@code nr = vectors·LANES} columns (the tile's width) and {@link #steps}{@code (kc)} steps,
     * from {@code dOff}: panel {@code j} at {@code dOff + j·nr·steps(kc)}, step p holding its nr values
     * contiguously, columns past nc zero, and the step an odd kc gains {@code +0} (see {@link
     * #packA}). A transposed B's whole panels are packed {@link #T_ROWS} columns × LANES steps at
     * a time with {@link #transpose}, the rest gathered with {@code index} (see {@link
     * Buffers#bIndex}). {@code dstArray} is the Java array {@code dst} views (the 16-register tiles'
     * packed B, {@link #arrayOf}), null off the heap: an untransposed B's whole panels are stored
     * into it directly.
     */
    private static void packB(boolean transB, double[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
            MemorySegment dst, double[] dstArray, int dOff, int[] index, int vectors) {
        int nr = vectors * LANES;
        int steps = steps(kc);
        int whole = nc / nr * nr;
        if (!transB) {
            if (dstArray != null) {
                packBRows(b, bOff + p0 * ldb + j0, ldb, kc, whole, dstArray, dOff, nr, steps);
            } else {
                packBRows(b, bOff + p0 * ldb + j0, ldb, kc, whole, dst, dOff, nr, steps);
            }
            if (whole < nc) {
                packBRowsEdge(b, bOff + p0 * ldb + j0 + whole, ldb, kc, nc - whole, dst, dOff + whole * steps, nr);
            }
        } else {
            for (int jr = 0; jr < whole; jr += nr) {
                if (dstArray != null) {
                    packBTransposed(b, bOff + (j0 + jr) * ldb + p0, ldb, kc, dstArray, dOff + jr * steps, index, nr);
                } else {
                    packBTransposed(b, bOff + (j0 + jr) * ldb + p0, ldb, kc, dst, dOff + jr * steps, index, nr);
                }
            }
            if (whole < nc && dstArray != null) {
                packBTransposedEdge(b, bOff + (j0 + whole) * ldb + p0, ldb, kc, nc - whole, dstArray,
                        dOff + whole * steps, nr);
            } else if (whole < nc) {
                packBTransposedEdge(b, bOff + (j0 + whole) * ldb + p0, ldb, kc, nc - whole, dst, dOff + whole * steps,
                        nr);
            }
        }
        for (int jr = 0; steps > kc && jr < nc; jr += nr) {
            zero(dst, dOff + jr * steps + kc * nr, nr);
        }
    }

    /*
     * packB's parts, each a small method of its own: C2 compiles a method whose inlined vector
     * operations exceed its inlining budget with the last of them left as calls, which box their
     * vectors and masks, so one method for every layout ran allocation-free or not depending on
     * which of its paths earlier calls had taken. None of them uses a mask.
     */

    /**
     * The whole panels of an untransposed B, {@code cols} columns (a multiple of nr) of kc rows from
     * {@code s}, {@code ldb} apart, a row at a time: a column strip would take one line from each
     * row, and rows a large power of two apart fall into a few of L1's sets, so each line would come
     * from L2 or beyond.
     */
    private static void packBRows(double[] b, int s, int ldb, int kc, int cols, MemorySegment dst, int d, int nr,
            int steps) {
        for (int p = 0; p < kc; p++, s += ldb, d += nr) {
            for (int jr = 0, dp = d; jr < cols; jr += nr, dp += nr * steps) {
                for (int v = 0; v < nr; v += LANES) {
                    DoubleVector.fromArray(S, b, s + jr + v).intoMemorySegment(dst, bytes(dp + v), NATIVE);
                }
            }
        }
    }

    /**
     * {@link #packBRows} into the Java array a 16-register tile's packed B views ({@link #arrayOf}):
     * the same values, stored with {@code intoArray}, which runs faster than storing into the
     * segment that views the array.
     */
    // Implementation note: packing the whole panels of a 784 × 256 f64 B in K blocks of 196, on a core
    // with a 512 KiB L2 (AVX2), the array stores took 0.04-0.07 ms where the segment's took 0.06-0.10
    // (1024 × 1024: 0.43-0.50 ms against 0.53-0.57), in one JVM, alternating.
    private static void packBRows(double[] b, int s, int ldb, int kc, int cols, double[] dst, int d, int nr,
            int steps) {
        for (int p = 0; p < kc; p++, s += ldb, d += nr) {
            for (int jr = 0, dp = d; jr < cols; jr += nr, dp += nr * steps) {
                for (int v = 0; v < nr; v += LANES) {
                    DoubleVector.fromArray(S, b, s + jr + v).intoArray(dst, dp + v);
                }
            }
        }
    }

    /**
     * The last, partial panel of an untransposed B, {@code cols < nr} columns from {@code s}: its
     * whole vectors, then the columns of the vector the edge cuts one at a time, and zeros past the
     * last column.
     */
    private static void packBRowsEdge(double[] b, int s, int ldb, int kc, int cols, MemorySegment dst, int d,
            int nr) {
        int vectorCols = cols / LANES * LANES;
        int zeroFrom = roundUp(cols, LANES);
        for (int p = 0; p < kc; p++, s += ldb, d += nr) {
            for (int j = 0; j < vectorCols; j += LANES) {
                DoubleVector.fromArray(S, b, s + j).intoMemorySegment(dst, bytes(d + j), NATIVE);
            }
            for (int j = vectorCols; j < zeroFrom; j++) {
                dst.setAtIndex(ValueLayout.JAVA_DOUBLE, d + j, j < cols ? b[s + j] : 0.0);
            }
            zero(dst, d + zeroFrom, nr - zeroFrom);
        }
    }

    /**
     * A whole panel of a transposed B, op(B)[p][j] = b[j·ldb + p], its nr source rows from {@code s}:
     * its first {@code nr / T_ROWS · T_ROWS} columns {@link #transpose}d LANES steps at a time, the
     * steps past the last such block and the other columns gathered, a panel row of LANES columns
     * at a time, with {@code index} (see {@link Buffers#bIndex}).
     */
    private static void packBTransposed(double[] b, int s, int ldb, int kc, MemorySegment dst, int d, int[] index,
            int nr) {
        int cols = TRANSPOSES ? nr / T_ROWS * T_ROWS : 0;
        int deep = kc / LANES * LANES;
        for (int j = 0; j < cols; j += T_ROWS) {
            for (int p = 0; p < deep; p += LANES) {
                transpose(b, s + j * ldb + p, ldb, dst, d + j + p * nr, nr);
            }
        }
        for (int v = 0; v < nr; v += LANES) {
            int sv = s + v * ldb;
            for (int p = v < cols ? deep : 0, dv = d + v + p * nr; p < kc; p++, dv += nr) {
                DoubleVector.fromArray(S, b, sv + p, index, 0).intoMemorySegment(dst, bytes(dv), NATIVE);
            }
        }
    }

    /**
     * {@link #packBTransposed} into the Java array a 16-register tile's packed B views ({@link
     * #arrayOf}): the same values, stored with {@code intoArray} (see {@link #packBRows}).
     */
    private static void packBTransposed(double[] b, int s, int ldb, int kc, double[] dst, int d, int[] index,
            int nr) {
        int cols = TRANSPOSES ? nr / T_ROWS * T_ROWS : 0;
        int deep = kc / LANES * LANES;
        for (int j = 0; j < cols; j += T_ROWS) {
            for (int p = 0; p < deep; p += LANES) {
                transpose(b, s + j * ldb + p, ldb, dst, d + j + p * nr, nr);
            }
        }
        for (int v = 0; v < nr; v += LANES) {
            int sv = s + v * ldb;
            for (int p = v < cols ? deep : 0, dv = d + v + p * nr; p < kc; p++, dv += nr) {
                DoubleVector.fromArray(S, b, sv + p, index, 0).intoArray(dst, dv);
            }
        }
    }

    /*
     * Transposing packs. T_ROWS rows of LANES values, loaded as T_ROWS vectors r[0..T_ROWS), go
     * through log2(T_ROWS) rounds of zips: r[2i] and r[2i + 1] become the lanes of r[i] and
     * r[i + T_ROWS/2] taken alternately, the low halves' (ZIP_LO) and the high halves' (ZIP_HI), a
     * two-vector selectFrom each (vpermi2ps/vpermt2ps on AVX-512; two rearranges and a blend on
     * AVX2, {@link #BLEND_ZIPS}). Number a value by its row's bits
     * then its lane's: a round rotates that number left by one bit, so after log2(T_ROWS) rounds
     * its vector is its lane number's top bits followed by its row number's top bits, and its lane
     * is the rest of its row number: vector j holds the values of lane j / T_PER of the rows
     * (j % T_PER)·LANES ... (j % T_PER)·LANES + LANES - 1. With T_ROWS = LANES, a plain
     * transposition. Sixteen rows (for 16 lanes) keep the 16 vectors and their 16 zips in
     * registers with 32 of them; eight (for 8 lanes) with 16; four for 4 lanes or fewer
     * ({@link #transpose4}, without zips).
     */
    /** Source rows of a block {@link #transpose} packs: values of a packed step (B) or row (A) it makes. */
    static final int T_ROWS = LANES >= 16 ? 16 : LANES >= 8 ? 8 : 4;
    /** Vectors a lane of the {@link #T_ROWS} rows fills after {@link #transpose}. */
    private static final int T_PER = Math.max(1, T_ROWS / LANES);
    /**
     * Whether the packs of a transposed A or B transpose with {@link #transpose} rather than gather:
     * with vectors of {@link #T_ROWS} lanes (16, 8 or 4), a plain transposition. {@link #transpose}
     * works for 2 to T_ROWS lanes, but with fewer lanes it zips more vectors per value than a
     * gather loads values.
     */
    // Implementation note, one JVM alternating the gathering and the transposing packs in 100 ms
    // blocks (2 JVMs, 10 rounds, AMD EPYC Zen 5): 128×784×256 with B transposed (dy·Wᵀ), f64 16
    // lanes 1.18× and 1.23×, f64 8 lanes (8 rows) 1.19× and 1.23× (16 rows: 1.02× and 0.98×), f64
    // 8 lanes under -XX:UseAVX=2 1.24× and 1.12×; 784×256×128 with A transposed (xᵀ·dy), f64 16
    // lanes 1.12× and 1.00×. f64's transposed A, once its transposition stored into the array with
    // intoArray (transpose8's array twin), packed 784 × 128 at 0.30-0.31 ns a value against
    // 0.47-0.53 for the gathers (a copy: 0.18; pack alone, one JVM a vCPU, 30 ms blocks
    // alternating), and the products ran, transposing against gathering (4 JVMs, 16 rounds of
    // 100 ms blocks alternating, thread CPU time, one JVM a vCPU): 784×256×128 (xᵀ·dy) 1.03, 1.03,
    // 1.05, 1.10×, 784×256×256 1.07, 1.04, 1.05, 1.07×. f64 on 4 lanes (-XX:UseAVX=2 on an AMD EPYC
    // Zen 4, 3 × 3 tile), transpose4 against the gathers, one JVM a variant, the variants' JVMs in
    // turn (8 JVMs, each variant twice on each vCPU, 300 ms blocks, medians of 4 rounds): packing
    // 128×784×256's transposed B (dy·Wᵀ) 2.5-2.7× faster, the product 1.03-1.18×, while x·W
    // (128×256×784, no transposed operand) read 0.93-1.08× in the same JVMs (dy·Wᵀ over x·W:
    // 1.09-1.11×).
    static final boolean TRANSPOSES = LANES == T_ROWS;
    /** Indices of the two-vector selectFrom that takes the low halves of two vectors, lane by lane in turn. */
    private static final DoubleVector ZIP_LO = zip(0);
    /** Its twin for the high halves. */
    private static final DoubleVector ZIP_HI = zip(LANES / 2);

    /** The lanes {@code [from, from + LANES/2)} of two vectors, alternately: selectFrom's indices. */
    private static DoubleVector zip(int from) {
        double[] index = new double[LANES];
        for (int l = 0; l < LANES; l++) {
            index[l] = from + l / 2 + (l % 2) * LANES;
        }
        return DoubleVector.fromArray(S, index, 0);
    }

    /**
     * Whether {@link #transpose8} zips with two one-vector rearranges and a blend ({@link #zipLo})
     * rather than a two-vector selectFrom: with vectors of up to 256 bits, x86 without AVX-512,
     * which has no instruction that permutes across two vectors; with AVX-512 (vpermi2ps) one
     * selectFrom is one instruction.
     */
    // Implementation note: on a core with AVX2 only (16 ymm registers, 32 KiB L1D, 512 KiB L2), single
    // precision (8 lanes) on one thread, six JVMs a build taking turns, 3 s of warm-up, the fastest call of each 50 ms block,
    // medians over 10 rounds: 128×784×256 with B transposed (dy·Wᵀ) ran 81.4-82.1 GFLOP/s (one JVM
    // 69) with these zips and B's panels transposed into the array ({@link #packBTransposed(double[],
    // int, int, int, double[], int, int[], int)}), against 79.4-80.4 with selectFrom into the segment
    // (+2.3 % between the medians); 96³ with B transposed (the small path's transposition) 69.4-70.3
    // against 66.8-68.1 (+3.0 %); 256³ with B transposed +0.5 %; 128×256×784 with nothing
    // transposed -0.1 % (the same code in both builds). dy·Wᵀ with B's packing left out ran 92-94:
    // the transposing pack is what it loses to x·W (83). Packing that B alone (one JVM, fastest of
    // 20 readings): 0.47 ns a value with these zips into the array, 0.89 into the segment; the array
    // with selectFrom 0.82, the segment 0.74 (in another JVM); products with the array alone and
    // selectFrom read 1.01 of the segment's, within the noise.
    static final boolean BLEND_ZIPS = S.vectorBitSize() <= 256;
    /** Lane l of a vector to lane 2l and 2l + 1: the low half spread over the vector. */
    private static final VectorShuffle<Double> SPREAD_LO = VectorShuffle.fromOp(S, l -> l / 2);
    /** The high half spread over the vector, as {@link #SPREAD_LO} the low one. */
    private static final VectorShuffle<Double> SPREAD_HI = VectorShuffle.fromOp(S, l -> LANES / 2 + l / 2);

    /*
     * The zips are methods of at most 35 bytecodes (the JVM's MaxInlineSize), so that C2 inlines
     * them at every call site, however cold its profile says the site is: a helper that takes or
     * returns vectors and is not inlined boxes them on every call.
     */

    /** {@code ZIP_LO.selectFrom(x, y)}: the low halves of x and y, lane by lane in turn ({@link #BLEND_ZIPS}). */
    private static DoubleVector zipLo(DoubleVector x, DoubleVector y) {
        return BLEND_ZIPS ? spreadZip(x, y, SPREAD_LO) : ZIP_LO.selectFrom(x, y);
    }

    /** {@code ZIP_HI.selectFrom(x, y)}: the high halves of x and y, lane by lane in turn ({@link #BLEND_ZIPS}). */
    private static DoubleVector zipHi(DoubleVector x, DoubleVector y) {
        return BLEND_ZIPS ? spreadZip(x, y, SPREAD_HI) : ZIP_HI.selectFrom(x, y);
    }

    /** Half of x and the same half of y ({@code spread}: {@link #SPREAD_LO} or {@link #SPREAD_HI}), lane by lane in turn. */
    private static DoubleVector spreadZip(DoubleVector x, DoubleVector y, VectorShuffle<Double> spread) {
        return x.rearrange(spread).blend(y.rearrange(spread), ODD_LANES);
    }

    /**
     * {@link #transpose} into an array: value {@code src[s + r·ld + l]} lands at {@code dst[d + r +
     * l·stride]}, a packed A's row l, step r, or the small path's step l, column r.
     */
    static void transpose(double[] src, int s, int ld, double[] dst, int d, int stride) {
        if (T_ROWS == 16) {
            transpose16(src, s, ld, dst, d, stride);
        } else if (T_ROWS == 8) {
            transpose8(src, s, ld, dst, d, stride);
        } else {
            transpose4(src, s, ld, dst, d, stride);
        }
    }

    /**
     * Stores the transposition of the {@link #T_ROWS} rows of LANES values at {@code s}, {@code
     * ld} apart, in {@code src}: value {@code src[s + r·ld + l]} lands at value {@code d + r +
     * l·stride} of {@code dst}, packed B's step l, column r. Only when {@link #TRANSPOSES}.
     * Arrays (packed A, the small path's panel) take {@link #transpose(double[],
     * int, int, double[], int, int)}: a segment store compiled for both kinds of segment is slower.
     */
    // Implementation note: with heap segments reaching the same stores as packed B's off-heap one,
    // C2 compiled them for either kind (the type profile at intoMemorySegment held both): 50 ns a
    // 16 × 16 block against 30 with off-heap ones alone, intoArray 33-35 (one JVM, 50 ms blocks
    // alternating, thread CPU time). The array twins against one segment transposition for all, in a
    // JVM that ran a transposed A through the packed path first, one JVM a vCPU (4 JVMs): 784×256×256
    // with A transposed 1.01-1.10×, 96³ with B transposed (small path) 1.05-1.20×, then dy·Wᵀ
    // 0.99-1.09×.
    static void transpose(double[] src, int s, int ld, MemorySegment dst, int d, int stride) {
        if (T_ROWS == 16) {
            transpose16(src, s, ld, dst, d, stride);
        } else if (T_ROWS == 8) {
            transpose8(src, s, ld, dst, d, stride);
        } else {
            transpose4(src, s, ld, dst, d, stride);
        }
    }

    /**
     * {@link #transpose} of 16 rows. With 16 lanes or more (T_PER = 1) vector j goes to value
     * {@code d + j·stride}; the byte offsets are worked out here, with no call (see the note).
     */
    // Implementation note: through at(), C2 inlined the first eight offsets and, past its node count
    // for inlining, left the last eight as calls; a call saves every live vector register, so the
    // last eight stores each spilled and reloaded the vectors still to be stored. (PrintInlining:
    // "at ... failed to inline: NodeCountInliningCutoff".) Offsets worked out here against at(), one
    // JVM a vCPU (AMD EPYC Zen 5), 100 ms blocks alternating: 128×784×256 with B transposed (dy·Wᵀ)
    // 1.12× and 1.14×, 784×256×256 with A transposed 1.04× and 1.14× (x·W, no transposition: 1.01×
    // and 1.00×).
    private static void transpose16(double[] src, int s, int ld, MemorySegment dst, int d, int stride) {
        long o = (long) d * Double.BYTES;
        long row = (long) stride * Double.BYTES;
        DoubleVector r0 = DoubleVector.fromArray(S, src, s);
        DoubleVector r1 = DoubleVector.fromArray(S, src, s + ld);
        DoubleVector r2 = DoubleVector.fromArray(S, src, s + 2 * ld);
        DoubleVector r3 = DoubleVector.fromArray(S, src, s + 3 * ld);
        DoubleVector r4 = DoubleVector.fromArray(S, src, s + 4 * ld);
        DoubleVector r5 = DoubleVector.fromArray(S, src, s + 5 * ld);
        DoubleVector r6 = DoubleVector.fromArray(S, src, s + 6 * ld);
        DoubleVector r7 = DoubleVector.fromArray(S, src, s + 7 * ld);
        DoubleVector r8 = DoubleVector.fromArray(S, src, s + 8 * ld);
        DoubleVector r9 = DoubleVector.fromArray(S, src, s + 9 * ld);
        DoubleVector r10 = DoubleVector.fromArray(S, src, s + 10 * ld);
        DoubleVector r11 = DoubleVector.fromArray(S, src, s + 11 * ld);
        DoubleVector r12 = DoubleVector.fromArray(S, src, s + 12 * ld);
        DoubleVector r13 = DoubleVector.fromArray(S, src, s + 13 * ld);
        DoubleVector r14 = DoubleVector.fromArray(S, src, s + 14 * ld);
        DoubleVector r15 = DoubleVector.fromArray(S, src, s + 15 * ld);
        // Four rounds, written out: a loop would carry the 16 vectors in phis, which C2 may box.
        DoubleVector t0 = ZIP_LO.selectFrom(r0, r8);
        DoubleVector t1 = ZIP_HI.selectFrom(r0, r8);
        DoubleVector t2 = ZIP_LO.selectFrom(r1, r9);
        DoubleVector t3 = ZIP_HI.selectFrom(r1, r9);
        DoubleVector t4 = ZIP_LO.selectFrom(r2, r10);
        DoubleVector t5 = ZIP_HI.selectFrom(r2, r10);
        DoubleVector t6 = ZIP_LO.selectFrom(r3, r11);
        DoubleVector t7 = ZIP_HI.selectFrom(r3, r11);
        DoubleVector t8 = ZIP_LO.selectFrom(r4, r12);
        DoubleVector t9 = ZIP_HI.selectFrom(r4, r12);
        DoubleVector t10 = ZIP_LO.selectFrom(r5, r13);
        DoubleVector t11 = ZIP_HI.selectFrom(r5, r13);
        DoubleVector t12 = ZIP_LO.selectFrom(r6, r14);
        DoubleVector t13 = ZIP_HI.selectFrom(r6, r14);
        DoubleVector t14 = ZIP_LO.selectFrom(r7, r15);
        DoubleVector t15 = ZIP_HI.selectFrom(r7, r15);
        r0 = ZIP_LO.selectFrom(t0, t8);
        r1 = ZIP_HI.selectFrom(t0, t8);
        r2 = ZIP_LO.selectFrom(t1, t9);
        r3 = ZIP_HI.selectFrom(t1, t9);
        r4 = ZIP_LO.selectFrom(t2, t10);
        r5 = ZIP_HI.selectFrom(t2, t10);
        r6 = ZIP_LO.selectFrom(t3, t11);
        r7 = ZIP_HI.selectFrom(t3, t11);
        r8 = ZIP_LO.selectFrom(t4, t12);
        r9 = ZIP_HI.selectFrom(t4, t12);
        r10 = ZIP_LO.selectFrom(t5, t13);
        r11 = ZIP_HI.selectFrom(t5, t13);
        r12 = ZIP_LO.selectFrom(t6, t14);
        r13 = ZIP_HI.selectFrom(t6, t14);
        r14 = ZIP_LO.selectFrom(t7, t15);
        r15 = ZIP_HI.selectFrom(t7, t15);
        t0 = ZIP_LO.selectFrom(r0, r8);
        t1 = ZIP_HI.selectFrom(r0, r8);
        t2 = ZIP_LO.selectFrom(r1, r9);
        t3 = ZIP_HI.selectFrom(r1, r9);
        t4 = ZIP_LO.selectFrom(r2, r10);
        t5 = ZIP_HI.selectFrom(r2, r10);
        t6 = ZIP_LO.selectFrom(r3, r11);
        t7 = ZIP_HI.selectFrom(r3, r11);
        t8 = ZIP_LO.selectFrom(r4, r12);
        t9 = ZIP_HI.selectFrom(r4, r12);
        t10 = ZIP_LO.selectFrom(r5, r13);
        t11 = ZIP_HI.selectFrom(r5, r13);
        t12 = ZIP_LO.selectFrom(r6, r14);
        t13 = ZIP_HI.selectFrom(r6, r14);
        t14 = ZIP_LO.selectFrom(r7, r15);
        t15 = ZIP_HI.selectFrom(r7, r15);
        r0 = ZIP_LO.selectFrom(t0, t8);
        r1 = ZIP_HI.selectFrom(t0, t8);
        r2 = ZIP_LO.selectFrom(t1, t9);
        r3 = ZIP_HI.selectFrom(t1, t9);
        r4 = ZIP_LO.selectFrom(t2, t10);
        r5 = ZIP_HI.selectFrom(t2, t10);
        r6 = ZIP_LO.selectFrom(t3, t11);
        r7 = ZIP_HI.selectFrom(t3, t11);
        r8 = ZIP_LO.selectFrom(t4, t12);
        r9 = ZIP_HI.selectFrom(t4, t12);
        r10 = ZIP_LO.selectFrom(t5, t13);
        r11 = ZIP_HI.selectFrom(t5, t13);
        r12 = ZIP_LO.selectFrom(t6, t14);
        r13 = ZIP_HI.selectFrom(t6, t14);
        r14 = ZIP_LO.selectFrom(t7, t15);
        r15 = ZIP_HI.selectFrom(t7, t15);
        r0.intoMemorySegment(dst, o, NATIVE);
        r1.intoMemorySegment(dst, o + row, NATIVE);
        r2.intoMemorySegment(dst, o + 2 * row, NATIVE);
        r3.intoMemorySegment(dst, o + 3 * row, NATIVE);
        r4.intoMemorySegment(dst, o + 4 * row, NATIVE);
        r5.intoMemorySegment(dst, o + 5 * row, NATIVE);
        r6.intoMemorySegment(dst, o + 6 * row, NATIVE);
        r7.intoMemorySegment(dst, o + 7 * row, NATIVE);
        r8.intoMemorySegment(dst, o + 8 * row, NATIVE);
        r9.intoMemorySegment(dst, o + 9 * row, NATIVE);
        r10.intoMemorySegment(dst, o + 10 * row, NATIVE);
        r11.intoMemorySegment(dst, o + 11 * row, NATIVE);
        r12.intoMemorySegment(dst, o + 12 * row, NATIVE);
        r13.intoMemorySegment(dst, o + 13 * row, NATIVE);
        r14.intoMemorySegment(dst, o + 14 * row, NATIVE);
        r15.intoMemorySegment(dst, o + 15 * row, NATIVE);
    }

    /** {@link #transpose(double[], int, int, double[], int, int)} of 16 rows. */
    private static void transpose16(double[] src, int s, int ld, double[] dst, int d, int stride) {
        DoubleVector r0 = DoubleVector.fromArray(S, src, s);
        DoubleVector r1 = DoubleVector.fromArray(S, src, s + ld);
        DoubleVector r2 = DoubleVector.fromArray(S, src, s + 2 * ld);
        DoubleVector r3 = DoubleVector.fromArray(S, src, s + 3 * ld);
        DoubleVector r4 = DoubleVector.fromArray(S, src, s + 4 * ld);
        DoubleVector r5 = DoubleVector.fromArray(S, src, s + 5 * ld);
        DoubleVector r6 = DoubleVector.fromArray(S, src, s + 6 * ld);
        DoubleVector r7 = DoubleVector.fromArray(S, src, s + 7 * ld);
        DoubleVector r8 = DoubleVector.fromArray(S, src, s + 8 * ld);
        DoubleVector r9 = DoubleVector.fromArray(S, src, s + 9 * ld);
        DoubleVector r10 = DoubleVector.fromArray(S, src, s + 10 * ld);
        DoubleVector r11 = DoubleVector.fromArray(S, src, s + 11 * ld);
        DoubleVector r12 = DoubleVector.fromArray(S, src, s + 12 * ld);
        DoubleVector r13 = DoubleVector.fromArray(S, src, s + 13 * ld);
        DoubleVector r14 = DoubleVector.fromArray(S, src, s + 14 * ld);
        DoubleVector r15 = DoubleVector.fromArray(S, src, s + 15 * ld);
        // Four rounds, written out: a loop would carry the 16 vectors in phis, which C2 may box.
        DoubleVector t0 = ZIP_LO.selectFrom(r0, r8);
        DoubleVector t1 = ZIP_HI.selectFrom(r0, r8);
        DoubleVector t2 = ZIP_LO.selectFrom(r1, r9);
        DoubleVector t3 = ZIP_HI.selectFrom(r1, r9);
        DoubleVector t4 = ZIP_LO.selectFrom(r2, r10);
        DoubleVector t5 = ZIP_HI.selectFrom(r2, r10);
        DoubleVector t6 = ZIP_LO.selectFrom(r3, r11);
        DoubleVector t7 = ZIP_HI.selectFrom(r3, r11);
        DoubleVector t8 = ZIP_LO.selectFrom(r4, r12);
        DoubleVector t9 = ZIP_HI.selectFrom(r4, r12);
        DoubleVector t10 = ZIP_LO.selectFrom(r5, r13);
        DoubleVector t11 = ZIP_HI.selectFrom(r5, r13);
        DoubleVector t12 = ZIP_LO.selectFrom(r6, r14);
        DoubleVector t13 = ZIP_HI.selectFrom(r6, r14);
        DoubleVector t14 = ZIP_LO.selectFrom(r7, r15);
        DoubleVector t15 = ZIP_HI.selectFrom(r7, r15);
        r0 = ZIP_LO.selectFrom(t0, t8);
        r1 = ZIP_HI.selectFrom(t0, t8);
        r2 = ZIP_LO.selectFrom(t1, t9);
        r3 = ZIP_HI.selectFrom(t1, t9);
        r4 = ZIP_LO.selectFrom(t2, t10);
        r5 = ZIP_HI.selectFrom(t2, t10);
        r6 = ZIP_LO.selectFrom(t3, t11);
        r7 = ZIP_HI.selectFrom(t3, t11);
        r8 = ZIP_LO.selectFrom(t4, t12);
        r9 = ZIP_HI.selectFrom(t4, t12);
        r10 = ZIP_LO.selectFrom(t5, t13);
        r11 = ZIP_HI.selectFrom(t5, t13);
        r12 = ZIP_LO.selectFrom(t6, t14);
        r13 = ZIP_HI.selectFrom(t6, t14);
        r14 = ZIP_LO.selectFrom(t7, t15);
        r15 = ZIP_HI.selectFrom(t7, t15);
        t0 = ZIP_LO.selectFrom(r0, r8);
        t1 = ZIP_HI.selectFrom(r0, r8);
        t2 = ZIP_LO.selectFrom(r1, r9);
        t3 = ZIP_HI.selectFrom(r1, r9);
        t4 = ZIP_LO.selectFrom(r2, r10);
        t5 = ZIP_HI.selectFrom(r2, r10);
        t6 = ZIP_LO.selectFrom(r3, r11);
        t7 = ZIP_HI.selectFrom(r3, r11);
        t8 = ZIP_LO.selectFrom(r4, r12);
        t9 = ZIP_HI.selectFrom(r4, r12);
        t10 = ZIP_LO.selectFrom(r5, r13);
        t11 = ZIP_HI.selectFrom(r5, r13);
        t12 = ZIP_LO.selectFrom(r6, r14);
        t13 = ZIP_HI.selectFrom(r6, r14);
        t14 = ZIP_LO.selectFrom(r7, r15);
        t15 = ZIP_HI.selectFrom(r7, r15);
        r0 = ZIP_LO.selectFrom(t0, t8);
        r1 = ZIP_HI.selectFrom(t0, t8);
        r2 = ZIP_LO.selectFrom(t1, t9);
        r3 = ZIP_HI.selectFrom(t1, t9);
        r4 = ZIP_LO.selectFrom(t2, t10);
        r5 = ZIP_HI.selectFrom(t2, t10);
        r6 = ZIP_LO.selectFrom(t3, t11);
        r7 = ZIP_HI.selectFrom(t3, t11);
        r8 = ZIP_LO.selectFrom(t4, t12);
        r9 = ZIP_HI.selectFrom(t4, t12);
        r10 = ZIP_LO.selectFrom(t5, t13);
        r11 = ZIP_HI.selectFrom(t5, t13);
        r12 = ZIP_LO.selectFrom(t6, t14);
        r13 = ZIP_HI.selectFrom(t6, t14);
        r14 = ZIP_LO.selectFrom(t7, t15);
        r15 = ZIP_HI.selectFrom(t7, t15);
        r0.intoArray(dst, d);
        r1.intoArray(dst, d + stride);
        r2.intoArray(dst, d + 2 * stride);
        r3.intoArray(dst, d + 3 * stride);
        r4.intoArray(dst, d + 4 * stride);
        r5.intoArray(dst, d + 5 * stride);
        r6.intoArray(dst, d + 6 * stride);
        r7.intoArray(dst, d + 7 * stride);
        r8.intoArray(dst, d + 8 * stride);
        r9.intoArray(dst, d + 9 * stride);
        r10.intoArray(dst, d + 10 * stride);
        r11.intoArray(dst, d + 11 * stride);
        r12.intoArray(dst, d + 12 * stride);
        r13.intoArray(dst, d + 13 * stride);
        r14.intoArray(dst, d + 14 * stride);
        r15.intoArray(dst, d + 15 * stride);
    }

    /** {@link #transpose} of 8 rows: for 8 lanes. */
    private static void transpose8(double[] src, int s, int ld, MemorySegment dst, int d, int stride) {
        DoubleVector r0 = DoubleVector.fromArray(S, src, s);
        DoubleVector r1 = DoubleVector.fromArray(S, src, s + ld);
        DoubleVector r2 = DoubleVector.fromArray(S, src, s + 2 * ld);
        DoubleVector r3 = DoubleVector.fromArray(S, src, s + 3 * ld);
        DoubleVector r4 = DoubleVector.fromArray(S, src, s + 4 * ld);
        DoubleVector r5 = DoubleVector.fromArray(S, src, s + 5 * ld);
        DoubleVector r6 = DoubleVector.fromArray(S, src, s + 6 * ld);
        DoubleVector r7 = DoubleVector.fromArray(S, src, s + 7 * ld);
        DoubleVector t0 = zipLo(r0, r4);
        DoubleVector t1 = zipHi(r0, r4);
        DoubleVector t2 = zipLo(r1, r5);
        DoubleVector t3 = zipHi(r1, r5);
        DoubleVector t4 = zipLo(r2, r6);
        DoubleVector t5 = zipHi(r2, r6);
        DoubleVector t6 = zipLo(r3, r7);
        DoubleVector t7 = zipHi(r3, r7);
        r0 = zipLo(t0, t4);
        r1 = zipHi(t0, t4);
        r2 = zipLo(t1, t5);
        r3 = zipHi(t1, t5);
        r4 = zipLo(t2, t6);
        r5 = zipHi(t2, t6);
        r6 = zipLo(t3, t7);
        r7 = zipHi(t3, t7);
        t0 = zipLo(r0, r4);
        t1 = zipHi(r0, r4);
        t2 = zipLo(r1, r5);
        t3 = zipHi(r1, r5);
        t4 = zipLo(r2, r6);
        t5 = zipHi(r2, r6);
        t6 = zipLo(r3, r7);
        t7 = zipHi(r3, r7);
        t0.intoMemorySegment(dst, at(0, d, stride), NATIVE);
        t1.intoMemorySegment(dst, at(1, d, stride), NATIVE);
        t2.intoMemorySegment(dst, at(2, d, stride), NATIVE);
        t3.intoMemorySegment(dst, at(3, d, stride), NATIVE);
        t4.intoMemorySegment(dst, at(4, d, stride), NATIVE);
        t5.intoMemorySegment(dst, at(5, d, stride), NATIVE);
        t6.intoMemorySegment(dst, at(6, d, stride), NATIVE);
        t7.intoMemorySegment(dst, at(7, d, stride), NATIVE);
    }

    /** {@link #transpose(double[], int, int, double[], int, int)} of 8 rows. */
    private static void transpose8(double[] src, int s, int ld, double[] dst, int d, int stride) {
        DoubleVector r0 = DoubleVector.fromArray(S, src, s);
        DoubleVector r1 = DoubleVector.fromArray(S, src, s + ld);
        DoubleVector r2 = DoubleVector.fromArray(S, src, s + 2 * ld);
        DoubleVector r3 = DoubleVector.fromArray(S, src, s + 3 * ld);
        DoubleVector r4 = DoubleVector.fromArray(S, src, s + 4 * ld);
        DoubleVector r5 = DoubleVector.fromArray(S, src, s + 5 * ld);
        DoubleVector r6 = DoubleVector.fromArray(S, src, s + 6 * ld);
        DoubleVector r7 = DoubleVector.fromArray(S, src, s + 7 * ld);
        DoubleVector t0 = zipLo(r0, r4);
        DoubleVector t1 = zipHi(r0, r4);
        DoubleVector t2 = zipLo(r1, r5);
        DoubleVector t3 = zipHi(r1, r5);
        DoubleVector t4 = zipLo(r2, r6);
        DoubleVector t5 = zipHi(r2, r6);
        DoubleVector t6 = zipLo(r3, r7);
        DoubleVector t7 = zipHi(r3, r7);
        r0 = zipLo(t0, t4);
        r1 = zipHi(t0, t4);
        r2 = zipLo(t1, t5);
        r3 = zipHi(t1, t5);
        r4 = zipLo(t2, t6);
        r5 = zipHi(t2, t6);
        r6 = zipLo(t3, t7);
        r7 = zipHi(t3, t7);
        t0 = zipLo(r0, r4);
        t1 = zipHi(r0, r4);
        t2 = zipLo(r1, r5);
        t3 = zipHi(r1, r5);
        t4 = zipLo(r2, r6);
        t5 = zipHi(r2, r6);
        t6 = zipLo(r3, r7);
        t7 = zipHi(r3, r7);
        t0.intoArray(dst, index(0, d, stride));
        t1.intoArray(dst, index(1, d, stride));
        t2.intoArray(dst, index(2, d, stride));
        t3.intoArray(dst, index(3, d, stride));
        t4.intoArray(dst, index(4, d, stride));
        t5.intoArray(dst, index(5, d, stride));
        t6.intoArray(dst, index(6, d, stride));
        t7.intoArray(dst, index(7, d, stride));
    }

    /*
     * Four rows of 4 lanes are transposed with one-vector rearranges and blends rather than the
     * two-vector zips: on 4 f64 lanes under AVX2 (no two-source permute) C2 does not compile the
     * two-vector selectFrom, which then runs in Java, over a hundred times slower than a gather.
     * Rows (r0, r1) become t0 = lanes 0 and 2 of both, interleaved, and t1 = lanes 1 and 3; the
     * same for (r2, r3); then each output takes the low half of one t and the high half of another.
     */
    /** Lanes 1, 0, 3, 2 (for 4 lanes; only {@link #transpose4} uses it). */
    private static final VectorShuffle<Double> SWAP_PAIRS = VectorShuffle.fromOp(S, l -> l ^ 1);
    /** Lanes 2, 3, 0, 1 (for 4 lanes; only {@link #transpose4} uses it). */
    private static final VectorShuffle<Double> SWAP_HALVES = VectorShuffle.fromOp(S, l -> (l + LANES / 2) % LANES);
    /** The odd lanes: 1 and 3 of 4 here, every other of 8 in {@link #zipLo}. */
    private static final VectorMask<Double> ODD_LANES = VectorMask.fromLong(S, 0xAAAAAAAAAAAAAAAAL);
    /** Lanes 2 and 3 (of 4). */
    private static final VectorMask<Double> HIGH_LANES = VectorMask.fromLong(S, 0b1100);

    /** {@link #transpose} of 4 rows: for 4 lanes (with fewer, {@link #TRANSPOSES} is false). */
    private static void transpose4(double[] src, int s, int ld, MemorySegment dst, int d, int stride) {
        DoubleVector r0 = DoubleVector.fromArray(S, src, s);
        DoubleVector r1 = DoubleVector.fromArray(S, src, s + ld);
        DoubleVector r2 = DoubleVector.fromArray(S, src, s + 2 * ld);
        DoubleVector r3 = DoubleVector.fromArray(S, src, s + 3 * ld);
        DoubleVector t0 = r0.blend(r1.rearrange(SWAP_PAIRS), ODD_LANES);
        DoubleVector t1 = r0.rearrange(SWAP_PAIRS).blend(r1, ODD_LANES);
        DoubleVector t2 = r2.blend(r3.rearrange(SWAP_PAIRS), ODD_LANES);
        DoubleVector t3 = r2.rearrange(SWAP_PAIRS).blend(r3, ODD_LANES);
        r0 = t0.blend(t2.rearrange(SWAP_HALVES), HIGH_LANES);
        r1 = t1.blend(t3.rearrange(SWAP_HALVES), HIGH_LANES);
        r2 = t0.rearrange(SWAP_HALVES).blend(t2, HIGH_LANES);
        r3 = t1.rearrange(SWAP_HALVES).blend(t3, HIGH_LANES);
        r0.intoMemorySegment(dst, at(0, d, stride), NATIVE);
        r1.intoMemorySegment(dst, at(1, d, stride), NATIVE);
        r2.intoMemorySegment(dst, at(2, d, stride), NATIVE);
        r3.intoMemorySegment(dst, at(3, d, stride), NATIVE);
    }

    /** {@link #transpose(double[], int, int, double[], int, int)} of 4 rows. */
    private static void transpose4(double[] src, int s, int ld, double[] dst, int d, int stride) {
        DoubleVector r0 = DoubleVector.fromArray(S, src, s);
        DoubleVector r1 = DoubleVector.fromArray(S, src, s + ld);
        DoubleVector r2 = DoubleVector.fromArray(S, src, s + 2 * ld);
        DoubleVector r3 = DoubleVector.fromArray(S, src, s + 3 * ld);
        DoubleVector t0 = r0.blend(r1.rearrange(SWAP_PAIRS), ODD_LANES);
        DoubleVector t1 = r0.rearrange(SWAP_PAIRS).blend(r1, ODD_LANES);
        DoubleVector t2 = r2.blend(r3.rearrange(SWAP_PAIRS), ODD_LANES);
        DoubleVector t3 = r2.rearrange(SWAP_PAIRS).blend(r3, ODD_LANES);
        r0 = t0.blend(t2.rearrange(SWAP_HALVES), HIGH_LANES);
        r1 = t1.blend(t3.rearrange(SWAP_HALVES), HIGH_LANES);
        r2 = t0.rearrange(SWAP_HALVES).blend(t2, HIGH_LANES);
        r3 = t1.rearrange(SWAP_HALVES).blend(t3, HIGH_LANES);
        r0.intoArray(dst, index(0, d, stride));
        r1.intoArray(dst, index(1, d, stride));
        r2.intoArray(dst, index(2, d, stride));
        r3.intoArray(dst, index(3, d, stride));
    }

    /**
     * Where {@link #transpose} stores its vector {@code j}, lane j / T_PER of the LANES rows from
     * (j % T_PER)·LANES: value {@code d + (j % T_PER)·LANES + (j / T_PER)·stride}.
     */
    private static int index(int j, int d, int stride) {
        return d + j % T_PER * LANES + j / T_PER * stride;
    }

    /** {@link #index} as a byte offset, for the stores into packed B's segment. */
    private static long at(int j, int d, int stride) {
        return bytes(index(j, d, stride));
    }

    /**
     * The last, partial panel of a transposed B, {@code cols < nr} source rows from {@code s}: its
     * first {@code cols / T_ROWS · T_ROWS} columns {@link #transpose}d as in {@link
     * #packBTransposed}, the other values (a masked gather still range-checks every lane) element
     * by element, zero past the last column: whole vectors of zeros from the first vector past it.
     */
    private static void packBTransposedEdge(double[] b, int s, int ldb, int kc, int cols, MemorySegment dst, int d,
            int nr) {
        int blocked = TRANSPOSES ? cols / T_ROWS * T_ROWS : 0;
        int deep = kc / LANES * LANES;
        for (int j = 0; j < blocked; j += T_ROWS) {
            for (int p = 0; p < deep; p += LANES) {
                transpose(b, s + j * ldb + p, ldb, dst, d + j + p * nr, nr);
            }
        }
        for (int p = 0, dp = d; p < kc; p++, dp += nr) {
            int j = p < deep ? blocked : 0;
            for (; j < cols; j++) {
                dst.setAtIndex(ValueLayout.JAVA_DOUBLE, dp + j, b[s + j * ldb + p]);
            }
            int zeroFrom = roundUp(j, LANES);
            for (; j < zeroFrom; j++) {
                dst.setAtIndex(ValueLayout.JAVA_DOUBLE, dp + j, 0.0);
            }
            zero(dst, dp + zeroFrom, nr - zeroFrom);
        }
    }

    /**
     * {@link #packBTransposedEdge} into the Java array a 16-register tile's packed B views ({@link
     * #arrayOf}), so that those tiles' transposing packs all store into the array: the segment's
     * transposition, left to the edges, ran too seldom to be compiled with its vectors in registers.
     */
    private static void packBTransposedEdge(double[] b, int s, int ldb, int kc, int cols, double[] dst, int d, int nr) {
        int blocked = TRANSPOSES ? cols / T_ROWS * T_ROWS : 0;
        int deep = kc / LANES * LANES;
        for (int j = 0; j < blocked; j += T_ROWS) {
            for (int p = 0; p < deep; p += LANES) {
                transpose(b, s + j * ldb + p, ldb, dst, d + j + p * nr, nr);
            }
        }
        for (int p = 0, dp = d; p < kc; p++, dp += nr) {
            int j = p < deep ? blocked : 0;
            for (; j < cols; j++) {
                dst[dp + j] = b[s + j * ldb + p];
            }
            Arrays.fill(dst, dp + j, dp + nr, 0.0);
        }
    }

    /** Zeros {@code count} values of {@code dst} from value {@code d}, a multiple of LANES. */
    private static void zero(MemorySegment dst, int d, int count) {
        for (int j = 0; j < count; j += LANES) {
            DoubleVector.zero(S).intoMemorySegment(dst, bytes(d + j), NATIVE);
        }
    }

    /*
     * The register tiles: R rows × V vectors of C. The accumulators start from cIn (C itself, or a row
     * of zeros with ldcIn = 0), take kc FMA steps over packed A at ai (row r at ai + r·A_STRIDE, one value a
     * step; for SQUARE and FIVE_ROWS, interleaved: step p's value of row r at ai + R·p + r) and packed
     * B at bi (the panel's width a step: V vectors), and are stored to the tile of C at ci.
     * A tile at C's edge passes a scratch tile as both C's. The accumulators are locals, not an
     * array, so C2 keeps them in vector registers; each method is branch-free and small enough that
     * C2 inlines every vector operation in it (its parser stops inlining past a fixed node count, and
     * a vector operation left as a call boxes its vectors).
     */

    private static void tile12x2(int kc, double[] ap, int ai, MemorySegment bp, int bi, double[] c, int ci, int ldc,
            double[] cIn, int cInOff, int ldcIn) {
        DoubleVector c0_0 = DoubleVector.fromArray(S, cIn, cInOff + 0 * ldcIn);
        DoubleVector c0_1 = DoubleVector.fromArray(S, cIn, cInOff + 0 * ldcIn + LANES);
        DoubleVector c1_0 = DoubleVector.fromArray(S, cIn, cInOff + 1 * ldcIn);
        DoubleVector c1_1 = DoubleVector.fromArray(S, cIn, cInOff + 1 * ldcIn + LANES);
        DoubleVector c2_0 = DoubleVector.fromArray(S, cIn, cInOff + 2 * ldcIn);
        DoubleVector c2_1 = DoubleVector.fromArray(S, cIn, cInOff + 2 * ldcIn + LANES);
        DoubleVector c3_0 = DoubleVector.fromArray(S, cIn, cInOff + 3 * ldcIn);
        DoubleVector c3_1 = DoubleVector.fromArray(S, cIn, cInOff + 3 * ldcIn + LANES);
        DoubleVector c4_0 = DoubleVector.fromArray(S, cIn, cInOff + 4 * ldcIn);
        DoubleVector c4_1 = DoubleVector.fromArray(S, cIn, cInOff + 4 * ldcIn + LANES);
        DoubleVector c5_0 = DoubleVector.fromArray(S, cIn, cInOff + 5 * ldcIn);
        DoubleVector c5_1 = DoubleVector.fromArray(S, cIn, cInOff + 5 * ldcIn + LANES);
        DoubleVector c6_0 = DoubleVector.fromArray(S, cIn, cInOff + 6 * ldcIn);
        DoubleVector c6_1 = DoubleVector.fromArray(S, cIn, cInOff + 6 * ldcIn + LANES);
        DoubleVector c7_0 = DoubleVector.fromArray(S, cIn, cInOff + 7 * ldcIn);
        DoubleVector c7_1 = DoubleVector.fromArray(S, cIn, cInOff + 7 * ldcIn + LANES);
        DoubleVector c8_0 = DoubleVector.fromArray(S, cIn, cInOff + 8 * ldcIn);
        DoubleVector c8_1 = DoubleVector.fromArray(S, cIn, cInOff + 8 * ldcIn + LANES);
        DoubleVector c9_0 = DoubleVector.fromArray(S, cIn, cInOff + 9 * ldcIn);
        DoubleVector c9_1 = DoubleVector.fromArray(S, cIn, cInOff + 9 * ldcIn + LANES);
        DoubleVector c10_0 = DoubleVector.fromArray(S, cIn, cInOff + 10 * ldcIn);
        DoubleVector c10_1 = DoubleVector.fromArray(S, cIn, cInOff + 10 * ldcIn + LANES);
        DoubleVector c11_0 = DoubleVector.fromArray(S, cIn, cInOff + 11 * ldcIn);
        DoubleVector c11_1 = DoubleVector.fromArray(S, cIn, cInOff + 11 * ldcIn + LANES);
        // Two K steps an iteration (kc is even), every index computed from p: C2 keeps the loop free of bounds
        // checks and spends fewer instructions a step on indices. Deeper unrolling spills accumulators.
        long bAt = (long) bi * Double.BYTES;
        for (int p = 0; p < kc; p += 2) {
            {
                DoubleVector b0 = DoubleVector.fromMemorySegment(S, bp, bAt + p * STEP_BYTES, NATIVE);
                DoubleVector b1 = DoubleVector.fromMemorySegment(S, bp, bAt + p * STEP_BYTES + VECTOR_BYTES, NATIVE);
                DoubleVector a0 = DoubleVector.broadcast(S, ap[ai + p + 0 * A_STRIDE]);
                c0_0 = a0.fma(b0, c0_0);
                c0_1 = a0.fma(b1, c0_1);
                DoubleVector a1 = DoubleVector.broadcast(S, ap[ai + p + 1 * A_STRIDE]);
                c1_0 = a1.fma(b0, c1_0);
                c1_1 = a1.fma(b1, c1_1);
                DoubleVector a2 = DoubleVector.broadcast(S, ap[ai + p + 2 * A_STRIDE]);
                c2_0 = a2.fma(b0, c2_0);
                c2_1 = a2.fma(b1, c2_1);
                DoubleVector a3 = DoubleVector.broadcast(S, ap[ai + p + 3 * A_STRIDE]);
                c3_0 = a3.fma(b0, c3_0);
                c3_1 = a3.fma(b1, c3_1);
                DoubleVector a4 = DoubleVector.broadcast(S, ap[ai + p + 4 * A_STRIDE]);
                c4_0 = a4.fma(b0, c4_0);
                c4_1 = a4.fma(b1, c4_1);
                DoubleVector a5 = DoubleVector.broadcast(S, ap[ai + p + 5 * A_STRIDE]);
                c5_0 = a5.fma(b0, c5_0);
                c5_1 = a5.fma(b1, c5_1);
                DoubleVector a6 = DoubleVector.broadcast(S, ap[ai + p + 6 * A_STRIDE]);
                c6_0 = a6.fma(b0, c6_0);
                c6_1 = a6.fma(b1, c6_1);
                DoubleVector a7 = DoubleVector.broadcast(S, ap[ai + p + 7 * A_STRIDE]);
                c7_0 = a7.fma(b0, c7_0);
                c7_1 = a7.fma(b1, c7_1);
                DoubleVector a8 = DoubleVector.broadcast(S, ap[ai + p + 8 * A_STRIDE]);
                c8_0 = a8.fma(b0, c8_0);
                c8_1 = a8.fma(b1, c8_1);
                DoubleVector a9 = DoubleVector.broadcast(S, ap[ai + p + 9 * A_STRIDE]);
                c9_0 = a9.fma(b0, c9_0);
                c9_1 = a9.fma(b1, c9_1);
                DoubleVector a10 = DoubleVector.broadcast(S, ap[ai + p + 10 * A_STRIDE]);
                c10_0 = a10.fma(b0, c10_0);
                c10_1 = a10.fma(b1, c10_1);
                DoubleVector a11 = DoubleVector.broadcast(S, ap[ai + p + 11 * A_STRIDE]);
                c11_0 = a11.fma(b0, c11_0);
                c11_1 = a11.fma(b1, c11_1);
            }
            {
                DoubleVector b0 = DoubleVector.fromMemorySegment(S, bp, bAt + (p + 1) * STEP_BYTES, NATIVE);
                DoubleVector b1 = DoubleVector.fromMemorySegment(S, bp, bAt + (p + 1) * STEP_BYTES + VECTOR_BYTES,
                        NATIVE);
                DoubleVector a0 = DoubleVector.broadcast(S, ap[ai + p + 1 + 0 * A_STRIDE]);
                c0_0 = a0.fma(b0, c0_0);
                c0_1 = a0.fma(b1, c0_1);
                DoubleVector a1 = DoubleVector.broadcast(S, ap[ai + p + 1 + 1 * A_STRIDE]);
                c1_0 = a1.fma(b0, c1_0);
                c1_1 = a1.fma(b1, c1_1);
                DoubleVector a2 = DoubleVector.broadcast(S, ap[ai + p + 1 + 2 * A_STRIDE]);
                c2_0 = a2.fma(b0, c2_0);
                c2_1 = a2.fma(b1, c2_1);
                DoubleVector a3 = DoubleVector.broadcast(S, ap[ai + p + 1 + 3 * A_STRIDE]);
                c3_0 = a3.fma(b0, c3_0);
                c3_1 = a3.fma(b1, c3_1);
                DoubleVector a4 = DoubleVector.broadcast(S, ap[ai + p + 1 + 4 * A_STRIDE]);
                c4_0 = a4.fma(b0, c4_0);
                c4_1 = a4.fma(b1, c4_1);
                DoubleVector a5 = DoubleVector.broadcast(S, ap[ai + p + 1 + 5 * A_STRIDE]);
                c5_0 = a5.fma(b0, c5_0);
                c5_1 = a5.fma(b1, c5_1);
                DoubleVector a6 = DoubleVector.broadcast(S, ap[ai + p + 1 + 6 * A_STRIDE]);
                c6_0 = a6.fma(b0, c6_0);
                c6_1 = a6.fma(b1, c6_1);
                DoubleVector a7 = DoubleVector.broadcast(S, ap[ai + p + 1 + 7 * A_STRIDE]);
                c7_0 = a7.fma(b0, c7_0);
                c7_1 = a7.fma(b1, c7_1);
                DoubleVector a8 = DoubleVector.broadcast(S, ap[ai + p + 1 + 8 * A_STRIDE]);
                c8_0 = a8.fma(b0, c8_0);
                c8_1 = a8.fma(b1, c8_1);
                DoubleVector a9 = DoubleVector.broadcast(S, ap[ai + p + 1 + 9 * A_STRIDE]);
                c9_0 = a9.fma(b0, c9_0);
                c9_1 = a9.fma(b1, c9_1);
                DoubleVector a10 = DoubleVector.broadcast(S, ap[ai + p + 1 + 10 * A_STRIDE]);
                c10_0 = a10.fma(b0, c10_0);
                c10_1 = a10.fma(b1, c10_1);
                DoubleVector a11 = DoubleVector.broadcast(S, ap[ai + p + 1 + 11 * A_STRIDE]);
                c11_0 = a11.fma(b0, c11_0);
                c11_1 = a11.fma(b1, c11_1);
            }
        }
        c0_0.intoArray(c, ci + 0 * ldc);
        c0_1.intoArray(c, ci + 0 * ldc + LANES);
        c1_0.intoArray(c, ci + 1 * ldc);
        c1_1.intoArray(c, ci + 1 * ldc + LANES);
        c2_0.intoArray(c, ci + 2 * ldc);
        c2_1.intoArray(c, ci + 2 * ldc + LANES);
        c3_0.intoArray(c, ci + 3 * ldc);
        c3_1.intoArray(c, ci + 3 * ldc + LANES);
        c4_0.intoArray(c, ci + 4 * ldc);
        c4_1.intoArray(c, ci + 4 * ldc + LANES);
        c5_0.intoArray(c, ci + 5 * ldc);
        c5_1.intoArray(c, ci + 5 * ldc + LANES);
        c6_0.intoArray(c, ci + 6 * ldc);
        c6_1.intoArray(c, ci + 6 * ldc + LANES);
        c7_0.intoArray(c, ci + 7 * ldc);
        c7_1.intoArray(c, ci + 7 * ldc + LANES);
        c8_0.intoArray(c, ci + 8 * ldc);
        c8_1.intoArray(c, ci + 8 * ldc + LANES);
        c9_0.intoArray(c, ci + 9 * ldc);
        c9_1.intoArray(c, ci + 9 * ldc + LANES);
        c10_0.intoArray(c, ci + 10 * ldc);
        c10_1.intoArray(c, ci + 10 * ldc + LANES);
        c11_0.intoArray(c, ci + 11 * ldc);
        c11_1.intoArray(c, ci + 11 * ldc + LANES);
    }

    private static void tile3x3(int kc, double[] ap, int ai, double[] bp, int bi, double[] c, int ci, int ldc,
            double[] cIn, int cInOff, int ldcIn) {
        DoubleVector c0_0 = DoubleVector.fromArray(S, cIn, cInOff + 0 * ldcIn);
        DoubleVector c0_1 = DoubleVector.fromArray(S, cIn, cInOff + 0 * ldcIn + LANES);
        DoubleVector c0_2 = DoubleVector.fromArray(S, cIn, cInOff + 0 * ldcIn + 2 * LANES);
        DoubleVector c1_0 = DoubleVector.fromArray(S, cIn, cInOff + 1 * ldcIn);
        DoubleVector c1_1 = DoubleVector.fromArray(S, cIn, cInOff + 1 * ldcIn + LANES);
        DoubleVector c1_2 = DoubleVector.fromArray(S, cIn, cInOff + 1 * ldcIn + 2 * LANES);
        DoubleVector c2_0 = DoubleVector.fromArray(S, cIn, cInOff + 2 * ldcIn);
        DoubleVector c2_1 = DoubleVector.fromArray(S, cIn, cInOff + 2 * ldcIn + LANES);
        DoubleVector c2_2 = DoubleVector.fromArray(S, cIn, cInOff + 2 * ldcIn + 2 * LANES);
        // A interleaved (packAInterleaved): the loop runs on A's index, and B's moves LANES times as far.
        for (int end = ai + 3 * kc; ai < end; ai += 3) {
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + LANES);
            DoubleVector b2 = DoubleVector.fromArray(S, bp, bi + 2 * LANES);
            DoubleVector a0 = DoubleVector.broadcast(S, ap[ai]);
            c0_0 = a0.fma(b0, c0_0);
            c0_1 = a0.fma(b1, c0_1);
            c0_2 = a0.fma(b2, c0_2);
            DoubleVector a1 = DoubleVector.broadcast(S, ap[ai + 1]);
            c1_0 = a1.fma(b0, c1_0);
            c1_1 = a1.fma(b1, c1_1);
            c1_2 = a1.fma(b2, c1_2);
            DoubleVector a2 = DoubleVector.broadcast(S, ap[ai + 2]);
            c2_0 = a2.fma(b0, c2_0);
            c2_1 = a2.fma(b1, c2_1);
            c2_2 = a2.fma(b2, c2_2);
            bi += 3 * LANES;
        }
        c0_0.intoArray(c, ci + 0 * ldc);
        c0_1.intoArray(c, ci + 0 * ldc + LANES);
        c0_2.intoArray(c, ci + 0 * ldc + 2 * LANES);
        c1_0.intoArray(c, ci + 1 * ldc);
        c1_1.intoArray(c, ci + 1 * ldc + LANES);
        c1_2.intoArray(c, ci + 1 * ldc + 2 * LANES);
        c2_0.intoArray(c, ci + 2 * ldc);
        c2_1.intoArray(c, ci + 2 * ldc + LANES);
        c2_2.intoArray(c, ci + 2 * ldc + 2 * LANES);
    }

    private static void tile5x2(int kc, double[] ap, int ai, double[] bp, int bi, double[] c, int ci, int ldc,
            double[] cIn, int cInOff, int ldcIn) {
        DoubleVector c0_0 = DoubleVector.fromArray(S, cIn, cInOff + 0 * ldcIn);
        DoubleVector c0_1 = DoubleVector.fromArray(S, cIn, cInOff + 0 * ldcIn + LANES);
        DoubleVector c1_0 = DoubleVector.fromArray(S, cIn, cInOff + 1 * ldcIn);
        DoubleVector c1_1 = DoubleVector.fromArray(S, cIn, cInOff + 1 * ldcIn + LANES);
        DoubleVector c2_0 = DoubleVector.fromArray(S, cIn, cInOff + 2 * ldcIn);
        DoubleVector c2_1 = DoubleVector.fromArray(S, cIn, cInOff + 2 * ldcIn + LANES);
        DoubleVector c3_0 = DoubleVector.fromArray(S, cIn, cInOff + 3 * ldcIn);
        DoubleVector c3_1 = DoubleVector.fromArray(S, cIn, cInOff + 3 * ldcIn + LANES);
        DoubleVector c4_0 = DoubleVector.fromArray(S, cIn, cInOff + 4 * ldcIn);
        DoubleVector c4_1 = DoubleVector.fromArray(S, cIn, cInOff + 4 * ldcIn + LANES);
        // A interleaved (packAInterleaved): the loop runs on A's index, B's on its own.
        for (int end = ai + 5 * kc; ai < end; ai += 5) {
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + LANES);
            DoubleVector a0 = DoubleVector.broadcast(S, ap[ai]);
            c0_0 = a0.fma(b0, c0_0);
            c0_1 = a0.fma(b1, c0_1);
            DoubleVector a1 = DoubleVector.broadcast(S, ap[ai + 1]);
            c1_0 = a1.fma(b0, c1_0);
            c1_1 = a1.fma(b1, c1_1);
            DoubleVector a2 = DoubleVector.broadcast(S, ap[ai + 2]);
            c2_0 = a2.fma(b0, c2_0);
            c2_1 = a2.fma(b1, c2_1);
            DoubleVector a3 = DoubleVector.broadcast(S, ap[ai + 3]);
            c3_0 = a3.fma(b0, c3_0);
            c3_1 = a3.fma(b1, c3_1);
            DoubleVector a4 = DoubleVector.broadcast(S, ap[ai + 4]);
            c4_0 = a4.fma(b0, c4_0);
            c4_1 = a4.fma(b1, c4_1);
            bi += 2 * LANES;
        }
        c0_0.intoArray(c, ci + 0 * ldc);
        c0_1.intoArray(c, ci + 0 * ldc + LANES);
        c1_0.intoArray(c, ci + 1 * ldc);
        c1_1.intoArray(c, ci + 1 * ldc + LANES);
        c2_0.intoArray(c, ci + 2 * ldc);
        c2_1.intoArray(c, ci + 2 * ldc + LANES);
        c3_0.intoArray(c, ci + 3 * ldc);
        c3_1.intoArray(c, ci + 3 * ldc + LANES);
        c4_0.intoArray(c, ci + 4 * ldc);
        c4_1.intoArray(c, ci + 4 * ldc + LANES);
    }

    /** The bytes of {@code doubles} values: an offset or a length in packed B. */
    private static long bytes(int doubles) {
        return (long) doubles * Double.BYTES;
    }

    /** Steps of a packed K block of {@code kc} steps: kc rounded up to the tile's pair of steps (see {@link #packA}). */
    private static int steps(int kc) {
        return roundUp(kc, 2);
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }
}
