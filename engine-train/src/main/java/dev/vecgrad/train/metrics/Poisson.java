package dev.vecgrad.train.metrics;

import dev.vecgrad.train.losses.Reduction;

/**
 * The Poisson loss {@code p - y log(p + 1e-7)}, averaged over the last axis, as Keras's {@code Poisson} metric: the weighted mean over samples of the per-sample values of
 * {@link dev.vecgrad.train.losses.Poisson}.
 */
public final class Poisson extends LossMetric {
    /** Logged as {@code poisson}. */
    public Poisson() {
        this("poisson");
    }

    /** Logged as {@code name}. */
    public Poisson(String name) {
        super(name, new dev.vecgrad.train.losses.Poisson(name, Reduction.NONE));
    }
}
