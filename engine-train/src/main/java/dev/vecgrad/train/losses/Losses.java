package dev.vecgrad.train.losses;

import java.util.Locale;

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
}
