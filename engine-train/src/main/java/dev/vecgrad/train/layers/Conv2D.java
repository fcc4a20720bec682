package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.ops.Attrs;
import dev.vecgrad.core.ops.ConvOps;
import dev.vecgrad.core.ops.Padding;
import dev.vecgrad.train.activations.ActivationFunction;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.initializers.Initializer;
import dev.vecgrad.train.initializers.Initializers;
import dev.vecgrad.train.regularizers.Regularizer;
import java.util.Locale;
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
    private final int filters;
    private final int[] kernelSize;
    private final int[] strides;
    private final int[] dilation;
    private final Padding padding;
    private final ActivationFunction activation;
    private final boolean useBias;
    private final Initializer kernelInitializer;
    private final Initializer biasInitializer;
    private final Regularizer kernelRegularizer;
    private final Regularizer biasRegularizer;
    private Variable kernel;
    private Variable bias;

    private Conv2D(Builder b) {
        super(b.name);
        if (b.filters <= 0) {
            throw new IllegalArgumentException("Conv2D: filters must be positive, got " + b.filters);
        }
        this.filters = b.filters;
        this.kernelSize = ConvShapes.pair("Conv2D", "kernel size", b.kernelSize);
        this.strides = ConvShapes.pair("Conv2D", "strides", b.strides);
        this.dilation = ConvShapes.pair("Conv2D", "dilation", b.dilation);
        this.padding = b.padding;
        this.activation = b.activation;
        this.useBias = b.useBias;
        this.kernelInitializer = b.kernelInitializer;
        this.biasInitializer = b.biasInitializer;
        this.kernelRegularizer = b.kernelRegularizer;
        this.biasRegularizer = b.biasRegularizer;
    }

    /** {@code filters} output channels, a {@code kh x kw} kernel, stride 1, VALID, linear. */
    public Conv2D(int filters, int kh, int kw) {
        this(builder(filters, kh, kw));
    }

    /** A builder for the optional arguments, starting from Keras's defaults. */
    public static Builder builder(int filters, int kh, int kw) {
        return new Builder(filters, new int[] {kh, kw});
    }

    /** Optional arguments of {@link Conv2D}. */
    public static final class Builder {
        private final int filters;
        private final int[] kernelSize;
        private String name;
        private int[] strides = {1, 1};
        private int[] dilation = {1, 1};
        private Padding padding = Padding.VALID;
        private ActivationFunction activation = Activations.linear();
        private boolean useBias = true;
        private Initializer kernelInitializer = Initializers.glorotUniform();
        private Initializer biasInitializer = Initializers.zeros();
        private Regularizer kernelRegularizer;
        private Regularizer biasRegularizer;

        private Builder(int filters, int[] kernelSize) {
            this.filters = filters;
            this.kernelSize = kernelSize;
        }

        /** The layer's name (default {@code conv2d}, {@code conv2d_1}, ...). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Strides (height, width); default 1, 1. */
        public Builder strides(int sh, int sw) {
            this.strides = new int[] {sh, sw};
            return this;
        }

        /** Dilation rate (height, width); default 1, 1. */
        public Builder dilation(int dh, int dw) {
            this.dilation = new int[] {dh, dw};
            return this;
        }

        /** VALID (default) or SAME. */
        public Builder padding(Padding padding) {
            this.padding = java.util.Objects.requireNonNull(padding, "padding");
            return this;
        }

        /** "valid" or "same". */
        public Builder padding(String padding) {
            return padding(ConvShapes.padding(padding));
        }

        /** The activation (default linear). */
        public Builder activation(ActivationFunction activation) {
            this.activation = activation == null ? Activations.linear() : activation;
            return this;
        }

        /** The activation by Keras name. */
        public Builder activation(String activation) {
            return activation(Activations.get(activation));
        }

        /** Whether to add a bias (default true). */
        public Builder useBias(boolean useBias) {
            this.useBias = useBias;
            return this;
        }

        /** The kernel's initializer (default Glorot uniform, fans including the receptive field). */
        public Builder kernelInitializer(Initializer init) {
            this.kernelInitializer = init;
            return this;
        }

        /** The bias's initializer (default zeros). */
        public Builder biasInitializer(Initializer init) {
            this.biasInitializer = init;
            return this;
        }

        /** A penalty on the kernel. */
        public Builder kernelRegularizer(Regularizer reg) {
            this.kernelRegularizer = reg;
            return this;
        }

        /** A penalty on the bias. */
        public Builder biasRegularizer(Regularizer reg) {
            this.biasRegularizer = reg;
            return this;
        }

        /** The layer. */
        public Conv2D build() {
            return new Conv2D(this);
        }
    }

    @Override
    protected void build(Shape inputShape) {
        ConvShapes.output("Conv2D '" + name() + "'", inputShape, kernelSize, strides, dilation, padding, filters);
        int channels = inputShape.dim(3);
        kernel = addWeight("kernel", new int[] {kernelSize[0], kernelSize[1], channels, filters}, kernelInitializer,
                kernelRegularizer, true);
        if (useBias) {
            bias = addWeight("bias", new int[] {filters}, biasInitializer, biasRegularizer, true);
        }
    }

    @Override
    protected void checkInputShape(Shape builtFor, Shape given) {
        ConvShapes.checkChannels(this, builtFor, given);
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        Attrs.Conv2d attrs = new Attrs.Conv2d(strides[0], strides[1], dilation[0], dilation[1], padding);
        Tensor b = useBias ? bias.value() : null;
        if (Activations.isRelu(activation)) {
            // One pass over the (often large) output instead of two, the same bits.
            return ConvOps.conv2dRelu(x, kernel.value(), b, attrs);
        }
        return activation.apply(ConvOps.conv2d(x, kernel.value(), b, attrs));
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return ConvShapes.output("Conv2D '" + name() + "'", inputShape, kernelSize, strides, dilation, padding, filters);
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
        c.put("filters", filters);
        c.put("kernel_size", Configs.list(kernelSize));
        c.put("strides", Configs.list(strides));
        c.put("padding", padding.name().toLowerCase(Locale.ROOT));
        c.put("dilation_rate", Configs.list(dilation));
        c.put("activation", Activations.serialize(activation));
        c.put("use_bias", useBias);
        c.put("kernel_initializer", Configs.of(kernelInitializer));
        c.put("bias_initializer", Configs.of(biasInitializer));
        c.put("kernel_regularizer", Configs.of(kernelRegularizer));
        c.put("bias_regularizer", Configs.of(biasRegularizer));
        return c;
    }

    static Conv2D fromConfig(Map<String, Object> c) {
        int[] k = Configs.pair(c, "kernel_size", null);
        if (k == null) {
            throw new IllegalArgumentException("'kernel_size' is missing");
        }
        int[] s = Configs.pair(c, "strides", new int[] {1, 1});
        int[] d = Configs.pair(c, "dilation_rate", new int[] {1, 1});
        return builder(Configs.integer(c, "filters"), k[0], k[1])
                .name((String) c.get("name"))
                .strides(s[0], s[1])
                .dilation(d[0], d[1])
                .padding(c.get("padding") == null ? "valid" : (String) c.get("padding"))
                .activation(Activations.deserialize(c.get("activation")))
                .useBias(Configs.bool(c, "use_bias", true))
                .kernelInitializer(Configs.initializer(c.get("kernel_initializer"), Initializers.glorotUniform()))
                .biasInitializer(Configs.initializer(c.get("bias_initializer"), Initializers.zeros()))
                .kernelRegularizer(Configs.regularizer(c.get("kernel_regularizer")))
                .biasRegularizer(Configs.regularizer(c.get("bias_regularizer")))
                .build();
    }
}
