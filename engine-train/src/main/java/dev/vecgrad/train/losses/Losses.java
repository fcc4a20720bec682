package dev.vecgrad.train.losses;

import java.util.Locale;
import java.util.Map;

/**
 * Look-up of losses by the names Keras accepts in {@code compile(loss=...)}.
 *
 * <pre>{@code
 * Loss l = Losses.get("sparse_categorical_crossentropy");
 * }</pre>
 */
public final class Losses {
    private Losses() {
    }

    /**
     * The loss Keras calls {@code name}, with default arguments (probabilities, not logits): mse /
     * mean_squared_error, mae / mean_absolute_error, mape / mean_absolute_percentage_error, huber /
     * huber_loss, binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy.
     * The loss is logged under the name given.
     */
    public static Loss get(String name) {
        Reduction r = Reduction.SUM_OVER_BATCH_SIZE;
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "mse", "mean_squared_error" -> new MeanSquaredError(name, r);
            case "mae", "mean_absolute_error" -> new MeanAbsoluteError(name, r);
            case "mape", "mean_absolute_percentage_error" -> new MeanAbsolutePercentageError(name, r);
            case "huber", "huber_loss" -> new Huber(1.0, name, r);
            case "binary_crossentropy", "bce" -> new BinaryCrossentropy(false, name, r);
            case "categorical_crossentropy", "cce" -> new CategoricalCrossentropy(false, name, r);
            case "sparse_categorical_crossentropy" -> new SparseCategoricalCrossentropy(false, name, r);
            default -> throw new IllegalArgumentException("unknown loss '" + name
                    + "'; known: mse, mean_squared_error, mae, mean_absolute_error, mape,"
                    + " mean_absolute_percentage_error, huber, huber_loss, binary_crossentropy,"
                    + " categorical_crossentropy, sparse_categorical_crossentropy");
        };
    }

    /**
     * Rebuilds a loss of this package from its {@link Loss#className()} and {@link Loss#getConfig()}
     * (as a model file stores it); an unknown class or reduction is an IllegalArgumentException.
     */
    public static Loss fromConfig(String className, Map<String, Object> c) {
        String name = c.get("name") instanceof String s ? s : null;
        Reduction r = c.get("reduction") instanceof String s ? reduction(s) : Reduction.SUM_OVER_BATCH_SIZE;
        boolean logits = Boolean.TRUE.equals(c.get("from_logits"));
        return switch (className) {
            case "MeanSquaredError" -> new MeanSquaredError(name, r);
            case "MeanAbsoluteError" -> new MeanAbsoluteError(name, r);
            case "MeanAbsolutePercentageError" -> new MeanAbsolutePercentageError(name, r);
            case "Huber" -> new Huber(c.get("delta") instanceof Number d ? d.doubleValue() : 1.0, name, r);
            case "BinaryCrossentropy" -> new BinaryCrossentropy(logits, name, r);
            case "CategoricalCrossentropy" -> new CategoricalCrossentropy(logits, name, r);
            case "SparseCategoricalCrossentropy" -> new SparseCategoricalCrossentropy(logits, name, r);
            default -> throw new IllegalArgumentException("unknown loss class '" + className + "'");
        };
    }

    private static Reduction reduction(String s) {
        for (Reduction r : Reduction.values()) {
            if (r.name().equalsIgnoreCase(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown loss reduction '" + s + "'; known: sum, sum_over_batch_size, none");
    }
}
