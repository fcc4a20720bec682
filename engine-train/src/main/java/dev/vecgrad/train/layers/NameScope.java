package dev.vecgrad.train.layers;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Hands out unique layer names the way Keras does: the first layer of a kind gets its base name
 * ({@code dense}), later ones a counter ({@code dense_1}, {@code dense_2}, ...).
 *
 * <p><b>Where default names come from.</b> A layer built without a name takes one lazily, the
 * first time its name is needed. A model names its unnamed layers from its own scope when it
 * adds them ({@link Layer#resolveName(NameScope)}), so the same architecture always gets the
 * same names (and weight files keyed by variable names match between two such models in one
 * JVM). A layer used on its own, outside any model, takes its name from the calling thread's
 * {@link #threadDefault()} scope, which counts from the thread's start like Keras's global
 * counter.
 *
 * <pre>{@code
 * NameScope scope = new NameScope();
 * scope.unique("dense");   // "dense"
 * scope.unique("dense");   // "dense_1"
 * }</pre>
 */
public final class NameScope {
    private static final ThreadLocal<NameScope> THREAD_DEFAULT = ThreadLocal.withInitial(NameScope::new);

    private final Map<String, Integer> counters = new HashMap<>();
    private final Set<String> taken = new HashSet<>();

    /** An empty scope. */
    public NameScope() {
    }

    /** The scope unnamed layers used outside a model take their names from, one per thread. */
    public static NameScope threadDefault() {
        return THREAD_DEFAULT.get();
    }

    /** {@code base} if still free, else {@code base_N} with the smallest counter not taken; the name is then taken. */
    public synchronized String unique(String base) {
        int n = counters.getOrDefault(base, 0);
        String name = n == 0 ? base : base + "_" + n;
        while (taken.contains(name)) {
            n++;
            name = base + "_" + n;
        }
        counters.put(base, n + 1);
        taken.add(name);
        return name;
    }

    /** Marks an explicitly given name as taken, so that {@link #unique} never hands it out. */
    public synchronized void reserve(String name) {
        taken.add(name);
    }

    /** Whether {@code name} has been handed out or reserved. */
    public synchronized boolean isTaken(String name) {
        return taken.contains(name);
    }

    /**
     * Keras's {@code to_snake_case} of a class name: {@code BatchNormalization} becomes
     * {@code batch_normalization}, {@code Conv2D} becomes {@code conv2d}.
     */
    public static String snakeCase(String className) {
        String s = className.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        return s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
