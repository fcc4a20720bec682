package dev.vecgrad.train.metrics;

import dev.vecgrad.train.losses.Reduction;

/**
 * The squared error, averaged over the last axis, as Keras's {@code MeanSquaredError} metric: the weighted mean over samples of the per-sample values of
 * {@link dev.vecgrad.train.losses.MeanSquaredError}.
 */
public final class MeanSquaredError extends LossMetric {
    /** Logged as {@code mean_squared_error}. */
    public MeanSquaredError() {
        this("mean_squared_error");
    }

    /** Logged as {@code name}. */
    public MeanSquaredError(String name) {
        super(name, new dev.vecgrad.train.losses.MeanSquaredError(name, Reduction.NONE));
    }
}
