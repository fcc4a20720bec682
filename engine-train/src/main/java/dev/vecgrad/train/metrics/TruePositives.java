package dev.vecgrad.train.metrics;

/**
 * The weighted number of positive predictions whose label is positive, as Keras's {@code TruePositives}; see {@link
 * ConfusionCount}.
 *
 * <pre>{@code
 * TruePositives m = new TruePositives("true_positives", new double[] {0.3, 0.5});
 * m.update(labels, probabilities, null);
 * m.results();   // one count a threshold
 * }</pre>
 */
public final class TruePositives extends ConfusionCount {
    /** Threshold 0.5, logged as {@code true_positives}. */
    public TruePositives() {
        this("true_positives", null);
    }

    /** Logged as {@code name}, counting at each of {@code thresholds} (in [0, 1]; null for 0.5). */
    public TruePositives(String name, double[] thresholds) {
        super(name, thresholds, Cell.TRUE_POSITIVES);
    }
}
