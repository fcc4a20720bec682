package dev.vecgrad.train.losses;

import dev.vecgrad.core.Tensor;

/**
 * Per sample, the mean over the last axis of {@code (log(1 + max(yPred, eps)) - log(1 + max(yTrue, eps)))²},
 * as Keras's {@code MeanSquaredLogarithmicError} (eps = 1e-7).
 */
public final class MeanSquaredLogarithmicError extends Loss {
    /** Named {@code mean_squared_logarithmic_error}, mean reduction. */
    public MeanSquaredLogarithmicError() {
        this("mean_squared_logarithmic_error", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /** Logged as {@code name}, reduced with {@code reduction}. */
    public MeanSquaredLogarithmicError(String name, Reduction reduction) {
        super(name, reduction);
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        Tensor first = yPred.maximum(EPSILON).log1p();
        Tensor second = yTrue.maximum(EPSILON).log1p();
        return meanLastAxis(first.sub(second).square());
    }
}
