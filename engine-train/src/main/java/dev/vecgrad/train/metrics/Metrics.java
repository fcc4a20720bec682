package dev.vecgrad.train.metrics;

import dev.vecgrad.core.Shape;
import dev.vecgrad.train.registry.Registry;
import java.util.List;
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
     * mape / mean_absolute_percentage_error, msle / mean_squared_logarithmic_error, rmse /
     * root_mean_squared_error, logcosh, cosine_similarity, hinge, squared_hinge,
     * categorical_hinge, kld / kl_divergence, poisson, binary_crossentropy,
     * categorical_crossentropy, sparse_categorical_crossentropy, pearson_correlation,
     * concordance_correlation, r2_score, fbeta_score, f1_score, auc, precision, recall, tp /
     * true_positives, fp / false_positives, tn / true_negatives, fn / false_negatives,
     * binary_io_u ({@link BinaryIoU}), mean, sum; and by class name only (they need a target
     * value or a class count) SensitivityAtSpecificity, SpecificityAtSensitivity,
     * PrecisionAtRecall, RecallAtPrecision, IoU, MeanIoU, OneHotIoU and OneHotMeanIoU. Arguments missing from a
     * config take Keras's defaults.
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
                            true, bool(c, "from_sorted_ids")), "sparse_top_k_categorical_accuracy")
            .register("MeanSquaredError", c -> new MeanSquaredError(name(c, "mean_squared_error")), "mse",
                    "mean_squared_error")
            .register("MeanAbsoluteError", c -> new MeanAbsoluteError(name(c, "mean_absolute_error")), "mae",
                    "mean_absolute_error")
            .register("MeanAbsolutePercentageError",
                    c -> new MeanAbsolutePercentageError(name(c, "mean_absolute_percentage_error")), "mape",
                    "mean_absolute_percentage_error")
            .register("MeanSquaredLogarithmicError",
                    c -> new MeanSquaredLogarithmicError(name(c, "mean_squared_logarithmic_error")), "msle",
                    "mean_squared_logarithmic_error")
            .register("RootMeanSquaredError", c -> new RootMeanSquaredError(name(c, "root_mean_squared_error")),
                    "rmse", "root_mean_squared_error")
            .register("LogCoshError", c -> new LogCoshError(name(c, "logcosh")), "logcosh", "log_cosh")
            .register("CosineSimilarity", c -> new CosineSimilarity(name(c, "cosine_similarity"),
                    (int) num(c, "axis", -1)), "cosine_similarity")
            .register("Hinge", c -> new Hinge(name(c, "hinge")), "hinge")
            .register("SquaredHinge", c -> new SquaredHinge(name(c, "squared_hinge")), "squared_hinge")
            .register("CategoricalHinge", c -> new CategoricalHinge(name(c, "categorical_hinge")), "categorical_hinge")
            .register("KLDivergence", c -> new KLDivergence(name(c, "kl_divergence")), "kld", "kl_divergence")
            .register("Poisson", c -> new Poisson(name(c, "poisson")), "poisson")
            .register("BinaryCrossentropy", c -> new BinaryCrossentropy(name(c, "binary_crossentropy"),
                    bool(c, "from_logits"), num(c, "label_smoothing", 0)), "binary_crossentropy")
            .register("CategoricalCrossentropy", c -> new CategoricalCrossentropy(name(c, "categorical_crossentropy"),
                    bool(c, "from_logits"), num(c, "label_smoothing", 0), (int) num(c, "axis", -1)),
                    "categorical_crossentropy")
            .register("SparseCategoricalCrossentropy", c -> new SparseCategoricalCrossentropy(
                    name(c, "sparse_categorical_crossentropy"), bool(c, "from_logits"),
                    c.get("ignore_class") instanceof Number n ? n.intValue() : null, (int) num(c, "axis", -1)),
                    "sparse_categorical_crossentropy")
            .register("PearsonCorrelation", c -> new PearsonCorrelation(name(c, "pearson_correlation"),
                    (int) num(c, "axis", -1)), "pearson_correlation")
            .register("ConcordanceCorrelation", c -> new ConcordanceCorrelation(name(c, "concordance_correlation"),
                    (int) num(c, "axis", -1)), "concordance_correlation")
            .register("R2Score", c -> new R2Score(name(c, "r2_score"), c.containsKey("class_aggregation")
                    ? R2Score.Aggregation.of((String) c.get("class_aggregation")) : R2Score.Aggregation.UNIFORM_AVERAGE,
                    (int) num(c, "num_regressors", 0)), "r2_score")
            .register("FBetaScore", c -> new FBetaScore(name(c, "fbeta_score"), FBetaScore.Average.of((String)
                    c.get("average")), num(c, "beta", 1.0), nullableNum(c, "threshold")), "fbeta_score")
            .register("F1Score", c -> new F1Score(name(c, "f1_score"), FBetaScore.Average.of((String) c.get("average")),
                    nullableNum(c, "threshold")), "f1_score")
            .register("AUC", AUC::fromConfig, "auc")
            .register("Precision", c -> new Precision(name(c, "precision"), thresholds(c), integer(c, "top_k"),
                    integer(c, "class_id")), "precision")
            .register("Recall", c -> new Recall(name(c, "recall"), thresholds(c), integer(c, "top_k"),
                    integer(c, "class_id")), "recall")
            .register("TruePositives", c -> new TruePositives(name(c, "true_positives"), thresholds(c)), "tp",
                    "true_positives")
            .register("FalsePositives", c -> new FalsePositives(name(c, "false_positives"), thresholds(c)), "fp",
                    "false_positives")
            .register("TrueNegatives", c -> new TrueNegatives(name(c, "true_negatives"), thresholds(c)), "tn",
                    "true_negatives")
            .register("FalseNegatives", c -> new FalseNegatives(name(c, "false_negatives"), thresholds(c)), "fn",
                    "false_negatives")
            .register("SensitivityAtSpecificity", c -> new SensitivityAtSpecificity(
                    name(c, "sensitivity_at_specificity"), required(c, "specificity"), (int) num(c, "num_thresholds", 200),
                    integer(c, "class_id")))
            .register("SpecificityAtSensitivity", c -> new SpecificityAtSensitivity(
                    name(c, "specificity_at_sensitivity"), required(c, "sensitivity"), (int) num(c, "num_thresholds", 200),
                    integer(c, "class_id")))
            .register("PrecisionAtRecall", c -> new PrecisionAtRecall(name(c, "precision_at_recall"),
                    required(c, "recall"), (int) num(c, "num_thresholds", 200), integer(c, "class_id")))
            .register("RecallAtPrecision", c -> new RecallAtPrecision(name(c, "recall_at_precision"),
                    required(c, "precision"), (int) num(c, "num_thresholds", 200), integer(c, "class_id")))
            .register("IoU", c -> new IoU(name(c, "io_u"), (int) required(c, "num_classes"),
                    classIds(c, "target_class_ids"), integer(c, "ignore_class"), flag(c, "sparse_y_true", true),
                    flag(c, "sparse_y_pred", true), (int) num(c, "axis", -1)))
            .register("MeanIoU", c -> new MeanIoU(name(c, "mean_io_u"), (int) required(c, "num_classes"),
                    integer(c, "ignore_class"), flag(c, "sparse_y_true", true), flag(c, "sparse_y_pred", true),
                    (int) num(c, "axis", -1)))
            .register("BinaryIoU", c -> new BinaryIoU(name(c, "binary_io_u"),
                    c.containsKey("target_class_ids") ? classIds(c, "target_class_ids") : new int[] {0, 1},
                    num(c, "threshold", 0.5)), "binary_io_u")
            .register("OneHotIoU", c -> new OneHotIoU(name(c, "one_hot_io_u"), (int) required(c, "num_classes"),
                    classIds(c, "target_class_ids"), integer(c, "ignore_class"), flag(c, "sparse_y_pred", false),
                    (int) num(c, "axis", -1)))
            .register("OneHotMeanIoU", c -> new OneHotMeanIoU(name(c, "one_hot_mean_io_u"),
                    (int) required(c, "num_classes"), integer(c, "ignore_class"), flag(c, "sparse_y_pred", false),
                    (int) num(c, "axis", -1)))
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

    /** A number the config must hold (an argument without a default), or an error naming it. */
    private static double required(Map<String, Object> c, String key) {
        if (!(c.get(key) instanceof Number n)) {
            throw new IllegalArgumentException("the metric needs '" + key + "', a number; got " + c.get(key));
        }
        return n.doubleValue();
    }

    private static Double nullableNum(Map<String, Object> c, String key) {
        return c.get(key) instanceof Number n ? n.doubleValue() : null;
    }

    private static Integer integer(Map<String, Object> c, String key) {
        return c.get(key) instanceof Number n ? n.intValue() : null;
    }

    private static boolean bool(Map<String, Object> c, String key) {
        return Boolean.TRUE.equals(c.get(key));
    }

    private static boolean flag(Map<String, Object> c, String key, boolean fallback) {
        return c.get(key) instanceof Boolean b ? b : fallback;
    }

    /** A list of class ids the config must hold, or an error naming it. */
    private static int[] classIds(Map<String, Object> c, String key) {
        if (!(c.get(key) instanceof List<?> list)) {
            throw new IllegalArgumentException("the metric needs '" + key + "', a list of class ids; got " + c.get(key));
        }
        int[] ids = new int[list.size()];
        for (int i = 0; i < ids.length; i++) {
            if (!(list.get(i) instanceof Number n) || n.doubleValue() != n.intValue()) {
                throw new IllegalArgumentException("'" + key + "' holds " + list.get(i) + ", not a class id");
            }
            ids[i] = n.intValue();
        }
        return ids;
    }

    private static double[] thresholds(Map<String, Object> c) {
        return ConfusionMetric.thresholdsFrom(c.get("thresholds"), null);
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
