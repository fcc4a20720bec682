package dev.vecgrad.core.kernel.conv;

import dev.vecgrad.core.kernel.Backend;
import dev.vecgrad.core.kernel.Epilogue;
import dev.vecgrad.core.kernel.Kernels;
import dev.vecgrad.core.kernel.Scratch;
import dev.vecgrad.core.kernel.Scratch.Slot;
import dev.vecgrad.core.kernel.gemm.Gemm;
import dev.vecgrad.core.kernel.parallel.Parallel;
import dev.vecgrad.core.ops.Primitives;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Channels-last 2-D convolution lowered to GEMM, forward and both backward computations, in F32
 * and F64. Arrays are contiguous: input {@code [N, H, W, C]}, filter {@code [KH, KW, C, F]} (the
 * Keras layout, read as a {@code K x F} matrix with {@code K = KH*KW*C}), output
 * {@code [N, OH, OW, F]} (an {@code M x F} matrix with {@code M = N*OH*OW}). Output arrays are
 * freshly zeroed by the caller; the geometry has been checked by the caller ({@code ConvOps}).
 *
 * <ul>
 *   <li>forward: {@code y = im2col(x) · w (+ bias, then relu)}, block by block of output rows (in
 *       F32 with enough filters, an implicit GEMM that reads the patches from the input:
 *       {@link Conv2dImplicit}; with two vectors of filters, {@link Conv2dNarrow}); bias and relu go
 *       into each block while it is in cache;</li>
 *   <li>input gradient: {@code dx = col2im(dy · wᵀ)} (wᵀ copied once a call), in chunks of whole
 *       images, so that no two threads ever add into the same input element;</li>
 *   <li>filter gradient: {@code dw = im2col(x)ᵀ · dy}, summed over a fixed number of row groups
 *       that each own a partial sum, added together in group order at the end (in F32 with a
 *       multiple of a vector panel of filters, or two vectors of them, reading the patches from the
 *       input: {@link Conv2dImplicit});</li>
 * </ul>
 *
 * <p>F32 products with a narrow B (the filter count, or the output gradient's channels) run on
 * {@link UnpackedSgemm}, which reads the patch block in place instead of packing it; the others,
 * and all F64 products, on {@link Gemm}.
 *
 * <p>Only a block of the patch matrix exists at a time, in a per-thread buffer that is reused from
 * call to call. A 1x1 convolution with stride 1 and no padding skips it: the input is the patch
 * matrix. Block and group boundaries depend on the problem's size alone, never on the thread
 * count, so results are bit-identical whether one thread or many ran them.
 */
public final class Conv2dKernels {
    /** Target elements of one patch block: small enough to stay in L2 while the GEMM reads it. */
    static final int COL_BLOCK_ELEMENTS = 1 << 16;
    /** Fewest rows in a patch block, so that the GEMM's packing of the filter is amortised. */
    static final int MIN_BLOCK_ROWS = 64;
    /** Blocks a big problem is cut into at least, so that threads share the work evenly. */
    static final int MIN_BLOCKS = 8;
    /** Multiply-adds that cost one unit of {@link Parallel}'s work. */
    static final long MACS_PER_WORK_UNIT = 16;
    /** Most row groups (partial filter gradients) the filter gradient is split into. */
    static final int MAX_FILTER_GROUPS = 8;
    /** Most elements all partial filter gradients together may take. */
    static final int FILTER_PARTIALS_BUDGET = 1 << 22;

    /**
     * Most elements of the patch block the input gradient writes and scatters back: whole images
     * go into one block up to it, so that the GEMM's edge tile (a part of its 12-row panel) comes
     * once a block rather than once an image.
     */
    static final int INPUT_GRADIENT_BLOCK_ELEMENTS = 1 << 17;

    /** Target elements of the repeated bias row that one kernel call adds to a block of output rows. */
    static final int BIAS_BLOCK_ELEMENTS = 1 << 12;

    private Conv2dKernels() {
    }

    // F64Source: F32 begin
    /**
     * {@code y[N, OH, OW, F] = conv2d(x, w)}, plus {@code bias[biasOff .. biasOff + F)} on every
     * output pixel unless {@code bias} is null, then relu'd if {@code relu} is set, then finished by
     * {@code epilogue} unless it is null (the output seen as {@code N·OH·OW} rows of {@code F}).
     */
    public static void forward(Backend backend, Conv2dGeometry g, int filters, float[] x, int xOff, float[] w,
            int wOff, float[] bias, int biasOff, boolean relu, Epilogue epilogue, float[] y) {
        int f = filters;
        int m = g.outputPixels();
        int k = g.patchSize();
        if (m == 0 || f == 0) {
            return;
        }
        if (k == 0) {
            finishRows(finish(backend, bias, biasOff, relu, epilogue, f), y, 0, m, f);
            return;
        }
        int rows = sharedBlockRows(k, m);
        long work = (long) m * k * f;
        // F64Source: F32 only begin
        if (fewFilters(backend, f) && !g.isPointwise()) {
            // Bias and relu are applied to each register tile while it is in L1, the epilogue to each block of rows.
            forEach(backend, ceilDiv(m, rows), work, b -> {
                int r0 = b * rows;
                int r1 = Math.min(m, r0 + rows);
                Conv2dNarrow.forward(g, f, x, xOff, w, wOff, bias, biasOff, relu, y, r0, r1,
                        scratchF32(Conv2dNarrow.MR * k));
                finishRows(epilogue, y, r0, r1, f);
            });
            return;
        }
        boolean implicit = narrow(backend, f) && !g.isPointwise();
        // F64Source: F32 only end
        Epilogue finish = finish(backend, bias, biasOff, relu, epilogue, f);
        forEach(backend, ceilDiv(m, rows), work, b -> {
            int r0 = b * rows;
            int r1 = Math.min(m, r0 + rows);
            // F64Source: F32 only begin
            if (implicit) {
                Conv2dImplicit.forward(g, f, x, xOff, w, wOff, y, r0, r1, scratchF32(UnpackedSgemm.MR * k));
                finishRows(finish, y, r0, r1, f);
                return;
            }
            // F64Source: F32 only end
            if (g.isPointwise()) {
                product(backend, false, false, r1 - r0, f, k, x, xOff + r0 * k, k, w, wOff, f, y, r0 * f, f, false);
            } else {
                float[] col = scratchF32(rows * k);
                Im2col.im2col(x, xOff, g, r0, r1, col);
                product(backend, false, false, r1 - r0, f, k, col, 0, k, w, wOff, f, y, r0 * f, f, false);
            }
            finishRows(finish, y, r0, r1, f);
        });
    }

    /** {@code dx[N, H, W, C]}, the gradient of conv2d with respect to its input, from {@code dy[N, OH, OW, F]}. */
    public static void backwardInput(Backend backend, Conv2dGeometry g, int filters, float[] dy, int dyOff,
            float[] w, int wOff, float[] dx) {
        int f = filters;
        int m = g.outputPixels();
        int k = g.patchSize();
        if (m == 0 || f == 0 || k == 0) {
            return;
        }
        long work = (long) m * k * f;
        // wᵀ once, so that every block's GEMM reads a plain (vector-packed) B rather than
        // transposing the filter again element by element.
        float[] wt = transpose(w, wOff, k, f);
        if (g.isPointwise()) {
            int rows = sharedBlockRows(k, m);
            forEach(backend, ceilDiv(m, rows), work, b -> {
                int r0 = b * rows;
                int r1 = Math.min(m, r0 + rows);
                product(backend, false, false, r1 - r0, k, f, dy, dyOff + r0 * f, f, wt, 0, k, dx, r0 * k, k, false);
            });
            return;
        }
        // Windows of neighbouring output pixels overlap in the input, so work is split by whole
        // images: each image's gradient is owned by one thread and summed in a fixed order.
        int perImage = g.outputPixelsPerImage();
        int images = Math.max(1, Math.min(g.batch(), INPUT_GRADIENT_BLOCK_ELEMENTS / k / perImage));
        int rows = images > 1 ? images * perImage : evenBlockRows(blockRows(k), perImage);
        Kernels kernels = backend.kernels();
        forEach(backend, ceilDiv(g.batch(), images), work, chunk -> {
            float[] col = scratchF32(rows * k);
            int end = Math.min(g.batch(), (chunk + 1) * images) * perImage;
            for (int r0 = chunk * images * perImage; r0 < end; r0 += rows) {
                int r1 = Math.min(end, r0 + rows);
                product(backend, false, false, r1 - r0, k, f, dy, dyOff + r0 * f, f, wt, 0, k, col, 0, k, false);
                Im2col.col2im(kernels, col, g, r0, r1, dx);
            }
        });
    }

    /** {@code dw[KH, KW, C, F]}, the gradient of conv2d with respect to its filter. */
    public static void backwardFilter(Backend backend, Conv2dGeometry g, int filters, float[] x, int xOff, float[] dy,
            int dyOff, float[] dw) {
        int f = filters;
        int m = g.outputPixels();
        int k = g.patchSize();
        if (m == 0 || f == 0 || k == 0) {
            return;
        }
        int rows = sharedBlockRows(k, m);
        int blocks = ceilDiv(m, rows);
        int groups = Math.min(Math.min(blocks, MAX_FILTER_GROUPS), Math.max(1, FILTER_PARTIALS_BUDGET / (k * f)));
        // Group 0 adds into dw, group g > 0 into partials[(g - 1) * k * f ..]: every target starts at
        // zero, so the implicit path can always add.
        float[] partials = groups == 1 ? null : Scratch.f32(Slot.CONV_FILTER_PARTIALS, (groups - 1) * k * f);
        if (partials != null) {
            Arrays.fill(partials, 0, (groups - 1) * k * f, 0);
        }
        // F64Source: F32 only begin
        boolean implicit = !g.isPointwise()
                && (narrow(backend, f) && f % UnpackedSgemm.NR == 0 || fewFilters(backend, f));
        // F64Source: F32 only end
        forEach(backend, groups, (long) m * k * f, gi -> {
            float[] target = gi == 0 ? dw : partials;
            int targetOff = gi == 0 ? 0 : (gi - 1) * k * f;
            int b0 = (int) ((long) gi * blocks / groups);
            int b1 = (int) ((long) (gi + 1) * blocks / groups);
            float[] col = g.isPointwise() ? null : scratchF32(rows * k);
            for (int b = b0; b < b1; b++) {
                int r0 = b * rows;
                int r1 = Math.min(m, r0 + rows);
                // F64Source: F32 only begin
                if (implicit) {
                    Conv2dImplicit.backwardFilter(g, f, x, xOff, dy, dyOff, target, targetOff, r0, r1, col, rows);
                    continue;
                }
                // F64Source: F32 only end
                if (g.isPointwise()) {
                    product(backend, true, false, k, f, r1 - r0, x, xOff + r0 * k, k, dy, dyOff + r0 * f, f, target,
                            targetOff, f, b > b0);
                } else {
                    Im2col.im2col(x, xOff, g, r0, r1, col);
                    product(backend, true, false, k, f, r1 - r0, col, 0, k, dy, dyOff + r0 * f, f, target, targetOff,
                            f, b > b0);
                }
            }
        });
        for (int gi = 1; gi < groups; gi++) {
            int from = (gi - 1) * k * f;
            for (int i = 0; i < k * f; i++) {
                dw[i] += partials[from + i];
            }
        }
    }

    /** {@code c = op(a) · op(b)} (added to {@code c} if {@code accumulate}), row-major. */
    private static void product(Backend backend, boolean ta, boolean tb, int m, int n, int k, float[] a, int aOff,
            int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        // F64Source: F32 only begin
        if (!tb && narrow(backend, n)) {
            UnpackedSgemm.gemm(ta, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        // F64Source: F32 only end
        Gemm.sgemm(backend, ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /** This thread's patch-matrix buffer of at least {@code n} elements (contents undefined). */
    private static float[] scratchF32(int n) {
        return Scratch.f32(Slot.CONV_PATCHES, n);
    }

    /**
     * This thread's transposed-filter buffer, holding the {@code cols x rows} transpose of the
     * {@code rows x cols} matrix at {@code off}.
     */
    private static float[] transpose(float[] src, int off, int rows, int cols) {
        float[] d = Scratch.f32(Slot.CONV_FILTER_TRANSPOSED, rows * cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                d[j * rows + i] = src[off + i * cols + j];
            }
        }
        return d;
    }
    // F64Source: F32 end
    // F64Source: F64 begin (generated from the F32 section above: edit that one, then run F64Source)
    /**
     * {@code y[N, OH, OW, F] = conv2d(x, w)}, plus {@code bias[biasOff .. biasOff + F)} on every
     * output pixel unless {@code bias} is null, then relu'd if {@code relu} is set, then finished by
     * {@code epilogue} unless it is null (the output seen as {@code N·OH·OW} rows of {@code F}).
     */
    public static void forward(Backend backend, Conv2dGeometry g, int filters, double[] x, int xOff, double[] w,
            int wOff, double[] bias, int biasOff, boolean relu, Epilogue epilogue, double[] y) {
        int f = filters;
        int m = g.outputPixels();
        int k = g.patchSize();
        if (m == 0 || f == 0) {
            return;
        }
        if (k == 0) {
            finishRows(finish(backend, bias, biasOff, relu, epilogue, f), y, 0, m, f);
            return;
        }
        int rows = sharedBlockRows(k, m);
        long work = (long) m * k * f;
        Epilogue finish = finish(backend, bias, biasOff, relu, epilogue, f);
        forEach(backend, ceilDiv(m, rows), work, b -> {
            int r0 = b * rows;
            int r1 = Math.min(m, r0 + rows);
            if (g.isPointwise()) {
                product(backend, false, false, r1 - r0, f, k, x, xOff + r0 * k, k, w, wOff, f, y, r0 * f, f, false);
            } else {
                double[] col = scratchF64(rows * k);
                Im2col.im2col(x, xOff, g, r0, r1, col);
                product(backend, false, false, r1 - r0, f, k, col, 0, k, w, wOff, f, y, r0 * f, f, false);
            }
            finishRows(finish, y, r0, r1, f);
        });
    }

    /** {@code dx[N, H, W, C]}, the gradient of conv2d with respect to its input, from {@code dy[N, OH, OW, F]}. */
    public static void backwardInput(Backend backend, Conv2dGeometry g, int filters, double[] dy, int dyOff,
            double[] w, int wOff, double[] dx) {
        int f = filters;
        int m = g.outputPixels();
        int k = g.patchSize();
        if (m == 0 || f == 0 || k == 0) {
            return;
        }
        long work = (long) m * k * f;
        // wᵀ once, so that every block's GEMM reads a plain (vector-packed) B rather than
        // transposing the filter again element by element.
        double[] wt = transpose(w, wOff, k, f);
        if (g.isPointwise()) {
            int rows = sharedBlockRows(k, m);
            forEach(backend, ceilDiv(m, rows), work, b -> {
                int r0 = b * rows;
                int r1 = Math.min(m, r0 + rows);
                product(backend, false, false, r1 - r0, k, f, dy, dyOff + r0 * f, f, wt, 0, k, dx, r0 * k, k, false);
            });
            return;
        }
        // Windows of neighbouring output pixels overlap in the input, so work is split by whole
        // images: each image's gradient is owned by one thread and summed in a fixed order.
        int perImage = g.outputPixelsPerImage();
        int images = Math.max(1, Math.min(g.batch(), INPUT_GRADIENT_BLOCK_ELEMENTS / k / perImage));
        int rows = images > 1 ? images * perImage : evenBlockRows(blockRows(k), perImage);
        Kernels kernels = backend.kernels();
        forEach(backend, ceilDiv(g.batch(), images), work, chunk -> {
            double[] col = scratchF64(rows * k);
            int end = Math.min(g.batch(), (chunk + 1) * images) * perImage;
            for (int r0 = chunk * images * perImage; r0 < end; r0 += rows) {
                int r1 = Math.min(end, r0 + rows);
                product(backend, false, false, r1 - r0, k, f, dy, dyOff + r0 * f, f, wt, 0, k, col, 0, k, false);
                Im2col.col2im(kernels, col, g, r0, r1, dx);
            }
        });
    }

    /** {@code dw[KH, KW, C, F]}, the gradient of conv2d with respect to its filter. */
    public static void backwardFilter(Backend backend, Conv2dGeometry g, int filters, double[] x, int xOff, double[] dy,
            int dyOff, double[] dw) {
        int f = filters;
        int m = g.outputPixels();
        int k = g.patchSize();
        if (m == 0 || f == 0 || k == 0) {
            return;
        }
        int rows = sharedBlockRows(k, m);
        int blocks = ceilDiv(m, rows);
        int groups = Math.min(Math.min(blocks, MAX_FILTER_GROUPS), Math.max(1, FILTER_PARTIALS_BUDGET / (k * f)));
        // Group 0 adds into dw, group g > 0 into partials[(g - 1) * k * f ..]: every target starts at
        // zero, so the implicit path can always add.
        double[] partials = groups == 1 ? null : Scratch.f64(Slot.CONV_FILTER_PARTIALS, (groups - 1) * k * f);
        if (partials != null) {
            Arrays.fill(partials, 0, (groups - 1) * k * f, 0);
        }
        forEach(backend, groups, (long) m * k * f, gi -> {
            double[] target = gi == 0 ? dw : partials;
            int targetOff = gi == 0 ? 0 : (gi - 1) * k * f;
            int b0 = (int) ((long) gi * blocks / groups);
            int b1 = (int) ((long) (gi + 1) * blocks / groups);
            double[] col = g.isPointwise() ? null : scratchF64(rows * k);
            for (int b = b0; b < b1; b++) {
                int r0 = b * rows;
                int r1 = Math.min(m, r0 + rows);
                if (g.isPointwise()) {
                    product(backend, true, false, k, f, r1 - r0, x, xOff + r0 * k, k, dy, dyOff + r0 * f, f, target,
                            targetOff, f, b > b0);
                } else {
                    Im2col.im2col(x, xOff, g, r0, r1, col);
                    product(backend, true, false, k, f, r1 - r0, col, 0, k, dy, dyOff + r0 * f, f, target, targetOff,
                            f, b > b0);
                }
            }
        });
        for (int gi = 1; gi < groups; gi++) {
            int from = (gi - 1) * k * f;
            for (int i = 0; i < k * f; i++) {
                dw[i] += partials[from + i];
            }
        }
    }

    /** {@code c = op(a) · op(b)} (added to {@code c} if {@code accumulate}), row-major. */
    private static void product(Backend backend, boolean ta, boolean tb, int m, int n, int k, double[] a, int aOff,
            int lda, double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, boolean accumulate) {
        Gemm.dgemm(backend, ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /** This thread's patch-matrix buffer of at least {@code n} elements (contents undefined). */
    private static double[] scratchF64(int n) {
        return Scratch.f64(Slot.CONV_PATCHES, n);
    }

    /**
     * This thread's transposed-filter buffer, holding the {@code cols x rows} transpose of the
     * {@code rows x cols} matrix at {@code off}.
     */
    private static double[] transpose(double[] src, int off, int rows, int cols) {
        double[] d = Scratch.f64(Slot.CONV_FILTER_TRANSPOSED, rows * cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                d[j * rows + i] = src[off + i * cols + j];
            }
        }
        return d;
    }
    // F64Source: F64 end

    /**
     * What finishes each block of output rows ({@code f} values a row) while it is in cache: the
     * bias (unless null), relu (if asked), then {@code epilogue}'s stages; null when there is nothing.
     */
    private static Epilogue finish(Backend backend, Object bias, int biasOff, boolean relu, Epilogue epilogue, int f) {
        List<Epilogue.Stage> stages = new ArrayList<>();
        if (bias != null) {
            // The bias repeated down a block of rows in this thread's buffer, so a run of rows is one kernel call.
            int times = Math.max(1, BIAS_BLOCK_ELEMENTS / f);
            Object rows = bias instanceof float[] ? Scratch.f32(Slot.CONV_BIAS_ROWS, times * f)
                    : Scratch.f64(Slot.CONV_BIAS_ROWS, times * f);
            for (int i = 0; i < times; i++) {
                System.arraycopy(bias, biasOff, rows, i * f, f);
            }
            stages.add(new Epilogue.Combine(Primitives.ADD, null, new Epilogue.Operand(rows, 0, f, 1, times)));
        }
        if (relu) {
            stages.add(new Epilogue.Map(Primitives.RELU, null));
        }
        if (epilogue != null) {
            stages.addAll(epilogue.stages());
        }
        return stages.isEmpty() ? null : new Epilogue(backend.kernels(), stages);
    }

    /** Runs {@code finish} (unless null) on output rows {@code [r0, r1)} of {@code y}, {@code f} values a row. */
    private static void finishRows(Epilogue finish, Object y, int r0, int r1, int f) {
        if (finish != null) {
            finish.apply(y, r0 * f, f, r0, 0, r1 - r0, f);
        }
    }

    /**
     * Rows per patch block for patches of {@code k} elements when {@code m} rows are cut into blocks
     * that threads share: small enough that there are {@link #MIN_BLOCKS} blocks when {@code m}
     * allows it, at most {@code m}, at least 1.
     */
    private static int sharedBlockRows(int k, int m) {
        int rows = Math.min(blockRows(k), Math.max(MIN_BLOCK_ROWS, ceilDiv(m, MIN_BLOCKS)));
        return evenBlockRows(rows, m);
    }

    /** {@code m} rows cut into blocks of at most {@code rows} (at least 1) as evenly as possible. */
    private static int evenBlockRows(int rows, int m) {
        int r = Math.max(1, Math.min(rows, m));
        return ceilDiv(m, ceilDiv(m, r));
    }

    /** Rows per patch block for patches of {@code k} elements, from the cache budget alone. */
    private static int blockRows(int k) {
        return Math.max(MIN_BLOCK_ROWS, COL_BLOCK_ELEMENTS / k);
    }

    /**
     * Whether an F32 product with {@code n} columns goes to {@link UnpackedSgemm}; never without
     * the Vector API (the class cannot even load then).
     */
    private static boolean narrow(Backend backend, int n) {
        return backend.isVectorized() && UnpackedSgemm.suits(n);
    }

    /**
     * Whether an F32 convolution with {@code f} filters runs on {@link Conv2dNarrow}'s two-vector
     * tiles; never without the Vector API.
     */
    private static boolean fewFilters(Backend backend, int f) {
        return backend.isVectorized() && Conv2dNarrow.suits(f);
    }

    private static int ceilDiv(int a, int b) {
        return (int) (((long) a + b - 1) / b);
    }

    /** Runs {@code body} over {@code chunks} chunks: on the backend's threads when the work is big enough. */
    private static void forEach(Backend backend, int chunks, long macs, Parallel.ChunkBody body) {
        backend.parallel().forEachChunk(macs / MACS_PER_WORK_UNIT, chunks, body);
    }
}
