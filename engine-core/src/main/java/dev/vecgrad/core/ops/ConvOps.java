package dev.vecgrad.core.ops;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.kernel.Backend;
import dev.vecgrad.core.kernel.Epilogue;
import dev.vecgrad.core.kernel.conv.Conv2dGeometry;
import dev.vecgrad.core.kernel.conv.Conv2dKernels;
import dev.vecgrad.core.kernel.pool.Pool2dKernels;
import java.util.Arrays;
import java.util.Objects;

/**
 * 2-D convolution and pooling over channels-last batches {@code [N, H, W, C]}, as Keras lays them
 * out, with Keras's {@link Padding} rules. Convolution filters are {@code [KH, KW, C, F]} (the
 * Keras kernel layout). The backward computations are ops of their own, so a gradient rule can
 * call them and a second derivative can go through them; the kernels are in
 * {@link Conv2dKernels} (lowered to GEMM) and {@link Pool2dKernels}. F32 and F64 are supported;
 * every operand must have the same dtype.
 *
 * <pre>{@code
 * Tensor x = Tensor.randomNormal(rng, 0, 1, 64, 28, 28, 1);
 * Tensor w = Tensor.randomNormal(rng, 0, 0.1f, 3, 3, 1, 32);
 * Tensor y = ConvOps.conv2d(x, w, new int[] {1, 1}, Padding.VALID, null);      // (64, 26, 26, 32)
 * Tensor p = ConvOps.maxPool2d(y, new int[] {2, 2}, null, Padding.VALID);     // (64, 13, 13, 32)
 * }</pre>
 */
public final class ConvOps {
    private ConvOps() {
    }

    // ---- convolution ----------------------------------------------------------------------

    /**
     * Cross-correlation of {@code x [N, H, W, C]} with {@code filter [KH, KW, C, F]} (no flip, as in
     * every deep-learning library), giving {@code [N, OH, OW, F]}:
     * {@code y[n, oh, ow, f] = sum over kh, kw, c of x[n, oh*sh + kh*dh - padTop, ow*sw + kw*dw - padLeft, c] * filter[kh, kw, c, f]},
     * padded positions reading zero.
     */
    public static Tensor conv2d(Tensor x, Tensor filter, Attrs.Conv2d attrs) {
        return conv2d(x, filter, null, attrs);
    }

    /**
     * {@link #conv2d(Tensor, Tensor, Attrs.Conv2d)} plus a per-filter {@code bias [F]} (null for
     * none): {@code y[n, oh, ow, f] = conv2d(x, filter)[n, oh, ow, f] + bias[f]}, the same bits as
     * {@code conv2d(x, filter, attrs).add(bias)}. The bias goes in while each block of output rows
     * is still in cache, instead of in a second pass over the whole output (and a second output
     * tensor), which for a convolution layer's large activations is a memory-bound pass of its own.
     */
    public static Tensor conv2d(Tensor x, Tensor filter, Tensor bias, Attrs.Conv2d attrs) {
        return convolve(Primitives.CONV2D, x, filter, bias, attrs);
    }

    /**
     * {@code relu(conv2d(x, filter, bias, attrs))} (bias may be null), the same bits, as one op
     * ({@link Primitives#CONV2D_RELU}): the relu goes into each block of output rows after its bias, while
     * the block is in cache, so a {@code Conv2D} layer with a relu activation writes its large
     * output once and keeps no pre-activation tensor for the gradient (relu's gradient mask,
     * output {@code > 0}, is read from the output).
     */
    public static Tensor conv2dRelu(Tensor x, Tensor filter, Tensor bias, Attrs.Conv2d attrs) {
        return convolve(Primitives.CONV2D_RELU, x, filter, bias, attrs);
    }

    private static Tensor convolve(ComputePrimitive<Attrs.Conv2d> op, Tensor x, Tensor filter, Tensor bias,
            Attrs.Conv2d attrs) {
        Objects.requireNonNull(attrs, op.name() + ": attrs");
        return bias == null ? Dispatcher.call(op, attrs, x, filter) : Dispatcher.call(op, attrs, x, filter, bias);
    }

    /**
     * {@link #conv2d(Tensor, Tensor, Attrs.Conv2d)} with strides and dilation as
     * {@code {height, width}} pairs. Null means Keras's default, as for pooling: null
     * {@code strides} steps by 1, null {@code dilation} is no dilation.
     */
    public static Tensor conv2d(Tensor x, Tensor filter, int[] strides, Padding padding, int[] dilation) {
        String op = Primitives.CONV2D.name();
        int[] s = strides == null ? new int[] {1, 1} : pair(op, "strides", strides);
        int[] d = dilation == null ? new int[] {1, 1} : pair(op, "dilation", dilation);
        return conv2d(x, filter, new Attrs.Conv2d(s[0], s[1], d[0], d[1], padding));
    }

    /**
     * The gradient of {@link #conv2d(Tensor, Tensor, Attrs.Conv2d)} with respect to its input: from
     * {@code dy [N, OH, OW, F]} and the filter, an input-shaped {@code [N, H, W, C]} tensor
     * ({@code attrs.inputShape()}). It is linear in {@code dy} (the transposed convolution).
     */
    public static Tensor conv2dBackwardInput(Tensor dy, Tensor filter, Attrs.Conv2dBackwardInput attrs) {
        Objects.requireNonNull(attrs, "conv2d_backward_input: attrs");
        return Dispatcher.call(Primitives.CONV2D_BACKWARD_INPUT, attrs, dy, filter);
    }

    /**
     * The gradient of {@link #conv2d(Tensor, Tensor, Attrs.Conv2d)} with respect to its filter: from
     * the input {@code x [N, H, W, C]} and {@code dy [N, OH, OW, F]}, a filter-shaped
     * {@code [KH, KW, C, F]} tensor ({@code attrs.filterShape()}), summed over the batch.
     */
    public static Tensor conv2dBackwardFilter(Tensor x, Tensor dy, Attrs.Conv2dBackwardFilter attrs) {
        Objects.requireNonNull(attrs, "conv2d_backward_filter: attrs");
        return Dispatcher.call(Primitives.CONV2D_BACKWARD_FILTER, attrs, x, dy);
    }

    // ---- pooling --------------------------------------------------------------------------

    /**
     * The largest element of each {@code poolH x poolW} window of {@code x [N, H, W, C]}, per
     * channel; with SAME padding the padded positions never win. A NaN in a window gives NaN.
     */
    public static Tensor maxPool2d(Tensor x, Attrs.Pool2d attrs) {
        Objects.requireNonNull(attrs, "max_pool2d: attrs");
        return Dispatcher.call(Primitives.MAX_POOL2D, attrs, x);
    }

    /**
     * {@link #maxPool2d(Tensor, Attrs.Pool2d)} with {@code pool} and {@code strides} as
     * {@code {height, width}} pairs; null {@code strides} means the pool size (Keras's default).
     */
    public static Tensor maxPool2d(Tensor x, int[] pool, int[] strides, Padding padding) {
        return maxPool2d(x, poolAttrs(Primitives.MAX_POOL2D.name(), pool, strides, padding));
    }

    /**
     * The gradient of {@link #maxPool2d(Tensor, Attrs.Pool2d)}: each element of {@code dy} goes to
     * the position of its window's maximum in {@code x}, the first one in row-major window order on
     * ties (or the first NaN); padding never receives any. The result has {@code x}'s shape.
     *
     * <p>Recorded as {@link Primitives#MAX_POOL2D_BACKWARD}, which is not differentiable: no second
     * derivative is taken through max pooling.
     */
    public static Tensor maxPool2dBackward(Tensor x, Tensor dy, Attrs.Pool2d attrs) {
        Objects.requireNonNull(attrs, "max_pool2d_backward: attrs");
        return Dispatcher.call(Primitives.MAX_POOL2D_BACKWARD, attrs, x, dy);
    }

    /**
     * The mean of each {@code poolH x poolW} window of {@code x [N, H, W, C]}, per channel; with
     * SAME padding only the real elements count (Keras and TensorFlow semantics).
     */
    public static Tensor avgPool2d(Tensor x, Attrs.Pool2d attrs) {
        Objects.requireNonNull(attrs, "avg_pool2d: attrs");
        return Dispatcher.call(Primitives.AVG_POOL2D, attrs, x);
    }

    /**
     * {@link #avgPool2d(Tensor, Attrs.Pool2d)} with {@code pool} and {@code strides} as
     * {@code {height, width}} pairs; null {@code strides} means the pool size (Keras's default).
     */
    public static Tensor avgPool2d(Tensor x, int[] pool, int[] strides, Padding padding) {
        return avgPool2d(x, poolAttrs(Primitives.AVG_POOL2D.name(), pool, strides, padding));
    }

    /**
     * The gradient of {@link #avgPool2d(Tensor, Attrs.Pool2d)}: each element of {@code dy} is
     * spread evenly over its window's real elements, giving a tensor of {@code attrs.inputShape()}.
     * It is linear in {@code dy}.
     */
    public static Tensor avgPool2dBackward(Tensor dy, Attrs.Pool2dBackward attrs) {
        Objects.requireNonNull(attrs, "avg_pool2d_backward: attrs");
        return Dispatcher.call(Primitives.AVG_POOL2D_BACKWARD, attrs, dy);
    }

    // ---- the primitives ---------------------------------------------------------------------

    /** conv2d, with an optional bias as a third input, and relu'd as {@code conv2d_relu}. */
    static final class Conv2d extends ComputePrimitive<Attrs.Conv2d> implements Fusable<Attrs.Conv2d> {
        private final boolean relu;

        Conv2d(String name, boolean relu) {
            super(name, true);
            this.relu = relu;
        }

        @Override
        public Shape inferShape(Tensor[] in, Attrs.Conv2d attrs) {
            String op = name();
            Tensor x = in[0];
            Tensor filter = in[1];
            requireBatch(op, "input", x);
            requireFilter(op, filter);
            BinaryOps.checkSameDType(op, x, filter);
            requireSameChannels(op, x.shape(), filter.shape());
            Conv2dGeometry g = convGeometry(op, x.shape(), filter.shape(), attrs);
            if (in.length > 2) {
                requireBias(op, in[2], filter.shape());
                BinaryOps.checkSameDType(op, x, in[2]);
            }
            return Shape.of(g.batch(), g.outH(), g.outW(), filter.shape().dim(3));
        }

        /** The narrow-filter kernel adds its register tiles into the output, which must start at zero. */
        @Override
        public boolean writesEveryElement() {
            return false;
        }

        @Override
        public void run(Backend backend, Tensor[] in, Attrs.Conv2d attrs, Tensor y) {
            run(backend, in, attrs, y, null);
        }

        @Override
        public boolean takesEpilogue(Tensor[] in, Attrs.Conv2d attrs) {
            return true;
        }

        /** The convolution, its bias and relu, then {@code epilogue} on each block of output rows. */
        @Override
        public void run(Backend backend, Tensor[] in, Attrs.Conv2d attrs, Tensor y, Epilogue epilogue) {
            Conv2dGeometry g = convGeometry(name(), in[0].shape(), in[1].shape(), attrs);
            int f = in[1].shape().dim(3);
            Tensor xc = dense(in[0]);
            Tensor wc = dense(in[1]);
            Tensor bc = in.length > 2 ? dense(in[2]) : null;
            if (g.patchSize() == 0) {
                // No taps: the kernel only adds the bias (or nothing) to the output, which must start at zero.
                if (y.dtype() == DType.F32) {
                    Arrays.fill(y.f32Array(), 0f);
                } else {
                    Arrays.fill(y.f64Array(), 0.0);
                }
            }
            if (y.dtype() == DType.F32) {
                Conv2dKernels.forward(backend, g, f, xc.f32Array(), xc.offset(), wc.f32Array(), wc.offset(),
                        bc == null ? null : bc.f32Array(), bc == null ? 0 : bc.offset(), relu, epilogue, y.f32Array());
            } else {
                Conv2dKernels.forward(backend, g, f, xc.f64Array(), xc.offset(), wc.f64Array(), wc.offset(),
                        bc == null ? null : bc.f64Array(), bc == null ? 0 : bc.offset(), relu, epilogue, y.f64Array());
            }
        }
    }

    /** The gradient of conv2d with respect to its input, from dy and the filter. */
    static final class Conv2dBackwardInput extends ComputePrimitive<Attrs.Conv2dBackwardInput> {
        Conv2dBackwardInput() {
            super("conv2d_backward_input", true);
        }

        @Override
        public Shape inferShape(Tensor[] in, Attrs.Conv2dBackwardInput attrs) {
            String op = name();
            Tensor dy = in[0];
            Tensor filter = in[1];
            Shape shape = requireBatchShape(op, "inputShape", attrs.inputShape());
            requireBatch(op, "dy", dy);
            requireFilter(op, filter);
            BinaryOps.checkSameDType(op, dy, filter);
            requireSameChannels(op, shape, filter.shape());
            Conv2dGeometry g = convGeometry(op, shape, filter.shape(), attrs.conv());
            requireOutputShape(op, dy, g, filter.shape().dim(3), "conv2d of an input " + shape + " with a filter "
                    + filter.shape());
            return shape;
        }

        @Override
        public boolean writesEveryElement() {
            return false;
        }

        @Override
        public void run(Backend backend, Tensor[] in, Attrs.Conv2dBackwardInput attrs, Tensor dx) {
            Conv2dGeometry g = convGeometry(name(), attrs.inputShape(), in[1].shape(), attrs.conv());
            int f = in[1].shape().dim(3);
            Tensor dyc = dense(in[0]);
            Tensor wc = dense(in[1]);
            if (dx.dtype() == DType.F32) {
                Conv2dKernels.backwardInput(backend, g, f, dyc.f32Array(), dyc.offset(), wc.f32Array(), wc.offset(),
                        dx.f32Array());
            } else {
                Conv2dKernels.backwardInput(backend, g, f, dyc.f64Array(), dyc.offset(), wc.f64Array(), wc.offset(),
                        dx.f64Array());
            }
        }
    }

    /** The gradient of conv2d with respect to its filter, from the input and dy, summed over the batch. */
    static final class Conv2dBackwardFilter extends ComputePrimitive<Attrs.Conv2dBackwardFilter> {
        Conv2dBackwardFilter() {
            super("conv2d_backward_filter", true);
        }

        @Override
        public Shape inferShape(Tensor[] in, Attrs.Conv2dBackwardFilter attrs) {
            String op = name();
            Tensor x = in[0];
            Tensor dy = in[1];
            Shape fs = attrs.filterShape();
            requireFilterShape(op, fs);
            requireBatch(op, "input", x);
            requireBatch(op, "dy", dy);
            BinaryOps.checkSameDType(op, x, dy);
            requireSameChannels(op, x.shape(), fs);
            Conv2dGeometry g = convGeometry(op, x.shape(), fs, attrs.conv());
            requireOutputShape(op, dy, g, fs.dim(3), "conv2d of an input " + x.shape() + " with a filter " + fs);
            return fs;
        }

        @Override
        public boolean writesEveryElement() {
            return false;
        }

        @Override
        public void run(Backend backend, Tensor[] in, Attrs.Conv2dBackwardFilter attrs, Tensor dw) {
            Shape fs = attrs.filterShape();
            Conv2dGeometry g = convGeometry(name(), in[0].shape(), fs, attrs.conv());
            Tensor xc = dense(in[0]);
            Tensor dyc = dense(in[1]);
            if (dw.dtype() == DType.F32) {
                Conv2dKernels.backwardFilter(backend, g, fs.dim(3), xc.f32Array(), xc.offset(), dyc.f32Array(),
                        dyc.offset(), dw.f32Array());
            } else {
                Conv2dKernels.backwardFilter(backend, g, fs.dim(3), xc.f64Array(), xc.offset(), dyc.f64Array(),
                        dyc.offset(), dw.f64Array());
            }
        }
    }

    /** Max or average pooling: the largest element, or the mean of the real elements, of each window. */
    static final class Pool2d extends ComputePrimitive<Attrs.Pool2d> {
        private final boolean max;

        Pool2d(String name, boolean max) {
            super(name, true);
            this.max = max;
        }

        @Override
        public Shape inferShape(Tensor[] in, Attrs.Pool2d attrs) {
            requireBatch(name(), "input", in[0]);
            Conv2dGeometry g = poolGeometry(name(), in[0].shape(), attrs);
            return Shape.of(g.batch(), g.outH(), g.outW(), g.channels());
        }

        @Override
        public boolean writesEveryElement() {
            return max; // average pooling adds each window's taps into a zero output
        }

        @Override
        public void run(Backend backend, Tensor[] in, Attrs.Pool2d attrs, Tensor y) {
            Conv2dGeometry g = poolGeometry(name(), in[0].shape(), attrs);
            Tensor xc = dense(in[0]);
            if (y.dtype() == DType.F32) {
                if (max) {
                    Pool2dKernels.maxForward(backend, g, xc.f32Array(), xc.offset(), y.f32Array());
                } else {
                    Pool2dKernels.avgForward(backend, g, xc.f32Array(), xc.offset(), y.f32Array());
                }
            } else if (max) {
                Pool2dKernels.maxForward(backend, g, xc.f64Array(), xc.offset(), y.f64Array());
            } else {
                Pool2dKernels.avgForward(backend, g, xc.f64Array(), xc.offset(), y.f64Array());
            }
        }
    }

    /** Max pooling's gradient: each dy element routed to its window's arg-max in x. */
    static final class MaxPool2dBackward extends ComputePrimitive<Attrs.Pool2d> {
        MaxPool2dBackward() {
            super("max_pool2d_backward", false);
        }

        @Override
        public Shape inferShape(Tensor[] in, Attrs.Pool2d attrs) {
            String op = name();
            Tensor x = in[0];
            Tensor dy = in[1];
            requireBatch(op, "input", x);
            requireBatch(op, "dy", dy);
            BinaryOps.checkSameDType(op, x, dy);
            Conv2dGeometry g = poolGeometry(op, x.shape(), attrs);
            requireOutputShape(op, dy, g, g.channels(), "max_pool2d of an input " + x.shape());
            return x.shape();
        }

        @Override
        public boolean writesEveryElement() {
            return false;
        }

        @Override
        public void run(Backend backend, Tensor[] in, Attrs.Pool2d attrs, Tensor dx) {
            Conv2dGeometry g = poolGeometry(name(), in[0].shape(), attrs);
            Tensor xc = dense(in[0]);
            Tensor dyc = dense(in[1]);
            if (dx.dtype() == DType.F32) {
                Pool2dKernels.maxBackward(backend, g, xc.f32Array(), xc.offset(), dyc.f32Array(), dyc.offset(),
                        dx.f32Array());
            } else {
                Pool2dKernels.maxBackward(backend, g, xc.f64Array(), xc.offset(), dyc.f64Array(), dyc.offset(),
                        dx.f64Array());
            }
        }
    }

    /** Average pooling's gradient: each dy element spread evenly over its window's real elements. */
    static final class AvgPool2dBackward extends ComputePrimitive<Attrs.Pool2dBackward> {
        AvgPool2dBackward() {
            super("avg_pool2d_backward", true);
        }

        @Override
        public Shape inferShape(Tensor[] in, Attrs.Pool2dBackward attrs) {
            String op = name();
            Shape shape = requireBatchShape(op, "inputShape", attrs.inputShape());
            requireBatch(op, "dy", in[0]);
            Conv2dGeometry g = poolGeometry(op, shape, attrs.pool());
            requireOutputShape(op, in[0], g, g.channels(), "avg_pool2d of an input " + shape);
            return shape;
        }

        @Override
        public boolean writesEveryElement() {
            return false;
        }

        @Override
        public void run(Backend backend, Tensor[] in, Attrs.Pool2dBackward attrs, Tensor dx) {
            Conv2dGeometry g = poolGeometry(name(), attrs.inputShape(), attrs.pool());
            Tensor dyc = dense(in[0]);
            if (dx.dtype() == DType.F32) {
                Pool2dKernels.avgBackward(backend, g, dyc.f32Array(), dyc.offset(), dx.f32Array());
            } else {
                Pool2dKernels.avgBackward(backend, g, dyc.f64Array(), dyc.offset(), dx.f64Array());
            }
        }
    }

    // ---- geometry and checks --------------------------------------------------------------

    private static Conv2dGeometry convGeometry(String op, Shape in, Shape filter, Attrs.Conv2d a) {
        Objects.requireNonNull(a, op + ": conv attrs");
        int kh = filter.dim(0);
        int kw = filter.dim(1);
        long windowH = (long) (kh - 1) * a.dilationH() + 1;
        long windowW = (long) (kw - 1) * a.dilationW() + 1;
        if (windowH > Integer.MAX_VALUE || windowW > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": the filter's dilated window " + windowH + "x" + windowW
                    + " (kernel " + kh + "x" + kw + ", dilation " + a.dilationH() + "x" + a.dilationW()
                    + ") is larger than " + Integer.MAX_VALUE + " along an axis");
        }
        int[] h = axis(in.dim(1), kh, a.strideH(), a.dilationH(), a.padding());
        int[] w = axis(in.dim(2), kw, a.strideW(), a.dilationW(), a.padding());
        if (h == null || w == null) {
            int ekh = (kh - 1) * a.dilationH() + 1;
            int ekw = (kw - 1) * a.dilationW() + 1;
            throw new IllegalArgumentException(op + ": the filter's window " + ekh + "x" + ekw + " (kernel " + kh + "x"
                    + kw + ", dilation " + a.dilationH() + "x" + a.dilationW() + ") is larger than the input's "
                    + in.dim(1) + "x" + in.dim(2) + " (input " + in + ", filter " + filter
                    + ") with VALID padding; use SAME padding or a smaller window");
        }
        return new Conv2dGeometry(in.dim(0), in.dim(1), in.dim(2), in.dim(3), kh, kw, a.strideH(), a.strideW(),
                a.dilationH(), a.dilationW(), h[1], w[1], h[0], w[0]);
    }

    private static Conv2dGeometry poolGeometry(String op, Shape in, Attrs.Pool2d a) {
        Objects.requireNonNull(a, op + ": pool attrs");
        int[] h = axis(in.dim(1), a.poolH(), a.strideH(), 1, a.padding());
        int[] w = axis(in.dim(2), a.poolW(), a.strideW(), 1, a.padding());
        if (h == null || w == null) {
            throw new IllegalArgumentException(op + ": the pool window " + a.poolH() + "x" + a.poolW()
                    + " is larger than the input's " + in.dim(1) + "x" + in.dim(2) + " (input " + in
                    + ") with VALID padding; use SAME padding or a smaller window");
        }
        return new Conv2dGeometry(in.dim(0), in.dim(1), in.dim(2), in.dim(3), a.poolH(), a.poolW(), a.strideH(),
                a.strideW(), 1, 1, h[1], w[1], h[0], w[0]);
    }

    /**
     * Output size and padding before the input along one axis, as {@code {out, padBefore}}, or
     * null when a VALID window does not fit. SAME puts the odd padding element after, as TensorFlow.
     */
    private static int[] axis(int in, int kernel, int stride, int dilation, Padding padding) {
        long window = (long) (kernel - 1) * dilation + 1;
        if (padding == Padding.VALID) {
            return window > in ? null : new int[] {(int) ((in - window) / stride + 1), 0};
        }
        int out = (int) (((long) in + stride - 1) / stride);
        long total = Math.max(0, (long) (out - 1) * stride + window - in);
        return new int[] {out, (int) (total / 2)};
    }

    private static void requireBatch(String op, String name, Tensor t) {
        Objects.requireNonNull(t, op + ": " + name);
        if (t.rank() != 4) {
            throw new IllegalArgumentException(op + ": " + name + " must have rank 4, NHWC [batch, height, width,"
                    + " channels] (channels-last), got shape " + t.shape());
        }
        UnaryOps.requireFloating(op, t);
    }

    private static void requireBias(String op, Tensor bias, Shape filter) {
        if (bias.rank() != 1 || bias.shape().dim(0) != filter.dim(3)) {
            throw new IllegalArgumentException(op + ": the bias must have shape " + Shape.of(filter.dim(3))
                    + ", one value per filter of the filter " + filter + ", got shape " + bias.shape());
        }
        UnaryOps.requireFloating(op, bias);
    }

    private static Shape requireBatchShape(String op, String name, Shape s) {
        Objects.requireNonNull(s, op + ": " + name);
        if (s.rank() != 4) {
            throw new IllegalArgumentException(op + ": " + name
                    + " must have rank 4, NHWC [batch, height, width, channels] (channels-last), got " + s);
        }
        return s;
    }

    private static void requireFilter(String op, Tensor filter) {
        Objects.requireNonNull(filter, op + ": filter");
        requireFilterShape(op, filter.shape());
        UnaryOps.requireFloating(op, filter);
    }

    private static void requireFilterShape(String op, Shape s) {
        Objects.requireNonNull(s, op + ": filterShape");
        if (s.rank() != 4) {
            throw new IllegalArgumentException(op + ": the filter must have rank 4, HWIO [kernelHeight, kernelWidth,"
                    + " inChannels, outChannels] (Keras's layout), got shape " + s);
        }
        if (s.dim(0) < 1 || s.dim(1) < 1) {
            throw new IllegalArgumentException(op + ": the filter's kernel size must be positive, got "
                    + s.dim(0) + "x" + s.dim(1) + " (filter " + s + ")");
        }
    }

    private static void requireSameChannels(String op, Shape input, Shape filter) {
        if (input.dim(3) != filter.dim(2)) {
            throw new IllegalArgumentException(op + ": channel mismatch: the input " + input + " (NHWC) has "
                    + input.dim(3) + " channels but the filter " + filter + " (HWIO) expects " + filter.dim(2));
        }
    }

    private static void requireOutputShape(String op, Tensor dy, Conv2dGeometry g, int channels, String what) {
        Shape expected = Shape.of(g.batch(), g.outH(), g.outW(), channels);
        if (!dy.shape().equals(expected)) {
            throw new IllegalArgumentException(op + ": dy has shape " + dy.shape() + " but " + what + " gives "
                    + expected);
        }
    }

    private static Attrs.Pool2d poolAttrs(String op, int[] pool, int[] strides, Padding padding) {
        int[] p = pair(op, "pool size", pool);
        int[] s = strides == null ? p : pair(op, "strides", strides);
        return new Attrs.Pool2d(p[0], p[1], s[0], s[1], padding);
    }

    private static int[] pair(String op, String what, int[] v) {
        if (v == null || v.length != 2) {
            throw new IllegalArgumentException(op + ": " + what + " must be two values {height, width}, got "
                    + (v == null ? "null" : Arrays.toString(v)));
        }
        return v;
    }

    /** {@code t} if its elements are contiguous, else an unrecorded contiguous copy. */
    private static Tensor dense(Tensor t) {
        return t.isContiguous() ? t : ShapeOps.copyRaw(t);
    }
}
