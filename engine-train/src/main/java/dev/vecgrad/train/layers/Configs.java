package dev.vecgrad.train.layers;

import dev.vecgrad.core.io.Json;
import dev.vecgrad.core.io.Messages;
import dev.vecgrad.train.initializers.Initializer;
import dev.vecgrad.train.initializers.Initializers;
import dev.vecgrad.train.regularizers.Regularizer;
import dev.vecgrad.train.regularizers.Regularizers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading and writing the JSON-able pieces of layer configs: nested objects as Keras writes
 * them, {@code {"class_name": ..., "config": {...}}}, and typed reads that name a missing or
 * mistyped key.
 */
public final class Configs {
    private Configs() {
    }

    /** {@code {"class_name": ..., "config": ...}} for an initializer. */
    public static Map<String, Object> of(Initializer init) {
        return init == null ? null : nested(init.className(), init.getConfig());
    }

    /** {@code {"class_name": ..., "config": ...}} for a regularizer, or null. */
    public static Map<String, Object> of(Regularizer reg) {
        return reg == null ? null : nested(reg.className(), reg.getConfig());
    }

    /** A Keras-style nested object. */
    public static Map<String, Object> nested(String className, Map<String, Object> config) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class_name", className);
        m.put("config", config);
        return m;
    }

    /** The initializer an {@link #of(Initializer)} result (or a Keras name) stands for; {@code fallback} when absent. */
    public static Initializer initializer(Object o, Initializer fallback) {
        return o == null ? fallback : Initializers.REGISTRY.deserialize(o);
    }

    /** The regularizer an {@link #of(Regularizer)} result (or a Keras name) stands for, or null. */
    public static Regularizer regularizer(Object o) {
        return Regularizers.REGISTRY.deserialize(o);
    }

    /**
     * An int value under {@code key}: a whole number within an int's range (a config read from a
     * file holds {@code 4294967552} or {@code 256.9} only by mistake, and neither is wrapped or
     * cut); an error naming the key otherwise.
     */
    public static int integer(Map<String, Object> c, String key) {
        Object v = c.get(key);
        if (!(v instanceof Number n) || !isInt(n)) {
            throw new IllegalArgumentException("'" + key + "' must be a whole number from " + Integer.MIN_VALUE + " to "
                    + Integer.MAX_VALUE + ", got " + shown(v));
        }
        return n.intValue();
    }

    /** A double value under {@code key}, or {@code fallback} when absent. */
    public static double number(Map<String, Object> c, String key, double fallback) {
        Object v = c.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("'" + key + "' must be a number, got " + shown(v));
        }
        return n.doubleValue();
    }

    /** A boolean value under {@code key}, or {@code fallback} when absent. */
    public static boolean bool(Map<String, Object> c, String key, boolean fallback) {
        Object v = c.get(key);
        if (v != null && !(v instanceof Boolean)) {
            throw new IllegalArgumentException("'" + key + "' must be true or false, got " + shown(v));
        }
        return v == null ? fallback : (Boolean) v;
    }

    /** An int array from a list of whole numbers under {@code key} (each as {@link #integer} requires). */
    public static int[] ints(Map<String, Object> c, String key) {
        if (!(c.get(key) instanceof List<?> list)) {
            throw new IllegalArgumentException("'" + key + "' must be a list of whole numbers, got " + shown(c.get(key)));
        }
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Number n) || !isInt(n)) {
                throw new IllegalArgumentException("'" + key + "' must be a list of whole numbers, got " + shown(list));
            }
            out[i] = n.intValue();
        }
        return out;
    }

    /**
     * A {@code {height, width}} pair under {@code key}, as Keras writes a window or a stride: one
     * whole number for both, or a list of two; {@code fallback} when absent.
     */
    public static int[] pair(Map<String, Object> c, String key, int[] fallback) {
        Object v = c.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n && isInt(n)) {
            return new int[] {n.intValue(), n.intValue()};
        }
        if (v instanceof List<?> list && list.size() == 2) {
            return ints(c, key);
        }
        throw new IllegalArgumentException("'" + key + "' must be a whole number or a list of two (height, width), got "
                + shown(v));
    }

    private static boolean isInt(Number n) {
        return switch (n) {
            case Integer i -> true;
            case Long l -> l == l.intValue();
            case Short s -> true;
            case Byte b -> true;
            default -> n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE;
        };
    }

    /** A config value for a message: as JSON (so a string shows its quotes), escaped and cut. */
    private static String shown(Object v) {
        String text;
        try {
            text = Json.write(v);
        } catch (IllegalArgumentException notJson) {
            text = String.valueOf(v);
        }
        return Messages.quote(text);
    }

    /** An int array as a JSON-able list. */
    public static List<Object> list(int... values) {
        List<Object> out = new ArrayList<>();
        for (int v : values) {
            out.add(v);
        }
        return out;
    }
}
