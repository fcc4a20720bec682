package dev.vecgrad.core.kernel.conv;

import dev.vecgrad.core.kernel.Backend;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * F32 convolution kernels for a layer with few filters: panels of two vectors (32 filters with
 * 512-bit vectors), too narrow for {@link UnpackedSgemm}'s four-vector tile. This is the first
 * layer of an image network (one to three input channels, a 3x3 window, 32 filters): a patch
 * of 9 to 27 taps, so every multiply-add of the patch-matrix path comes with a copied patch element
 * and an output element loaded and stored again.
 *
 * <ul>
 *   <li>{@link #forward}: each {@link #MR}-pixel by two-vector register tile runs the whole patch,
 *       reading the taps from the input through a table of offsets, then the bias and relu are
 *       applied to the tile while it is in L1.</li>
 *   <li>the filter gradient: {@link Conv2dImplicit#backwardFilter} runs the same register tile
 *       ({@link #tile}) with {@link #MR} patch taps as its rows and the pixels as its depth.</li>
 * </ul>
 *
 * <p>Each output element is one FMA chain over the patch in (kh, kw, c) order from zero, then the
 * bias, then relu: the same operations in the same order as the other paths and the separate ops.
 */
final class Conv2dNarrow {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = S.length();
    /** Rows of the register tile: output pixels in the forward, patch taps in the filter gradient. */
    static final int MR = 6;
    /** Columns of the register tile: two vectors of filters. */
    static final int PANEL = 2 * LANES;

    private Conv2dNarrow() {
    }

    /**
     * Whether {@code f} filters run here: whole panels, and fewer than {@link UnpackedSgemm} takes.
     * Touching this class needs the Vector API: callers check {@link Backend#isVectorized()} first.
     */
    static boolean suits(int f) {
        return f % PANEL == 0 && !UnpackedSgemm.suits(f);
    }

    /**
     * Output rows {@code [r0, r1)} (pixels over the batch) of {@code y [M, f]}: the convolution of
     * {@code x} (from {@code xOff}) with {@code w [K, f]} (from {@code wOff}), plus
     * {@code bias[biasOff ..]} unless it is null, then relu'd if {@code relu} is set. Tiles whose
     * windows touch the padding read their patch rows from {@code patch} ({@code MR * K} elements),
     * filled by {@link Im2col}.
     */
    static void forward(Conv2dGeometry g, int f, float[] x, int xOff, float[] w, int wOff, float[] bias, int biasOff,
            boolean relu, float[] y, int r0, int r1, float[] patch) {
        int k = g.patchSize();
        int[] tapOff = Conv2dImplicit.tapOffsets(g, new int[k]);
        int[] patchOff = new int[k];
        int[] wRows = new int[k];
        for (int q = 0; q < k; q++) {
            patchOff[q] = q;
            wRows[q] = wOff + q * f;
        }
        float[] ct = UnpackedSgemm.scratch().c;
        int[] base = new int[MR];
        for (int i0 = r0; i0 < r1; i0 += MR) {
            int rows = Math.min(MR, r1 - i0);
            float[] a = x;
            int[] off = tapOff;
            if (!Conv2dImplicit.windowCorners(g, xOff, i0, rows, base)) {
                Im2col.im2col(x, xOff, g, i0, i0 + rows, patch);
                for (int i = 0; i < MR; i++) {
                    base[i] = Math.min(i, rows - 1) * k;
                }
                a = patch;
                off = patchOff;
            }
            boolean direct = rows == MR;
            for (int j0 = 0; j0 < f; j0 += PANEL) {
                float[] c = direct ? y : ct;
                int ci = direct ? i0 * f + j0 : 0;
                int ldc = direct ? f : PANEL;
                if (!direct) {
                    java.util.Arrays.fill(ct, 0, MR * PANEL, 0f);
                }
                // y is freshly zeroed, so adding the sums to it starts each chain from +0.
                tile(k, a, off, base[0], base[1], base[2], base[3], base[4], base[5], w, wRows, j0, c, ci, ldc);
                if (bias != null || relu) {
                    finish(c, ci, ldc, bias, biasOff + j0, relu);
                }
                for (int r = 0; r < rows && !direct; r++) {
                    System.arraycopy(ct, r * PANEL, y, (i0 + r) * f + j0, PANEL);
                }
            }
        }
    }

    /**
     * The epilogue of a tile just stored (and still in L1): {@code + bias[biasAt ..]} unless it is
     * null, then relu as the RELU kernel does it, on {@link #MR} rows of one panel. Kept out of
     * {@link #tile} so that C2 inlines all of that tile's vector operations.
     */
    private static void finish(float[] c, int ci, int ldc, float[] bias, int biasAt, boolean relu) {
        for (int r = 0; r < MR; r++) {
            for (int v = 0; v < PANEL; v += LANES) {
                int at = ci + r * ldc + v;
                FloatVector acc = FloatVector.fromArray(S, c, at);
                if (bias != null) {
                    acc = acc.add(FloatVector.fromArray(S, bias, biasAt + v));
                }
                if (relu) {
                    acc = acc.blend(0f, acc.compare(VectorOperators.LE, 0f));
                }
                acc.intoArray(c, at);
            }
        }
    }

    /**
     * The register tile, {@link UnpackedSgemm#gatherTile} two vectors wide: C rows at
     * {@code ci + r * ldc} += sum over p < {@code count} of {@code a[aAt[p] + r_r]} times the B row at
     * {@code bAt[p] + bCol}. The forward walks the patch taps (A: the input, {@code aAt} the taps'
     * offsets, {@code r0 .. r5} six windows' corners; B: the filter's rows); the filter gradient walks
     * pixels (A: the input, {@code aAt} the pixels' window corners, {@code r0 .. r5} six tap offsets;
     * B: the output gradient's rows).
     */
    static void tile(int count, float[] a, int[] aAt, int r0, int r1, int r2, int r3, int r4, int r5, float[] b,
            int[] bAt, int bCol, float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.fromArray(S, c, ci);
        FloatVector c01 = FloatVector.fromArray(S, c, ci + LANES);
        FloatVector c10 = FloatVector.fromArray(S, c, ci + ldc);
        FloatVector c11 = FloatVector.fromArray(S, c, ci + ldc + LANES);
        FloatVector c20 = FloatVector.fromArray(S, c, ci + 2 * ldc);
        FloatVector c21 = FloatVector.fromArray(S, c, ci + 2 * ldc + LANES);
        FloatVector c30 = FloatVector.fromArray(S, c, ci + 3 * ldc);
        FloatVector c31 = FloatVector.fromArray(S, c, ci + 3 * ldc + LANES);
        FloatVector c40 = FloatVector.fromArray(S, c, ci + 4 * ldc);
        FloatVector c41 = FloatVector.fromArray(S, c, ci + 4 * ldc + LANES);
        FloatVector c50 = FloatVector.fromArray(S, c, ci + 5 * ldc);
        FloatVector c51 = FloatVector.fromArray(S, c, ci + 5 * ldc + LANES);
        for (int p = 0; p < count; p++) {
            int ad = aAt[p];
            int bi = bAt[p] + bCol;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + LANES);
            FloatVector a0 = FloatVector.broadcast(S, a[ad + r0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ad + r1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ad + r2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ad + r3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[ad + r4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[ad + r5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + LANES);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + LANES);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + LANES);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + LANES);
        c40.intoArray(c, ci + 4 * ldc);
        c41.intoArray(c, ci + 4 * ldc + LANES);
        c50.intoArray(c, ci + 5 * ldc);
        c51.intoArray(c, ci + 5 * ldc + LANES);
    }
}
