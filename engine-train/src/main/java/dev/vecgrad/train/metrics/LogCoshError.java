package dev.vecgrad.train.metrics;

import dev.vecgrad.train.losses.Reduction;

/**
 * The logarithm of the hyperbolic cosine of the error, averaged over the last axis, as Keras's {@code LogCoshError} metric: the weighted mean over samples of the per-sample values of
 * {@link dev.vecgrad.train.losses.LogCosh}.
 */
public final class LogCoshError extends LossMetric {
    /** Logged as {@code logcosh}. */
    public LogCoshError() {
        this("logcosh");
    }

    /** Logged as {@code name}. */
    public LogCoshError(String name) {
        super(name, new dev.vecgrad.train.losses.LogCosh(name, Reduction.NONE));
    }
}
