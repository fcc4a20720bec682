package dev.vecgrad.train.metrics;

import java.util.Map;

/**
 * The harmonic mean of precision and recall, {@link FBetaScore} with beta 1, as Keras's
 * {@code F1Score}.
 *
 * <pre>{@code
 * F1Score f1 = new F1Score(FBetaScore.Average.MACRO, 0.5);
 * }</pre>
 */
public final class F1Score extends FBetaScore {
    /** A score a class, rows' maxima as positives, logged as {@code f1_score}. */
    public F1Score() {
        this(Average.NONE, null);
    }

    /** Logged as {@code f1_score}. */
    public F1Score(Average average, Double threshold) {
        this("f1_score", average, threshold);
    }

    /** All arguments; {@code threshold} in (0, 1], or null for each row's maximum. */
    public F1Score(String name, Average average, Double threshold) {
        super(name, average, 1.0, threshold);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.remove("beta");
        return c;
    }
}
