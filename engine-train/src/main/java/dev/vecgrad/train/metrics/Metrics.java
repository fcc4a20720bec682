package dev.vecgrad.train.metrics;

import dev.vecgrad.core.Shape;
import java.util.Locale;

/**
 * Look-up of metrics by the names Keras accepts in {@code compile(metrics=[...])}. A metric made
 * from a string is logged under that string, as in Keras ({@code "mae"} logs as {@code mae});
 * one constructed directly logs under its canonical name.
 *
 * <p>{@code "accuracy"} (or {@code "acc"}) means different things for different outputs; Keras
 * resolves it from the shapes of the labels and predictions, and so does
 * {@link #get(String, Shape, Shape)}: binary accuracy for a last prediction axis of 1, sparse
 * categorical accuracy when the labels have one axis fewer (or a last axis of 1 against several
 * classes), else categorical accuracy.
 *
 * <pre>{@code
 * Metric m = Metrics.get("accuracy", Shape.of(32), Shape.of(32, 10));   // SparseCategoricalAccuracy named "accuracy"
 * }</pre>
 */
public final class Metrics {
    private Metrics() {
    }

    /**
     * The metric Keras calls {@code name}: accuracy / acc (exact-match {@link Accuracy}; prefer
     * {@link #get(String, Shape, Shape)}), binary_accuracy, categorical_accuracy,
     * sparse_categorical_accuracy, top_k_categorical_accuracy, sparse_top_k_categorical_accuracy,
     * mse / mean_squared_error, mae / mean_absolute_error, mape / mean_absolute_percentage_error,
     * auc, precision, recall, mean, sum.
     */
    public static Metric get(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "accuracy", "acc" -> new Accuracy(name);
            case "binary_accuracy" -> new BinaryAccuracy(name, 0.5);
            case "categorical_accuracy" -> new CategoricalAccuracy(name);
            case "sparse_categorical_accuracy" -> new SparseCategoricalAccuracy(name);
            case "top_k_categorical_accuracy" -> new TopKCategoricalAccuracy(name, 5, false);
            case "sparse_top_k_categorical_accuracy" -> new TopKCategoricalAccuracy(name, 5, true);
            case "mse", "mean_squared_error" -> new MeanSquaredError(name);
            case "mae", "mean_absolute_error" -> new MeanAbsoluteError(name);
            case "mape", "mean_absolute_percentage_error" -> new MeanAbsolutePercentageError(name);
            case "auc" -> new AUC(name, 200);
            case "precision" -> new Precision(name, 0.5);
            case "recall" -> new Recall(name, 0.5);
            case "mean" -> new Mean(name);
            case "sum" -> new Sum(name);
            default -> throw new IllegalArgumentException("unknown metric '" + name
                    + "'; known: accuracy, acc, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,"
                    + " top_k_categorical_accuracy, sparse_top_k_categorical_accuracy, mse, mean_squared_error, mae,"
                    + " mean_absolute_error, mape, mean_absolute_percentage_error, auc, precision, recall, mean, sum");
        };
    }

    /**
     * As {@link #get(String)}, but {@code "accuracy"} / {@code "acc"} become the variant Keras
     * picks for labels of shape {@code yTrue} and predictions of shape {@code yPred} (see the
     * class comment), still logged under the name given.
     */
    public static Metric get(String name, Shape yTrue, Shape yPred) {
        String n = name.toLowerCase(Locale.ROOT);
        if (!n.equals("accuracy") && !n.equals("acc")) {
            return get(name);
        }
        int predLast = yPred.rank() == 0 ? 1 : yPred.dim(-1);
        int trueLast = yTrue.rank() == 0 ? 1 : yTrue.dim(-1);
        if (predLast == 1) {
            return new BinaryAccuracy(name, 0.5);
        }
        if (yTrue.rank() < yPred.rank() || (trueLast == 1 && predLast > 1)) {
            return new SparseCategoricalAccuracy(name);
        }
        return new CategoricalAccuracy(name);
    }
}
