package dev.vecgrad.train.metrics;

import dev.vecgrad.train.losses.Reduction;

/**
 * The absolute error, averaged over the last axis, as Keras's {@code MeanAbsoluteError} metric: the weighted mean over samples of the per-sample values of
 * {@link dev.vecgrad.train.losses.MeanAbsoluteError}.
 */
public final class MeanAbsoluteError extends LossMetric {
    /** Logged as {@code mean_absolute_error}. */
    public MeanAbsoluteError() {
        this("mean_absolute_error");
    }

    /** Logged as {@code name}. */
    public MeanAbsoluteError(String name) {
        super(name, new dev.vecgrad.train.losses.MeanAbsoluteError(name, Reduction.NONE));
    }
}
