package dev.vecgrad.train.metrics;

import dev.vecgrad.train.losses.Reduction;

/**
 * The hinge {@code max(1 - y p, 0)} (0/1 labels mapped to -1/1), averaged over the last axis, as Keras's {@code Hinge} metric: the weighted mean over samples of the per-sample values of
 * {@link dev.vecgrad.train.losses.Hinge}.
 */
public final class Hinge extends LossMetric {
    /** Logged as {@code hinge}. */
    public Hinge() {
        this("hinge");
    }

    /** Logged as {@code name}. */
    public Hinge(String name) {
        super(name, new dev.vecgrad.train.losses.Hinge(name, Reduction.NONE));
    }
}
