package dev.vecgrad.train.losses;

import dev.vecgrad.core.Tensor;

/**
 * Per sample, the Kullback-Leibler divergence {@code sum(y * log(y / p))} over the last axis, with
 * labels and predictions both clipped into [1e-7, 1] first, as Keras's {@code KLDivergence}.
 */
public final class KLDivergence extends Loss {
    /** Named {@code kl_divergence}, mean reduction. */
    public KLDivergence() {
        this("kl_divergence", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /** Logged as {@code name}, reduced with {@code reduction}. */
    public KLDivergence(String name, Reduction reduction) {
        super(name, reduction);
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        Tensor y = yTrue.clip(EPSILON, 1);
        Tensor p = yPred.clip(EPSILON, 1);
        Tensor terms = y.mul(y.div(p).log());
        return terms.rank() == 0 ? terms : terms.sum(new int[] {-1}, false);
    }
}
