package dev.vecgrad.train.initializers;

import dev.vecgrad.train.initializers.VarianceScaling.Distribution;
import dev.vecgrad.train.initializers.VarianceScaling.Mode;
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
     * The initializer Keras calls {@code name} (snake case or class name), with default arguments:
     * glorot_uniform, glorot_normal, he_normal, he_uniform, zeros, ones, random_normal,
     * random_uniform.
     */
    public static Initializer get(String name) {
        return switch (name.toLowerCase(Locale.ROOT).replace("_", "")) {
            case "glorotuniform" -> glorotUniform();
            case "glorotnormal" -> glorotNormal();
            case "henormal" -> heNormal();
            case "heuniform" -> heUniform();
            case "zeros" -> zeros();
            case "ones" -> ones();
            case "randomnormal" -> new RandomNormal(0, 0.05);
            case "randomuniform" -> new RandomUniform(-0.05, 0.05);
            case "orthogonal" -> new Orthogonal();
            default -> throw new IllegalArgumentException("unknown initializer '" + name
                    + "'; known: glorot_uniform, glorot_normal, he_normal, he_uniform, zeros, ones, random_normal,"
                    + " random_uniform, orthogonal (or build a Constant or VarianceScaling)");
        };
    }

    /** Rebuilds an initializer from its {@link Initializer#className()} and {@link Initializer#getConfig()}. */
    public static Initializer fromConfig(String className, Map<String, Object> config) {
        Long seed = config.get("seed") == null ? null : ((Number) config.get("seed")).longValue();
        return switch (className) {
            case "GlorotUniform" -> glorotUniform(seed);
            case "GlorotNormal" -> glorotNormal(seed);
            case "HeNormal" -> heNormal(seed);
            case "HeUniform" -> heUniform(seed);
            case "Zeros" -> zeros();
            case "Ones" -> ones();
            case "Constant" -> constant(num(config, "value"));
            case "RandomNormal" -> new RandomNormal(num(config, "mean"), num(config, "stddev"), seed);
            case "RandomUniform" -> new RandomUniform(num(config, "minval"), num(config, "maxval"), seed);
            case "Orthogonal" -> new Orthogonal(num(config, "gain"), seed);
            case "VarianceScaling" -> new VarianceScaling(num(config, "scale"),
                    Mode.valueOf(((String) config.get("mode")).toUpperCase(Locale.ROOT)),
                    Distribution.valueOf(((String) config.get("distribution")).toUpperCase(Locale.ROOT)), seed);
            default -> throw new IllegalArgumentException("unknown initializer class '" + className + "'");
        };
    }

    private static double num(Map<String, Object> config, String key) {
        Object v = config.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("initializer config needs a number '" + key + "', got " + v);
        }
        return n.doubleValue();
    }
}
