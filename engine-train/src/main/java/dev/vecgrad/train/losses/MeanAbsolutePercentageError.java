package dev.vecgrad.train.losses;

import dev.vecgrad.core.Tensor;

/** Per sample, {@code 100 *} the mean over the last axis of {@code |(yTrue - yPred) / max(|yTrue|, 1e-7)|}, as Keras. */
public final class MeanAbsolutePercentageError extends Loss {
    /** With the default name {@code mean_absolute_percentage_error} and reduction {@link Reduction#SUM_OVER_BATCH_SIZE}. */
    public MeanAbsolutePercentageError() {
        this("mean_absolute_percentage_error", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /** Logged as {@code name}, reduced with {@code reduction}. */
    public MeanAbsolutePercentageError(String name, Reduction reduction) {
        super(name, reduction);
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        return meanLastAxis(yTrue.sub(yPred).div(yTrue.abs().maximum(EPSILON)).abs()).mul(100);
    }
}
