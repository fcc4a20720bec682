package dev.vecgrad.train.initializers;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Normal samples with a mean and standard deviation (Keras defaults 0 and 0.05). With a seed the
 * initializer draws from its own generator seeded with it, ignoring the one the layer passes;
 * without, from the layer's.
 */
public final class RandomNormal implements Initializer {
    private final double mean;
    private final double stddev;
    private final Long seed;

    /** Normal(mean, stddev) from the layer's generator. */
    public RandomNormal(double mean, double stddev) {
        this(mean, stddev, null);
    }

    /** Normal(mean, stddev) from a generator seeded with {@code seed} (null: the layer's). */
    public RandomNormal(double mean, double stddev, Long seed) {
        if (!(stddev >= 0)) {
            throw new IllegalArgumentException("RandomNormal: stddev must be non-negative, got " + stddev);
        }
        this.mean = mean;
        this.stddev = stddev;
        this.seed = seed;
    }

    @Override
    public Tensor initialize(Shape shape, DType dtype, Rng rng) {
        Rng r = seed == null ? rng : new Rng(seed);
        return Fill.of(shape, dtype, () -> mean + stddev * r.nextGaussian());
    }

    @Override
    public String className() {
        return "RandomNormal";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("mean", mean);
        c.put("stddev", stddev);
        c.put("seed", seed);
        return c;
    }
}
