package dev.vecgrad.train.metrics;

/**
 * Weighted true positives over predicted positives, {@code tp / (tp + fp)} (0 when nothing was
 * predicted positive), as Keras's {@code Precision}: a prediction counts as positive above the
 * threshold (default 0.5; several thresholds give one precision each), only the {@code topK}
 * predictions of a row can count, and {@code classId} looks at one class only.
 *
 * <pre>{@code
 * Precision p = new Precision("precision_at_top_3", null, 3, null);
 * }</pre>
 */
public final class Precision extends TruePositiveRatio {

    /** Threshold 0.5, logged as {@code precision}. */
    public Precision() {
        this("precision", 0.5);
    }

    /** Logged as {@code name} with the given threshold. */
    public Precision(String name, double threshold) {
        this(name, new double[] {threshold}, null, null);
    }

    /** All arguments; null for the defaults (threshold 0.5, every class, no top-k filtering). */
    public Precision(String name, double[] thresholds, Integer topK, Integer classId) {
        super(name, thresholds, topK, classId, Cell.FALSE_POSITIVES);
    }

    /** The weighted false positives at each threshold. */
    public double[] falsePositives() {
        return counts(Cell.FALSE_POSITIVES);
    }
}
