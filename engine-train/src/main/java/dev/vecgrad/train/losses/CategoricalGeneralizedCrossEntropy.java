package dev.vecgrad.train.losses;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import java.util.Map;

/**
 * The generalized cross-entropy for noisy labels (Zhang and Sabuncu), as Keras's
 * {@code CategoricalGeneralizedCrossEntropy}: with integer class ids as labels and p the predicted
 * probability of the labelled class, per sample {@code (1 - p^q) / q}. As q approaches 0 it becomes
 * the cross-entropy, at q = 1 the mean absolute error. Default q 0.5.
 */
public final class CategoricalGeneralizedCrossEntropy extends Loss {
    private final double q;

    /** q = 0.5, named {@code categorical_generalized_cross_entropy}, mean reduction. */
    public CategoricalGeneralizedCrossEntropy() {
        this(0.5, "categorical_generalized_cross_entropy", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /** All arguments; q in (0, 1]. */
    public CategoricalGeneralizedCrossEntropy(double q, String name, Reduction reduction) {
        super(name, reduction);
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException(name + ": q must be in (0, 1], got " + q);
        }
        this.q = q;
    }

    @Override
    protected boolean keepsIntegerLabels() {
        return true;
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        Tensor ids = yTrue.dtype() == DType.I32 ? yTrue : yTrue.cast(DType.I32);
        Tensor oneHot = ids.oneHot(yPred.shape().dim(-1));
        Tensor p = yPred.mul(oneHot.dtype() == yPred.dtype() ? oneHot : oneHot.cast(yPred.dtype()))
                .sum(new int[] {-1}, false);
        return p.pow(q).neg().add(1).div(q);
    }

    /** The exponent q. */
    public double q() {
        return q;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("q", q);
        return c;
    }
}
