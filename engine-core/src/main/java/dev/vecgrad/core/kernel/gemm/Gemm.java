package dev.vecgrad.core.kernel.gemm;

import dev.vecgrad.core.kernel.Backend;
import dev.vecgrad.core.kernel.Epilogue;
import dev.vecgrad.core.kernel.parallel.Parallel;


/**
 * General matrix multiply on row-major arrays: {@code C = op(A)·op(B)}, or {@code C += ...} when
 * accumulating, where op(X) is X or Xᵀ. A is m×k as op(A) (stored k×m when transposed), B is
 * k×n as op(B), C is m×n; {@code lda}, {@code ldb}, {@code ldc} are the row strides of the
 * arrays as stored. A transposed operand is read through packing, never copied as a transpose.
 *
 * <pre>{@code
 * // y (128×256) = x (128×784) · w (784×256), all row-major and contiguous
 * Backend backend = Engine.get().backend();
 * Gemm.sgemm(backend, false, false, 128, 256, 784, x, 0, 784, w, 0, 256, y, 0, 256, false);
 * // dw (784×256) += xᵀ · dy without materialising xᵀ
 * Gemm.sgemm(backend, true, false, 784, 256, 128, x, 0, 784, dy, 0, 256, dw, 0, 256, true);
 * }</pre>
 *
 * <p>With the SIMD kernels on (the given {@link Backend#isVectorized()}) this runs the packed, cache-blocked
 * kernels {@link VectorSgemm} / {@link VectorDgemm}, except for tiny products; with the scalar
 * reference kernels, and for tiny products, a plain triple loop ({@link #referenceF32}) that
 * computes every element with the same FMA chain, so the choice never changes a result. Products
 * {@linkplain Parallel#worthSplitting worth splitting} (at {@link #MACS_PER_WORK_UNIT} multiply-adds
 * a unit) are shared by the backend's threads: those with enough rows as a team whose threads take
 * groups of row panels of C from a common counter, so that a faster thread takes more of them, with
 * B packed once for all and a group's A once for several B blocks ({@link VectorSgemm.Team}); the
 * others in one block of C a thread, cut along M or N ({@link Split}). Either way every C element
 * is computed with the same K order, so the result is bit-for-bit the same at any thread count.
 * Packing buffers and teams are per thread (a {@link
 * ThreadLocal} in each kernel class) and reused, and the thread pool hands work over without
 * allocating, so a steady-state call allocates nothing on one thread and, on several, only the
 * small description of the cut ({@link Split}) and, for blocks, the task that runs them, whatever
 * the product's size.
 */
public final class Gemm {
    /**
     * Multiply-adds of the packed kernel that cost one unit of {@link Parallel}'s work: products of
     * fewer than 64·128·128 multiply-adds stay on the calling thread, where handing a block to a
     * pool thread and packing an operand twice would cost more than it saves.
     */
    // Implementation note, from per-call timings at one and two threads on a 2-core AVX-512 server:
    // with the pool's polling hand-off (about 1 µs), 2^20-multiply-add products ran 1.5× faster on
    // two threads (256×64·64×256-style and 112³ up to 128³), 96³ (0.88 M) broke even, 80³ lost.
    public static final long MACS_PER_WORK_UNIT = 16;

    /**
     * Products of at most this many multiply-adds, with a K of at least {@link #TINY_MIN_K}, run
     * on the plain loop ({@link #referenceF32}), which gives the same bits as the SIMD kernels:
     * the packed kernel's set-up costs more than such a product. With K = 1 (an outer product) the
     * packed kernel is always faster.
     */
    // Implementation note, from one-thread timings on an AVX-512 server core: 10×1·(1×10)ᵀ-style
    // products (a Dense(1) layer's forward and filter gradient) took 90–115 ns in the loop against
    // 210–245 ns through the packed kernel; at 512 multiply-adds (8×8×8) the kernel was 2.3× faster.
    static final int TINY_MAX_MACS = 128;
    /** See {@link #TINY_MAX_MACS}. */
    static final int TINY_MIN_K = 8;

    private Gemm() {
    }

    /**
     * The packed kernels' register tile, chosen once from this machine's vector registers, for the
     * start-up report: e.g. {@code 12×2 vectors}, or {@code 5×2 vectors (f64 3×3)} where the two
     * precisions' differ (see {@link VectorSgemm}'s class comment).
     */
    public static String registerTile() {
        String f32 = VectorSgemm.TILE.rows + "×" + VectorSgemm.TILE.vectors;
        String f64 = VectorDgemm.TILE.rows + "×" + VectorDgemm.TILE.vectors;
        return f32.equals(f64) ? f32 + " vectors" : f32 + " vectors (f64 " + f64 + ")";
    }

    /**
     * The caches the GEMM's blocks are sized by and where they were read ({@link CpuCaches#DETECTED_FROM}),
     * e.g. {@code L1d 48 KiB 12-way 64 B lines, L2 1024 KiB (getconf)}, or {@code (-Dvecgrad.caches)}
     * where {@link CpuCaches#PROPERTY} replaced this machine's.
     */
    public static String caches() {
        return CpuCaches.DETECTED + " (" + CpuCaches.DETECTED_FROM + ")";
    }

    /**
     * This machine's vector registers as the register tiles count them ({@link VectorSgemm#vectorRegisters}):
     * 16 on x86 without AVX-512, else 32. Needs the Vector API: callers check
     * {@link Backend#isVectorized()} first.
     */
    public static int vectorRegisters() {
        return VectorSgemm.REGISTERS;
    }

    /**
     * The K block for a kernel whose register tiles all read one panel of {@code width} ×
     * kc elements of {@code elementBytes} bytes again: the panel fills half of this machine's L1
     * data cache, as the packed GEMM's B micro-panel does with column panels outermost ({@link
     * GemmBlocking#depth}); a multiple of 8 from 64 to 512.
     */
    public static int depthBlock(int elementBytes, int width) {
        return GemmBlocking.depth(CpuCaches.DETECTED, elementBytes, width);
    }

    /** Whether a product is small enough for the plain loop (see {@link #TINY_MAX_MACS}). */
    static boolean tiny(int m, int n, int k) {
        return k >= TINY_MIN_K && (long) m * n * k <= TINY_MAX_MACS;
    }

    /** F32 GEMM on {@code backend}: {@code C (+)= op(A)·op(B)}; see the class comment for the layout. */
    public static void sgemm(Backend backend, boolean transA, boolean transB, int m, int n, int k, float[] a,
            int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        sgemm(backend, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, null);
    }

    /**
     * {@link #sgemm(Backend, boolean, boolean, int, int, int, float[], int, int, float[], int, int, float[], int, int, boolean)}
     * finished by {@code epilogue} (null for none): the epilogue runs on each block of C as soon as
     * the block's last K block is in, while the block is in cache, with C's element {@code (0, 0)}
     * as its row and column 0. The result has the same bits as the product followed by the
     * epilogue's ops over the whole of C.
     */
    public static void sgemm(Backend backend, boolean transA, boolean transB, int m, int n, int k, float[] a,
            int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate,
            Epilogue epilogue) {
        sgemm(null, backend, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate,
                epilogue);
    }

    /**
     * {@link #sgemm(Backend, boolean, boolean, int, int, int, float[], int, int, float[], int, int, float[], int, int, boolean, Epilogue)}
     * with {@code kernel} as the packed kernel (its blocks rather than this machine's), or {@link
     * VectorSgemm#MACHINE} when null: the kernel class is only loaded once the SIMD path is taken, since it
     * needs the Vector API module, which the scalar reference kernels run without.
     */
    static void sgemm(VectorSgemm kernel, Backend backend, boolean transA, boolean transB, int m, int n, int k,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate,
            Epilogue epilogue) {
        check("sgemm", transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || !backend.isVectorized() || tiny(m, n, k)) {
            referenceF32(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            if (epilogue != null) {
                epilogue.apply(c, cOff, ldc, 0, 0, m, n);
            }
            return;
        }
        Parallel pool = backend.parallel();
        VectorSgemm packed = kernel != null ? kernel : VectorSgemm.MACHINE;
        Split split = Split.of(pool.threads(), m, n, k, VectorSgemm.MR, VectorSgemm.LANES);
        if (split == null) {
            packed.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate,
                    VectorSgemm.buffers(), epilogue, 0, 0, false);
            return;
        }
        if (packed.shares(pool.threads(), transA, m, n, k)) {
            packed.team(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate,
                    VectorSgemm.buffers(), epilogue).runOn(pool);
            return;
        }
        pool.forEachChunk(split.chunks(), chunk -> {
            int i0 = split.rowStart(chunk);
            int j0 = split.colStart(chunk);
            int mi = split.rowEnd(chunk) - i0;
            int nj = split.colEnd(chunk) - j0;
            packed.gemm(transA, transB, mi, nj, k, a, aOff + (transA ? i0 : i0 * lda), lda,
                    b, bOff + (transB ? j0 * ldb : j0), ldb, c, cOff + i0 * ldc + j0, ldc, accumulate,
                    VectorSgemm.buffers(), epilogue, i0, j0, split.bottomUp(chunk));
        });
    }

    /** F64 GEMM on {@code backend}: {@code C (+)= op(A)·op(B)}; see the class comment for the layout. */
    public static void dgemm(Backend backend, boolean transA, boolean transB, int m, int n, int k, double[] a,
            int aOff, int lda, double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, boolean accumulate) {
        dgemm(backend, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, null);
    }

    /**
     * {@link #dgemm(Backend, boolean, boolean, int, int, int, double[], int, int, double[], int, int, double[], int, int, boolean)}
     * finished by {@code epilogue} (null for none): the epilogue runs on each block of C as soon as
     * the block's last K block is in, while the block is in cache, with C's element {@code (0, 0)}
     * as its row and column 0. The result has the same bits as the product followed by the
     * epilogue's ops over the whole of C.
     */
    public static void dgemm(Backend backend, boolean transA, boolean transB, int m, int n, int k, double[] a,
            int aOff, int lda, double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, boolean accumulate,
            Epilogue epilogue) {
        dgemm(null, backend, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate,
                epilogue);
    }

    /**
     * {@link #dgemm(Backend, boolean, boolean, int, int, int, double[], int, int, double[], int, int, double[], int, int, boolean, Epilogue)}
     * with {@code kernel} as the packed kernel (its blocks rather than this machine's), or {@link
     * VectorDgemm#MACHINE} when null: the kernel class is only loaded once the SIMD path is taken, since it
     * needs the Vector API module, which the scalar reference kernels run without.
     */
    static void dgemm(VectorDgemm kernel, Backend backend, boolean transA, boolean transB, int m, int n, int k,
            double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, boolean accumulate,
            Epilogue epilogue) {
        check("dgemm", transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || !backend.isVectorized() || tiny(m, n, k)) {
            referenceF64(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            if (epilogue != null) {
                epilogue.apply(c, cOff, ldc, 0, 0, m, n);
            }
            return;
        }
        Parallel pool = backend.parallel();
        VectorDgemm packed = kernel != null ? kernel : VectorDgemm.MACHINE;
        Split split = Split.of(pool.threads(), m, n, k, VectorDgemm.MR, VectorDgemm.LANES);
        if (split == null) {
            packed.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate,
                    VectorDgemm.buffers(), epilogue, 0, 0, false);
            return;
        }
        if (packed.shares(pool.threads(), transA, m, n, k)) {
            packed.team(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate,
                    VectorDgemm.buffers(), epilogue).runOn(pool);
            return;
        }
        pool.forEachChunk(split.chunks(), chunk -> {
            int i0 = split.rowStart(chunk);
            int j0 = split.colStart(chunk);
            int mi = split.rowEnd(chunk) - i0;
            int nj = split.colEnd(chunk) - j0;
            packed.gemm(transA, transB, mi, nj, k, a, aOff + (transA ? i0 : i0 * lda), lda,
                    b, bOff + (transB ? j0 * ldb : j0), ldb, c, cOff + i0 * ldc + j0, ldc, accumulate,
                    VectorDgemm.buffers(), epilogue, i0, j0, split.bottomUp(chunk));
        });
    }

    /**
     * How a product is cut into blocks for threads: a {@code rows × cols} grid of blocks, at most
     * one a thread, so that each thread packs its own operands once and no thread waits on another
     * before the end. Rows are cut at whole {@code mr}-row tiles, columns at whole vectors of
     * {@code lanes} (a block ending in a half tile runs the one-vector tile), as evenly as those
     * units allow. A block packs all of its rows of A and columns of B, so a cut along N makes every
     * thread pack all of A's rows and a cut along M all of B's columns; the grid taken is the one
     * whose largest block costs least, counting {@link #PACK_MACS} multiply-adds a packed element.
     * The blocks never change the K blocking, so the split never changes a result.
     */
    record Split(int m, int n, int rows, int cols, int mr, int lanes) {
        /**
         * Multiply-adds that packing one element costs: a packed element is a load and a store,
         * often from L3 (and a gather when the operand is transposed) against the register tile's
         * 32 multiply-adds a cycle.
         */
        static final int PACK_MACS = 8;

        /** The split for {@code threads} threads, or null when the product should stay on one thread. */
        static Split of(int threads, int m, int n, int k, int mr, int lanes) {
            if (threads <= 1 || !Parallel.worthSplitting((long) m * n * k / MACS_PER_WORK_UNIT)) {
                return null;
            }
            int unitsM = (m + mr - 1) / mr;
            int unitsN = (n + lanes - 1) / lanes;
            int bestRows = 1;
            int bestCols = 1;
            long bestCost = blockCost(m, n, k);
            for (int rows = 1; rows <= Math.min(threads, unitsM); rows++) {
                for (int cols = 1; cols <= Math.min(threads / rows, unitsN); cols++) {
                    int mi = Math.min(m, ceilDiv(unitsM, rows) * mr);
                    int nj = Math.min(n, ceilDiv(unitsN, cols) * lanes);
                    long cost = blockCost(mi, nj, k);
                    if (cost < bestCost) {
                        bestCost = cost;
                        bestRows = rows;
                        bestCols = cols;
                    }
                }
            }
            return bestRows * bestCols <= 1 ? null : new Split(m, n, bestRows, bestCols, mr, lanes);
        }

        /** The estimated cost of one block, in multiply-adds: its products and the packing of its A rows and B columns. */
        private static long blockCost(int mi, int nj, int k) {
            return (long) mi * nj * k + (long) PACK_MACS * k * (mi + nj);
        }

        private static int ceilDiv(int x, int y) {
            return (x + y - 1) / y;
        }

        int chunks() {
            return rows * cols;
        }

        int rowStart(int chunk) {
            return bound(chunk / cols, rows, m, mr);
        }

        int rowEnd(int chunk) {
            return bound(chunk / cols + 1, rows, m, mr);
        }

        int colStart(int chunk) {
            return bound(chunk % cols, cols, n, lanes);
        }

        int colEnd(int chunk) {
            return bound(chunk % cols + 1, cols, n, lanes);
        }

        /**
         * Whether the block walks its row panels from the last: every second column of blocks does,
         * so that two blocks side by side reach the C rows along their cut (whose cache lines both
         * write) at different times, not row for row together.
         */
        boolean bottomUp(int chunk) {
            return chunk % cols % 2 == 1;
        }

        /** Start of part {@code i} of {@code parts} over {@code size}, in whole units of {@code unit}. */
        private static int bound(int i, int parts, int size, int unit) {
            int units = (size + unit - 1) / unit;
            return Math.min(size, (int) ((long) units * i / parts) * unit);
        }
    }

    /** Throws an exception naming the routine and the argument at fault when the operands do not fit. */
    private static void check(String op, boolean transA, boolean transB, int m, int n, int k, int aLen, int aOff,
            int lda, int bLen, int bOff, int ldb, int cLen, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(op + ": negative size m=" + m + ", n=" + n + ", k=" + k);
        }
        checkOperand(op, "A", transA ? k : m, transA ? m : k, aLen, aOff, lda);
        checkOperand(op, "B", transB ? n : k, transB ? k : n, bLen, bOff, ldb);
        checkOperand(op, "C", m, n, cLen, cOff, ldc);
    }

    private static void checkOperand(String op, String name, int rows, int cols, int len, int off, int ld) {
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(op + ": ld" + name.toLowerCase(java.util.Locale.ROOT) + "=" + ld
                    + " is less than the " + cols + " columns of " + name + " (" + rows + "×" + cols + " as stored)");
        }
        if (rows == 0 || cols == 0) {
            return;
        }
        long end = off + (long) (rows - 1) * ld + cols;
        if (off < 0 || end > len) {
            throw new IllegalArgumentException(op + ": " + name + " (" + rows + "×" + cols + " as stored, offset " + off
                    + ", row stride " + ld + ") needs elements up to " + end + " but its array has " + len);
        }
    }

    // F64Source: F32 begin
    /** The plain triple loop of the scalar reference kernels: one FMA chain per element, like the SIMD kernels. */
    static void referenceF32(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff,
            int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        int i = 0;
        // Four rows at a time: four independent FMA chains in flight instead of one (a chain is
        // latency-bound), each in the same K order as the single-row loop below.
        for (; i + 4 <= m; i += 4) {
            for (int j = 0; j < n; j++) {
                int ci = cOff + i * ldc + j;
                float s0 = accumulate ? c[ci] : 0;
                float s1 = accumulate ? c[ci + ldc] : 0;
                float s2 = accumulate ? c[ci + 2 * ldc] : 0;
                float s3 = accumulate ? c[ci + 3 * ldc] : 0;
                for (int p = 0; p < k; p++) {
                    float bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    int ai = transA ? aOff + p * lda + i : aOff + i * lda + p;
                    int as = transA ? 1 : lda;
                    s0 = Math.fma(a[ai], bpj, s0);
                    s1 = Math.fma(a[ai + as], bpj, s1);
                    s2 = Math.fma(a[ai + 2 * as], bpj, s2);
                    s3 = Math.fma(a[ai + 3 * as], bpj, s3);
                }
                c[ci] = s0;
                c[ci + ldc] = s1;
                c[ci + 2 * ldc] = s2;
                c[ci + 3 * ldc] = s3;
            }
        }
        for (; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int ci = cOff + i * ldc + j;
                float s = accumulate ? c[ci] : 0;
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s = Math.fma(aip, bpj, s);
                }
                c[ci] = s;
            }
        }
    }
    // F64Source: F32 end
    // F64Source: F64 begin (generated from the F32 section above: edit that one, then run F64Source)
    /** The plain triple loop of the scalar reference kernels: one FMA chain per element, like the SIMD kernels. */
    static void referenceF64(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff,
            int lda, double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, boolean accumulate) {
        int i = 0;
        // Four rows at a time: four independent FMA chains in flight instead of one (a chain is
        // latency-bound), each in the same K order as the single-row loop below.
        for (; i + 4 <= m; i += 4) {
            for (int j = 0; j < n; j++) {
                int ci = cOff + i * ldc + j;
                double s0 = accumulate ? c[ci] : 0;
                double s1 = accumulate ? c[ci + ldc] : 0;
                double s2 = accumulate ? c[ci + 2 * ldc] : 0;
                double s3 = accumulate ? c[ci + 3 * ldc] : 0;
                for (int p = 0; p < k; p++) {
                    double bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    int ai = transA ? aOff + p * lda + i : aOff + i * lda + p;
                    int as = transA ? 1 : lda;
                    s0 = Math.fma(a[ai], bpj, s0);
                    s1 = Math.fma(a[ai + as], bpj, s1);
                    s2 = Math.fma(a[ai + 2 * as], bpj, s2);
                    s3 = Math.fma(a[ai + 3 * as], bpj, s3);
                }
                c[ci] = s0;
                c[ci + ldc] = s1;
                c[ci + 2 * ldc] = s2;
                c[ci + 3 * ldc] = s3;
            }
        }
        for (; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int ci = cOff + i * ldc + j;
                double s = accumulate ? c[ci] : 0;
                for (int p = 0; p < k; p++) {
                    double aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s = Math.fma(aip, bpj, s);
                }
                c[ci] = s;
            }
        }
    }
    // F64Source: F64 end
}
