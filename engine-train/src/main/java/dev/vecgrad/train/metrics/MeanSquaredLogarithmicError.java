package dev.vecgrad.train.metrics;

import dev.vecgrad.train.losses.Reduction;

/**
 * The squared difference of {@code log(1 + p)} and {@code log(1 + y)}, averaged over the last axis, as Keras's {@code MeanSquaredLogarithmicError} metric: the weighted mean over samples of the per-sample values of
 * {@link dev.vecgrad.train.losses.MeanSquaredLogarithmicError}.
 */
public final class MeanSquaredLogarithmicError extends LossMetric {
    /** Logged as {@code mean_squared_logarithmic_error}. */
    public MeanSquaredLogarithmicError() {
        this("mean_squared_logarithmic_error");
    }

    /** Logged as {@code name}. */
    public MeanSquaredLogarithmicError(String name) {
        super(name, new dev.vecgrad.train.losses.MeanSquaredLogarithmicError(name, Reduction.NONE));
    }
}
