package dev.vecgrad.train.metrics;

import dev.vecgrad.train.losses.Reduction;

/**
 * The absolute percentage error {@code 100 |(y - p) / max(|y|, 1e-7)|}, averaged over the last axis, as Keras's {@code MeanAbsolutePercentageError} metric: the weighted mean over samples of the per-sample values of
 * {@link dev.vecgrad.train.losses.MeanAbsolutePercentageError}.
 */
public final class MeanAbsolutePercentageError extends LossMetric {
    /** Logged as {@code mean_absolute_percentage_error}. */
    public MeanAbsolutePercentageError() {
        this("mean_absolute_percentage_error");
    }

    /** Logged as {@code name}. */
    public MeanAbsolutePercentageError(String name) {
        super(name, new dev.vecgrad.train.losses.MeanAbsolutePercentageError(name, Reduction.NONE));
    }
}
