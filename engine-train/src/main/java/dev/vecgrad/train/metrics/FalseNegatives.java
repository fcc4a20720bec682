package dev.vecgrad.train.metrics;

/**
 * The weighted number of negative predictions whose label is positive, as Keras's {@code FalseNegatives}; see {@link
 * ConfusionCount}.
 *
 * <pre>{@code
 * FalseNegatives m = new FalseNegatives("false_negatives", new double[] {0.3, 0.5});
 * m.update(labels, probabilities, null);
 * m.results();   // one count a threshold
 * }</pre>
 */
public final class FalseNegatives extends ConfusionCount {
    /** Threshold 0.5, logged as {@code false_negatives}. */
    public FalseNegatives() {
        this("false_negatives", null);
    }

    /** Logged as {@code name}, counting at each of {@code thresholds} (in [0, 1]; null for 0.5). */
    public FalseNegatives(String name, double[] thresholds) {
        super(name, thresholds, Cell.FALSE_NEGATIVES);
    }

    @Override
    public Direction direction() {
        return Direction.DOWN;
    }
}
