package dev.vecgrad.train.losses;

import dev.vecgrad.core.Tensor;

/**
 * Per sample, the mean over the last axis of {@code yPred - yTrue * log(yPred + 1e-7)}, as Keras's
 * {@code Poisson}.
 */
public final class Poisson extends Loss {
    /** Named {@code poisson}, mean reduction. */
    public Poisson() {
        this("poisson", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /** Logged as {@code name}, reduced with {@code reduction}. */
    public Poisson(String name, Reduction reduction) {
        super(name, reduction);
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        return meanLastAxis(yPred.sub(yTrue.mul(yPred.add(EPSILON).log())));
    }
}
