package dev.vecgrad.train.losses;

import dev.vecgrad.core.Tensor;
import java.util.Map;

/**
 * Categorical cross-entropy down-weighting easy examples, as Keras's
 * {@code CategoricalFocalCrossentropy}: with p the class probabilities along {@code axis}
 * (softmax of logits, or the probabilities renormalised; clipped into [1e-7, 1 - 1e-7]), per
 * sample {@code sum(alpha (1 - p)^gamma * -y log p)} over the class axis. Labels are one-hot or
 * soft, smoothed as {@link CategoricalCrossentropy} smooths them. Defaults: alpha 0.25, gamma 2.
 */
public final class CategoricalFocalCrossentropy extends Loss {
    private final double alpha;
    private final double gamma;
    private final boolean fromLogits;
    private final double labelSmoothing;
    private final int axis;

    /** Keras's defaults, from probabilities. */
    public CategoricalFocalCrossentropy() {
        this(false);
    }

    /** Keras's defaults, from logits or probabilities. */
    public CategoricalFocalCrossentropy(boolean fromLogits) {
        this(0.25, 2.0, fromLogits, 0, -1, "categorical_focal_crossentropy", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /** All arguments. */
    public CategoricalFocalCrossentropy(double alpha, double gamma, boolean fromLogits, double labelSmoothing, int axis,
            String name, Reduction reduction) {
        super(name, reduction);
        this.alpha = alpha;
        this.gamma = checkGamma(name, gamma);
        this.fromLogits = fromLogits;
        this.labelSmoothing = BinaryCrossentropy.checkSmoothing(name, labelSmoothing);
        this.axis = axis;
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        requireSameShape(yTrue, yPred, CategoricalCrossentropy.ONE_HOT_LABELS);
        int a = axis(axis, yPred.rank());
        Tensor y = CategoricalCrossentropy.smooth(yTrue, labelSmoothing, yPred.shape().dim(a));
        Tensor p = CategoricalCrossentropy.probabilities(yPred, fromLogits, a);
        Tensor weight = p.neg().add(1).pow(gamma).mul(alpha);
        return weight.mul(y.mul(p.log()).neg()).sum(new int[] {a}, false);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("alpha", alpha);
        c.put("gamma", gamma);
        c.put("from_logits", fromLogits);
        c.put("label_smoothing", labelSmoothing);
        c.put("axis", axis);
        return c;
    }
}
