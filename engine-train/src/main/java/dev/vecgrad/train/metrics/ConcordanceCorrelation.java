package dev.vecgrad.train.metrics;

import dev.vecgrad.core.Tensor;

/**
 * Lin's concordance correlation coefficient of labels and predictions along an axis, averaged over
 * samples, as Keras's {@code ConcordanceCorrelation}:
 * {@code 2 cov(y, p) / (var(y) + var(p) + (mean(y) - mean(p))² + 1e-7)}, population moments.
 */
public final class ConcordanceCorrelation extends Correlation {
    /** Along the last axis, logged as {@code concordance_correlation}. */
    public ConcordanceCorrelation() {
        this("concordance_correlation", -1);
    }

    /** All arguments. */
    public ConcordanceCorrelation(String name, int axis) {
        super(name, axis);
    }

    @Override
    Tensor correlation(Tensor y, Tensor p, int[] axes) {
        Tensor yMean = y.mean(axes, true);
        Tensor pMean = p.mean(axes, true);
        Tensor norm = y.variance(axes, true).add(p.variance(axes, true)).add(yMean.sub(pMean).square()).add(1e-7);
        return y.sub(yMean).mul(p.sub(pMean)).mul(2).div(norm).mean(axes, false);
    }
}
