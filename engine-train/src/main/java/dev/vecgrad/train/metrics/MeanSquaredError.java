package dev.vecgrad.train.metrics;

/**
 * The weighted mean over samples of the squared error, each sample's value being the mean over the last axis
 * (the formula of {@link dev.vecgrad.train.losses.MeanSquaredError}).
 */
public final class MeanSquaredError extends LossMetric {
    /** Logged as {@code mean_squared_error}. */
    public MeanSquaredError() {
        this("mean_squared_error");
    }

    /** Logged as {@code name}. */
    public MeanSquaredError(String name) {
        super(name, dev.vecgrad.train.losses.MeanSquaredError::new);
    }
}
