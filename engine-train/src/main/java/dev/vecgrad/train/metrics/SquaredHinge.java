package dev.vecgrad.train.metrics;

import dev.vecgrad.train.losses.Reduction;

/**
 * The squared hinge, averaged over the last axis, as Keras's {@code SquaredHinge} metric: the weighted mean over samples of the per-sample values of
 * {@link dev.vecgrad.train.losses.SquaredHinge}.
 */
public final class SquaredHinge extends LossMetric {
    /** Logged as {@code squared_hinge}. */
    public SquaredHinge() {
        this("squared_hinge");
    }

    /** Logged as {@code name}. */
    public SquaredHinge(String name) {
        super(name, new dev.vecgrad.train.losses.SquaredHinge(name, Reduction.NONE));
    }
}
