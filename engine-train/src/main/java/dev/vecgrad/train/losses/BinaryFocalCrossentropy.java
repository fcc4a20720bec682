package dev.vecgrad.train.losses;

import dev.vecgrad.core.Tensor;
import java.util.Map;

/**
 * Binary cross-entropy down-weighting easy examples (Lin et al.), as Keras's
 * {@code BinaryFocalCrossentropy}: per element {@code (1 - p_t)^gamma * bce}, with
 * {@code p_t = y p + (1 - y)(1 - p)} and {@code bce} the {@link BinaryCrossentropy} term (from
 * probabilities, logits passed through a sigmoid first); with {@code applyClassBalancing} also
 * times {@code alpha} for positives and {@code 1 - alpha} for negatives. Then the mean over
 * {@code axis}. Defaults: gamma 2, alpha 0.25, no class balancing, no label smoothing.
 */
public final class BinaryFocalCrossentropy extends Loss {
    private final boolean applyClassBalancing;
    private final double alpha;
    private final double gamma;
    private final boolean fromLogits;
    private final double labelSmoothing;
    private final int axis;

    /** Keras's defaults (gamma 2), from probabilities. */
    public BinaryFocalCrossentropy() {
        this(2.0, false);
    }

    /** Focusing parameter {@code gamma}, from logits or probabilities, otherwise Keras's defaults. */
    public BinaryFocalCrossentropy(double gamma, boolean fromLogits) {
        this(false, 0.25, gamma, fromLogits, 0, -1, "binary_focal_crossentropy", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /** All arguments. */
    public BinaryFocalCrossentropy(boolean applyClassBalancing, double alpha, double gamma, boolean fromLogits,
            double labelSmoothing, int axis, String name, Reduction reduction) {
        super(name, reduction);
        this.applyClassBalancing = applyClassBalancing;
        this.alpha = alpha;
        this.gamma = checkGamma(name, gamma);
        this.fromLogits = fromLogits;
        this.labelSmoothing = BinaryCrossentropy.checkSmoothing(name, labelSmoothing);
        this.axis = axis;
    }

    @Override
    protected Tensor values(Tensor z, Tensor yPred) {
        requireSameShape(z, yPred, BinaryCrossentropy.BINARY_LABELS);
        Tensor y = labelSmoothing == 0 ? z : z.mul(1 - labelSmoothing).add(0.5 * labelSmoothing);
        Tensor p = fromLogits ? yPred.sigmoid() : yPred;
        Tensor bce = BinaryCrossentropy.elementwise(y, p, false);
        Tensor oneMinusY = y.neg().add(1);
        Tensor pT = y.mul(p).add(oneMinusY.mul(p.neg().add(1)));
        Tensor focal = pT.neg().add(1).pow(gamma).mul(bce);
        if (applyClassBalancing) {
            focal = y.mul(alpha).add(oneMinusY.mul(1 - alpha)).mul(focal);
        }
        return focal.rank() == 0 ? focal : focal.mean(new int[] {axis(axis, yPred.rank())}, false);
    }

    /** The focusing parameter. */
    public double gamma() {
        return gamma;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("apply_class_balancing", applyClassBalancing);
        c.put("alpha", alpha);
        c.put("gamma", gamma);
        c.put("from_logits", fromLogits);
        c.put("label_smoothing", labelSmoothing);
        c.put("axis", axis);
        return c;
    }
}
