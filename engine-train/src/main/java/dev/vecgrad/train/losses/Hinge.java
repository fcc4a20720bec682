package dev.vecgrad.train.losses;

import dev.vecgrad.core.Tensor;

/**
 * Per sample, the mean over the last axis of {@code max(1 - yTrue * yPred, 0)}, as Keras's
 * {@code Hinge}. Labels are -1 or 1; labels that are all 0 or 1 are mapped to -1 and 1 first, as
 * Keras does. {@link SquaredHinge} squares each term; {@link CategoricalHinge} is the multi-class
 * form.
 */
public final class Hinge extends Loss {
    /** Named {@code hinge}, mean reduction. */
    public Hinge() {
        this("hinge", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /** Logged as {@code name}, reduced with {@code reduction}. */
    public Hinge(String name, Reduction reduction) {
        super(name, reduction);
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        return meanLastAxis(margins(yTrue, yPred));
    }

    /** {@code max(1 - y * yPred, 0)} with 0/1 labels mapped to -1/1. */
    static Tensor margins(Tensor yTrue, Tensor yPred) {
        return signedLabels(yTrue).mul(yPred).neg().add(1).relu();
    }

    /** {@code 2y - 1} when every label is 0 or 1, else the labels unchanged. */
    static Tensor signedLabels(Tensor y) {
        // y + (y - 1) * [every y(y - 1) is 0]: in tensor ops rather than a Java test of the labels,
        // so that a compiled step decides it for each batch.
        Tensor binary = y.mul(y.sub(1)).abs().max().eq(y.scalarLike(0)).cast(y.dtype());
        return y.add(y.sub(1).mul(binary));
    }
}
