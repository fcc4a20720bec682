package dev.vecgrad.core.ops;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Engine;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.kernel.Backend;
import dev.vecgrad.core.kernel.Kernels;

/**
 * Neural-network composites built from primitives, so they get their gradients for free:
 * softmax, log-softmax and log-sum-exp, each stable for large inputs.
 *
 * <p>Stability comes from subtracting the maximum along the axis. That maximum is taken with
 * recording paused: the functions are invariant to the shift, so treating it as a constant
 * changes no gradient and keeps the recorded graph small.
 *
 * <p><b>Fused softmax.</b> When nothing records (no tape is active on this thread, see
 * {@link Recording#isRecording()}), the axis is the last one and the input is contiguous,
 * {@link #softmax} runs {@link Kernels#softmaxRows} instead: per row, it finds the maximum,
 * writes and sums the exponentials, and scales, with the rows split into fixed chunks over the
 * engine's threads. It computes the same function (same shift rule, so the same NaN and infinity
 * behaviour) to within a few ulps of the composite, which remains the path under a tape so that
 * gradients still come from the primitives; the vector kernel also flushes to 0 the entries whose
 * e^(x - max) is below the normal float range (results under 1.2·10⁻³⁸), see
 * {@link dev.vecgrad.core.kernel.VectorKernels}.
 */
public final class NNOps {
    private NNOps() {
    }

    /** exp(x - max) / sum(exp(x - max)) along {@code axis}; fused over rows when possible (see above). */
    public static Tensor softmax(Tensor x, int axis) {
        int[] ax = {Shape.normalizeAxis(axis, x.rank(), "softmax")};
        UnaryOps.requireFloating("softmax", x);
        if (ax[0] == x.rank() - 1 && (x.isContiguous() || x.size() == 0) && !Recording.isRecording()) {
            return fusedSoftmax(x);
        }
        Tensor e = x.sub(shift(x, ax)).exp();
        return e.div(e.sum(ax, true));
    }

    /** (x - max) - log(sum(exp(x - max))) along {@code axis}. */
    public static Tensor logSoftmax(Tensor x, int axis) {
        int[] ax = {Shape.normalizeAxis(axis, x.rank(), "logSoftmax")};
        Tensor z = x.sub(shift(x, ax));
        return z.sub(z.exp().sum(ax, true).log());
    }

    /** max + log(sum(exp(x - max))) over {@code axes} (null for all). */
    public static Tensor logSumExp(Tensor x, int[] axes, boolean keepDims) {
        int[] ax = Reductions.normalizeAxes(x.shape(), axes, "logSumExp");
        Tensor m = shift(x, ax);
        Tensor lse = x.sub(m).exp().sum(ax, true).log().add(m);
        return keepDims ? lse : lse.reshape(Primitives.SUM.inferShape(new Tensor[] {x}, new Attrs.Reduce(ax, false))
                .toArray());
    }

    /** Softmax over the last axis of a contiguous tensor, rows in fixed chunks over the engine's threads. */
    private static Tensor fusedSoftmax(Tensor x) {
        Tensor y = Tensor.zeros(x.dtype(), x.shape().toArray());
        int size = x.size();
        if (size == 0) {
            return y;
        }
        int cols = x.shape().dim(x.rank() - 1);
        int rows = size / cols;
        int rowsPerChunk = Math.max(1, StridedLoop.CHUNK / cols);
        int chunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
        Backend backend = Engine.get().backend();
        Kernels k = backend.kernels();
        boolean f32 = x.dtype() == DType.F32;
        int base = x.offset();
        Reductions.forChunks(backend.parallel(), size, chunks, c -> {
            int first = c * rowsPerChunk;
            int n = Math.min(rows, first + rowsPerChunk) - first;
            if (f32) {
                k.softmaxRows(x.f32Array(), base + first * cols, y.f32Array(), first * cols, n, cols);
            } else {
                k.softmaxRows(x.f64Array(), base + first * cols, y.f64Array(), first * cols, n, cols);
            }
        });
        return y;
    }

    /** The maximum over {@code axes} (kept as size 1), unrecorded; infinite maxima become 0 so x - m stays finite. */
    private static Tensor shift(Tensor x, int[] axes) {
        UnaryOps.requireFloating("softmax", x);
        try (Recording.Paused p = Recording.pause()) {
            Tensor m = Dispatcher.call(Primitives.MAX, new Attrs.Reduce(axes, true), x);
            Tensor finite = m.sub(m).eq(m.sub(m));
            return BinaryOps.where(finite, m, m.scalarLike(0));
        }
    }
}
