package dev.vecgrad.train.losses;

import dev.vecgrad.core.Tensor;

/** Per sample, the mean over the last axis of {@code (yTrue - yPred)²}. */
public final class MeanSquaredError extends Loss {
    /** With the default name {@code mean_squared_error} and reduction {@link Reduction#SUM_OVER_BATCH_SIZE}. */
    public MeanSquaredError() {
        this("mean_squared_error", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /** Logged as {@code name}, reduced with {@code reduction}. */
    public MeanSquaredError(String name, Reduction reduction) {
        super(name, reduction);
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        return meanLastAxis(yTrue.sub(yPred).square());
    }
}
