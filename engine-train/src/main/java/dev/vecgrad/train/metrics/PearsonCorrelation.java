package dev.vecgrad.train.metrics;

import dev.vecgrad.core.Tensor;

/**
 * Pearson's correlation coefficient of labels and predictions along an axis, averaged over
 * samples, as Keras's {@code PearsonCorrelation}: the mean of the product of both standardised
 * (centred, divided by their population standard deviation).
 */
public final class PearsonCorrelation extends Correlation {
    /** Along the last axis, logged as {@code pearson_correlation}. */
    public PearsonCorrelation() {
        this("pearson_correlation", -1);
    }

    /** All arguments. */
    public PearsonCorrelation(String name, int axis) {
        super(name, axis);
    }

    @Override
    Tensor correlation(Tensor y, Tensor p, int[] axes) {
        return standardise(y, axes).mul(standardise(p, axes)).mean(axes, false);
    }

    private static Tensor standardise(Tensor x, int[] axes) {
        Tensor centred = x.sub(x.mean(axes, true));
        return centred.div(centred.variance(axes, true).sqrt());
    }
}
