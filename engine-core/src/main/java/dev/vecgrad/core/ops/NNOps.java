package dev.vecgrad.core.ops;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.kernel.Backend;
import dev.vecgrad.core.kernel.Kernels;

/**
 * Softmax, a primitive with its own gradient rule, and the composites log-softmax and
 * log-sum-exp, built from primitives so they get their gradients for free; all three are stable
 * for large inputs.
 *
 * <p><b>Softmax</b> runs each row along the axis in one pass of {@link Kernels#softmaxRows}: it
 * finds the maximum, writes and sums the exponentials, and scales, with the rows split into fixed
 * chunks over the backend's threads. It gives the same bits whether or not a tape records it,
 * since it is one primitive either way; a row is shifted by its maximum, or by 0 when that
 * maximum is not finite (so a row with NaN gives NaN, an all -inf row gives NaN, and a row with
 * +inf gives NaN at the +inf entries and 0 elsewhere). The SIMD kernel also flushes to 0 the
 * entries whose e^(x - max) is below the normal float range (results under 1.2·10⁻³⁸), see
 * {@link dev.vecgrad.core.kernel.elementwise.VectorKernels}.
 *
 * <p>Log-softmax and log-sum-exp subtract the maximum along the axis, taken as helper work that
 * is not recorded: the functions are invariant to the shift, so treating it as a constant changes
 * no gradient and keeps the recorded graph small.
 */
public final class NNOps {
    private NNOps() {
    }

    /** exp(x - max) / sum(exp(x - max)) along {@code axis} (see above). */
    public static Tensor softmax(Tensor x, int axis) {
        return Dispatcher.call(Primitives.SOFTMAX, new Attrs.Axis(Shape.normalizeAxis(axis, x.rank(), "softmax")), x);
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

    /** Softmax along one axis, as rows of the backend's fused kernel. */
    static final class Softmax extends ComputePrimitive<Attrs.Axis> {
        Softmax() {
            super("softmax", true);
        }

        @Override
        public Shape inferShape(Tensor[] in, Attrs.Axis attrs) {
            UnaryOps.requireFloating("softmax", in[0]);
            Shape.normalizeAxis(attrs.axis(), in[0].rank(), "softmax");
            return in[0].shape();
        }

        @Override
        public int inPlaceInput() {
            return 0;
        }

        @Override
        public void run(Backend backend, Tensor[] in, Attrs.Axis attrs, Tensor y) {
            Tensor x = in[0];
            int axis = attrs.axis();
            int last = x.rank() - 1;
            if (axis == last && x.isContiguous()) {
                rows(backend, x, y);
                return;
            }
            // Another axis, or a strided input: the rows are laid out contiguously first, and the
            // result is moved back into place.
            int[] toLast = new int[x.rank()];
            for (int i = 0, j = 0; i < x.rank(); i++) {
                if (i != axis) {
                    toLast[j++] = i;
                }
            }
            toLast[last] = axis;
            Tensor moved = ShapeOps.copyRaw(Primitives.PERMUTE.view(x, new Attrs.Permute(toLast)));
            Tensor out = Tensor.zeros(x.dtype(), moved.shape());
            rows(backend, moved, out);
            int[] back = new int[x.rank()];
            for (int i = 0; i < x.rank(); i++) {
                back[toLast[i]] = i;
            }
            ShapeOps.copyInto(backend.parallel(), Primitives.PERMUTE.view(out, new Attrs.Permute(back)), y);
        }

        /** Softmax of each row of the contiguous {@code x} (last axis) into {@code y}, rows in fixed chunks. */
        private static void rows(Backend backend, Tensor x, Tensor y) {
            int size = x.size();
            if (size == 0) {
                return;
            }
            int cols = x.shape().dim(x.rank() - 1);
            int rows = size / cols;
            int rowsPerChunk = Math.max(1, StridedLoop.CHUNK / cols);
            int chunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
            Kernels k = backend.kernels();
            boolean f32 = x.dtype() == DType.F32;
            int base = x.offset();
            backend.parallel().forEachChunk(size, chunks, c -> {
                int first = c * rowsPerChunk;
                int n = Math.min(rows, first + rowsPerChunk) - first;
                if (f32) {
                    k.softmaxRows(x.f32Array(), base + first * cols, y.f32Array(), first * cols, n, cols);
                } else {
                    k.softmaxRows(x.f64Array(), base + first * cols, y.f64Array(), first * cols, n, cols);
                }
            });
        }
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
