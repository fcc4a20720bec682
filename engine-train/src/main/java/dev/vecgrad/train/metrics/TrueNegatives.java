package dev.vecgrad.train.metrics;

/**
 * The weighted number of negative predictions whose label is negative, as Keras's {@code TrueNegatives}; see {@link
 * ConfusionCount}.
 *
 * <pre>{@code
 * TrueNegatives m = new TrueNegatives("true_negatives", new double[] {0.3, 0.5});
 * m.update(labels, probabilities, null);
 * m.results();   // one count a threshold
 * }</pre>
 */
public final class TrueNegatives extends ConfusionCount {
    /** Threshold 0.5, logged as {@code true_negatives}. */
    public TrueNegatives() {
        this("true_negatives", null);
    }

    /** Logged as {@code name}, counting at each of {@code thresholds} (in [0, 1]; null for 0.5). */
    public TrueNegatives(String name, double[] thresholds) {
        super(name, thresholds, Cell.TRUE_NEGATIVES);
    }
}
