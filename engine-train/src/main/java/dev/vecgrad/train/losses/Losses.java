package dev.vecgrad.train.losses;

import dev.vecgrad.train.registry.Registry;
import java.util.Map;

/**
 * The losses by the names Keras accepts in {@code compile(loss=...)}, and rebuilt from saved
 * configs, through {@link #REGISTRY}.
 *
 * <pre>{@code
 * Loss l = Losses.get("sparse_categorical_crossentropy");
 * }</pre>
 */
public final class Losses {
    /**
     * Every built-in loss class with its Keras names: mse / mean_squared_error, mae /
     * mean_absolute_error, mape / mean_absolute_percentage_error, huber / huber_loss,
     * binary_crossentropy / bce, categorical_crossentropy / cce, sparse_categorical_crossentropy.
     * A loss made from a name is logged under that name and takes default arguments
     * (probabilities, not logits; sum over batch size).
     */
    public static final Registry<Loss> REGISTRY = new Registry<Loss>("loss")
            .register("MeanSquaredError", c -> new MeanSquaredError(name(c), reduction(c)), "mse",
                    "mean_squared_error")
            .register("MeanAbsoluteError", c -> new MeanAbsoluteError(name(c), reduction(c)), "mae",
                    "mean_absolute_error")
            .register("MeanAbsolutePercentageError", c -> new MeanAbsolutePercentageError(name(c), reduction(c)),
                    "mape", "mean_absolute_percentage_error")
            .register("Huber", c -> new Huber(c.get("delta") instanceof Number d ? d.doubleValue() : 1.0, name(c),
                    reduction(c)), "huber", "huber_loss")
            .register("BinaryCrossentropy", c -> new BinaryCrossentropy(logits(c), name(c), reduction(c)),
                    "binary_crossentropy", "bce")
            .register("CategoricalCrossentropy", c -> new CategoricalCrossentropy(logits(c), name(c), reduction(c)),
                    "categorical_crossentropy", "cce")
            .register("SparseCategoricalCrossentropy",
                    c -> new SparseCategoricalCrossentropy(logits(c), name(c), reduction(c)),
                    "sparse_categorical_crossentropy")
            .close();

    private Losses() {
    }

    /** The loss Keras calls {@code name}, logged under that name, with default arguments. */
    public static Loss get(String name) {
        return REGISTRY.get(name);
    }

    /**
     * Rebuilds a loss from its {@link Loss#className()} and {@link Loss#getConfig()} (as a model
     * file stores it); an unknown class or reduction is an IllegalArgumentException.
     */
    public static Loss fromConfig(String className, Map<String, Object> c) {
        return REGISTRY.fromConfig(className, c);
    }

    private static String name(Map<String, Object> c) {
        return c.get("name") instanceof String s ? s : null;
    }

    private static boolean logits(Map<String, Object> c) {
        return Boolean.TRUE.equals(c.get("from_logits"));
    }

    private static Reduction reduction(Map<String, Object> c) {
        if (!(c.get("reduction") instanceof String s)) {
            return Reduction.SUM_OVER_BATCH_SIZE;
        }
        for (Reduction r : Reduction.values()) {
            if (r.name().equalsIgnoreCase(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown loss reduction '" + s + "'; known: sum, sum_over_batch_size, none");
    }
}
