package dev.vecgrad.train.layers;

import dev.vecgrad.train.activations.ActivationFunction;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.initializers.Initializer;
import dev.vecgrad.train.initializers.Initializers;
import dev.vecgrad.train.regularizers.Regularizer;
import java.util.Map;

/**
 * The options every layer with a kernel and a bias shares ({@link Dense}, {@link Conv1D},
 * {@link Conv2D}, {@link Conv2DTranspose}), starting from Keras's defaults: a name, the activation
 * (linear), whether to add a bias (yes), the initializers (Glorot uniform, zeros) and the
 * regularizers (none).
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class KernelLayerBuilder<B extends KernelLayerBuilder<B>> {
    String name;
    ActivationFunction activation = Activations.linear();
    boolean useBias = true;
    Initializer kernelInitializer = Initializers.glorotUniform();
    Initializer biasInitializer = Initializers.zeros();
    Regularizer kernelRegularizer;
    Regularizer biasRegularizer;

    /** For the layers' builders. */
    KernelLayerBuilder() {
    }

    /** This builder, typed as the concrete one. */
    abstract B self();

    /** The layer's name (default from its class: {@code dense}, {@code dense_1}, ...). */
    public B name(String name) {
        this.name = name;
        return self();
    }

    /** The activation applied to the output (default linear). */
    public B activation(ActivationFunction activation) {
        this.activation = activation == null ? Activations.linear() : activation;
        return self();
    }

    /** The activation by Keras name. */
    public B activation(String activation) {
        return activation(Activations.get(activation));
    }

    /** Whether to add a bias (default true). */
    public B useBias(boolean useBias) {
        this.useBias = useBias;
        return self();
    }

    /** The kernel's initializer (default Glorot uniform). */
    public B kernelInitializer(Initializer init) {
        this.kernelInitializer = init;
        return self();
    }

    /** The bias's initializer (default zeros). */
    public B biasInitializer(Initializer init) {
        this.biasInitializer = init;
        return self();
    }

    /** A penalty on the kernel (default none). */
    public B kernelRegularizer(Regularizer reg) {
        this.kernelRegularizer = reg;
        return self();
    }

    /** A penalty on the bias (default none). */
    public B biasRegularizer(Regularizer reg) {
        this.biasRegularizer = reg;
        return self();
    }

    /** Reads the shared options from a saved config, as {@link KernelOptions#writeConfig} writes them. */
    B readConfig(Map<String, Object> c) {
        return name((String) c.get("name"))
                .activation(Activations.deserialize(c.get("activation")))
                .useBias(Configs.bool(c, "use_bias", true))
                .kernelInitializer(Configs.initializer(c.get("kernel_initializer"), Initializers.glorotUniform()))
                .biasInitializer(Configs.initializer(c.get("bias_initializer"), Initializers.zeros()))
                .kernelRegularizer(Configs.regularizer(c.get("kernel_regularizer")))
                .biasRegularizer(Configs.regularizer(c.get("bias_regularizer")));
    }

    /** The shared options of a built layer, frozen. */
    KernelOptions options() {
        return new KernelOptions(activation, useBias, kernelInitializer, biasInitializer, kernelRegularizer,
                biasRegularizer);
    }

    /** The shared options as a layer keeps them. */
    record KernelOptions(ActivationFunction activation, boolean useBias, Initializer kernelInitializer,
            Initializer biasInitializer, Regularizer kernelRegularizer, Regularizer biasRegularizer) {

        /** Writes the options under Keras's keys. */
        void writeConfig(Map<String, Object> c) {
            c.put("activation", Activations.serialize(activation));
            c.put("use_bias", useBias);
            c.put("kernel_initializer", Configs.of(kernelInitializer));
            c.put("bias_initializer", Configs.of(biasInitializer));
            c.put("kernel_regularizer", Configs.of(kernelRegularizer));
            c.put("bias_regularizer", Configs.of(biasRegularizer));
        }
    }
}
