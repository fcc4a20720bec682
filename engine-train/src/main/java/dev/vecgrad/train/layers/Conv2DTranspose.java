package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.internal.VariableInternals;
import dev.vecgrad.core.ops.Attrs;
import dev.vecgrad.core.ops.ConvOps;
import dev.vecgrad.core.ops.Padding;
import java.util.Map;

/**
 * The transposed 2-D convolution over channels-last images, as Keras's {@code Conv2DTranspose}
 * (sometimes called deconvolution): the gradient of a {@link Conv2D} with respect to its input,
 * used to upsample. With a kernel {@code (kh, kw, filters, channels)} (Keras's layout), strides,
 * dilation and VALID or SAME padding, an input {@code (batch, h, w, channels)} gives
 * {@code (batch, h', w', filters)} with, per axis, {@code h' = h·stride + max(k − stride, 0)}
 * (VALID, k the dilated kernel size) or {@code h' = h·stride} (SAME), as Keras computes it. It runs
 * on the convolution's input-gradient op, so it is exactly the transpose of {@link Conv2D} with
 * the same kernel, strides and padding.
 *
 * <pre>{@code
 * Conv2DTranspose up = Conv2DTranspose.builder(16, 3, 3).strides(2, 2).padding("same").build();
 * up.call(Tensor.zeros(8, 7, 7, 32));   // (8, 14, 14, 16)
 * }</pre>
 */
public final class Conv2DTranspose extends Layer {
    private final Conv2DBuilder.Geometry geometry;
    private final KernelLayerBuilder.KernelOptions options;
    private Variable kernel;
    private Variable bias;

    private Conv2DTranspose(Builder b) {
        super(b.name);
        this.geometry = b.geometry("Conv2DTranspose");
        this.options = b.options();
    }

    /** {@code filters} output channels, a {@code kh x kw} kernel, stride 1, VALID, linear. */
    public Conv2DTranspose(int filters, int kh, int kw) {
        this(builder(filters, kh, kw));
    }

    /** A builder for the optional arguments, starting from Keras's defaults. */
    public static Builder builder(int filters, int kh, int kw) {
        return new Builder(filters, kh, kw);
    }

    /** Optional arguments of {@link Conv2DTranspose}; the shared ones are in {@link KernelLayerBuilder}. */
    public static final class Builder extends Conv2DBuilder<Builder> {
        private Builder(int filters, int kh, int kw) {
            super(filters, kh, kw);
        }

        @Override
        Builder self() {
            return this;
        }

        /** The layer. */
        public Conv2DTranspose build() {
            return new Conv2DTranspose(this);
        }
    }

    @Override
    protected void build(Shape inputShape) {
        if (inputShape.rank() != 4) {
            throw new IllegalArgumentException("Conv2DTranspose '" + name()
                    + "' needs channels-last inputs (batch, height, width, channels), got " + inputShape);
        }
        kernel = addWeight("kernel", new int[] {geometry.kernelSize()[0], geometry.kernelSize()[1], geometry.filters(),
                inputShape.dim(3)},
                options.kernelInitializer(), options.kernelRegularizer(), true);
        if (options.useBias()) {
            bias = addWeight("bias", new int[] {geometry.filters()}, options.biasInitializer(), options.biasRegularizer(), true);
        }
    }

    @Override
    protected void checkInputShape(Shape builtFor, Shape given) {
        ConvShapes.checkChannels(this, builtFor, given);
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        Tensor y = ConvOps.conv2dBackwardInput(x, VariableInternals.read(kernel),
                new Attrs.Conv2dBackwardInput(geometry.attrs(), computeOutputShape(x.shape())));
        if (bias != null) {
            y = y.add(VariableInternals.read(bias));
        }
        return options.activation().apply(y);
    }

    /** Keras's {@code deconv_output_length} per axis. */
    private int outputSize(int in, int axis) {
        int k = (geometry.kernelSize()[axis] - 1) * geometry.dilation()[axis] + 1;
        int s = geometry.strides()[axis];
        return geometry.padding() == Padding.SAME ? in * s : in * s + Math.max(k - s, 0);
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return Shape.of(inputShape.dim(0), outputSize(inputShape.dim(1), 0), outputSize(inputShape.dim(2), 1),
                geometry.filters());
    }

    /** The kernel {@code (kh, kw, filters, channels)} (null before building). */
    public Variable kernel() {
        return kernel;
    }

    /** The bias (null before building or without bias). */
    public Variable bias() {
        return bias;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        geometry.writeConfig(c);
        options.writeConfig(c);
        return c;
    }

    static Conv2DTranspose fromConfig(Map<String, Object> c) {
        int[] k = Configs.pair(c, "kernel_size", null);
        if (k == null) {
            throw new IllegalArgumentException("'kernel_size' is missing");
        }
        return builder(Configs.integer(c, "filters"), k[0], k[1]).readConv2D(c).build();
    }
}
