package dev.vecgrad.train.losses;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import java.util.Map;

/**
 * {@link CategoricalCrossentropy} with integer class ids as labels: shape {@code (batch,)} or
 * {@code (batch, 1)} against predictions {@code (batch, classes)} (more leading axes work the same
 * way). Labels may be I32 or floats holding whole numbers; an id outside [0, classes) is an error
 * naming it.
 */
public final class SparseCategoricalCrossentropy extends Loss {
    private final boolean fromLogits;

    /** From probabilities, named {@code sparse_categorical_crossentropy}, mean reduction. */
    public SparseCategoricalCrossentropy() {
        this(false);
    }

    /** From logits or probabilities, named {@code sparse_categorical_crossentropy}, mean reduction. */
    public SparseCategoricalCrossentropy(boolean fromLogits) {
        this(fromLogits, "sparse_categorical_crossentropy", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /** All arguments. */
    public SparseCategoricalCrossentropy(boolean fromLogits, String name, Reduction reduction) {
        super(name, reduction);
        this.fromLogits = fromLogits;
    }

    @Override
    protected boolean keepsIntegerLabels() {
        return true;
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        Tensor ids = yTrue.dtype() == DType.I32 ? yTrue : yTrue.cast(DType.I32);
        if (ids.rank() == yPred.rank() && ids.shape().dim(-1) == 1) {
            ids = ids.squeeze(ids.rank() - 1);
        }
        if (ids.rank() != yPred.rank() - 1) {
            throw new IllegalArgumentException(name() + ": labels " + yTrue.shape() + " do not fit predictions "
                    + yPred.shape() + " (expected class ids of shape " + yPred.shape().toString()
                    + " without its last axis)");
        }
        int classes = yPred.shape().dim(-1);
        Tensor oneHot = ids.oneHot(classes);
        if (oneHot.dtype() != yPred.dtype()) {
            oneHot = oneHot.cast(yPred.dtype());
        }
        return oneHot.mul(CategoricalCrossentropy.logProbabilities(yPred, fromLogits)).sum(new int[] {-1}, false).neg();
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
