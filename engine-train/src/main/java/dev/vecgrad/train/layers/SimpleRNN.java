package dev.vecgrad.train.layers;

import dev.vecgrad.core.Tensor;
import java.util.Map;

/**
 * A fully connected recurrent layer, as Keras's {@code SimpleRNN}:
 * {@code h' = tanh(x·kernel + h·recurrent_kernel + bias)} (the activation is configurable), and
 * the output is h. Sequences, direction, masking and states are described in
 * {@link RecurrentLayer}.
 *
 * <pre>{@code
 * SimpleRNN rnn = SimpleRNN.builder(16).returnSequences(true).build();
 * rnn.call(Tensor.zeros(8, 20, 4));   // (8, 20, 16)
 * }</pre>
 */
public final class SimpleRNN extends RecurrentLayer {

    /** {@code units} hidden units with Keras's defaults, returning the last step's output. */
    public SimpleRNN(int units) {
        this(builder(units));
    }

    private SimpleRNN(Builder b) {
        super(b);
    }

    /** A builder starting from Keras's defaults. */
    public static Builder builder(int units) {
        return new Builder(units);
    }

    /** Optional arguments of {@link SimpleRNN}. */
    public static final class Builder extends RecurrentLayer.Builder<Builder> {
        private Builder(int units) {
            super(units);
        }

        @Override
        Builder self() {
            return this;
        }

        /** The layer. */
        public SimpleRNN build() {
            return new SimpleRNN(this);
        }
    }

    @Override
    protected int gates() {
        return 1;
    }

    @Override
    protected Scan scan(Tensor xz, Tensor mask, Tensor[] states, boolean sequence) {
        return scanSteps(xz, mask, states, sequence,
                (x, s) -> new Tensor[] {activation().apply(x.add(recurrent(s[0])))});
    }

    static SimpleRNN fromConfig(Map<String, Object> c) {
        return builder(Configs.integer(c, "units")).fromConfig(c).build();
    }
}
