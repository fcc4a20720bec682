package dev.vecgrad.core.kernel.elementwise;

import static dev.vecgrad.core.kernel.elementwise.FloatLoops.L;
import static dev.vecgrad.core.kernel.elementwise.FloatLoops.S;

import dev.vecgrad.core.kernel.Kernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The SIMD bodies of max pooling's window kernels ({@link Kernels#windowMax},
 * {@link Kernels#windowMaxRoute}), F32. A window is {@code taps} runs of {@code c} channels; the
 * channels go across the lanes, so every window tap is one vector load per block of channels and
 * the comparisons that pick the arg-max are lane masks, not branches (a branch on which of two
 * activations is larger is a coin flip for the predictor). Channels past the last whole vector go
 * to the scalar reference.
 */
final class PoolLoops {
    private PoolLoops() {
    }

    static void windowMax(float[] x, int xOff, int[] taps, int nTaps, float[] y, int yOff, int c) {
        int i = 0;
        for (int bound = S.loopBound(c); i < bound; i += L) {
            FloatVector best = FloatVector.fromArray(S, x, xOff + taps[0] + i);
            for (int t = 1; t < nTaps; t++) {
                best = best.max(FloatVector.fromArray(S, x, xOff + taps[t] + i));
            }
            best.intoArray(y, yOff + i);
        }
        ScalarKernels.windowMax(x, xOff, taps, nTaps, y, yOff, i, c);
    }

    static void windowMaxRoute(float[] x, int xOff, int[] taps, int nTaps, float[] dy, int dyOff, float[] dx, int dxOff,
            int c, boolean disjoint) {
        int i = 0;
        for (int bound = S.loopBound(c); i < bound; i += L) {
            FloatVector best = FloatVector.fromArray(S, x, xOff + taps[0] + i);
            FloatVector bestTap = FloatVector.zero(S);
            for (int t = 1; t < nTaps; t++) {
                FloatVector v = FloatVector.fromArray(S, x, xOff + taps[t] + i);
                // The first largest wins; a NaN beats any number and the first NaN stays.
                VectorMask<Float> better = v.compare(VectorOperators.GT, best)
                        .or(v.test(VectorOperators.IS_NAN).andNot(best.test(VectorOperators.IS_NAN)));
                best = best.blend(v, better);
                bestTap = bestTap.blend(t, better);
            }
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i);
            for (int t = 0; t < nTaps; t++) {
                VectorMask<Float> here = bestTap.compare(VectorOperators.EQ, t);
                int at = dxOff + taps[t] + i;
                // Disjoint windows over a zeroed dx: +0 plus the masked g, without reading dx.
                FloatVector base = disjoint ? FloatVector.zero(S) : FloatVector.fromArray(S, dx, at);
                base.add(g, here).intoArray(dx, at);
            }
        }
        ScalarKernels.windowMaxRoute(x, xOff, taps, nTaps, dy, dyOff, dx, dxOff, i, c);
    }
}
