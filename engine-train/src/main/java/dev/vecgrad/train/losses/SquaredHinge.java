package dev.vecgrad.train.losses;

import dev.vecgrad.core.Tensor;

/**
 * Per sample, the mean over the last axis of {@code max(1 - yTrue * yPred, 0)²}, as Keras's
 * {@code SquaredHinge}; labels as for {@link Hinge}.
 */
public final class SquaredHinge extends Loss {
    /** Named {@code squared_hinge}, mean reduction. */
    public SquaredHinge() {
        this("squared_hinge", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /** Logged as {@code name}, reduced with {@code reduction}. */
    public SquaredHinge(String name, Reduction reduction) {
        super(name, reduction);
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        return meanLastAxis(Hinge.margins(yTrue, yPred).square());
    }
}
