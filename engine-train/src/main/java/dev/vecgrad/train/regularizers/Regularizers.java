package dev.vecgrad.train.regularizers;

import dev.vecgrad.train.registry.Registry;
import java.util.Map;

/**
 * Factories for the weight penalties and look-up by Keras name ({@code "l1"}, {@code "l2"},
 * {@code "l1_l2"}, each with Keras's default factor 0.01).
 *
 * <pre>{@code
 * Regularizer r = Regularizers.l2(1e-4);
 * }</pre>
 */
public final class Regularizers {
    /**
     * Every built-in regularizer class with its Keras name: l1, l2, l1_l2; a factor missing from
     * a config takes Keras's default 0.01 (0 for the absent half of L1 and L2).
     */
    public static final Registry<Regularizer> REGISTRY = new Registry<Regularizer>("regularizer")
            .register("L1", c -> l1(num(c, "l1", 0.01)), "l1")
            .register("L2", c -> l2(num(c, "l2", 0.01)), "l2")
            .register("L1L2", c -> l1l2(num(c, "l1", 0.01), num(c, "l2", 0.01)), "l1_l2")
            .close();

    private Regularizers() {
    }

    /** {@code l1 * sum(|w|)}. */
    public static Regularizer l1(double l1) {
        return new L1L2(l1, 0, "L1");
    }

    /** {@code l2 * sum(w²)}. */
    public static Regularizer l2(double l2) {
        return new L1L2(0, l2, "L2");
    }

    /** {@code l1 * sum(|w|) + l2 * sum(w²)}. */
    public static Regularizer l1l2(double l1, double l2) {
        return new L1L2(l1, l2, "L1L2");
    }

    /** By Keras name with default factors: l1 and l2 (0.01), l1_l2 (0.01 each). */
    public static Regularizer get(String name) {
        return REGISTRY.get(name);
    }

    /** Rebuilds a regularizer from its class name and config. */
    public static Regularizer fromConfig(String className, Map<String, Object> config) {
        return REGISTRY.fromConfig(className, config);
    }

    private static double num(Map<String, Object> c, String key, double fallback) {
        return c.get(key) instanceof Number n ? n.doubleValue() : fallback;
    }
}
