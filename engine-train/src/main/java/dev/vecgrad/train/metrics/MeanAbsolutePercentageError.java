package dev.vecgrad.train.metrics;

/**
 * The weighted mean over samples of the absolute percentage error (100 |(y - p) / max(|y|, 1e-7)|), each sample's value being the mean over the last axis
 * (the formula of {@link dev.vecgrad.train.losses.MeanAbsolutePercentageError}).
 */
public final class MeanAbsolutePercentageError extends LossMetric {
    /** Logged as {@code mean_absolute_percentage_error}. */
    public MeanAbsolutePercentageError() {
        this("mean_absolute_percentage_error");
    }

    /** Logged as {@code name}. */
    public MeanAbsolutePercentageError(String name) {
        super(name, dev.vecgrad.train.losses.MeanAbsolutePercentageError::new);
    }
}
