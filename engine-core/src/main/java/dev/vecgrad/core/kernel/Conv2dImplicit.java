package dev.vecgrad.core.kernel;

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
        int ohw = g.outputPixelsPerImage();
        for (int i0 = r0; i0 < r1; i0 += mr) {
            int rows = Math.min(mr, r1 - i0);
            boolean inside = true;
            for (int i = 0; i < mr; i++) {
                // Rows past r1 repeat the last row: they read valid memory, and their results are dropped.
                int r = i0 + Math.min(i, rows - 1);
                int n = r / ohw;
                int oh = (r - n * ohw) / g.outW();
                int ow = r - n * ohw - oh * g.outW();
                int ih0 = oh * g.strideH() - g.padTop();
                int iw0 = ow * g.strideW() - g.padLeft();
                inside &= ih0 >= 0 && ih0 + (g.kernelH() - 1) * g.dilationH() < g.inH()
                        && iw0 >= 0 && iw0 + (g.kernelW() - 1) * g.dilationW() < g.inW();
                base[i] = xOff + n * g.imageSize() + (ih0 * g.inW() + iw0) * c;
            }
            float[] a = x;
            int[] off = runOff;
            int len = runLen;
            if (!inside) {
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
                    UnpackedSgemm.tile(len, a, base[0] + o, base[1] + o, base[2] + o, base[3] + o, base[4] + o,
                            base[5] + o, 1, bArr, bi, fullCols ? f : nr, cArr, ci, ldc, s > 0);
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
}
