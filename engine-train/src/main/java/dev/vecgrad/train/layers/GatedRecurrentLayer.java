package dev.vecgrad.train.layers;

import dev.vecgrad.train.activations.ActivationFunction;
import dev.vecgrad.train.activations.Activations;
import java.util.Map;

/**
 * A recurrent layer with gates ({@link LSTM}, {@link GRU}): the gates go through the recurrent
 * activation (sigmoid by default), the candidate state through the activation (tanh).
 */
public abstract class GatedRecurrentLayer extends RecurrentLayer {
    private final ActivationFunction recurrentActivation;

    /** From the options of {@code b}. */
    protected GatedRecurrentLayer(Builder<?> b) {
        super(b);
        this.recurrentActivation = b.recurrentActivation;
    }

    /**
     * The options of a gated layer, starting from Keras's defaults.
     *
     * @param <B> the concrete builder, returned by every setter
     */
    public abstract static class Builder<B extends Builder<B>> extends RecurrentLayer.Builder<B> {
        private ActivationFunction recurrentActivation = Activations.sigmoid();

        /** A builder for a layer of {@code units} hidden units. */
        Builder(int units) {
            super(units);
        }

        /** The gates' activation (default sigmoid). */
        public B recurrentActivation(ActivationFunction f) {
            this.recurrentActivation = f == null ? Activations.linear() : f;
            return self();
        }

        /** The gates' activation by Keras name. */
        public B recurrentActivation(String f) {
            return recurrentActivation(Activations.get(f));
        }

        @Override
        B fromConfig(Map<String, Object> c) {
            return super.fromConfig(c).recurrentActivation(Activations.deserialize(c.get("recurrent_activation")));
        }
    }

    /** The gates' activation. */
    protected final ActivationFunction recurrentActivation() {
        return recurrentActivation;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("recurrent_activation", Activations.serialize(recurrentActivation));
        return c;
    }
}
