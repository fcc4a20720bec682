package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.ops.ShapeOps;
import dev.vecgrad.train.activations.ActivationFunction;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.initializers.Initializer;
import dev.vecgrad.train.initializers.Initializers;
import dev.vecgrad.train.initializers.Orthogonal;
import dev.vecgrad.train.regularizers.Regularizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The loop shared by {@link SimpleRNN}, {@link LSTM} and {@link GRU}, as Keras's {@code RNN}
 * layer around a cell: inputs {@code (batch, steps, features)} are read one step at a time,
 * each step updating the state from the step's input and the previous state.
 *
 * <p><b>Weights.</b> {@code kernel (features, gates * units)} acts on the inputs and
 * {@code recurrent_kernel (units, gates * units)} on the state; the gates are laid side by side
 * in Keras's order, so weights carry over from Keras unchanged. The input projection of every step
 * is one matrix product before the loop; only the state's product is done step by step.
 *
 * <p><b>Options.</b> {@code returnSequences}: the output is every step's hidden state
 * {@code (batch, steps, units)} instead of the last one's {@code (batch, units)}.
 * {@code goBackwards}: the steps are read last to first, and a returned sequence is in that
 * (reversed) order. {@link #run} gives the final states as well (Keras's {@code return_state}) and
 * takes initial states (Keras's {@code initial_state}); without them the state starts at zero.
 *
 * <p><b>Masking.</b> With a mask {@code (batch, steps)} (from {@link Masking} or an
 * {@link Embedding} with {@code maskZero}), a masked step leaves the state as it was, and the
 * output at that step repeats the previous one, as Keras does. The last output is therefore the
 * state after the last unmasked step. With {@code returnSequences} the mask passes on to the next
 * layer; without, it stops here.
 */
public abstract class RecurrentLayer extends Layer {
    private final int units;
    private final boolean returnSequences;
    private final boolean goBackwards;
    private final ActivationFunction activation;
    private final boolean useBias;
    private final Initializer kernelInitializer;
    private final Initializer recurrentInitializer;
    private final Initializer biasInitializer;
    private final Regularizer kernelRegularizer;
    private final Regularizer recurrentRegularizer;
    private final Regularizer biasRegularizer;
    private Variable kernel;
    private Variable recurrentKernel;
    private Variable bias;

    /** The final output and states of {@link #run}: the output as {@code call} gives it, then the states (h, and c for an LSTM). */
    public record Output(Tensor output, List<Tensor> states) {
    }

    /** From the shared options of {@code b}. */
    protected RecurrentLayer(Builder<?> b) {
        super(b.name);
        if (b.units <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": units must be positive, got " + b.units);
        }
        this.units = b.units;
        this.returnSequences = b.returnSequences;
        this.goBackwards = b.goBackwards;
        this.activation = b.activation;
        this.useBias = b.useBias;
        this.kernelInitializer = b.kernelInitializer;
        this.recurrentInitializer = b.recurrentInitializer;
        this.biasInitializer = b.biasInitializer;
        this.kernelRegularizer = b.kernelRegularizer;
        this.recurrentRegularizer = b.recurrentRegularizer;
        this.biasRegularizer = b.biasRegularizer;
    }

    /**
     * The optional arguments shared by the recurrent layers, starting from Keras's defaults.
     *
     * @param <B> the concrete builder, returned by every setter
     */
    public abstract static class Builder<B extends Builder<B>> {
        private final int units;
        private String name;
        private boolean returnSequences;
        private boolean goBackwards;
        private ActivationFunction activation = Activations.tanh();
        private boolean useBias = true;
        private Initializer kernelInitializer = Initializers.glorotUniform();
        private Initializer recurrentInitializer = new Orthogonal();
        private Initializer biasInitializer = Initializers.zeros();
        private Regularizer kernelRegularizer;
        private Regularizer recurrentRegularizer;
        private Regularizer biasRegularizer;

        /** A builder for a layer of {@code units} hidden units. */
        protected Builder(int units) {
            this.units = units;
        }

        /** This builder, typed as the concrete one. */
        protected abstract B self();

        /** The layer's name (default from its class: {@code lstm}, {@code lstm_1}, ...). */
        public B name(String name) {
            this.name = name;
            return self();
        }

        /** Whether the output is every step's state (default false: the last step's only). */
        public B returnSequences(boolean returnSequences) {
            this.returnSequences = returnSequences;
            return self();
        }

        /** Whether the steps are read last to first (default false). */
        public B goBackwards(boolean goBackwards) {
            this.goBackwards = goBackwards;
            return self();
        }

        /** The activation of the candidate state and output (default tanh). */
        public B activation(ActivationFunction activation) {
            this.activation = activation == null ? Activations.linear() : activation;
            return self();
        }

        /** The activation by Keras name. */
        public B activation(String activation) {
            return activation(Activations.get(activation));
        }

        /** Whether to add biases (default true). */
        public B useBias(boolean useBias) {
            this.useBias = useBias;
            return self();
        }

        /** The input kernel's initializer (default Glorot uniform). */
        public B kernelInitializer(Initializer init) {
            this.kernelInitializer = init;
            return self();
        }

        /** The recurrent kernel's initializer (default orthogonal). */
        public B recurrentInitializer(Initializer init) {
            this.recurrentInitializer = init;
            return self();
        }

        /** The bias's initializer (default zeros). */
        public B biasInitializer(Initializer init) {
            this.biasInitializer = init;
            return self();
        }

        /** A penalty on the input kernel. */
        public B kernelRegularizer(Regularizer reg) {
            this.kernelRegularizer = reg;
            return self();
        }

        /** A penalty on the recurrent kernel. */
        public B recurrentRegularizer(Regularizer reg) {
            this.recurrentRegularizer = reg;
            return self();
        }

        /** A penalty on the bias. */
        public B biasRegularizer(Regularizer reg) {
            this.biasRegularizer = reg;
            return self();
        }

        /** Reads the shared options from a saved config, as {@link RecurrentLayer#getConfig()} writes them. */
        B fromConfig(Map<String, Object> c) {
            return name((String) c.get("name"))
                    .returnSequences(Configs.bool(c, "return_sequences", false))
                    .goBackwards(Configs.bool(c, "go_backwards", false))
                    .activation(Activations.deserialize(c.get("activation")))
                    .useBias(Configs.bool(c, "use_bias", true))
                    .kernelInitializer(Configs.initializer(c.get("kernel_initializer"), Initializers.glorotUniform()))
                    .recurrentInitializer(Configs.initializer(c.get("recurrent_initializer"), new Orthogonal()))
                    .biasInitializer(Configs.initializer(c.get("bias_initializer"), Initializers.zeros()))
                    .kernelRegularizer(Configs.regularizer(c.get("kernel_regularizer")))
                    .recurrentRegularizer(Configs.regularizer(c.get("recurrent_regularizer")))
                    .biasRegularizer(Configs.regularizer(c.get("bias_regularizer")));
        }
    }

    // ---------------------------------------------------------------------------------------
    // What each kind of cell says.

    /** The number of gate blocks side by side in the kernels (1, 3 or 4). */
    protected abstract int gates();

    /** The number of state tensors (1, or 2 for an LSTM's h and c). */
    protected int stateCount() {
        return 1;
    }

    /** The bias's shape; the default is one bias per gate column, {@code (gates * units)}. */
    protected int[] biasShape() {
        return new int[] {gates() * units};
    }

    /** The bias's initializer as configured; a cell may build the bias's initial value from it in parts. */
    protected Initializer biasInitializer() {
        return biasInitializer;
    }

    /** How the bias starts; the default is {@link #biasInitializer()} (an LSTM sets its forget gate's to one). */
    protected Initializer initialBias() {
        return biasInitializer;
    }

    /** The bias added to the input projection (the whole bias by default). */
    protected Tensor inputBias() {
        return bias.value();
    }

    /**
     * One step: the new states (hidden state first) from the step's input projection
     * {@code xz (batch, gates * units)} (bias included) and the previous {@code states}.
     */
    protected abstract Tensor[] step(Tensor xz, Tensor[] states);

    // ---------------------------------------------------------------------------------------
    // The loop.

    @Override
    protected void build(Shape inputShape) {
        if (inputShape.rank() != 3) {
            throw new IllegalArgumentException(className() + " '" + name()
                    + "' needs inputs (batch, steps, features), got " + inputShape);
        }
        int features = inputShape.dim(2);
        kernel = addWeight("kernel", new int[] {features, gates() * units}, kernelInitializer, kernelRegularizer, true);
        recurrentKernel = addWeight("recurrent_kernel", new int[] {units, gates() * units}, recurrentInitializer,
                recurrentRegularizer, true);
        if (useBias) {
            bias = addWeight("bias", biasShape(), initialBias(), biasRegularizer, true);
        }
    }

    @Override
    protected void checkInputShape(Shape builtFor, Shape given) {
        if (given.rank() != 3 || given.dim(2) != builtFor.dim(2)) {
            throw new IllegalArgumentException(incompatible(builtFor, given) + " (inputs are (batch, steps, "
                    + builtFor.dim(2) + "))");
        }
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        return run(x, null, null, training).output();
    }

    @Override
    protected Tensor forward(Tensor x, Tensor mask, boolean training) {
        return run(x, mask, null, training).output();
    }

    /**
     * Runs the layer on {@code x (batch, steps, features)}, building it on the first call, and
     * returns the output with the final states.
     *
     * @param mask {@code (batch, steps)}, 0 at padded steps; or null
     * @param initialState one {@code (batch, units)} tensor per state ({@link #stateCount()}), or
     *     null to start from zeros
     */
    public final Output run(Tensor x, Tensor mask, List<Tensor> initialState, boolean training) {
        prepare(x);
        int batch = x.shape().dim(0);
        int steps = x.shape().dim(1);
        if (mask != null) {
            Masks.check(mask, x);
            if (mask.rank() != 2) {
                throw new IllegalArgumentException(className() + " '" + name() + "' takes a mask (batch, steps) = ("
                        + batch + ", " + steps + "), got " + mask.shape());
            }
        }
        Tensor[] states = initialStates(x, initialState, batch);
        // Time-major input projection: step t is then a contiguous (batch, gates * units) block.
        Tensor xz = x.transpose(0, 1).matmul(kernel.value());
        if (useBias) {
            xz = xz.add(inputBias());
        }
        Tensor m = mask == null ? null : Masks.expandTo(mask, x).transpose(0, 1);
        List<Tensor> outputs = returnSequences ? new ArrayList<>(steps) : null;
        for (int s = 0; s < steps; s++) {
            int t = goBackwards ? steps - 1 - s : s;
            Tensor[] next = step(xz.slice(0, t, t + 1).reshape(batch, -1), states);
            if (m != null) {
                Tensor keep = m.slice(0, t, t + 1).reshape(batch, 1);
                for (int i = 0; i < next.length; i++) {
                    next[i] = Tensor.where(keep, next[i], states[i]);
                }
            }
            states = next;
            if (outputs != null) {
                outputs.add(states[0]);
            }
        }
        Tensor output = outputs == null ? states[0] : ShapeOps.stack(outputs, 1);
        return new Output(output, List.of(states));
    }

    private Tensor[] initialStates(Tensor x, List<Tensor> initialState, int batch) {
        Tensor[] states = new Tensor[stateCount()];
        if (initialState == null) {
            for (int i = 0; i < states.length; i++) {
                states[i] = Tensor.zeros(dtype(), batch, units);
            }
            return states;
        }
        if (initialState.size() != states.length) {
            throw new IllegalArgumentException(className() + " '" + name() + "' has " + states.length
                    + " state(s), got " + initialState.size() + " initial states");
        }
        for (int i = 0; i < states.length; i++) {
            Tensor s = initialState.get(i);
            if (!s.shape().equals(Shape.of(batch, units)) || s.dtype() != dtype()) {
                throw new IllegalArgumentException(className() + " '" + name() + "': initial state " + i
                        + " must be " + dtype() + " (" + batch + ", " + units + ") for an input of shape " + x.shape()
                        + ", got " + s.dtype() + " " + s.shape());
            }
            states[i] = s;
        }
        return states;
    }

    /** Passes a mask on only when returning sequences (steps stay steps). */
    @Override
    public Tensor computeMask(Tensor x, Tensor mask) {
        return returnSequences ? mask : null;
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return returnSequences ? Shape.of(inputShape.dim(0), inputShape.dim(1), units)
                : Shape.of(inputShape.dim(0), units);
    }

    // ---------------------------------------------------------------------------------------
    // For the cells.

    /** {@code h · recurrent_kernel}, the state's contribution to every gate. */
    protected final Tensor recurrent(Tensor h) {
        return h.matmul(recurrentKernel.value());
    }

    /** Columns {@code [gate * units, (gate + 1) * units)} of {@code z}: one gate's block. */
    protected final Tensor gate(Tensor z, int gate) {
        return z.slice(1, gate * units, (gate + 1) * units);
    }

    /** The activation of the candidate state and output. */
    protected final ActivationFunction activation() {
        return activation;
    }

    /** The bias variable (null before building or without bias). */
    public final Variable bias() {
        return bias;
    }

    /** The input kernel {@code (features, gates * units)} (null before building). */
    public final Variable kernel() {
        return kernel;
    }

    /** The recurrent kernel {@code (units, gates * units)} (null before building). */
    public final Variable recurrentKernel() {
        return recurrentKernel;
    }

    /** The number of hidden units. */
    public final int units() {
        return units;
    }

    /** Whether the output is every step's state. */
    public final boolean returnSequences() {
        return returnSequences;
    }

    /** Whether the steps are read last to first. */
    public final boolean goBackwards() {
        return goBackwards;
    }

    /** Whether there are biases. */
    protected final boolean useBias() {
        return useBias;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("units", units);
        c.put("activation", Activations.serialize(activation));
        c.put("use_bias", useBias);
        c.put("kernel_initializer", Configs.of(kernelInitializer));
        c.put("recurrent_initializer", Configs.of(recurrentInitializer));
        c.put("bias_initializer", Configs.of(biasInitializer));
        c.put("kernel_regularizer", Configs.of(kernelRegularizer));
        c.put("recurrent_regularizer", Configs.of(recurrentRegularizer));
        c.put("bias_regularizer", Configs.of(biasRegularizer));
        c.put("return_sequences", returnSequences);
        c.put("go_backwards", goBackwards);
        return c;
    }
}
