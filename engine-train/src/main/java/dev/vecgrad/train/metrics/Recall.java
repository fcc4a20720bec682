package dev.vecgrad.train.metrics;

/**
 * Weighted true positives over actual positives, {@code tp / (tp + fn)} (0 when there were no
 * positive labels), a prediction counting as positive above {@code threshold} (default 0.5), as
 * Keras's {@code Recall}.
 */
public final class Recall extends TruePositiveRatio {

    /** Threshold 0.5, logged as {@code recall}. */
    public Recall() {
        this("recall", 0.5);
    }

    /** Logged as {@code name} with the given threshold. */
    public Recall(String name, double threshold) {
        super(name, threshold);
    }

    @Override
    double otherCell(Confusion c) {
        return c.fn[0];
    }
}
