package dev.vecgrad.core.kernel;

import dev.vecgrad.core.Engine;
import dev.vecgrad.core.ops.Op;
import java.util.Arrays;

/**
 * Channels-last 2-D max and average pooling, forward and backward, in F32 and F64. Arrays are
 * contiguous {@code [N, H, W, C]} inputs and {@code [N, OH, OW, C]} outputs; output arrays are
 * freshly zeroed by the caller, and the geometry (window in {@code kernelH x kernelW}, dilation 1)
 * has been checked by the caller ({@code ConvOps}).
 *
 * <p>Padded positions never take part: a max is over the window's real elements, an average
 * divides by their count (Keras and TensorFlow semantics for SAME padding). Every window holds at
 * least one real element, which the output-size rule of both paddings guarantees. The channel
 * axis is innermost, so each window tap is one run of contiguous channels, combined with the
 * engine's {@link Kernels#accumulate} (SIMD) when the run is long.
 *
 * <p>The max's arg-max, which the backward pass routes the gradient to, is the first largest
 * element in row-major window order; a NaN in the window wins (the max is NaN there too). Work is
 * split by image, so every result is the same on one thread or many.
 */
public final class Pool2dKernels {
    /** Window element visits below which a call stays on the calling thread. */
    static final long PARALLEL_MIN_WORK = 1L << 18;

    private Pool2dKernels() {
    }

    /** {@code y[n, oh, ow, c]}: the largest element of each window. */
    public static void maxForward(Conv2dGeometry g, float[] x, int xOff, float[] y) {
        Kernels k = Engine.get().kernels();
        forEachImage(g, n -> {
            int c = g.channels();
            for (int r = n * g.outputPixelsPerImage(), end = r + g.outputPixelsPerImage(); r < end; r++) {
                int yo = r * c;
                Arrays.fill(y, yo, yo + c, Float.NEGATIVE_INFINITY);
                Window win = Window.of(g, r);
                for (int ih = win.h0; ih < win.h1; ih++) {
                    for (int iw = win.w0; iw < win.w1; iw++) {
                        int xo = xOff + ((n * g.inH() + ih) * g.inW() + iw) * c;
                        RunAccumulate.apply(k, Op.MAX, y, yo, x, xo, c);
                    }
                }
            }
        });
    }

    /** F64 form of {@link #maxForward(Conv2dGeometry, float[], int, float[])}. */
    public static void maxForward(Conv2dGeometry g, double[] x, int xOff, double[] y) {
        Kernels k = Engine.get().kernels();
        forEachImage(g, n -> {
            int c = g.channels();
            for (int r = n * g.outputPixelsPerImage(), end = r + g.outputPixelsPerImage(); r < end; r++) {
                int yo = r * c;
                Arrays.fill(y, yo, yo + c, Double.NEGATIVE_INFINITY);
                Window win = Window.of(g, r);
                for (int ih = win.h0; ih < win.h1; ih++) {
                    for (int iw = win.w0; iw < win.w1; iw++) {
                        int xo = xOff + ((n * g.inH() + ih) * g.inW() + iw) * c;
                        RunAccumulate.apply(k, Op.MAX, y, yo, x, xo, c);
                    }
                }
            }
        });
    }

    /** {@code dx} (zeroed, {@code [N, H, W, C]}) receives each {@code dy} element at its window's arg-max. */
    public static void maxBackward(Conv2dGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dx) {
        forEachImage(g, n -> {
            int c = g.channels();
            float[] best = new float[c];
            int[] at = new int[c];
            for (int r = n * g.outputPixelsPerImage(), end = r + g.outputPixelsPerImage(); r < end; r++) {
                Window win = Window.of(g, r);
                boolean first = true;
                for (int ih = win.h0; ih < win.h1; ih++) {
                    for (int iw = win.w0; iw < win.w1; iw++) {
                        int pos = ((n * g.inH() + ih) * g.inW() + iw) * c;
                        for (int i = 0; i < c; i++) {
                            float v = x[xOff + pos + i];
                            float b = best[i];
                            if (first || v > b || (v != v && b == b)) {
                                best[i] = v;
                                at[i] = pos + i;
                            }
                        }
                        first = false;
                    }
                }
                for (int i = 0; i < c; i++) {
                    dx[at[i]] += dy[dyOff + r * c + i];
                }
            }
        });
    }

    /** F64 form of {@link #maxBackward(Conv2dGeometry, float[], int, float[], int, float[])}. */
    public static void maxBackward(Conv2dGeometry g, double[] x, int xOff, double[] dy, int dyOff, double[] dx) {
        forEachImage(g, n -> {
            int c = g.channels();
            double[] best = new double[c];
            int[] at = new int[c];
            for (int r = n * g.outputPixelsPerImage(), end = r + g.outputPixelsPerImage(); r < end; r++) {
                Window win = Window.of(g, r);
                boolean first = true;
                for (int ih = win.h0; ih < win.h1; ih++) {
                    for (int iw = win.w0; iw < win.w1; iw++) {
                        int pos = ((n * g.inH() + ih) * g.inW() + iw) * c;
                        for (int i = 0; i < c; i++) {
                            double v = x[xOff + pos + i];
                            double b = best[i];
                            if (first || v > b || (v != v && b == b)) {
                                best[i] = v;
                                at[i] = pos + i;
                            }
                        }
                        first = false;
                    }
                }
                for (int i = 0; i < c; i++) {
                    dx[at[i]] += dy[dyOff + r * c + i];
                }
            }
        });
    }

    /** {@code y[n, oh, ow, c]}: the mean of each window's real (unpadded) elements. */
    public static void avgForward(Conv2dGeometry g, float[] x, int xOff, float[] y) {
        Kernels k = Engine.get().kernels();
        forEachImage(g, n -> {
            int c = g.channels();
            for (int r = n * g.outputPixelsPerImage(), end = r + g.outputPixelsPerImage(); r < end; r++) {
                int yo = r * c;
                Window win = Window.of(g, r);
                for (int ih = win.h0; ih < win.h1; ih++) {
                    for (int iw = win.w0; iw < win.w1; iw++) {
                        int xo = xOff + ((n * g.inH() + ih) * g.inW() + iw) * c;
                        RunAccumulate.apply(k, Op.SUM, y, yo, x, xo, c);
                    }
                }
                float inv = 1f / win.count();
                for (int i = 0; i < c; i++) {
                    y[yo + i] *= inv;
                }
            }
        });
    }

    /** F64 form of {@link #avgForward(Conv2dGeometry, float[], int, float[])}. */
    public static void avgForward(Conv2dGeometry g, double[] x, int xOff, double[] y) {
        Kernels k = Engine.get().kernels();
        forEachImage(g, n -> {
            int c = g.channels();
            for (int r = n * g.outputPixelsPerImage(), end = r + g.outputPixelsPerImage(); r < end; r++) {
                int yo = r * c;
                Window win = Window.of(g, r);
                for (int ih = win.h0; ih < win.h1; ih++) {
                    for (int iw = win.w0; iw < win.w1; iw++) {
                        int xo = xOff + ((n * g.inH() + ih) * g.inW() + iw) * c;
                        RunAccumulate.apply(k, Op.SUM, y, yo, x, xo, c);
                    }
                }
                double inv = 1.0 / win.count();
                for (int i = 0; i < c; i++) {
                    y[yo + i] *= inv;
                }
            }
        });
    }

    /** {@code dx} (zeroed, {@code [N, H, W, C]}) receives each {@code dy} element spread evenly over its window. */
    public static void avgBackward(Conv2dGeometry g, float[] dy, int dyOff, float[] dx) {
        Kernels k = Engine.get().kernels();
        forEachImage(g, n -> {
            int c = g.channels();
            float[] share = new float[c];
            for (int r = n * g.outputPixelsPerImage(), end = r + g.outputPixelsPerImage(); r < end; r++) {
                Window win = Window.of(g, r);
                float inv = 1f / win.count();
                for (int i = 0; i < c; i++) {
                    share[i] = dy[dyOff + r * c + i] * inv;
                }
                for (int ih = win.h0; ih < win.h1; ih++) {
                    for (int iw = win.w0; iw < win.w1; iw++) {
                        int xo = ((n * g.inH() + ih) * g.inW() + iw) * c;
                        RunAccumulate.apply(k, Op.SUM, dx, xo, share, 0, c);
                    }
                }
            }
        });
    }

    /** F64 form of {@link #avgBackward(Conv2dGeometry, float[], int, float[])}. */
    public static void avgBackward(Conv2dGeometry g, double[] dy, int dyOff, double[] dx) {
        Kernels k = Engine.get().kernels();
        forEachImage(g, n -> {
            int c = g.channels();
            double[] share = new double[c];
            for (int r = n * g.outputPixelsPerImage(), end = r + g.outputPixelsPerImage(); r < end; r++) {
                Window win = Window.of(g, r);
                double inv = 1.0 / win.count();
                for (int i = 0; i < c; i++) {
                    share[i] = dy[dyOff + r * c + i] * inv;
                }
                for (int ih = win.h0; ih < win.h1; ih++) {
                    for (int iw = win.w0; iw < win.w1; iw++) {
                        int xo = ((n * g.inH() + ih) * g.inW() + iw) * c;
                        RunAccumulate.apply(k, Op.SUM, dx, xo, share, 0, c);
                    }
                }
            }
        });
    }

    /** Runs {@code body} once per image; on the engine's threads when the pooling is big enough. */
    private static void forEachImage(Conv2dGeometry g, Parallel.ChunkBody body) {
        long work = (long) g.outputPixels() * g.kernelH() * g.kernelW() * g.channels();
        if (work < PARALLEL_MIN_WORK || g.batch() <= 1) {
            for (int n = 0; n < g.batch(); n++) {
                body.run(n);
            }
        } else {
            Engine.get().parallel().forEachChunk(g.batch(), body);
        }
    }

    /** The real (unpadded) input rows {@code [h0, h1)} and columns {@code [w0, w1)} one output pixel's window covers. */
    private record Window(int h0, int h1, int w0, int w1) {
        /** The window of output pixel {@code r} (counted over the batch). */
        static Window of(Conv2dGeometry g, int r) {
            int rem = r % g.outputPixelsPerImage();
            int oh = rem / g.outW();
            int ow = rem - oh * g.outW();
            int top = oh * g.strideH() - g.padTop();
            int left = ow * g.strideW() - g.padLeft();
            return new Window(Math.max(top, 0), Math.min(top + g.kernelH(), g.inH()), Math.max(left, 0),
                    Math.min(left + g.kernelW(), g.inW()));
        }

        int count() {
            return (h1 - h0) * (w1 - w0);
        }
    }
}
