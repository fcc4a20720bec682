package dev.vecgrad.train.layers;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.RecurrentOps;
import dev.vecgrad.core.ops.ShapeOps;
import dev.vecgrad.train.activations.ActivationFunction;
import dev.vecgrad.train.initializers.Initializer;
import dev.vecgrad.train.initializers.Initializers;
import java.util.List;
import java.util.Map;

/**
 * Long short-term memory, as Keras's {@code LSTM}: with {@code z = x·kernel + h·recurrent_kernel +
 * bias} split into the input, forget, candidate and output gates (Keras's order i, f, c, o),
 * <pre>
 *   i = σ(z_i)   f = σ(z_f)   g = tanh(z_c)   o = σ(z_o)
 *   c' = f·c + i·g            h' = o·tanh(c')
 * </pre>
 * where σ is the recurrent activation (sigmoid) and tanh the activation. The states are h and c;
 * the output is h. With {@code unitForgetBias} (the default) the forget gate's bias starts at one.
 * Sequences, direction, masking and states are described in {@link RecurrentLayer}.
 *
 * <pre>{@code
 * import dev.vecgrad.train.Sequential;
 *
 * Sequential lm = new Sequential(new Embedding(vocab, 64),
 *         LSTM.builder(256).returnSequences(true).build(),
 *         new Dense(vocab));
 * }</pre>
 */
public final class LSTM extends GatedRecurrentLayer {
    private final boolean unitForgetBias;

    /** {@code units} hidden units with Keras's defaults, returning the last step's output. */
    public LSTM(int units) {
        this(builder(units));
    }

    private LSTM(Builder b) {
        super(b);
        this.unitForgetBias = b.unitForgetBias;
    }

    /** A builder starting from Keras's defaults. */
    public static Builder builder(int units) {
        return new Builder(units);
    }

    /** Optional arguments of {@link LSTM}. */
    public static final class Builder extends GatedRecurrentLayer.Builder<Builder> {
        private boolean unitForgetBias = true;

        private Builder(int units) {
            super(units);
        }

        @Override
        Builder self() {
            return this;
        }

        /** Whether the forget gate's bias starts at one (default true). */
        public Builder unitForgetBias(boolean unitForgetBias) {
            this.unitForgetBias = unitForgetBias;
            return this;
        }

        /** The layer. */
        public LSTM build() {
            return new LSTM(this);
        }
    }

    @Override
    protected int gates() {
        return 4;
    }

    @Override
    protected int stateCount() {
        return 2;
    }

    @Override
    protected Initializer initialBias() {
        return unitForgetBias ? new ForgetBiasOne(biasInitializer()) : biasInitializer();
    }

    /** The configured bias initializer for the input, candidate and output gates, ones for the forget gate. */
    private record ForgetBiasOne(Initializer rest) implements Initializer {
        @Override
        public Tensor initialize(Shape shape, DType dtype, Rng rng) {
            int units = shape.dim(0) / 4;
            return ShapeOps.concat(List.of(rest.initialize(Shape.of(units), dtype, rng),
                    Initializers.ones().initialize(Shape.of(units), dtype, rng),
                    rest.initialize(Shape.of(2 * units), dtype, rng)), 0);
        }

        @Override
        public String className() {
            return rest.className();
        }

        @Override
        public Map<String, Object> getConfig() {
            return rest.getConfig();
        }
    }

    /**
     * With the default activations (sigmoid gates, tanh), the whole sequence as one op,
     * {@link RecurrentOps#lstmSequence}, whose packed output holds each step's h and c (and gates):
     * the sequence is the view of the h parts. Other activations run step by step.
     */
    @Override
    protected Scan scan(Tensor xz, Tensor mask, Tensor[] states, boolean sequence) {
        if (!is(recurrentActivation(), "sigmoid") || !is(activation(), "tanh")) {
            return scanSteps(xz, mask, states, sequence, this::step);
        }
        int units = units();
        int steps = xz.shape().dim(0);
        Tensor packed = RecurrentOps.lstmSequence(xz, recurrentKernel().value(), states[0], states[1], mask);
        Tensor last = packed.slice(0, steps - 1, steps).reshape(xz.shape().dim(1), 6 * units);
        return new Scan(sequence ? packed.slice(2, 0, units) : null,
                new Tensor[] {last.slice(1, 0, units), last.slice(1, units, 2 * units)});
    }

    private static boolean is(ActivationFunction f, String name) {
        return f.name().equals(name) && f.parameters().isEmpty();
    }

    /** One step with any activations; see the class comment for the formulas. */
    private Tensor[] step(Tensor xz, Tensor[] states) {
        Tensor h = states[0];
        Tensor c = states[1];
        Tensor z = xz.add(recurrent(h));
        Tensor i = recurrentActivation().apply(gate(z, 0));
        Tensor f = recurrentActivation().apply(gate(z, 1));
        Tensor g = activation().apply(gate(z, 2));
        Tensor o = recurrentActivation().apply(gate(z, 3));
        Tensor c2 = f.mul(c).add(i.mul(g));
        Tensor h2 = o.mul(activation().apply(c2));
        return new Tensor[] {h2, c2};
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("unit_forget_bias", unitForgetBias);
        return c;
    }

    static LSTM fromConfig(Map<String, Object> c) {
        return builder(Configs.integer(c, "units")).fromConfig(c)
                .unitForgetBias(Configs.bool(c, "unit_forget_bias", true))
                .build();
    }
}
