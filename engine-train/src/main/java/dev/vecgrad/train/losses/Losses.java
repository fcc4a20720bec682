package dev.vecgrad.train.losses;

import dev.vecgrad.train.registry.Registry;
import java.util.List;
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
     * mean_absolute_error, mape / mean_absolute_percentage_error, msle /
     * mean_squared_logarithmic_error, huber / huber_loss, log_cosh / logcosh, hinge,
     * squared_hinge, categorical_hinge, kld / kl_divergence, poisson, cosine_similarity,
     * binary_crossentropy / bce, categorical_crossentropy / cce, sparse_categorical_crossentropy,
     * binary_focal_crossentropy, categorical_focal_crossentropy, dice, tversky,
     * categorical_generalized_cross_entropy. A loss made from a name is logged under that name and
     * takes default arguments (probabilities, not logits; sum over batch size).
     */
    public static final Registry<Loss> REGISTRY = new Registry<Loss>("loss")
            .register("MeanSquaredError", c -> new MeanSquaredError(name(c, "mean_squared_error"), reduction(c)), "mse",
                    "mean_squared_error")
            .register("MeanAbsoluteError", c -> new MeanAbsoluteError(name(c, "mean_absolute_error"), reduction(c)),
                    "mae", "mean_absolute_error")
            .register("MeanAbsolutePercentageError", c -> new MeanAbsolutePercentageError(
                    name(c, "mean_absolute_percentage_error"), reduction(c)), "mape", "mean_absolute_percentage_error")
            .register("MeanSquaredLogarithmicError", c -> new MeanSquaredLogarithmicError(
                    name(c, "mean_squared_logarithmic_error"), reduction(c)), "msle", "mean_squared_logarithmic_error")
            .register("Huber", c -> new Huber(num(c, "delta", 1.0), name(c, "huber_loss"), reduction(c)), "huber",
                    "huber_loss")
            .register("LogCosh", c -> new LogCosh(name(c, "log_cosh"), reduction(c)), "log_cosh", "logcosh")
            .register("Hinge", c -> new Hinge(name(c, "hinge"), reduction(c)), "hinge")
            .register("SquaredHinge", c -> new SquaredHinge(name(c, "squared_hinge"), reduction(c)), "squared_hinge")
            .register("CategoricalHinge", c -> new CategoricalHinge(name(c, "categorical_hinge"), reduction(c)),
                    "categorical_hinge")
            .register("KLDivergence", c -> new KLDivergence(name(c, "kl_divergence"), reduction(c)), "kld",
                    "kl_divergence", "kullback_leibler_divergence")
            .register("Poisson", c -> new Poisson(name(c, "poisson"), reduction(c)), "poisson")
            .register("CosineSimilarity", c -> new CosineSimilarity((int) num(c, "axis", -1),
                    name(c, "cosine_similarity"), reduction(c)), "cosine_similarity")
            .register("BinaryCrossentropy", c -> new BinaryCrossentropy(bool(c, "from_logits"),
                    num(c, "label_smoothing", 0), (int) num(c, "axis", -1), name(c, "binary_crossentropy"),
                    reduction(c)), "binary_crossentropy", "bce")
            .register("CategoricalCrossentropy", c -> new CategoricalCrossentropy(bool(c, "from_logits"),
                    num(c, "label_smoothing", 0), (int) num(c, "axis", -1), name(c, "categorical_crossentropy"),
                    reduction(c)), "categorical_crossentropy", "cce")
            .register("SparseCategoricalCrossentropy", c -> new SparseCategoricalCrossentropy(bool(c, "from_logits"),
                    c.get("ignore_class") instanceof Number n ? n.intValue() : null, (int) num(c, "axis", -1),
                    name(c, "sparse_categorical_crossentropy"), reduction(c)), "sparse_categorical_crossentropy")
            .register("BinaryFocalCrossentropy", c -> new BinaryFocalCrossentropy(bool(c, "apply_class_balancing"),
                    num(c, "alpha", 0.25), num(c, "gamma", 2.0), bool(c, "from_logits"), num(c, "label_smoothing", 0),
                    (int) num(c, "axis", -1), name(c, "binary_focal_crossentropy"), reduction(c)),
                    "binary_focal_crossentropy")
            .register("CategoricalFocalCrossentropy", c -> new CategoricalFocalCrossentropy(num(c, "alpha", 0.25),
                    num(c, "gamma", 2.0), bool(c, "from_logits"), num(c, "label_smoothing", 0),
                    (int) num(c, "axis", -1), name(c, "categorical_focal_crossentropy"), reduction(c)),
                    "categorical_focal_crossentropy")
            .register("Dice", c -> new Dice(axes(c), name(c, "dice"), reduction(c)), "dice")
            .register("Tversky", c -> new Tversky(num(c, "alpha", 0.5), num(c, "beta", 0.5), axes(c),
                    name(c, "tversky"), reduction(c)), "tversky")
            .register("CategoricalGeneralizedCrossEntropy", c -> new CategoricalGeneralizedCrossEntropy(
                    num(c, "q", 0.5), name(c, "categorical_generalized_cross_entropy"), reduction(c)),
                    "categorical_generalized_cross_entropy")
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

    private static String name(Map<String, Object> c, String fallback) {
        return c.get("name") instanceof String s ? s : fallback;
    }

    private static boolean bool(Map<String, Object> c, String key) {
        return Boolean.TRUE.equals(c.get(key));
    }

    private static double num(Map<String, Object> c, String key, double fallback) {
        return c.get(key) instanceof Number n ? n.doubleValue() : fallback;
    }

    /** A saved {@code axis}: null, one axis, or a list of axes. */
    private static int[] axes(Map<String, Object> c) {
        Object a = c.get("axis");
        if (a instanceof Number n) {
            return new int[] {n.intValue()};
        }
        if (a instanceof List<?> l) {
            int[] out = new int[l.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = ((Number) l.get(i)).intValue();
            }
            return out;
        }
        return null;
    }

    private static Reduction reduction(Map<String, Object> c) {
        Object r = c.get("reduction");
        if (r == null) {
            return c.containsKey("reduction") ? Reduction.NONE : Reduction.SUM_OVER_BATCH_SIZE;
        }
        if (!(r instanceof String s)) {
            throw new IllegalArgumentException("a loss reduction must be a name, got " + r);
        }
        return Reduction.of(s);
    }
}
