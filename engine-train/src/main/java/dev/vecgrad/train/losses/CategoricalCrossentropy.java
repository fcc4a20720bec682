package dev.vecgrad.train.losses;

import dev.vecgrad.core.Tensor;
import java.util.Map;

/**
 * Per sample, {@code -sum(yTrue * log(p))} over the last (class) axis, for one-hot or soft
 * labels.
 *
 * <ul>
 *   <li>From logits: {@code log p = logSoftmax(logits)}, finite for logits of any size.</li>
 *   <li>From probabilities: the rows are renormalised to sum to 1 and clipped into
 *       [1e-7, 1 - 1e-7], as Keras.</li>
 * </ul>
 */
public final class CategoricalCrossentropy extends Loss {
    private final boolean fromLogits;

    /** From probabilities, named {@code categorical_crossentropy}, mean reduction. */
    public CategoricalCrossentropy() {
        this(false);
    }

    /** From logits or probabilities, named {@code categorical_crossentropy}, mean reduction. */
    public CategoricalCrossentropy(boolean fromLogits) {
        this(fromLogits, "categorical_crossentropy", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /** All arguments. */
    public CategoricalCrossentropy(boolean fromLogits, String name, Reduction reduction) {
        super(name, reduction);
        this.fromLogits = fromLogits;
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        if (!yTrue.shape().equals(yPred.shape())) {
            throw new IllegalArgumentException(name() + ": labels " + yTrue.shape() + " and predictions "
                    + yPred.shape() + " must have the same shape (one-hot labels; for class ids use"
                    + " SparseCategoricalCrossentropy)");
        }
        return yTrue.mul(logProbabilities(yPred, fromLogits)).sum(new int[] {-1}, false).neg();
    }

    /** log p along the last axis: logSoftmax for logits, else log of the renormalised, clipped probabilities. */
    static Tensor logProbabilities(Tensor yPred, boolean fromLogits) {
        if (fromLogits) {
            return yPred.logSoftmax(-1);
        }
        Tensor p = yPred.div(yPred.sum(new int[] {-1}, true));
        return p.clip(EPSILON, 1 - EPSILON).log();
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
