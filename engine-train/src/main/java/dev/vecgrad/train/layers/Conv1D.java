package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.internal.VariableInternals;
import dev.vecgrad.core.ops.Attrs;
import dev.vecgrad.core.ops.ConvOps;
import dev.vecgrad.core.ops.Padding;
import java.util.Locale;
import java.util.Map;

/**
 * A 1-D convolution over sequences {@code (batch, steps, channels)}, as Keras's {@code Conv1D}:
 * {@code activation(conv1d(x, kernel) + bias)} with a kernel {@code (kernelSize, channels,
 * filters)}, a stride, a dilation rate and {@code valid}, {@code same} or {@code causal} padding
 * ({@code causal} pads only before the sequence, by {@code dilation·(kernelSize − 1)} steps, so
 * output step t sees input steps up to t). It runs as a 2-D convolution over a height of one.
 *
 * <pre>{@code
 * Conv1D c = Conv1D.builder(32, 3).padding("causal").activation("relu").build();
 * c.call(Tensor.zeros(8, 100, 16));   // (8, 100, 32)
 * }</pre>
 */
public final class Conv1D extends Layer {
    /** Keras's padding modes of a 1-D convolution. */
    public enum Pad {
        /** No padding. */
        VALID,
        /** Zero padding so that the output has ceil(steps / stride) steps. */
        SAME,
        /** Zero padding before the sequence only. */
        CAUSAL
    }

    private final int filters;
    private final int kernelSize;
    private final int stride;
    private final int dilation;
    private final Pad padding;
    private final KernelLayerBuilder.KernelOptions options;
    private Variable kernel;
    private Variable bias;

    private Conv1D(Builder b) {
        super(b.name);
        if (b.filters <= 0 || b.kernelSize <= 0 || b.stride <= 0 || b.dilation <= 0) {
            throw new IllegalArgumentException("Conv1D: filters, kernel size, stride and dilation must be positive, got "
                    + b.filters + ", " + b.kernelSize + ", " + b.stride + ", " + b.dilation);
        }
        if (b.stride > 1 && b.dilation > 1) {
            throw new IllegalArgumentException("Conv1D: a stride and a dilation rate above 1 cannot be combined, as in"
                    + " Keras");
        }
        this.filters = b.filters;
        this.kernelSize = b.kernelSize;
        this.stride = b.stride;
        this.dilation = b.dilation;
        this.padding = b.padding;
        this.options = b.options();
    }

    /** {@code filters} output channels, a kernel of {@code kernelSize} steps, stride 1, VALID, linear. */
    public Conv1D(int filters, int kernelSize) {
        this(builder(filters, kernelSize));
    }

    /** A builder for the optional arguments, starting from Keras's defaults. */
    public static Builder builder(int filters, int kernelSize) {
        return new Builder(filters, kernelSize);
    }

    /** Optional arguments of {@link Conv1D}; the shared ones are in {@link KernelLayerBuilder}. */
    public static final class Builder extends KernelLayerBuilder<Builder> {
        private final int filters;
        private final int kernelSize;
        private int stride = 1;
        private int dilation = 1;
        private Pad padding = Pad.VALID;

        private Builder(int filters, int kernelSize) {
            this.filters = filters;
            this.kernelSize = kernelSize;
        }

        @Override
        Builder self() {
            return this;
        }

        /** The stride (default 1). */
        public Builder strides(int stride) {
            this.stride = stride;
            return this;
        }

        /** The dilation rate (default 1). */
        public Builder dilation(int dilation) {
            this.dilation = dilation;
            return this;
        }

        /** "valid" (default), "same" or "causal". */
        public Builder padding(String padding) {
            this.padding = Pad.valueOf(padding.toUpperCase(Locale.ROOT));
            return this;
        }

        /** The layer. */
        public Conv1D build() {
            return new Conv1D(this);
        }
    }

    @Override
    protected void build(Shape inputShape) {
        if (inputShape.rank() != 3) {
            throw new IllegalArgumentException("Conv1D '" + name() + "' needs inputs (batch, steps, channels), got "
                    + inputShape);
        }
        kernel = addWeight("kernel", new int[] {kernelSize, inputShape.dim(2), filters}, options.kernelInitializer(),
                options.kernelRegularizer(), true);
        if (options.useBias()) {
            bias = addWeight("bias", new int[] {filters}, options.biasInitializer(), options.biasRegularizer(), true);
        }
    }

    @Override
    protected void checkInputShape(Shape builtFor, Shape given) {
        requireSequence(builtFor, given);
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        Tensor in = x;
        if (padding == Pad.CAUSAL) {
            in = x.pad(new int[] {0, dilation * (kernelSize - 1), 0}, new int[] {0, 0, 0}, 0);
        }
        Attrs.Conv2d attrs = new Attrs.Conv2d(1, stride, 1, dilation, padding == Pad.SAME ? Padding.SAME : Padding.VALID);
        Tensor w = VariableInternals.read(kernel).reshape(1, kernelSize, kernel.shape().dim(1), filters);
        Tensor y = ConvOps.conv2d(in.unsqueeze(1), w, bias == null ? null : VariableInternals.read(bias), attrs);
        return options.activation().apply(y.squeeze(1));
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        int steps = inputShape.dim(1);
        int out = switch (padding) {
            case SAME -> (steps + stride - 1) / stride;
            case CAUSAL -> ConvShapes.outputSize("Conv1D '" + name() + "'", steps + dilation * (kernelSize - 1),
                    kernelSize, stride, dilation, Padding.VALID);
            case VALID -> ConvShapes.outputSize("Conv1D '" + name() + "'", steps, kernelSize, stride, dilation,
                    Padding.VALID);
        };
        return Shape.of(inputShape.dim(0), out, filters);
    }

    /** The kernel {@code (kernelSize, channels, filters)} (null before building). */
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
        c.put("filters", filters);
        c.put("kernel_size", Configs.list(kernelSize));
        c.put("strides", Configs.list(stride));
        c.put("padding", padding.name().toLowerCase(Locale.ROOT));
        c.put("dilation_rate", Configs.list(dilation));
        options.writeConfig(c);
        return c;
    }

    static Conv1D fromConfig(Map<String, Object> c) {
        return builder(Configs.integer(c, "filters"), Configs.ints(c, "kernel_size")[0]).readConfig(c)
                .strides(c.containsKey("strides") ? Configs.ints(c, "strides")[0] : 1)
                .dilation(c.containsKey("dilation_rate") ? Configs.ints(c, "dilation_rate")[0] : 1)
                .padding(c.get("padding") == null ? "valid" : (String) c.get("padding"))
                .build();
    }
}
