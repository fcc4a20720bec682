package dev.vecgrad.core.kernel.pool;

import dev.vecgrad.core.kernel.Backend;
import dev.vecgrad.core.kernel.Kernels;
import dev.vecgrad.core.kernel.RunAccumulate;
import dev.vecgrad.core.kernel.conv.Conv2dGeometry;
import dev.vecgrad.core.kernel.parallel.Parallel;
import dev.vecgrad.core.ops.Primitives;

/**
 * Channels-last 2-D max and average pooling, forward and backward, in F32 and F64. Arrays are
 * contiguous {@code [N, H, W, C]} inputs and {@code [N, OH, OW, C]} outputs; output arrays are
 * freshly zeroed by the caller, and the geometry (window in {@code kernelH x kernelW}, dilation 1)
 * has been checked by the caller ({@code ConvOps}).
 *
 * <p>Padded positions never take part: a max is over the window's real elements, an average
 * divides by their count (Keras and TensorFlow semantics for SAME padding). Every window holds at
 * least one real element, which the output-size rule of both paddings guarantees. The channel
 * axis is innermost, so each window tap is one run of contiguous channels: max pooling hands a
 * whole window to the backend's {@link Kernels#windowMax} and {@link Kernels#windowMaxRoute}
 * (SIMD across channels), the average's forward sums the runs with {@link Kernels#accumulate}.
 *
 * <p>The max's arg-max, which the backward pass routes the gradient to, is the first largest
 * element in row-major window order; a NaN in the window wins (the max is NaN there too). Work is
 * split by image, so every result is the same on one thread or many.
 */
public final class Pool2dKernels {
    /** Window element visits that cost one unit of {@link Parallel}'s work. */
    static final long VISITS_PER_WORK_UNIT = 4;

    private Pool2dKernels() {
    }

    // F64Source: F32 begin
    /** {@code y[n, oh, ow, c]}: the largest element of each window. */
    public static void maxForward(Backend backend, Conv2dGeometry g, float[] x, int xOff, float[] y) {
        Kernels k = backend.kernels();
        int c = g.channels();
        forEachWindow(backend, g, (r, at, taps, nTaps) -> k.windowMax(x, xOff + at, taps, nTaps, y, r * c, c));
    }

    /** {@code dx} (zeroed, {@code [N, H, W, C]}) receives each {@code dy} element at its window's arg-max. */
    public static void maxBackward(Backend backend, Conv2dGeometry g, float[] x, int xOff, float[] dy, int dyOff,
            float[] dx) {
        Kernels k = backend.kernels();
        int c = g.channels();
        boolean disjoint = disjoint(g);
        forEachWindow(backend, g, (r, at, taps, nTaps) ->
                k.windowMaxRoute(x, xOff + at, taps, nTaps, dy, dyOff + r * c, dx, at, c, disjoint));
    }

    /** {@code y[n, oh, ow, c]}: the mean of each window's real (unpadded) elements. */
    public static void avgForward(Backend backend, Conv2dGeometry g, float[] x, int xOff, float[] y) {
        Kernels k = backend.kernels();
        int c = g.channels();
        forEachWindow(backend, g, (r, at, taps, nTaps) -> {
            int yo = r * c;
            for (int t = 0; t < nTaps; t++) {
                RunAccumulate.apply(k, Primitives.SUM, y, yo, x, xOff + at + taps[t], c);
            }
            float inv = 1f / nTaps;
            for (int i = 0; i < c; i++) {
                y[yo + i] *= inv;
            }
        });
    }

    /** {@code dx} (zeroed, {@code [N, H, W, C]}) receives each {@code dy} element spread evenly over its window. */
    public static void avgBackward(Backend backend, Conv2dGeometry g, float[] dy, int dyOff, float[] dx) {
        int c = g.channels();
        forEachWindow(backend, g, (r, at, taps, nTaps) -> {
            float inv = 1f / nTaps;
            for (int t = 0; t < nTaps; t++) {
                for (int i = 0; i < c; i++) {
                    dx[at + taps[t] + i] += dy[dyOff + r * c + i] * inv;
                }
            }
        });
    }
    // F64Source: F32 end
    // F64Source: F64 begin (generated from the F32 section above: edit that one, then run F64Source)
    /** {@code y[n, oh, ow, c]}: the largest element of each window. */
    public static void maxForward(Backend backend, Conv2dGeometry g, double[] x, int xOff, double[] y) {
        Kernels k = backend.kernels();
        int c = g.channels();
        forEachWindow(backend, g, (r, at, taps, nTaps) -> k.windowMax(x, xOff + at, taps, nTaps, y, r * c, c));
    }

    /** {@code dx} (zeroed, {@code [N, H, W, C]}) receives each {@code dy} element at its window's arg-max. */
    public static void maxBackward(Backend backend, Conv2dGeometry g, double[] x, int xOff, double[] dy, int dyOff,
            double[] dx) {
        Kernels k = backend.kernels();
        int c = g.channels();
        boolean disjoint = disjoint(g);
        forEachWindow(backend, g, (r, at, taps, nTaps) ->
                k.windowMaxRoute(x, xOff + at, taps, nTaps, dy, dyOff + r * c, dx, at, c, disjoint));
    }

    /** {@code y[n, oh, ow, c]}: the mean of each window's real (unpadded) elements. */
    public static void avgForward(Backend backend, Conv2dGeometry g, double[] x, int xOff, double[] y) {
        Kernels k = backend.kernels();
        int c = g.channels();
        forEachWindow(backend, g, (r, at, taps, nTaps) -> {
            int yo = r * c;
            for (int t = 0; t < nTaps; t++) {
                RunAccumulate.apply(k, Primitives.SUM, y, yo, x, xOff + at + taps[t], c);
            }
            double inv = 1.0 / nTaps;
            for (int i = 0; i < c; i++) {
                y[yo + i] *= inv;
            }
        });
    }

    /** {@code dx} (zeroed, {@code [N, H, W, C]}) receives each {@code dy} element spread evenly over its window. */
    public static void avgBackward(Backend backend, Conv2dGeometry g, double[] dy, int dyOff, double[] dx) {
        int c = g.channels();
        forEachWindow(backend, g, (r, at, taps, nTaps) -> {
            double inv = 1.0 / nTaps;
            for (int t = 0; t < nTaps; t++) {
                for (int i = 0; i < c; i++) {
                    dx[at + taps[t] + i] += dy[dyOff + r * c + i] * inv;
                }
            }
        });
    }
    // F64Source: F64 end

    /** Whether no two windows share an input pixel: strides at least as large as the window. */
    private static boolean disjoint(Conv2dGeometry g) {
        return g.strideH() >= g.kernelH() && g.strideW() >= g.kernelW();
    }

    /** What runs once per output pixel: {@code r} counts pixels over the batch. */
    @FunctionalInterface
    private interface WindowBody {
        /**
         * Output pixel {@code r}, whose window covers the input pixels at
         * {@code at + taps[0 .. nTaps)}.
         */
        void run(int r, int at, int[] taps, int nTaps);
    }

    /**
     * Runs {@code body} for every output pixel with the offsets (in elements, from the start of the
     * input, in row-major window order) of the real input pixels its window covers, as a window
     * corner plus the taps' offsets from it: one table shared by every window that lies inside the
     * input, and offsets from the input's start for a window cut by the padding. The one place
     * that walks pooling windows. Images go to the backend's threads when the pooling is big enough.
     */
    private static void forEachWindow(Backend backend, Conv2dGeometry g, WindowBody body) {
        int c = g.channels();
        // Both tables are bounded by the image, not by the window: a window that lies inside the
        // input is no larger than it, and a cut one covers at most the whole image (a SAME pool of
        // 100000x100000 over a 28x28 image has 784 taps).
        boolean fitsInside = g.kernelH() <= g.inH() && g.kernelW() <= g.inW();
        int[] inner = new int[fitsInside ? g.kernelH() * g.kernelW() : 0];
        for (int a = 0, t = 0; a < g.kernelH() && fitsInside; a++) {
            for (int b = 0; b < g.kernelW(); b++, t++) {
                inner[t] = (a * g.inW() + b) * c;
            }
        }
        int maxTaps = Math.min(g.kernelH(), g.inH()) * Math.min(g.kernelW(), g.inW());
        forEachImage(backend, g, (long) maxTaps * c, n -> {
            int[] taps = new int[maxTaps];
            int r = n * g.outputPixelsPerImage();
            for (int oh = 0; oh < g.outH(); oh++) {
                long top = (long) oh * g.strideH() - g.padTop();
                boolean rowInside = fitsInside && top >= 0 && top + g.kernelH() <= g.inH();
                int h0 = (int) Math.max(top, 0);
                int h1 = (int) Math.min(top + g.kernelH(), g.inH());
                for (int ow = 0; ow < g.outW(); ow++, r++) {
                    long left = (long) ow * g.strideW() - g.padLeft();
                    if (rowInside && left >= 0 && left + g.kernelW() <= g.inW()) {
                        body.run(r, ((n * g.inH() + (int) top) * g.inW() + (int) left) * c, inner, inner.length);
                        continue;
                    }
                    int w0 = (int) Math.max(left, 0);
                    int w1 = (int) Math.min(left + g.kernelW(), g.inW());
                    int nTaps = 0;
                    for (int ih = h0; ih < h1; ih++) {
                        for (int iw = w0; iw < w1; iw++) {
                            taps[nTaps++] = ((n * g.inH() + ih) * g.inW() + iw) * c;
                        }
                    }
                    body.run(r, 0, taps, nTaps);
                }
            }
        });
    }

    /** Runs {@code body} once per image; on the backend's threads when the pooling is big enough. */
    private static void forEachImage(Backend backend, Conv2dGeometry g, long visitsPerPixel, Parallel.ChunkBody body) {
        backend.parallel().forEachChunk(g.outputPixels() * visitsPerPixel / VISITS_PER_WORK_UNIT, g.batch(), body);
    }
}
