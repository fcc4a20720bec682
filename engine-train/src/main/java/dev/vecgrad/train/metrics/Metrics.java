package dev.vecgrad.train.metrics;

import dev.vecgrad.core.Shape;
import dev.vecgrad.train.registry.Registry;
import java.util.Locale;
import java.util.Map;

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
    /**
     * Every built-in metric class with its Keras names: accuracy / acc (exact-match
     * {@link Accuracy}; prefer {@link #get(String, Shape, Shape)}), binary_accuracy,
     * categorical_accuracy, sparse_categorical_accuracy, top_k_categorical_accuracy,
     * sparse_top_k_categorical_accuracy, mse / mean_squared_error, mae / mean_absolute_error,
     * mape / mean_absolute_percentage_error, auc, precision, recall, mean, sum.
     */
    public static final Registry<Metric> REGISTRY = new Registry<Metric>("metric")
            .register("Accuracy", c -> new Accuracy(name(c, "accuracy")), "accuracy", "acc")
            .register("BinaryAccuracy", c -> new BinaryAccuracy(name(c, "binary_accuracy"), num(c, "threshold", 0.5)),
                    "binary_accuracy")
            .register("CategoricalAccuracy", c -> new CategoricalAccuracy(name(c, "categorical_accuracy")),
                    "categorical_accuracy")
            .register("SparseCategoricalAccuracy",
                    c -> new SparseCategoricalAccuracy(name(c, "sparse_categorical_accuracy")),
                    "sparse_categorical_accuracy")
            .register("TopKCategoricalAccuracy", c -> new TopKCategoricalAccuracy(name(c, "top_k_categorical_accuracy"),
                    (int) num(c, "k", 5), false), "top_k_categorical_accuracy")
            .register("SparseTopKCategoricalAccuracy",
                    c -> new TopKCategoricalAccuracy(name(c, "sparse_top_k_categorical_accuracy"), (int) num(c, "k", 5),
                            true), "sparse_top_k_categorical_accuracy")
            .register("MeanSquaredError", c -> new MeanSquaredError(name(c, "mean_squared_error")), "mse",
                    "mean_squared_error")
            .register("MeanAbsoluteError", c -> new MeanAbsoluteError(name(c, "mean_absolute_error")), "mae",
                    "mean_absolute_error")
            .register("MeanAbsolutePercentageError",
                    c -> new MeanAbsolutePercentageError(name(c, "mean_absolute_percentage_error")), "mape",
                    "mean_absolute_percentage_error")
            .register("AUC", c -> new AUC(name(c, "auc"), (int) num(c, "num_thresholds", 200)), "auc")
            .register("Precision", c -> new Precision(name(c, "precision"), num(c, "thresholds", 0.5)), "precision")
            .register("Recall", c -> new Recall(name(c, "recall"), num(c, "thresholds", 0.5)), "recall")
            .register("Mean", c -> new Mean(name(c, "mean")), "mean")
            .register("Sum", c -> new Sum(name(c, "sum")), "sum")
            .close();

    private Metrics() {
    }

    /** The metric Keras calls {@code name} (see {@link #REGISTRY}), logged under that name. */
    public static Metric get(String name) {
        return REGISTRY.get(name);
    }

    /** Rebuilds a metric from its {@link Metric#className()} and {@link Metric#getConfig()}. */
    public static Metric fromConfig(String className, Map<String, Object> c) {
        return REGISTRY.fromConfig(className, c);
    }

    private static String name(Map<String, Object> c, String fallback) {
        return c.get("name") instanceof String s ? s : fallback;
    }

    private static double num(Map<String, Object> c, String key, double fallback) {
        return c.get(key) instanceof Number n ? n.doubleValue() : fallback;
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
