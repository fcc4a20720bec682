package dev.vecgrad.train.losses;

import dev.vecgrad.core.Tensor;

/**
 * Per sample, the mean over the last axis of {@code log(cosh(yPred - yTrue))}, as Keras's
 * {@code LogCosh}, computed as {@code x + softplus(-2x) - log 2}, which stays finite for large
 * errors.
 */
public final class LogCosh extends Loss {
    /** Named {@code log_cosh}, mean reduction. */
    public LogCosh() {
        this("log_cosh", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /** Logged as {@code name}, reduced with {@code reduction}. */
    public LogCosh(String name, Reduction reduction) {
        super(name, reduction);
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        Tensor x = yPred.sub(yTrue);
        return meanLastAxis(x.add(x.mul(-2).softplus()).sub(Math.log(2)));
    }
}
