package dev.vecgrad.train.callbacks;

import java.util.Locale;

/**
 * Whether a monitored quantity should go down ({@link #MIN}, losses) or up ({@link #MAX},
 * accuracies); {@link #AUTO} decides from the name as Keras does.
 */
public enum MonitorMode {
    /** Lower is better. */
    MIN,
    /** Higher is better. */
    MAX,
    /** MAX for names containing acc, auc, precision or recall; MIN otherwise. */
    AUTO;

    /** MIN or MAX for the metric {@code monitor}. */
    public MonitorMode resolve(String monitor) {
        if (this != AUTO) {
            return this;
        }
        String m = monitor.toLowerCase(Locale.ROOT);
        return m.contains("acc") || m.contains("auc") || m.contains("precision") || m.contains("recall") ? MAX : MIN;
    }

    /** Parses "min", "max" or "auto". */
    public static MonitorMode of(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "min" -> MIN;
            case "max" -> MAX;
            case "auto" -> AUTO;
            default -> throw new IllegalArgumentException("mode must be min, max or auto, got '" + name + "'");
        };
    }
}
