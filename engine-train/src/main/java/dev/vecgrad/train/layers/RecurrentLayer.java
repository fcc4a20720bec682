package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.internal.VariableInternals;
import dev.vecgrad.core.ops.ShapeOps;
import dev.vecgrad.train.activations.ActivationFunction;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.initializers.Initializer;
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
 * (reversed) order. {@code returnState}: in a functional model the final states are outputs too
 * (Keras's {@code return_state}), and initial states may follow the sequence as inputs (Keras's
 * {@code initial_state}); from Java, {@link #run} takes and gives them. Without initial states the
 * state starts at zero.
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
    private final boolean returnState;
    private final boolean goBackwards;
    private final KernelLayerBuilder.KernelOptions options;
    private final Initializer recurrentInitializer;
    private final Regularizer recurrentRegularizer;
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
        this.returnState = b.returnState;
        this.goBackwards = b.goBackwards;
        this.options = b.options();
        this.recurrentInitializer = b.recurrentInitializer;
        this.recurrentRegularizer = b.recurrentRegularizer;
    }

    /**
     * The optional arguments shared by the recurrent layers, starting from Keras's defaults.
     *
     * @param <B> the concrete builder, returned by every setter
     */
    public abstract static class Builder<B extends Builder<B>> extends KernelLayerBuilder<B> {
        private final int units;
        private boolean returnSequences;
        private boolean returnState;
        private boolean goBackwards;
        private Initializer recurrentInitializer = new Orthogonal();
        private Regularizer recurrentRegularizer;

        /** A builder for a layer of {@code units} hidden units; the activation starts at tanh, as Keras's. */
        Builder(int units) {
            this.units = units;
            activation(Activations.tanh());
        }

        /** Whether the output is every step's state (default false: the last step's only). */
        public B returnSequences(boolean returnSequences) {
            this.returnSequences = returnSequences;
            return self();
        }

        /**
         * Whether the layer gives its final states as outputs after its output (default false), as
         * Keras's {@code return_state}: in a functional model {@code callOutputs} then gives
         * [output, h] (an LSTM: [output, h, c]).
         */
        public B returnState(boolean returnState) {
            this.returnState = returnState;
            return self();
        }

        /** Whether the steps are read last to first (default false). */
        public B goBackwards(boolean goBackwards) {
            this.goBackwards = goBackwards;
            return self();
        }

        /** The recurrent kernel's initializer (default orthogonal). */
        public B recurrentInitializer(Initializer init) {
            this.recurrentInitializer = init;
            return self();
        }

        /** A penalty on the recurrent kernel. */
        public B recurrentRegularizer(Regularizer reg) {
            this.recurrentRegularizer = reg;
            return self();
        }

        /** Reads the options from a saved config, as {@link RecurrentLayer#getConfig()} writes them. */
        B fromConfig(Map<String, Object> c) {
            return readConfig(c)
                    .returnSequences(Configs.bool(c, "return_sequences", false))
                    .returnState(Configs.bool(c, "return_state", false))
                    .goBackwards(Configs.bool(c, "go_backwards", false))
                    .recurrentInitializer(Configs.initializer(c.get("recurrent_initializer"), new Orthogonal()))
                    .recurrentRegularizer(Configs.regularizer(c.get("recurrent_regularizer")));
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
        return options.biasInitializer();
    }

    /** How the bias starts; the default is {@link #biasInitializer()} (an LSTM sets its forget gate's to one). */
    protected Initializer initialBias() {
        return options.biasInitializer();
    }

    /** The bias added to the input projection (the whole bias by default). */
    protected Tensor inputBias() {
        return VariableInternals.read(bias);
    }

    /**
     * The recurrence over all steps, in the order they are read: from the input projections
     * {@code xz (steps, batch, gates * units)} (bias included), the mask {@code (steps, batch, 1)}
     * in xz's dtype (or null) and the initial {@code states}, the hidden state after every step
     * (when {@code sequence} is asked for) and the final states. Cells without an op of their own
     * call {@link #scanSteps} with their step.
     */
    protected abstract Scan scan(Tensor xz, Tensor mask, Tensor[] states, boolean sequence);

    /**
     * What {@link #scan} gives.
     *
     * @param sequence {@code (steps, batch, units)}, the hidden state after each step, or null when
     *     not asked for
     * @param states the final states, hidden state first
     */
    protected record Scan(Tensor sequence, Tensor[] states) {
    }

    /** One step of a cell: the new states (hidden state first) from a step's {@code xz (batch, gates * units)}. */
    @FunctionalInterface
    protected interface Step {
        /** The states after the step. */
        Tensor[] apply(Tensor xz, Tensor[] states);
    }

    /** {@link #scan} as a loop over {@code step}, a masked step keeping the states it was given. */
    protected final Scan scanSteps(Tensor xz, Tensor mask, Tensor[] states, boolean sequence, Step step) {
        int steps = xz.shape().dim(0);
        int batch = xz.shape().dim(1);
        List<Tensor> outputs = sequence ? new ArrayList<>(steps) : null;
        Tensor[] current = states;
        for (int t = 0; t < steps; t++) {
            Tensor[] next = step.apply(xz.slice(0, t, t + 1).reshape(batch, -1), current);
            if (mask != null) {
                Tensor keep = mask.slice(0, t, t + 1).reshape(batch, 1);
                for (int i = 0; i < next.length; i++) {
                    next[i] = Tensor.where(keep, next[i], current[i]);
                }
            }
            current = next;
            if (outputs != null) {
                outputs.add(current[0]);
            }
        }
        return new Scan(outputs == null ? null : ShapeOps.stack(outputs, 0), current);
    }

    // ---------------------------------------------------------------------------------------
    // The loop.

    @Override
    protected void build(Shape inputShape) {
        if (inputShape.rank() != 3) {
            throw new IllegalArgumentException(className() + " '" + name()
                    + "' needs inputs (batch, steps, features), got " + inputShape);
        }
        int features = inputShape.dim(2);
        kernel = addWeight("kernel", new int[] {features, gates() * units}, options.kernelInitializer(),
                options.kernelRegularizer(), true);
        recurrentKernel = addWeight("recurrent_kernel", new int[] {units, gates() * units}, recurrentInitializer,
                recurrentRegularizer, true);
        if (options.useBias()) {
            bias = addWeight("bias", biasShape(), initialBias(), options.biasRegularizer(), true);
        }
    }

    @Override
    protected void checkInputShape(Shape builtFor, Shape given) {
        if (builtFor.rank() == 2) {
            // An initial state given as an input; run() checks it against the batch.
            requireSameAxes(builtFor, given, 1);
            return;
        }
        requireSequence(builtFor, given);
    }

    /** With initial states as inputs after the sequence: the sequence's shape, then one {@code (batch, units)} each. */
    @Override
    protected void build(List<Shape> inputShapes) {
        build(inputShapes.get(0));
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        return run(x, null, null, training).output();
    }

    /**
     * The layer in a functional model: inputs are the sequence and optionally the initial states
     * (Keras's {@code initial_state}); outputs are the output and, with {@code returnState}, the
     * final states.
     */
    @Override
    protected List<Masked> forwardOutputs(List<Tensor> inputs, List<Tensor> masks, boolean training) {
        Tensor x = inputs.get(0);
        Output out = run(x, masks.get(0), inputs.size() > 1 ? inputs.subList(1, inputs.size()) : null, training);
        List<Masked> result = new ArrayList<>();
        result.add(new Masked(out.output(), computeMask(x, masks.get(0))));
        if (returnState) {
            for (Tensor state : out.states()) {
                result.add(new Masked(state, null));
            }
        }
        return result;
    }

    @Override
    public List<Shape> computeOutputShapes(List<Shape> inputShapes) {
        Shape in = inputShapes.get(0);
        List<Shape> out = new ArrayList<>();
        out.add(computeOutputShape(in));
        for (int i = 0; returnState && i < stateCount(); i++) {
            out.add(Shape.of(in.dim(0), units));
        }
        return out;
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
        // Time-major input projection, one product for all steps: step t is then a contiguous
        // (batch, gates * units) block.
        Tensor xz = x.transpose(0, 1).matmul(VariableInternals.read(kernel));
        if (bias != null) {
            xz = xz.add(inputBias());
        }
        Tensor m = mask == null ? null : Masks.expandTo(mask, x).transpose(0, 1);
        if (goBackwards) {
            xz = xz.flip(0);
            m = m == null ? null : m.flip(0);
        }
        Scan scanned = scan(xz, m, states, returnSequences);
        Tensor output = returnSequences ? scanned.sequence().transpose(0, 1) : scanned.states()[0];
        return new Output(output, List.of(scanned.states()));
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
        return h.matmul(VariableInternals.read(recurrentKernel));
    }

    /** Columns {@code [gate * units, (gate + 1) * units)} of {@code z}: one gate's block. */
    protected final Tensor gate(Tensor z, int gate) {
        return z.slice(1, gate * units, (gate + 1) * units);
    }

    /** The activation of the candidate state and output. */
    protected final ActivationFunction activation() {
        return options.activation();
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

    /** Whether the final states are outputs too. */
    public final boolean returnState() {
        return returnState;
    }

    /** Whether the steps are read last to first. */
    public final boolean goBackwards() {
        return goBackwards;
    }

    /** Whether there are biases. */
    protected final boolean useBias() {
        return options.useBias();
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("units", units);
        options.writeConfig(c);
        c.put("recurrent_initializer", Configs.of(recurrentInitializer));
        c.put("recurrent_regularizer", Configs.of(recurrentRegularizer));
        c.put("return_sequences", returnSequences);
        c.put("return_state", returnState);
        c.put("go_backwards", goBackwards);
        return c;
    }
}
