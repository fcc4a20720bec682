package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.train.activations.ActivationFunction;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.initializers.Initializer;
import dev.vecgrad.train.initializers.Initializers;
import dev.vecgrad.train.regularizers.Regularizer;
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
    private final ActivationFunction activation;
    private final boolean useBias;
    private final Initializer kernelInitializer;
    private final Initializer biasInitializer;
    private final Regularizer kernelRegularizer;
    private final Regularizer biasRegularizer;
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
        this.activation = b.activation;
        this.useBias = b.useBias;
        this.kernelInitializer = b.kernelInitializer;
        this.biasInitializer = b.biasInitializer;
        this.kernelRegularizer = b.kernelRegularizer;
        this.biasRegularizer = b.biasRegularizer;
    }

    /** A builder for the optional arguments, starting from Keras's defaults. */
    public static Builder builder(int units) {
        return new Builder(units);
    }

    /** Optional arguments of {@link Dense}. */
    public static final class Builder {
        private final int units;
        private String name;
        private ActivationFunction activation = Activations.linear();
        private boolean useBias = true;
        private Initializer kernelInitializer = Initializers.glorotUniform();
        private Initializer biasInitializer = Initializers.zeros();
        private Regularizer kernelRegularizer;
        private Regularizer biasRegularizer;

        private Builder(int units) {
            this.units = units;
        }

        /** The layer's name (default: {@code dense}, {@code dense_1}, ...). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** The activation applied to the output (default linear). */
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

        /** The kernel's initializer (default Glorot uniform). */
        public Builder kernelInitializer(Initializer init) {
            this.kernelInitializer = init;
            return this;
        }

        /** The bias's initializer (default zeros). */
        public Builder biasInitializer(Initializer init) {
            this.biasInitializer = init;
            return this;
        }

        /** A penalty on the kernel (default none). */
        public Builder kernelRegularizer(Regularizer reg) {
            this.kernelRegularizer = reg;
            return this;
        }

        /** A penalty on the bias (default none). */
        public Builder biasRegularizer(Regularizer reg) {
            this.biasRegularizer = reg;
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
        kernel = addWeight("kernel", new int[] {in, units}, kernelInitializer, kernelRegularizer, true);
        if (useBias) {
            bias = addWeight("bias", new int[] {units}, biasInitializer, biasRegularizer, true);
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
        Tensor y;
        if (x.rank() == 1) {
            y = x.reshape(1, -1).matmul(kernel.value()).reshape(units);
        } else {
            y = x.matmul(kernel.value());
        }
        if (useBias) {
            y = y.add(bias.value());
        }
        return activation.apply(y);
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
        c.put("activation", Activations.serialize(activation));
        c.put("use_bias", useBias);
        c.put("kernel_initializer", Configs.of(kernelInitializer));
        c.put("bias_initializer", Configs.of(biasInitializer));
        c.put("kernel_regularizer", Configs.of(kernelRegularizer));
        c.put("bias_regularizer", Configs.of(biasRegularizer));
        return c;
    }

    /** Rebuilds a Dense from {@link #getConfig()}. */
    static Dense fromConfig(Map<String, Object> c) {
        return builder(Configs.integer(c, "units"))
                .name((String) c.get("name"))
                .activation(Activations.deserialize(c.get("activation")))
                .useBias(Configs.bool(c, "use_bias", true))
                .kernelInitializer(Configs.initializer(c.get("kernel_initializer"), Initializers.glorotUniform()))
                .biasInitializer(Configs.initializer(c.get("bias_initializer"), Initializers.zeros()))
                .kernelRegularizer(Configs.regularizer(c.get("kernel_regularizer")))
                .biasRegularizer(Configs.regularizer(c.get("bias_regularizer")))
                .build();
    }
}
