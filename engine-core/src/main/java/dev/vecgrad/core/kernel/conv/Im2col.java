package dev.vecgrad.core.kernel.conv;

import dev.vecgrad.core.kernel.Kernels;
import dev.vecgrad.core.kernel.RunAccumulate;
import dev.vecgrad.core.ops.Primitives;
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
 * <p>Both walk the windows in one place, {@link #forEachRun}, which hands out runs of taps that
 * are contiguous in the input: a whole window row ({@code KW*C} taps) where it lies inside the
 * input with no horizontal dilation, else one pixel's {@code C} channels.
 */
final class Im2col {
    /** Below this length a plain loop beats {@code System.arraycopy}'s call overhead. */
    private static final int SHORT_COPY = 16;

    private Im2col() {
    }

    /** One run of taps: {@code length} elements at {@code input} (-1 for padding) and at {@code col}. */
    @FunctionalInterface
    interface Run {
        /** Handles one run. */
        void run(int input, int col, int length);
    }

    // F64Source: F32 begin
    /** Patch rows of output pixels {@code [r0, r1)} of {@code x} (from {@code xOff}) into {@code col} from 0. */
    static void im2col(float[] x, int xOff, Conv2dGeometry g, int r0, int r1, float[] col) {
        forEachRun(g, xOff, r0, r1, (in, q, len) -> {
            if (in < 0) {
                Arrays.fill(col, q, q + len, 0f);
            } else if (len < SHORT_COPY) {
                for (int i = 0; i < len; i++) {
                    col[q + i] = x[in + i];
                }
            } else {
                System.arraycopy(x, in, col, q, len);
            }
        });
    }

    /**
     * Adds patch rows {@code [r0, r1)} held in {@code col} (from 0) onto {@code dx}, a contiguous
     * {@code [N, H, W, C]} array: the adjoint of {@link #im2col(float[], int, Conv2dGeometry, int, int, float[])}.
     * Runs of channels are added with {@code k}.
     */
    static void col2im(Kernels k, float[] col, Conv2dGeometry g, int r0, int r1, float[] dx) {
        forEachRun(g, 0, r0, r1, (in, q, len) -> {
            if (in >= 0) {
                RunAccumulate.apply(k, Primitives.SUM, dx, in, col, q, len);
            }
        });
    }
    // F64Source: F32 end
    // F64Source: F64 begin (generated from the F32 section above: edit that one, then run F64Source)
    /** Patch rows of output pixels {@code [r0, r1)} of {@code x} (from {@code xOff}) into {@code col} from 0. */
    static void im2col(double[] x, int xOff, Conv2dGeometry g, int r0, int r1, double[] col) {
        forEachRun(g, xOff, r0, r1, (in, q, len) -> {
            if (in < 0) {
                Arrays.fill(col, q, q + len, 0.0);
            } else if (len < SHORT_COPY) {
                for (int i = 0; i < len; i++) {
                    col[q + i] = x[in + i];
                }
            } else {
                System.arraycopy(x, in, col, q, len);
            }
        });
    }

    /**
     * Adds patch rows {@code [r0, r1)} held in {@code col} (from 0) onto {@code dx}, a contiguous
     * {@code [N, H, W, C]} array: the adjoint of {@link #im2col(double[], int, Conv2dGeometry, int, int, double[])}.
     * Runs of channels are added with {@code k}.
     */
    static void col2im(Kernels k, double[] col, Conv2dGeometry g, int r0, int r1, double[] dx) {
        forEachRun(g, 0, r0, r1, (in, q, len) -> {
            if (in >= 0) {
                RunAccumulate.apply(k, Primitives.SUM, dx, in, col, q, len);
            }
        });
    }
    // F64Source: F64 end

    /**
     * Walks the windows of output pixels {@code [r0, r1)} in patch-row order, handing {@code run}
     * each run of taps with its input position (from {@code inOff}; -1 for padding) and its
     * position in the patch rows (from 0).
     */
    static void forEachRun(Conv2dGeometry g, int inOff, int r0, int r1, Run run) {
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
                    run.run(-1, p, rowSpan);
                    continue;
                }
                int rowBase = inOff + n * g.imageSize() + ih * g.inW() * c;
                if (rowInside) {
                    run.run(rowBase + iw0 * c, p, rowSpan);
                    continue;
                }
                for (int kw = 0, q = p; kw < g.kernelW(); kw++, q += c) {
                    int iw = iw0 + kw * g.dilationW();
                    run.run(iw < 0 || iw >= g.inW() ? -1 : rowBase + iw * c, q, c);
                }
            }
        }
    }
}
