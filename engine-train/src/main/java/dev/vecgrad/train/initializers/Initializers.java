package dev.vecgrad.train.initializers;

import dev.vecgrad.train.initializers.VarianceScaling.Distribution;
import dev.vecgrad.train.initializers.VarianceScaling.Mode;
import dev.vecgrad.train.registry.Registry;
import java.util.Locale;
import java.util.Map;

/**
 * Factories for the initializers, and look-up by Keras name ({@code "glorot_uniform"},
 * {@code "he_normal"}, {@code "zeros"}, ...) or by saved config. Seeds are optional: without one
 * an initializer draws from the generator the layer passes (see {@code Layer} for how layers
 * seed it).
 *
 * <pre>{@code
 * Initializer k = Initializers.get("he_normal");
 * Initializer b = Initializers.constant(0.1);
 * }</pre>
 */
public final class Initializers {
    /**
     * Every built-in initializer class with its Keras name: glorot_uniform, glorot_normal,
     * he_normal, he_uniform, zeros, ones, constant, random_normal, random_uniform,
     * variance_scaling. Arguments missing from a config take Keras's defaults.
     */
    public static final Registry<Initializer> REGISTRY = new Registry<Initializer>("initializer")
            .register("GlorotUniform", c -> glorotUniform(seed(c)), "glorot_uniform")
            .register("GlorotNormal", c -> glorotNormal(seed(c)), "glorot_normal")
            .register("HeNormal", c -> heNormal(seed(c)), "he_normal")
            .register("HeUniform", c -> heUniform(seed(c)), "he_uniform")
            .register("Zeros", c -> zeros(), "zeros")
            .register("Ones", c -> ones(), "ones")
            .register("Constant", c -> constant(num(c, "value", 0)), "constant")
            .register("RandomNormal", c -> new RandomNormal(num(c, "mean", 0), num(c, "stddev", 0.05), seed(c)),
                    "random_normal")
            .register("RandomUniform", c -> new RandomUniform(num(c, "minval", -0.05), num(c, "maxval", 0.05),
                    seed(c)), "random_uniform")
            .register("Orthogonal", c -> new Orthogonal(num(c, "gain", 1.0), seed(c)), "orthogonal")
            .register("VarianceScaling", c -> new VarianceScaling(num(c, "scale", 1.0),
                    Mode.valueOf(string(c, "mode", "fan_in").toUpperCase(Locale.ROOT)),
                    Distribution.valueOf(string(c, "distribution", "truncated_normal").toUpperCase(Locale.ROOT)),
                    seed(c)), "variance_scaling")
            .close();

    private Initializers() {
    }

    /** Uniform with limit sqrt(6 / (fan_in + fan_out)); Keras's default kernel initializer. */
    public static Initializer glorotUniform() {
        return glorotUniform(null);
    }

    /** {@link #glorotUniform()} with its own seed. */
    public static Initializer glorotUniform(Long seed) {
        return new VarianceScaling("GlorotUniform", 1.0, Mode.FAN_AVG, Distribution.UNIFORM, seed);
    }

    /** Truncated normal with variance 2 / (fan_in + fan_out). */
    public static Initializer glorotNormal() {
        return glorotNormal(null);
    }

    /** {@link #glorotNormal()} with its own seed. */
    public static Initializer glorotNormal(Long seed) {
        return new VarianceScaling("GlorotNormal", 1.0, Mode.FAN_AVG, Distribution.TRUNCATED_NORMAL, seed);
    }

    /** Truncated normal with variance 2 / fan_in (for ReLU networks). */
    public static Initializer heNormal() {
        return heNormal(null);
    }

    /** {@link #heNormal()} with its own seed. */
    public static Initializer heNormal(Long seed) {
        return new VarianceScaling("HeNormal", 2.0, Mode.FAN_IN, Distribution.TRUNCATED_NORMAL, seed);
    }

    /** Uniform with limit sqrt(6 / fan_in). */
    public static Initializer heUniform() {
        return heUniform(null);
    }

    /** {@link #heUniform()} with its own seed. */
    public static Initializer heUniform(Long seed) {
        return new VarianceScaling("HeUniform", 2.0, Mode.FAN_IN, Distribution.UNIFORM, seed);
    }

    /** All zeros; the default bias initializer. */
    public static Initializer zeros() {
        return new Constant(0, "Zeros");
    }

    /** All ones. */
    public static Initializer ones() {
        return new Constant(1, "Ones");
    }

    /** All {@code value}. */
    public static Initializer constant(double value) {
        return new Constant(value);
    }

    /** Normal(mean, stddev) with an optional seed. */
    public static Initializer randomNormal(double mean, double stddev, Long seed) {
        return new RandomNormal(mean, stddev, seed);
    }

    /** Uniform in [minval, maxval) with an optional seed. */
    public static Initializer randomUniform(double minval, double maxval, Long seed) {
        return new RandomUniform(minval, maxval, seed);
    }

    /**
     * The initializer Keras calls {@code name} (snake case or class name), with default arguments
     * (see {@link #REGISTRY}).
     */
    public static Initializer get(String name) {
        return REGISTRY.get(name);
    }

    /** Rebuilds an initializer from its {@link Initializer#className()} and {@link Initializer#getConfig()}. */
    public static Initializer fromConfig(String className, Map<String, Object> config) {
        return REGISTRY.fromConfig(className, config);
    }

    private static Long seed(Map<String, Object> config) {
        return config.get("seed") instanceof Number n ? n.longValue() : null;
    }

    private static double num(Map<String, Object> config, String key, double fallback) {
        Object v = config.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("initializer config '" + key + "' must be a number, got " + v);
        }
        return n.doubleValue();
    }

    private static String string(Map<String, Object> config, String key, String fallback) {
        return config.get(key) instanceof String s ? s : fallback;
    }
}
