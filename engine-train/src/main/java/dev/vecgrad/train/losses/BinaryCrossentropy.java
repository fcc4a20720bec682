package dev.vecgrad.train.losses;

import dev.vecgrad.core.Tensor;
import java.util.Map;

/**
 * Per sample, the mean over the last axis of the binary cross-entropy between labels in [0, 1]
 * and predictions.
 *
 * <ul>
 *   <li>From logits x: {@code max(x, 0) - x*z + softplus(-|x|)}, exact and finite for any x
 *       (TensorFlow's {@code sigmoid_cross_entropy_with_logits}).</li>
 *   <li>From probabilities p: p is clipped into [1e-7, 1 - 1e-7] first, as Keras, then
 *       {@code -(z log p + (1 - z) log(1 - p))}.</li>
 * </ul>
 */
public final class BinaryCrossentropy extends Loss {
    private final boolean fromLogits;

    /** From probabilities, named {@code binary_crossentropy}, mean reduction. */
    public BinaryCrossentropy() {
        this(false);
    }

    /** From logits or probabilities, named {@code binary_crossentropy}, mean reduction. */
    public BinaryCrossentropy(boolean fromLogits) {
        this(fromLogits, "binary_crossentropy", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /** All arguments. */
    public BinaryCrossentropy(boolean fromLogits, String name, Reduction reduction) {
        super(name, reduction);
        this.fromLogits = fromLogits;
    }

    @Override
    protected Tensor values(Tensor z, Tensor yPred) {
        if (!z.shape().equals(yPred.shape())) {
            throw new IllegalArgumentException(name() + ": labels " + z.shape() + " and predictions " + yPred.shape()
                    + " must have the same shape (one probability or logit a label; labels are not broadcast)");
        }
        Tensor elementwise;
        if (fromLogits) {
            elementwise = yPred.relu().sub(yPred.mul(z)).add(yPred.abs().neg().softplus());
        } else {
            Tensor p = yPred.clip(EPSILON, 1 - EPSILON);
            Tensor oneMinusZ = z.neg().add(1);
            Tensor oneMinusP = p.neg().add(1);
            elementwise = z.mul(p.log()).add(oneMinusZ.mul(oneMinusP.log())).neg();
        }
        return meanLastAxis(elementwise);
    }

    /** Whether predictions are logits. */
    public boolean fromLogits() {
        return fromLogits;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("from_logits", fromLogits);
        return c;
    }
}
