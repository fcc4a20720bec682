package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.train.activations.ActivationFunction;
import dev.vecgrad.train.activations.Activations;
import java.util.Map;

/**
 * A fully connected layer: {@code activation(x · kernel + bias)} over the last axis of x, as
 * Keras's {@code Dense}. The kernel has shape {@code (inputDim, units)}; leading axes of x are
 * batch axes.
 *
 * <pre>{@code
 * Dense d = new Dense(64, Activations.relu());
 * Dense out = Dense.builder(10).activation("softmax").kernelRegularizer(Regularizers.l2(1e-4)).build();
 * }</pre>
 */
public final class Dense extends Layer {
    private final int units;
    private final KernelLayerBuilder.KernelOptions options;
    private Variable kernel;
    private Variable bias;

    /** {@code units} outputs, no activation, with bias, Glorot-uniform kernel, zero bias. */
    public Dense(int units) {
        this(builder(units));
    }

    /** {@code units} outputs followed by {@code activation}. */
    public Dense(int units, ActivationFunction activation) {
        this(builder(units).activation(activation));
    }

    private Dense(Builder b) {
        super(b.name);
        if (b.units <= 0) {
            throw new IllegalArgumentException("Dense: units must be positive, got " + b.units);
        }
        this.units = b.units;
        this.options = b.options();
    }

    /** A builder for the optional arguments, starting from Keras's defaults. */
    public static Builder builder(int units) {
        return new Builder(units);
    }

    /** Optional arguments of {@link Dense}; the shared ones are in {@link KernelLayerBuilder}. */
    public static final class Builder extends KernelLayerBuilder<Builder> {
        private final int units;

        private Builder(int units) {
            this.units = units;
        }

        @Override
        Builder self() {
            return this;
        }

        /** The layer. */
        public Dense build() {
            return new Dense(this);
        }
    }

    @Override
    protected void build(Shape inputShape) {
        if (inputShape.rank() < 1) {
            throw new IllegalArgumentException("Dense '" + name() + "' needs inputs of rank 1 or more, got " + inputShape);
        }
        int in = inputShape.dim(-1);
        kernel = addWeight("kernel", new int[] {in, units}, options.kernelInitializer(), options.kernelRegularizer(),
                true);
        if (options.useBias()) {
            bias = addWeight("bias", new int[] {units}, options.biasInitializer(), options.biasRegularizer(), true);
        }
    }

    @Override
    protected void checkInputShape(Shape builtFor, Shape given) {
        if (given.rank() < 1 || given.dim(-1) != builtFor.dim(-1)) {
            throw new IllegalArgumentException(incompatible(builtFor, given) + " (last axis must be "
                    + builtFor.dim(-1) + ")");
        }
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        // Leading axes broadcast over the one kernel, which matmul runs as one product over all rows.
        Tensor y = x.rank() == 1 ? x.reshape(1, -1).matmul(kernel.value()).reshape(-1) : x.matmul(kernel.value());
        if (bias != null) {
            y = y.add(bias.value());
        }
        return options.activation().apply(y);
    }

    /** Acts on each position alone, so a mask passes through unchanged. */
    @Override
    public boolean supportsMasking() {
        return true;
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        int[] dims = inputShape.toArray();
        dims[dims.length - 1] = units;
        return Shape.of(dims);
    }

    /** The number of outputs. */
    public int units() {
        return units;
    }

    /** The kernel variable (null before building). */
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
        c.put("units", units);
        options.writeConfig(c);
        return c;
    }

    /** Rebuilds a Dense from {@link #getConfig()}. */
    static Dense fromConfig(Map<String, Object> c) {
        return builder(Configs.integer(c, "units")).readConfig(c)
                .build();
    }
}
