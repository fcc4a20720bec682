package dev.vecgrad.train.layers;

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

    /** An int value under {@code key}; an error naming the key when absent or not a number. */
    public static int integer(Map<String, Object> c, String key) {
        if (!(c.get(key) instanceof Number n)) {
            throw new IllegalArgumentException("layer config needs a number '" + key + "', got " + c.get(key));
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
            throw new IllegalArgumentException("layer config '" + key + "' must be a number, got " + v);
        }
        return n.doubleValue();
    }

    /** A boolean value under {@code key}, or {@code fallback} when absent. */
    public static boolean bool(Map<String, Object> c, String key, boolean fallback) {
        Object v = c.get(key);
        return v == null ? fallback : (Boolean) v;
    }

    /** An int array from a list of numbers under {@code key}. */
    public static int[] ints(Map<String, Object> c, String key) {
        if (!(c.get(key) instanceof List<?> list)) {
            throw new IllegalArgumentException("layer config needs a list '" + key + "', got " + c.get(key));
        }
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) list.get(i)).intValue();
        }
        return out;
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
