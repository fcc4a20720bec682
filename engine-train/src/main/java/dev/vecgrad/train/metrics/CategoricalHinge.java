package dev.vecgrad.train.metrics;

import dev.vecgrad.train.losses.Reduction;

/**
 * The categorical hinge of one-hot labels, as Keras's {@code CategoricalHinge} metric: the weighted mean over samples of the per-sample values of
 * {@link dev.vecgrad.train.losses.CategoricalHinge}.
 */
public final class CategoricalHinge extends LossMetric {
    /** Logged as {@code categorical_hinge}. */
    public CategoricalHinge() {
        this("categorical_hinge");
    }

    /** Logged as {@code name}. */
    public CategoricalHinge(String name) {
        super(name, new dev.vecgrad.train.losses.CategoricalHinge(name, Reduction.NONE));
    }
}
