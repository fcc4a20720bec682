package dev.vecgrad.core.kernel;

import dev.vecgrad.core.ops.Op;
import java.util.Arrays;

/**
 * The patch matrix of a channels-last convolution and its adjoint.
 *
 * <p>{@code im2col} writes, for output pixels {@code r0 .. r1} (counted over the whole batch in
 * row-major {@code (n, oh, ow)} order), one row of {@link Conv2dGeometry#patchSize()} elements each:
 * the window's taps in {@code (kh, kw, c)} order, zeros where a tap falls in the padding. That order
 * matches a Keras filter {@code [KH, KW, C, F]} read as a {@code (KH*KW*C) x F} matrix, so the
 * convolution is one GEMM of the patch rows with the filter. {@code col2im} is the adjoint: it adds
 * each row's taps back onto the input positions they came from (padding taps are dropped).
 *
 * <p>Where a window row lies inside the input with no horizontal dilation its {@code KW*C} taps are
 * contiguous in the input and move as one copy.
 */
final class Im2col {
    /** Below this length a plain loop beats {@code System.arraycopy}'s call overhead. */
    private static final int SHORT_COPY = 16;

    private Im2col() {
    }

    /** Patch rows of output pixels {@code [r0, r1)} of {@code x} (from {@code xOff}) into {@code col} from 0. */
    static void im2col(float[] x, int xOff, Conv2dGeometry g, int r0, int r1, float[] col) {
        int c = g.channels();
        int rowSpan = g.kernelW() * c;
        int ohw = g.outputPixelsPerImage();
        int p = 0;
        int n = r0 / ohw;
        int oh = (r0 - n * ohw) / g.outW();
        int ow = r0 - n * ohw - oh * g.outW();
        for (int r = r0; r < r1; r++, ow++) {
            if (ow == g.outW()) {
                ow = 0;
                if (++oh == g.outH()) {
                    oh = 0;
                    n++;
                }
            }
            int ih0 = oh * g.strideH() - g.padTop();
            int iw0 = ow * g.strideW() - g.padLeft();
            boolean rowInside = g.dilationW() == 1 && iw0 >= 0 && iw0 + g.kernelW() <= g.inW();
            for (int kh = 0; kh < g.kernelH(); kh++, p += rowSpan) {
                int ih = ih0 + kh * g.dilationH();
                if (ih < 0 || ih >= g.inH()) {
                    Arrays.fill(col, p, p + rowSpan, 0f);
                    continue;
                }
                int rowBase = xOff + n * g.imageSize() + ih * g.inW() * c;
                if (rowInside) {
                    copy(x, rowBase + iw0 * c, col, p, rowSpan);
                    continue;
                }
                for (int kw = 0, q = p; kw < g.kernelW(); kw++, q += c) {
                    int iw = iw0 + kw * g.dilationW();
                    if (iw < 0 || iw >= g.inW()) {
                        Arrays.fill(col, q, q + c, 0f);
                    } else {
                        copy(x, rowBase + iw * c, col, q, c);
                    }
                }
            }
        }
    }

    /** F64 form of {@link #im2col(float[], int, Conv2dGeometry, int, int, float[])}. */
    static void im2col(double[] x, int xOff, Conv2dGeometry g, int r0, int r1, double[] col) {
        int c = g.channels();
        int rowSpan = g.kernelW() * c;
        int ohw = g.outputPixelsPerImage();
        int p = 0;
        int n = r0 / ohw;
        int oh = (r0 - n * ohw) / g.outW();
        int ow = r0 - n * ohw - oh * g.outW();
        for (int r = r0; r < r1; r++, ow++) {
            if (ow == g.outW()) {
                ow = 0;
                if (++oh == g.outH()) {
                    oh = 0;
                    n++;
                }
            }
            int ih0 = oh * g.strideH() - g.padTop();
            int iw0 = ow * g.strideW() - g.padLeft();
            boolean rowInside = g.dilationW() == 1 && iw0 >= 0 && iw0 + g.kernelW() <= g.inW();
            for (int kh = 0; kh < g.kernelH(); kh++, p += rowSpan) {
                int ih = ih0 + kh * g.dilationH();
                if (ih < 0 || ih >= g.inH()) {
                    Arrays.fill(col, p, p + rowSpan, 0.0);
                    continue;
                }
                int rowBase = xOff + n * g.imageSize() + ih * g.inW() * c;
                if (rowInside) {
                    System.arraycopy(x, rowBase + iw0 * c, col, p, rowSpan);
                    continue;
                }
                for (int kw = 0, q = p; kw < g.kernelW(); kw++, q += c) {
                    int iw = iw0 + kw * g.dilationW();
                    if (iw < 0 || iw >= g.inW()) {
                        Arrays.fill(col, q, q + c, 0.0);
                    } else {
                        System.arraycopy(x, rowBase + iw * c, col, q, c);
                    }
                }
            }
        }
    }

    /**
     * Adds patch rows {@code [r0, r1)} held in {@code col} (from 0) onto {@code dx}, a contiguous
     * {@code [N, H, W, C]} array: the adjoint of {@link #im2col(float[], int, Conv2dGeometry, int, int, float[])}. Runs of channels are added
     * with {@code k}.
     */
    static void col2im(Kernels k, float[] col, Conv2dGeometry g, int r0, int r1, float[] dx) {
        int c = g.channels();
        int rowSpan = g.kernelW() * c;
        int ohw = g.outputPixelsPerImage();
        int p = 0;
        int n = r0 / ohw;
        int oh = (r0 - n * ohw) / g.outW();
        int ow = r0 - n * ohw - oh * g.outW();
        for (int r = r0; r < r1; r++, ow++) {
            if (ow == g.outW()) {
                ow = 0;
                if (++oh == g.outH()) {
                    oh = 0;
                    n++;
                }
            }
            int ih0 = oh * g.strideH() - g.padTop();
            int iw0 = ow * g.strideW() - g.padLeft();
            boolean rowInside = g.dilationW() == 1 && iw0 >= 0 && iw0 + g.kernelW() <= g.inW();
            for (int kh = 0; kh < g.kernelH(); kh++, p += rowSpan) {
                int ih = ih0 + kh * g.dilationH();
                if (ih < 0 || ih >= g.inH()) {
                    continue;
                }
                int rowBase = n * g.imageSize() + ih * g.inW() * c;
                if (rowInside) {
                    RunAccumulate.apply(k, Op.SUM, dx, rowBase + iw0 * c, col, p, rowSpan);
                    continue;
                }
                for (int kw = 0, q = p; kw < g.kernelW(); kw++, q += c) {
                    int iw = iw0 + kw * g.dilationW();
                    if (iw >= 0 && iw < g.inW()) {
                        RunAccumulate.apply(k, Op.SUM, dx, rowBase + iw * c, col, q, c);
                    }
                }
            }
        }
    }

    /** F64 form of {@link #col2im(Kernels, float[], Conv2dGeometry, int, int, float[])}. */
    static void col2im(Kernels k, double[] col, Conv2dGeometry g, int r0, int r1, double[] dx) {
        int c = g.channels();
        int rowSpan = g.kernelW() * c;
        int ohw = g.outputPixelsPerImage();
        int p = 0;
        int n = r0 / ohw;
        int oh = (r0 - n * ohw) / g.outW();
        int ow = r0 - n * ohw - oh * g.outW();
        for (int r = r0; r < r1; r++, ow++) {
            if (ow == g.outW()) {
                ow = 0;
                if (++oh == g.outH()) {
                    oh = 0;
                    n++;
                }
            }
            int ih0 = oh * g.strideH() - g.padTop();
            int iw0 = ow * g.strideW() - g.padLeft();
            boolean rowInside = g.dilationW() == 1 && iw0 >= 0 && iw0 + g.kernelW() <= g.inW();
            for (int kh = 0; kh < g.kernelH(); kh++, p += rowSpan) {
                int ih = ih0 + kh * g.dilationH();
                if (ih < 0 || ih >= g.inH()) {
                    continue;
                }
                int rowBase = n * g.imageSize() + ih * g.inW() * c;
                if (rowInside) {
                    RunAccumulate.apply(k, Op.SUM, dx, rowBase + iw0 * c, col, p, rowSpan);
                    continue;
                }
                for (int kw = 0, q = p; kw < g.kernelW(); kw++, q += c) {
                    int iw = iw0 + kw * g.dilationW();
                    if (iw >= 0 && iw < g.inW()) {
                        RunAccumulate.apply(k, Op.SUM, dx, rowBase + iw * c, col, q, c);
                    }
                }
            }
        }
    }

    private static void copy(float[] src, int s, float[] dst, int d, int len) {
        if (len < SHORT_COPY) {
            for (int i = 0; i < len; i++) {
                dst[d + i] = src[s + i];
            }
        } else {
            System.arraycopy(src, s, dst, d, len);
        }
    }
}
