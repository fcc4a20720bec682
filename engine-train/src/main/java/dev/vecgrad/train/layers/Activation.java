package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.activations.ActivationFunction;
import dev.vecgrad.train.activations.Activations;
import java.util.Map;

/**
 * Applies an activation function as a layer of its own (Keras's {@code Activation}); it has no
 * weights and keeps the shape.
 *
 * <pre>{@code
 * new Activation("relu").call(x);
 * }</pre>
 */
public final class Activation extends Layer {
    private final ActivationFunction function;

    /** The activation Keras calls {@code name}. */
    public Activation(String name) {
        this(Activations.get(name), null);
    }

    /** {@code function} as a layer named {@code layerName} (null: default). */
    public Activation(ActivationFunction function, String layerName) {
        super(layerName);
        this.function = function;
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        return function.apply(x);
    }

    @Override
    protected void checkInputShape(Shape builtFor, Shape given) {
        // Elementwise (softmax: per row), so any shape works.
    }

    /** Acts on each position alone, so a mask passes through unchanged. */
    @Override
    public boolean supportsMasking() {
        return true;
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return inputShape;
    }

    /** The function applied. */
    public ActivationFunction function() {
        return function;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("activation", Activations.serialize(function));
        return c;
    }
}
