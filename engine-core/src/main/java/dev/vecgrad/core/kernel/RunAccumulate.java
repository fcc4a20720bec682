package dev.vecgrad.core.kernel;

import dev.vecgrad.core.ops.Primitives;
import dev.vecgrad.core.ops.Reduce;

/**
 * {@code acc[i] = op(acc[i], x[i])} over one run, for the window loops of convolution and pooling,
 * whose runs are a pixel's channels. Long runs go to {@link Kernels#accumulate} (SIMD when the
 * engine has it; C2 does not vectorise the plain loop, since the two arrays might alias); short
 * runs, such as a single channel, stay in a plain loop that costs no call. Both give the same
 * result: an add or a max of two elements is exact and order-free.
 */
public final class RunAccumulate {
    /** Runs shorter than this take the plain loop. */
    static final int SHORT_RUN = 16;

    private RunAccumulate() {
    }

    // F64Source: F32 begin
    /** SUM or MAX of {@code x[xo .. xo + n)} into {@code acc[ao .. ao + n)}. */
    public static void apply(Kernels k, Reduce op, float[] acc, int ao, float[] x, int xo, int n) {
        if (n >= SHORT_RUN) {
            k.accumulate(op, acc, ao, x, xo, n);
        } else if (op == Primitives.SUM) {
            for (int i = 0; i < n; i++) {
                acc[ao + i] += x[xo + i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                acc[ao + i] = Math.max(acc[ao + i], x[xo + i]);
            }
        }
    }
    // F64Source: F32 end
    // F64Source: F64 begin (generated from the F32 section above: edit that one, then run F64Source)
    /** SUM or MAX of {@code x[xo .. xo + n)} into {@code acc[ao .. ao + n)}. */
    public static void apply(Kernels k, Reduce op, double[] acc, int ao, double[] x, int xo, int n) {
        if (n >= SHORT_RUN) {
            k.accumulate(op, acc, ao, x, xo, n);
        } else if (op == Primitives.SUM) {
            for (int i = 0; i < n; i++) {
                acc[ao + i] += x[xo + i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                acc[ao + i] = Math.max(acc[ao + i], x[xo + i]);
            }
        }
    }
    // F64Source: F64 end
}
