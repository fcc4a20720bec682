package dev.vecgrad.train.metrics;

/**
 * Weighted true positives over actual positives, {@code tp / (tp + fn)} (0 when there were no
 * positive labels), as Keras's {@code Recall}, with the thresholds, top-k and class options of
 * {@link Precision}.
 */
public final class Recall extends TruePositiveRatio {

    /** Threshold 0.5, logged as {@code recall}. */
    public Recall() {
        this("recall", 0.5);
    }

    /** Logged as {@code name} with the given threshold. */
    public Recall(String name, double threshold) {
        this(name, new double[] {threshold}, null, null);
    }

    /** All arguments; null for the defaults (threshold 0.5, every class, no top-k filtering). */
    public Recall(String name, double[] thresholds, Integer topK, Integer classId) {
        super(name, thresholds, topK, classId, Cell.FALSE_NEGATIVES);
    }

    /** The weighted false negatives at each threshold. */
    public double[] falseNegatives() {
        return counts(Cell.FALSE_NEGATIVES);
    }
}
