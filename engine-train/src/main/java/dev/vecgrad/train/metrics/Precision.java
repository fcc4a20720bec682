package dev.vecgrad.train.metrics;

/**
 * Weighted true positives over predicted positives, {@code tp / (tp + fp)} (0 when nothing was
 * predicted positive), a prediction counting as positive above {@code threshold} (default 0.5),
 * as Keras's {@code Precision}.
 */
public final class Precision extends TruePositiveRatio {

    /** Threshold 0.5, logged as {@code precision}. */
    public Precision() {
        this("precision", 0.5);
    }

    /** Logged as {@code name} with the given threshold. */
    public Precision(String name, double threshold) {
        super(name, threshold);
    }

    @Override
    double otherCell(Confusion c) {
        return c.fp[0];
    }
}
