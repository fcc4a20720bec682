package dev.vecgrad.train.regularizers;

import java.util.Locale;
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
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "l1" -> l1(0.01);
            case "l2" -> l2(0.01);
            case "l1_l2", "l1l2" -> l1l2(0.01, 0.01);
            default -> throw new IllegalArgumentException("unknown regularizer '" + name + "'; known: l1, l2, l1_l2");
        };
    }

    /** Rebuilds a regularizer from its class name and config. */
    public static Regularizer fromConfig(String className, Map<String, Object> config) {
        double l1 = config.get("l1") instanceof Number n ? n.doubleValue() : 0;
        double l2 = config.get("l2") instanceof Number n ? n.doubleValue() : 0;
        return switch (className) {
            case "L1" -> l1(l1);
            case "L2" -> l2(l2);
            case "L1L2" -> l1l2(l1, l2);
            default -> throw new IllegalArgumentException("unknown regularizer class '" + className + "'");
        };
    }
}
