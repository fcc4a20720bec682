package dev.vecgrad.train.losses;

import dev.vecgrad.core.Tensor;

/**
 * Per sample, {@code max(neg - pos + 1, 0)} with {@code pos = sum(yTrue * yPred)} and
 * {@code neg = max((1 - yTrue) * yPred)} over the last axis, as Keras's {@code CategoricalHinge}
 * (one-hot labels).
 */
public final class CategoricalHinge extends Loss {
    /** Named {@code categorical_hinge}, mean reduction. */
    public CategoricalHinge() {
        this("categorical_hinge", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /** Logged as {@code name}, reduced with {@code reduction}. */
    public CategoricalHinge(String name, Reduction reduction) {
        super(name, reduction);
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        int[] last = {-1};
        Tensor pos = yTrue.mul(yPred).sum(last, false);
        Tensor neg = yTrue.neg().add(1).mul(yPred).max(last, false);
        return neg.sub(pos).add(1).relu();
    }
}
