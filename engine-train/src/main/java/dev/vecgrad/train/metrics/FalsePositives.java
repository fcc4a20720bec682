package dev.vecgrad.train.metrics;

/**
 * The weighted number of positive predictions whose label is negative, as Keras's {@code FalsePositives}; see {@link
 * ConfusionCount}.
 *
 * <pre>{@code
 * FalsePositives m = new FalsePositives("false_positives", new double[] {0.3, 0.5});
 * m.update(labels, probabilities, null);
 * m.results();   // one count a threshold
 * }</pre>
 */
public final class FalsePositives extends ConfusionCount {
    /** Threshold 0.5, logged as {@code false_positives}. */
    public FalsePositives() {
        this("false_positives", null);
    }

    /** Logged as {@code name}, counting at each of {@code thresholds} (in [0, 1]; null for 0.5). */
    public FalsePositives(String name, double[] thresholds) {
        super(name, thresholds, Cell.FALSE_POSITIVES);
    }

    @Override
    public Direction direction() {
        return Direction.DOWN;
    }
}
