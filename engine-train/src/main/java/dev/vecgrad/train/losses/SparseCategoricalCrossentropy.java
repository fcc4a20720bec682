package dev.vecgrad.train.losses;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import java.util.Arrays;
import java.util.Map;

/**
 * {@link CategoricalCrossentropy} with integer class ids as labels, as Keras's
 * {@code SparseCategoricalCrossentropy}: labels of predictions' shape without the class axis
 * ({@code (batch,)} against {@code (batch, classes)}; more axes work the same way), or with a
 * size-1 class axis. Labels may be I32 or floats holding whole numbers; an id outside
 * [0, classes) is an error naming it.
 *
 * <p>The class axis is the last by default; another {@code axis} (channels-first segmentation,
 * {@code (batch, classes, h, w)}) is moved last first. With {@code ignoreClass}, labels equal to
 * it give a loss of 0 and are masked out: they do not count in the mean (see {@link Loss}).
 */
public final class SparseCategoricalCrossentropy extends Loss {
    private final boolean fromLogits;
    private final Integer ignoreClass;
    private final int axis;

    /** From probabilities, named {@code sparse_categorical_crossentropy}, mean reduction. */
    public SparseCategoricalCrossentropy() {
        this(false);
    }

    /** From logits or probabilities, named {@code sparse_categorical_crossentropy}, mean reduction. */
    public SparseCategoricalCrossentropy(boolean fromLogits) {
        this(fromLogits, "sparse_categorical_crossentropy", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /** From logits or probabilities, no ignored class, classes on the last axis. */
    public SparseCategoricalCrossentropy(boolean fromLogits, String name, Reduction reduction) {
        this(fromLogits, null, -1, name, reduction);
    }

    /** All arguments: the class whose labels are ignored (null: none) and the class axis. */
    public SparseCategoricalCrossentropy(boolean fromLogits, Integer ignoreClass, int axis, String name,
            Reduction reduction) {
        super(name, reduction);
        this.fromLogits = fromLogits;
        this.ignoreClass = ignoreClass;
        this.axis = axis;
    }

    @Override
    protected boolean keepsIntegerLabels() {
        return true;
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        Tensor p = classesLast(yPred);
        Tensor ids = ids(yTrue, yPred);
        if (ignoreClass != null) {
            // Ignored labels look up class 0 and their loss is then replaced by 0, so no NaN or
            // infinity is computed for them and their gradient is exactly 0.
            ids = Tensor.where(ids.eq(ids.scalarLike(ignoreClass)), ids.scalarLike(0), ids);
        }
        Tensor oneHot = ids.oneHot(p.shape().dim(-1));
        if (oneHot.dtype() != p.dtype()) {
            oneHot = oneHot.cast(p.dtype());
        }
        Tensor loss = oneHot.mul(CategoricalCrossentropy.logProbabilities(p, fromLogits, p.rank() - 1))
                .sum(new int[] {-1}, false).neg();
        Tensor valid = valuesMask(yTrue, yPred);
        return valid == null ? loss : Tensor.where(valid, loss, loss.scalarLike(0));
    }

    /** With an ignored class, 1 where the label is not it, else 0; null without one. */
    @Override
    protected Tensor valuesMask(Tensor yTrue, Tensor yPred) {
        if (ignoreClass == null) {
            return null;
        }
        Tensor ids = ids(yTrue, yPred);
        return ids.ne(ids.scalarLike(ignoreClass)).cast(yPred.dtype());
    }

    /** yPred with the class axis last. */
    private Tensor classesLast(Tensor yPred) {
        int a = axis(axis, yPred.rank());
        if (a == yPred.rank() - 1) {
            return yPred;
        }
        int[] perm = new int[yPred.rank()];
        for (int i = 0, j = 0; i < perm.length; i++) {
            if (i != a) {
                perm[j++] = i;
            }
        }
        perm[perm.length - 1] = a;
        return yPred.permute(perm);
    }

    /** The labels as I32 of the predictions' shape without the class axis. */
    private Tensor ids(Tensor yTrue, Tensor yPred) {
        Tensor ids = yTrue.dtype() == DType.I32 ? yTrue : yTrue.cast(DType.I32);
        int a = axis(axis, yPred.rank());
        if (ids.rank() == yPred.rank() && ids.shape().dim(a) == 1) {
            ids = ids.squeeze(a);
        }
        Tensor p = classesLast(yPred);
        if (ids.rank() != p.rank() - 1 || !Arrays.equals(ids.shape().toArray(), Arrays.copyOf(p.shape().toArray(), p.rank() - 1))) {
            throw new IllegalArgumentException(name() + ": labels " + yTrue.shape() + " do not fit predictions "
                    + yPred.shape() + " (expected class ids of the predictions' shape without the class axis " + axis
                    + ")");
        }
        return ids;
    }

    /** Whether predictions are logits. */
    public boolean fromLogits() {
        return fromLogits;
    }

    /** The class whose labels are ignored, or null. */
    public Integer ignoreClass() {
        return ignoreClass;
    }

    /** The class axis. */
    public int axis() {
        return axis;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("from_logits", fromLogits);
        c.put("ignore_class", ignoreClass);
        c.put("axis", axis);
        return c;
    }
}
