package dev.vecgrad.train.initializers;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Uniform samples in [minval, maxval) (Keras defaults -0.05 and 0.05; the default of
 * {@code Embedding}). A seed, when given, wins over the layer's generator.
 */
public final class RandomUniform implements Initializer {
    private final double minval;
    private final double maxval;
    private final Long seed;

    /** Uniform in [minval, maxval) from the layer's generator. */
    public RandomUniform(double minval, double maxval) {
        this(minval, maxval, null);
    }

    /** Uniform in [minval, maxval) from a generator seeded with {@code seed} (null: the layer's). */
    public RandomUniform(double minval, double maxval, Long seed) {
        if (!(minval <= maxval)) {
            throw new IllegalArgumentException("RandomUniform: minval " + minval + " is above maxval " + maxval);
        }
        this.minval = minval;
        this.maxval = maxval;
        this.seed = seed;
    }

    @Override
    public Tensor initialize(Shape shape, DType dtype, Rng rng) {
        Rng r = seed == null ? rng : new Rng(seed);
        return Fill.of(shape, dtype, () -> minval + (maxval - minval) * r.nextDouble());
    }

    @Override
    public String className() {
        return "RandomUniform";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("minval", minval);
        c.put("maxval", maxval);
        c.put("seed", seed);
        return c;
    }
}
