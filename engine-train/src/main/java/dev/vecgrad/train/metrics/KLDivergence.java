package dev.vecgrad.train.metrics;

import dev.vecgrad.train.losses.Reduction;

/**
 * The Kullback-Leibler divergence of the label distribution from the predicted one, as Keras's {@code KLDivergence} metric: the weighted mean over samples of the per-sample values of
 * {@link dev.vecgrad.train.losses.KLDivergence}.
 */
public final class KLDivergence extends LossMetric {
    /** Logged as {@code kl_divergence}. */
    public KLDivergence() {
        this("kl_divergence");
    }

    /** Logged as {@code name}. */
    public KLDivergence(String name) {
        super(name, new dev.vecgrad.train.losses.KLDivergence(name, Reduction.NONE));
    }
}
