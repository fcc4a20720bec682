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
 * <p><b>Masked softmax</b> is attention's scale·mask·softmax as one primitive: the softmax over
 * the last axis of {@code scale·x} taken over the positions a mask allows, 0 at the others, and 0
 * everywhere in a row that allows none. Each row is written as {@code scale·x} or -∞ and then
 * runs through the same row kernel as softmax, so a chunk of rows is read once from memory. Its
 * gradient is {@link #softmaxBackward}, itself a primitive: {@code scale·y·(g - Σ g·y)} in one
 * pass per row (with y 0 at masked positions, they get no gradient), where the composite takes
 * four ops and as many outputs.
 *
 * <p><b>Layer normalisation</b> ({@link #normalize}) is {@code (x - mean) / sqrt(var + ε)} over the
 * last axis, with the population variance, as one primitive: each row is read three times while
 * it sits in cache (mean, variance, output) where the composite takes eight ops over the whole
 * tensor. Its gradient {@link #normalizeBackward} recomputes the row's mean and variance and
 * writes {@code r·(g - mean(g) - x̂·mean(g·x̂))} (r = 1/sqrt(var + ε), x̂ the output) in one op.
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

    /**
     * Softmax over the last axis of {@code scale·x} at the positions where {@code mask} (broadcast
     * to x's shape, x's dtype) is non-zero, 0 elsewhere; a row the mask disallows entirely is all
     * zeros. A null mask allows every position.
     *
     * <pre>{@code
     * // attention weights: causal (1, 1, T, T) mask, scores (batch, heads, T, T)
     * Tensor probs = NNOps.maskedSoftmax(q.matmul(k, false, true), causal, 1 / Math.sqrt(keyDim));
     * }</pre>
     */
    public static Tensor maskedSoftmax(Tensor x, Tensor mask, double scale) {
        Attrs.Scaled attrs = new Attrs.Scaled(scale);
        return mask == null ? Dispatcher.call(Primitives.MASKED_SOFTMAX, attrs, x)
                : Dispatcher.call(Primitives.MASKED_SOFTMAX, attrs, x, mask);
    }

    /**
     * {@code scale·y·(g - Σ g·y)} with the sum over the last axis: the gradient of
     * {@link #maskedSoftmax} (and of softmax over the last axis, with scale 1) given its output
     * {@code y} and the output's gradient {@code g}.
     */
    public static Tensor softmaxBackward(Tensor y, Tensor g, double scale) {
        return Dispatcher.call(Primitives.SOFTMAX_BACKWARD, new Attrs.Scaled(scale), y, g);
    }

    /**
     * {@code (x - mean) / sqrt(var + epsilon)} over the last axis, the mean and population variance
     * taken per row: layer normalisation before its scale and offset.
     *
     * <pre>{@code
     * Tensor y = NNOps.normalize(x, 1e-5).mul(gamma).add(beta);   // LayerNormalization over the last axis
     * }</pre>
     */
    public static Tensor normalize(Tensor x, double epsilon) {
        return Dispatcher.call(Primitives.NORMALIZE, new Attrs.Epsilon(epsilon), x);
    }

    /**
     * The gradient of {@link #normalize} at {@code x} given the output's gradient {@code g}:
     * {@code r·(g - mean(g) - x̂·mean(g·x̂))} over the last axis, with r = 1/sqrt(var + epsilon)
     * and x̂ = normalize(x, epsilon).
     */
    public static Tensor normalizeBackward(Tensor x, Tensor g, double epsilon) {
        return Dispatcher.call(Primitives.NORMALIZE_BACKWARD, new Attrs.Epsilon(epsilon), x, g);
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

    /** Softmax over the last axis of scale·x where a broadcast mask allows; see {@link #maskedSoftmax}. */
    static final class MaskedSoftmax extends ComputePrimitive<Attrs.Scaled> {
        MaskedSoftmax() {
            super("masked_softmax", true);
        }

        @Override
        public Shape inferShape(Tensor[] in, Attrs.Scaled attrs) {
            if (in.length != 1 && in.length != 2) {
                throw new IllegalArgumentException("masked_softmax: needs x and an optional mask, got " + in.length
                        + " inputs");
            }
            Tensor x = in[0];
            UnaryOps.requireFloating("masked_softmax", x);
            if (x.rank() == 0) {
                throw new IllegalArgumentException("masked_softmax: needs rank 1 or more, got a scalar");
            }
            if (!Double.isFinite(attrs.scale())) {
                throw new IllegalArgumentException("masked_softmax: the scale must be finite, got " + attrs.scale());
            }
            if (in.length == 2) {
                BinaryOps.checkSameDType("masked_softmax", x, in[1]);
                if (!in[1].shape().broadcastableTo(x.shape())) {
                    throw new IllegalArgumentException("masked_softmax: the mask " + in[1].shape()
                            + " does not broadcast to the input " + x.shape());
                }
            }
            return x.shape();
        }

        @Override
        public int inPlaceInput() {
            return 0;
        }

        @Override
        public void run(Backend backend, Tensor[] in, Attrs.Scaled attrs, Tensor y) {
            int size = y.size();
            if (size == 0) {
                return;
            }
            Tensor x = in[0].isContiguous() ? in[0] : ShapeOps.copyRaw(in[0]);
            Tensor mask = in.length == 2 ? ShapeOps.broadcastView(in[1], x.shape()) : null;
            int cols = x.shape().dim(x.rank() - 1);
            int rows = size / cols;
            int rowsPerChunk = Math.max(1, StridedLoop.CHUNK / cols);
            int chunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
            Kernels k = backend.kernels();
            boolean f32 = x.dtype() == DType.F32;
            float scale32 = (float) attrs.scale();
            backend.parallel().forEachChunk(size, chunks, c -> {
                int first = c * rowsPerChunk;
                int n = Math.min(rows, first + rowsPerChunk) - first;
                boolean[] empty = new boolean[n];
                for (int r = 0; r < n; r++) {
                    int xo = x.offset() + (first + r) * cols;
                    int yo = (first + r) * cols;
                    int mo = mask == null ? 0 : rowOffset(mask, first + r);
                    int ms = mask == null ? 0 : mask.stride(mask.rank() - 1);
                    empty[r] = f32 ? fill(x.f32Array(), xo, mask == null ? null : mask.f32Array(), mo, ms, scale32,
                            y.f32Array(), yo, cols)
                            : fill(x.f64Array(), xo, mask == null ? null : mask.f64Array(), mo, ms, attrs.scale(),
                                    y.f64Array(), yo, cols);
                }
                if (f32) {
                    k.softmaxRows(y.f32Array(), first * cols, y.f32Array(), first * cols, n, cols);
                } else {
                    k.softmaxRows(y.f64Array(), first * cols, y.f64Array(), first * cols, n, cols);
                }
                for (int r = 0; r < n; r++) {
                    if (empty[r]) {
                        int yo = (first + r) * cols;
                        if (f32) {
                            java.util.Arrays.fill(y.f32Array(), yo, yo + cols, 0f);
                        } else {
                            java.util.Arrays.fill(y.f64Array(), yo, yo + cols, 0d);
                        }
                    }
                }
            });
        }

        /** Where row {@code row} of the (broadcast, strided) mask starts. */
        private static int rowOffset(Tensor mask, int row) {
            int o = mask.offset();
            for (int d = mask.rank() - 2; d >= 0 && row > 0; d--) {
                int dim = mask.shape().dim(d);
                o += (row % dim) * mask.stride(d);
                row /= dim;
            }
            return o;
        }

        // F64Source: F32 begin
        /** y = scale·x where the mask allows, -∞ elsewhere; whether the row allows no position. */
        private static boolean fill(float[] x, int xo, float[] m, int mo, int ms, float scale, float[] y, int yo,
                int cols) {
            if (m == null) {
                for (int j = 0; j < cols; j++) {
                    y[yo + j] = scale * x[xo + j];
                }
                return false;
            }
            boolean none = true;
            for (int j = 0; j < cols; j++) {
                boolean on = m[mo + j * ms] != 0;
                none &= !on;
                y[yo + j] = on ? scale * x[xo + j] : Float.NEGATIVE_INFINITY;
            }
            return none;
        }
        // F64Source: F32 end
        // F64Source: F64 begin (generated from the F32 section above: edit that one, then run F64Source)
        /** y = scale·x where the mask allows, -∞ elsewhere; whether the row allows no position. */
        private static boolean fill(double[] x, int xo, double[] m, int mo, int ms, double scale, double[] y, int yo,
                int cols) {
            if (m == null) {
                for (int j = 0; j < cols; j++) {
                    y[yo + j] = scale * x[xo + j];
                }
                return false;
            }
            boolean none = true;
            for (int j = 0; j < cols; j++) {
                boolean on = m[mo + j * ms] != 0;
                none &= !on;
                y[yo + j] = on ? scale * x[xo + j] : Double.NEGATIVE_INFINITY;
            }
            return none;
        }
        // F64Source: F64 end
    }

    /** scale·y·(g - Σ g·y) over the last axis, one pass per row; see {@link #softmaxBackward}. */
    static final class SoftmaxBackward extends ComputePrimitive<Attrs.Scaled> {
        SoftmaxBackward() {
            super("softmax_backward", true);
        }

        @Override
        public Shape inferShape(Tensor[] in, Attrs.Scaled attrs) {
            Tensor y = in[0];
            Tensor g = in[1];
            UnaryOps.requireFloating("softmax_backward", y);
            BinaryOps.checkSameDType("softmax_backward", y, g);
            if (!y.shape().equals(g.shape()) || y.rank() == 0) {
                throw new IllegalArgumentException("softmax_backward: y and g need one shape of rank 1 or more, got "
                        + y.shape() + " and " + g.shape());
            }
            return y.shape();
        }

        @Override
        public int inPlaceInput() {
            return 1;
        }

        @Override
        public void run(Backend backend, Tensor[] in, Attrs.Scaled attrs, Tensor z) {
            int size = z.size();
            if (size == 0) {
                return;
            }
            Tensor y = in[0].isContiguous() ? in[0] : ShapeOps.copyRaw(in[0]);
            Tensor g = in[1].isContiguous() ? in[1] : ShapeOps.copyRaw(in[1]);
            int cols = z.shape().dim(z.rank() - 1);
            int rows = size / cols;
            int rowsPerChunk = Math.max(1, StridedLoop.CHUNK / cols);
            int chunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
            double scale = attrs.scale();
            backend.parallel().forEachChunk(size, chunks, c -> {
                int first = c * rowsPerChunk;
                int last = Math.min(rows, first + rowsPerChunk);
                for (int r = first; r < last; r++) {
                    if (z.dtype() == DType.F32) {
                        row(y.f32Array(), y.offset() + r * cols, g.f32Array(), g.offset() + r * cols, (float) scale,
                                z.f32Array(), r * cols, cols);
                    } else {
                        row(y.f64Array(), y.offset() + r * cols, g.f64Array(), g.offset() + r * cols, scale,
                                z.f64Array(), r * cols, cols);
                    }
                }
            });
        }

        // F64Source: F32 begin
        /**
         * One row; Σ g·y in four interleaved partial sums (fixed order, so the same bits every run).
         * z may be g's own row: each element of g is read before that element of z is written.
         */
        private static void row(float[] y, int yo, float[] g, int go, float scale, float[] z, int zo, int n) {
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                s0 += g[go + j] * y[yo + j];
                s1 += g[go + j + 1] * y[yo + j + 1];
                s2 += g[go + j + 2] * y[yo + j + 2];
                s3 += g[go + j + 3] * y[yo + j + 3];
            }
            for (; j < n; j++) {
                s0 += g[go + j] * y[yo + j];
            }
            float dot = (s0 + s1) + (s2 + s3);
            for (j = 0; j < n; j++) {
                z[zo + j] = scale * y[yo + j] * (g[go + j] - dot);
            }
        }
        // F64Source: F32 end
        // F64Source: F64 begin (generated from the F32 section above: edit that one, then run F64Source)
        /**
         * One row; Σ g·y in four interleaved partial sums (fixed order, so the same bits every run).
         * z may be g's own row: each element of g is read before that element of z is written.
         */
        private static void row(double[] y, int yo, double[] g, int go, double scale, double[] z, int zo, int n) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                s0 += g[go + j] * y[yo + j];
                s1 += g[go + j + 1] * y[yo + j + 1];
                s2 += g[go + j + 2] * y[yo + j + 2];
                s3 += g[go + j + 3] * y[yo + j + 3];
            }
            for (; j < n; j++) {
                s0 += g[go + j] * y[yo + j];
            }
            double dot = (s0 + s1) + (s2 + s3);
            for (j = 0; j < n; j++) {
                z[zo + j] = scale * y[yo + j] * (g[go + j] - dot);
            }
        }
        // F64Source: F64 end
    }

    /** Checks a normalisation's epsilon and input; the input's shape. */
    private static Shape normalizeShape(String op, Tensor x, Attrs.Epsilon attrs) {
        UnaryOps.requireFloating(op, x);
        if (x.rank() == 0) {
            throw new IllegalArgumentException(op + ": needs rank 1 or more, got a scalar");
        }
        if (!(attrs.epsilon() >= 0) || Double.isInfinite(attrs.epsilon())) {
            throw new IllegalArgumentException(op + ": epsilon must be finite and non-negative, got " + attrs.epsilon());
        }
        return x.shape();
    }

    /** Runs {@code row} for each row of the last axis, rows in fixed chunks over the backend's threads. */
    private static void forEachRow(Backend backend, Tensor y, java.util.function.IntConsumer row) {
        int size = y.size();
        if (size == 0) {
            return;
        }
        int cols = y.shape().dim(y.rank() - 1);
        int rows = size / cols;
        int rowsPerChunk = Math.max(1, StridedLoop.CHUNK / cols);
        int chunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
        backend.parallel().forEachChunk(size, chunks, c -> {
            int last = Math.min(rows, (c + 1) * rowsPerChunk);
            for (int r = c * rowsPerChunk; r < last; r++) {
                row.accept(r);
            }
        });
    }

    /** (x - mean) / sqrt(var + ε) over the last axis; see {@link #normalize}. */
    static final class Normalize extends ComputePrimitive<Attrs.Epsilon> {
        Normalize() {
            super("normalize", true);
        }

        @Override
        public Shape inferShape(Tensor[] in, Attrs.Epsilon attrs) {
            return normalizeShape("normalize", in[0], attrs);
        }

        @Override
        public int inPlaceInput() {
            return 0;
        }

        @Override
        public void run(Backend backend, Tensor[] in, Attrs.Epsilon attrs, Tensor y) {
            Tensor x = in[0].isContiguous() ? in[0] : ShapeOps.copyRaw(in[0]);
            int n = y.shape().dim(y.rank() - 1);
            double eps = attrs.epsilon();
            boolean f32 = y.dtype() == DType.F32;
            forEachRow(backend, y, r -> {
                if (f32) {
                    NormRows.forward(x.f32Array(), x.offset() + r * n, y.f32Array(), r * n, n, eps);
                } else {
                    NormRows.forward(x.f64Array(), x.offset() + r * n, y.f64Array(), r * n, n, eps);
                }
            });
        }
    }

    /** r·(g - mean(g) - x̂·mean(g·x̂)) over the last axis; see {@link #normalizeBackward}. */
    static final class NormalizeBackward extends ComputePrimitive<Attrs.Epsilon> {
        NormalizeBackward() {
            super("normalize_backward", true);
        }

        @Override
        public Shape inferShape(Tensor[] in, Attrs.Epsilon attrs) {
            BinaryOps.checkSameDType("normalize_backward", in[0], in[1]);
            if (!in[0].shape().equals(in[1].shape())) {
                throw new IllegalArgumentException("normalize_backward: x and g need one shape, got " + in[0].shape()
                        + " and " + in[1].shape());
            }
            return normalizeShape("normalize_backward", in[0], attrs);
        }

        @Override
        public int inPlaceInput() {
            return 1;
        }

        @Override
        public void run(Backend backend, Tensor[] in, Attrs.Epsilon attrs, Tensor z) {
            Tensor x = in[0].isContiguous() ? in[0] : ShapeOps.copyRaw(in[0]);
            Tensor g = in[1].isContiguous() ? in[1] : ShapeOps.copyRaw(in[1]);
            int n = z.shape().dim(z.rank() - 1);
            double eps = attrs.epsilon();
            boolean f32 = z.dtype() == DType.F32;
            forEachRow(backend, z, r -> {
                if (f32) {
                    NormRows.backward(x.f32Array(), x.offset() + r * n, g.f32Array(), g.offset() + r * n,
                            z.f32Array(), r * n, n, eps);
                } else {
                    NormRows.backward(x.f64Array(), x.offset() + r * n, g.f64Array(), g.offset() + r * n,
                            z.f64Array(), r * n, n, eps);
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
