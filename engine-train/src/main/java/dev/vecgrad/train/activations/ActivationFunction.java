package dev.vecgrad.train.activations;

import dev.vecgrad.core.Tensor;
import java.util.Map;

/**
 * An elementwise (or, for softmax, per-row) nonlinearity written with tensor ops, so a gradient
 * tape differentiates it. {@link Activations} makes them by name or with parameters.
 *
 * <pre>{@code
 * ActivationFunction f = Activations.get("relu");
 * Tensor y = f.apply(x);
 * }</pre>
 */
public interface ActivationFunction {

    /** f(x), in x's dtype. */
    Tensor apply(Tensor x);

    /** The Keras name, e.g. {@code relu}, {@code leaky_relu}. */
    String name();

    /** Parameters other than their defaults, e.g. {@code {"negative_slope": 0.1}}; empty for most. */
    Map<String, Object> parameters();
}
