package dev.vecgrad.train.initializers;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.util.Map;

/**
 * Makes the initial value of a weight. Randomness comes only from the {@link Rng} passed in (or
 * a seed the initializer was built with, which then wins): there is no hidden global seed.
 *
 * <p>Layers pass an {@code Rng} derived from their seed and the variable's name (see
 * {@code Layer}), so the same seed and names give the same weights in any order of building.
 *
 * <pre>{@code
 * Tensor w = Initializers.glorotUniform().initialize(Shape.of(784, 128), DType.F32, new Rng(42));
 * }</pre>
 */
public interface Initializer {

    /** A new tensor of {@code shape} and floating {@code dtype}, drawing any randomness from {@code rng}. */
    Tensor initialize(Shape shape, DType dtype, Rng rng);

    /** The Keras class name, e.g. {@code GlorotUniform}, used when saving an architecture. */
    String className();

    /** The constructor arguments as JSON-able values, e.g. {@code {"seed": 42}}. */
    Map<String, Object> getConfig();
}
