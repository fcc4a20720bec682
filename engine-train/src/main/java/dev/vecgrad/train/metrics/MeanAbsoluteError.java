package dev.vecgrad.train.metrics;

/**
 * The weighted mean over samples of the absolute error, each sample's value being the mean over the last axis
 * (the formula of {@link dev.vecgrad.train.losses.MeanAbsoluteError}).
 */
public final class MeanAbsoluteError extends LossMetric {
    /** Logged as {@code mean_absolute_error}. */
    public MeanAbsoluteError() {
        this("mean_absolute_error");
    }

    /** Logged as {@code name}. */
    public MeanAbsoluteError(String name) {
        super(name, dev.vecgrad.train.losses.MeanAbsoluteError::new);
    }
}
