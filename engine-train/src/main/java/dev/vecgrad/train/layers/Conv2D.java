package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.internal.VariableInternals;
import dev.vecgrad.core.ops.Attrs;
import dev.vecgrad.core.ops.ConvOps;
import dev.vecgrad.train.activations.Activations;
import java.util.Map;

/**
 * A 2-D convolution over channels-last images {@code (batch, height, width, channels)}, as Keras's
 * {@code Conv2D}: {@code activation(conv2d(x, kernel) + bias)} with a kernel of shape
 * {@code (kh, kw, channels, filters)}, strides, dilation and VALID or SAME padding. After
 * building, inputs of any height and width with the same channels are accepted.
 *
 * <pre>{@code
 * Conv2D c = Conv2D.builder(32, 3, 3).activation("relu").padding("same").build();
 * c.call(Tensor.zeros(8, 28, 28, 1));   // (8, 28, 28, 32)
 * }</pre>
 */
public final class Conv2D extends Layer {
    private final Conv2DBuilder.Geometry geometry;
    private final KernelLayerBuilder.KernelOptions options;
    private Variable kernel;
    private Variable bias;

    private Conv2D(Builder b) {
        super(b.name);
        this.geometry = b.geometry("Conv2D");
        this.options = b.options();
    }

    /** {@code filters} output channels, a {@code kh x kw} kernel, stride 1, VALID, linear. */
    public Conv2D(int filters, int kh, int kw) {
        this(builder(filters, kh, kw));
    }

    /** A builder for the optional arguments, starting from Keras's defaults. */
    public static Builder builder(int filters, int kh, int kw) {
        return new Builder(filters, kh, kw);
    }

    /** Optional arguments of {@link Conv2D}; the shared ones are in {@link KernelLayerBuilder}. */
    public static final class Builder extends Conv2DBuilder<Builder> {
        private Builder(int filters, int kh, int kw) {
            super(filters, kh, kw);
        }

        @Override
        Builder self() {
            return this;
        }

        /** The layer. */
        public Conv2D build() {
            return new Conv2D(this);
        }
    }

    @Override
    protected void build(Shape inputShape) {
        computeOutputShape(inputShape);
        int channels = inputShape.dim(3);
        kernel = addWeight("kernel", new int[] {geometry.kernelSize()[0], geometry.kernelSize()[1], channels,
                geometry.filters()}, options.kernelInitializer(),
                options.kernelRegularizer(), true);
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
        Attrs.Conv2d attrs = geometry.attrs();
        Tensor b = bias == null ? null : VariableInternals.read(bias);
        if (Activations.isRelu(options.activation())) {
            // One pass over the (often large) output instead of two, the same bits.
            return ConvOps.conv2dRelu(x, VariableInternals.read(kernel), b, attrs);
        }
        return options.activation().apply(ConvOps.conv2d(x, VariableInternals.read(kernel), b, attrs));
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        Conv2DBuilder.Geometry g = geometry;
        return ConvShapes.output("Conv2D '" + name() + "'", inputShape, g.kernelSize(), g.strides(), g.dilation(),
                g.padding(), g.filters());
    }

    /** The kernel variable {@code (kh, kw, channels, filters)} (null before building). */
    public Variable kernel() {
        return kernel;
    }

    /** The bias variable (null before building or without bias). */
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

    static Conv2D fromConfig(Map<String, Object> c) {
        int[] k = Configs.pair(c, "kernel_size", null);
        if (k == null) {
            throw new IllegalArgumentException("'kernel_size' is missing");
        }
        return builder(Configs.integer(c, "filters"), k[0], k[1]).readConv2D(c).build();
    }
}
