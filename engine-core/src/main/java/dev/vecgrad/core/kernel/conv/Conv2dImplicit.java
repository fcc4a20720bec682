package dev.vecgrad.core.kernel.conv;

import dev.vecgrad.core.kernel.Scratch;

/**
 * The f32 convolution forward as an implicit GEMM: {@code y = im2col(x) · w} without writing the
 * patch matrix. A patch row is a few runs of contiguous input (one per kernel row when there is
 * no horizontal dilation, else one per tap), at the same offsets from each output pixel's window
 * corner; {@link UnpackedSgemm}'s register tile takes each of its six rows from its own address, so
 * it reads those runs straight from the input. Tiles with a window that touches the padding copy
 * their six patch rows into a small buffer first ({@link Im2col}) and run the same tile on it.
 *
 * <p>Each output element is one FMA chain over the patch in (kh, kw, c) order, the same order the
 * patch-matrix path uses.
 */
final class Conv2dImplicit {
    private Conv2dImplicit() {
    }

    /**
     * Output rows {@code [r0, r1)} (pixels over the batch) of {@code y [M, f]}, from {@code x}
     * (contiguous from {@code xOff}) and the filter {@code w [K, f]} (from {@code wOff});
     * {@code patch} holds at least {@code MR * K} elements.
     */
    static void forward(Conv2dGeometry g, int f, float[] x, int xOff, float[] w, int wOff, float[] y, int r0, int r1,
            float[] patch) {
        int mr = UnpackedSgemm.MR;
        int nr = UnpackedSgemm.NR;
        int k = g.patchSize();
        int c = g.channels();
        boolean rowRuns = g.dilationW() == 1;
        int runLen = rowRuns ? g.kernelW() * c : c;
        int runs = rowRuns ? g.kernelH() : g.kernelH() * g.kernelW();
        int[] runOff = new int[runs];
        for (int s = 0; s < runs; s++) {
            int kh = rowRuns ? s : s / g.kernelW();
            int kw = rowRuns ? 0 : s % g.kernelW();
            runOff[s] = (kh * g.dilationH() * g.inW() + kw * g.dilationW()) * c;
        }
        int[] patchOff = {0};
        UnpackedSgemm.Scratch scratch = UnpackedSgemm.scratch();
        int fullN = f - f % nr;
        float[] tailB = fullN < f ? scratch.tailPanel(w, wOff, f, k, fullN, f) : null;
        float[] ct = scratch.c;
        int[] base = new int[mr];
        for (int i0 = r0; i0 < r1; i0 += mr) {
            int rows = Math.min(mr, r1 - i0);
            float[] a = x;
            int[] off = runOff;
            int len = runLen;
            if (!windowCorners(g, xOff, i0, rows, base)) {
                Im2col.im2col(x, xOff, g, i0, i0 + rows, patch);
                for (int i = 0; i < mr; i++) {
                    base[i] = Math.min(i, rows - 1) * k;
                }
                a = patch;
                off = patchOff;
                len = k;
            }
            for (int j0 = 0; j0 < f; j0 += nr) {
                boolean fullCols = j0 < fullN;
                boolean direct = rows == mr && fullCols;
                float[] cArr = direct ? y : ct;
                int ci = direct ? i0 * f + j0 : 0;
                int ldc = direct ? f : nr;
                for (int s = 0; s < off.length; s++) {
                    int o = off[s];
                    float[] bArr = fullCols ? w : tailB;
                    int bi = fullCols ? wOff + s * len * f + j0 : s * len * nr;
                    UnpackedSgemm.tileUnit(len, a, base[0] + o, base[1] + o, base[2] + o, base[3] + o, base[4] + o,
                            base[5] + o, bArr, bi, fullCols ? f : nr, cArr, ci, ldc, s > 0);
                }
                if (!direct) {
                    int cols = Math.min(nr, f - j0);
                    for (int r = 0; r < rows; r++) {
                        System.arraycopy(ct, r * nr, y, (i0 + r) * f + j0, cols);
                    }
                }
            }
        }
    }

    /**
     * Sets {@code base[i]} to where the window of output row {@code i0 + i} starts in {@code x}, for
     * the {@code base.length} rows of a register tile; rows past {@code rows} repeat the last row
     * (they read valid memory, and their results are dropped). Returns whether every window lies
     * inside the input, so that its taps can be read in place.
     */
    static boolean windowCorners(Conv2dGeometry g, int xOff, int i0, int rows, int[] base) {
        int ohw = g.outputPixelsPerImage();
        boolean inside = true;
        for (int i = 0; i < base.length; i++) {
            int r = i0 + Math.min(i, rows - 1);
            int n = r / ohw;
            int oh = (r - n * ohw) / g.outW();
            int ow = r - n * ohw - oh * g.outW();
            int ih0 = oh * g.strideH() - g.padTop();
            int iw0 = ow * g.strideW() - g.padLeft();
            inside &= ih0 >= 0 && ih0 + (g.kernelH() - 1) * g.dilationH() < g.inH()
                    && iw0 >= 0 && iw0 + (g.kernelW() - 1) * g.dilationW() < g.inW();
            base[i] = xOff + n * g.imageSize() + (ih0 * g.inW() + iw0) * g.channels();
        }
        return inside;
    }

    /**
     * The offset of every patch tap, in (kh, kw, c) order, from its window's corner in the input,
     * written to {@code off[0 .. K)} (which is returned).
     */
    static int[] tapOffsets(Conv2dGeometry g, int[] off) {
        int c = g.channels();
        for (int kh = 0, q = 0; kh < g.kernelH(); kh++) {
            for (int kw = 0; kw < g.kernelW(); kw++) {
                for (int ch = 0; ch < c; ch++, q++) {
                    off[q] = (kh * g.dilationH() * g.inW() + kw * g.dilationW()) * c + ch;
                }
            }
        }
        return off;
    }

    /**
     * Adds the filter gradient of output rows {@code [r0, r1)} to {@code dw [K, f]}:
     * {@code dw += im2col(x)[r0..r1]ᵀ · dy[r0..r1]}, with {@code f} a multiple of
     * {@link UnpackedSgemm#NR} or of {@link Conv2dNarrow#PANEL}. Pixels whose window lies inside the
     * input are gathered into a table (their window corner in {@code x}, their row of {@code dy}),
     * across output rows; the register tile takes six patch columns (six tap offsets) as its rows
     * and walks the table as its depth, reading the input and {@code dy} in place. Pixels whose
     * window touches the padding are copied into {@code patch} ({@code patchRows} rows of K) and
     * multiplied from there, after the table so far. Each element of {@code dw} takes the rows in
     * order, as the patch-matrix path does. {@code dw} starts at {@code dwOff}; the tables live in
     * the calling thread's {@link Scratch} arrays.
     */
    static void backwardFilter(Conv2dGeometry g, int f, float[] x, int xOff, float[] dy, int dyOff, float[] dw,
            int dwOff, int r0, int r1, float[] patch, int patchRows) {
        int c = g.channels();
        int k = g.patchSize();
        int[] off = tapOffsets(g, Scratch.i32(Scratch.Slot.CONV_TAPS, k));
        int[] xAt = Scratch.i32(Scratch.Slot.CONV_PIXEL_CORNERS, r1 - r0);
        int[] dyAt = Scratch.i32(Scratch.Slot.CONV_PIXEL_ROWS, r1 - r0);
        int count = 0;
        // Output columns [owLo, owHi) have windows inside the input horizontally.
        int owLo = Math.min(g.outW(), (g.padLeft() + g.strideW() - 1) / g.strideW());
        int lastStart = g.inW() - 1 - (g.kernelW() - 1) * g.dilationW() + g.padLeft();
        int owHi = lastStart < 0 ? owLo : Math.max(owLo, Math.min(g.outW(), lastStart / g.strideW() + 1));
        int ohw = g.outputPixelsPerImage();
        int r = r0;
        while (r < r1) {
            int n = r / ohw;
            int oh = (r - n * ohw) / g.outW();
            int ow = r - n * ohw - oh * g.outW();
            int end = Math.min(r1, r - ow + g.outW());
            int owEnd = ow + end - r;
            int ih0 = oh * g.strideH() - g.padTop();
            boolean rowInside = ih0 >= 0 && ih0 + (g.kernelH() - 1) * g.dilationH() < g.inH();
            int lo = rowInside ? Math.max(ow, Math.min(owLo, owEnd)) : owEnd;
            int hi = rowInside ? Math.max(lo, Math.min(owHi, owEnd)) : owEnd;
            if (lo > ow) {
                count = addGathered(k, f, x, off, xAt, dyAt, count, dy, dw, dwOff);
                viaPatch(g, f, x, xOff, dy, dyOff, dw, dwOff, r, r + lo - ow, patch, patchRows);
            }
            int corner = xOff + n * g.imageSize() + (ih0 * g.inW() - g.padLeft()) * c;
            for (int o = lo; o < hi; o++, count++) {
                xAt[count] = corner + o * g.strideW() * c;
                dyAt[count] = dyOff + (r + o - ow) * f;
            }
            if (hi < owEnd) {
                count = addGathered(k, f, x, off, xAt, dyAt, count, dy, dw, dwOff);
                viaPatch(g, f, x, xOff, dy, dyOff, dw, dwOff, r + hi - ow, end, patch, patchRows);
            }
            r = end;
        }
        addGathered(k, f, x, off, xAt, dyAt, count, dy, dw, dwOff);
    }

    /**
     * {@code dw += patchesᵀ · dy} over the {@code count} gathered pixels (patches of {@code k} taps),
     * read in place, in panels of {@link UnpackedSgemm}'s four vectors of filters, or of
     * {@link Conv2dNarrow}'s two; returns 0, the table's new length.
     */
    private static int addGathered(int k, int f, float[] x, int[] off, int[] xAt, int[] dyAt, int count, float[] dy,
            float[] dw, int dwOff) {
        if (count == 0) {
            return 0;
        }
        int mr = UnpackedSgemm.MR;
        boolean wide = f % UnpackedSgemm.NR == 0;
        int nr = wide ? UnpackedSgemm.NR : Conv2dNarrow.PANEL;
        float[] ct = UnpackedSgemm.scratch().c;
        for (int k0 = 0; k0 < k; k0 += mr) {
            int rows = Math.min(mr, k - k0);
            int last = k0 + rows - 1;
            int a0 = off[k0];
            int a1 = off[Math.min(k0 + 1, last)];
            int a2 = off[Math.min(k0 + 2, last)];
            int a3 = off[Math.min(k0 + 3, last)];
            int a4 = off[Math.min(k0 + 4, last)];
            int a5 = off[Math.min(k0 + 5, last)];
            for (int j0 = 0; j0 < f; j0 += nr) {
                if (rows == mr) {
                    tile(wide, count, x, xAt, a0, a1, a2, a3, a4, a5, dy, dyAt, j0, dw, dwOff + k0 * f + j0, f);
                } else {
                    for (int i = 0; i < rows; i++) {
                        System.arraycopy(dw, dwOff + (k0 + i) * f + j0, ct, i * nr, nr);
                    }
                    tile(wide, count, x, xAt, a0, a1, a2, a3, a4, a5, dy, dyAt, j0, ct, 0, nr);
                    for (int i = 0; i < rows; i++) {
                        System.arraycopy(ct, i * nr, dw, dwOff + (k0 + i) * f + j0, nr);
                    }
                }
            }
        }
        return 0;
    }

    /** One accumulating register tile of {@link #addGathered}: four vectors of filters wide, or two. */
    private static void tile(boolean wide, int count, float[] x, int[] xAt, int a0, int a1, int a2, int a3, int a4,
            int a5, float[] dy, int[] dyAt, int dyCol, float[] dw, int ci, int ldc) {
        if (wide) {
            UnpackedSgemm.gatherTile(count, x, xAt, a0, a1, a2, a3, a4, a5, dy, dyAt, dyCol, dw, ci, ldc, true);
        } else {
            Conv2dNarrow.tile(count, x, xAt, a0, a1, a2, a3, a4, a5, dy, dyAt, dyCol, dw, ci, ldc);
        }
    }

    /** {@code dw += im2col(x)[ra..rb]ᵀ · dy[ra..rb]} through the patch buffer, {@code patchRows} rows at a time. */
    private static void viaPatch(Conv2dGeometry g, int f, float[] x, int xOff, float[] dy, int dyOff, float[] dw,
            int dwOff, int ra, int rb, float[] patch, int patchRows) {
        int k = g.patchSize();
        for (int s = ra; s < rb; s += patchRows) {
            int e = Math.min(rb, s + patchRows);
            Im2col.im2col(x, xOff, g, s, e, patch);
            UnpackedSgemm.gemm(true, k, f, e - s, patch, 0, k, dy, dyOff + s * f, f, dw, dwOff, f, true);
        }
    }
}
