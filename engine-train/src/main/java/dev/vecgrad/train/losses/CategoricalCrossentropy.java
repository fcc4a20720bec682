package dev.vecgrad.train.losses;

import dev.vecgrad.core.Tensor;
import java.util.Map;

/**
 * Per sample, {@code -sum(yTrue * log(p))} over the class axis ({@code axis}, default the last),
 * for one-hot or soft labels, as Keras's {@code CategoricalCrossentropy}.
 *
 * <ul>
 *   <li>From logits: {@code log p = logSoftmax(logits)}, finite for logits of any size.</li>
 *   <li>From probabilities: p is renormalised to sum to 1 along the class axis and clipped into
 *       [1e-7, 1 - 1e-7], as Keras.</li>
 *   <li>With label smoothing s over C classes, the labels become {@code y (1 - s) + s / C} first.</li>
 * </ul>
 */
public final class CategoricalCrossentropy extends Loss {
    private final boolean fromLogits;
    private final double labelSmoothing;
    private final int axis;

    /** From probabilities, named {@code categorical_crossentropy}, mean reduction. */
    public CategoricalCrossentropy() {
        this(false);
    }

    /** From logits or probabilities, named {@code categorical_crossentropy}, mean reduction. */
    public CategoricalCrossentropy(boolean fromLogits) {
        this(fromLogits, "categorical_crossentropy", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /** From logits or probabilities, no label smoothing, classes on the last axis. */
    public CategoricalCrossentropy(boolean fromLogits, String name, Reduction reduction) {
        this(fromLogits, 0, -1, name, reduction);
    }

    /** All arguments: label smoothing in [0, 1] and the class axis. */
    public CategoricalCrossentropy(boolean fromLogits, double labelSmoothing, int axis, String name,
            Reduction reduction) {
        super(name, reduction);
        this.fromLogits = fromLogits;
        this.labelSmoothing = BinaryCrossentropy.checkSmoothing(name, labelSmoothing);
        this.axis = axis;
    }

    /** What the labels of the categorical cross-entropies must be, for their shape errors. */
    static final String ONE_HOT_LABELS = "one-hot labels; for class ids use SparseCategoricalCrossentropy";

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        requireSameShape(yTrue, yPred, ONE_HOT_LABELS);
        int a = axis(axis, yPred.rank());
        Tensor labels = smooth(yTrue, labelSmoothing, yPred.shape().dim(a));
        return labels.mul(logProbabilities(yPred, fromLogits, a)).sum(new int[] {a}, false).neg();
    }

    /** Labels smoothed towards the uniform distribution over {@code classes}: {@code y (1 - s) + s / classes}. */
    static Tensor smooth(Tensor y, double s, int classes) {
        return s == 0 ? y : y.mul(1 - s).add(s / classes);
    }

    /** log p along {@code axis}: logSoftmax for logits, else log of the renormalised, clipped probabilities. */
    static Tensor logProbabilities(Tensor yPred, boolean fromLogits, int axis) {
        return fromLogits ? yPred.logSoftmax(axis) : probabilities(yPred, false, axis).log();
    }

    /** p along {@code axis}: softmax of logits, or the probabilities renormalised and clipped into [eps, 1 - eps]. */
    static Tensor probabilities(Tensor yPred, boolean fromLogits, int axis) {
        Tensor p = fromLogits ? yPred.softmax(axis) : yPred;
        return p.div(p.sum(new int[] {axis}, true)).clip(EPSILON, 1 - EPSILON);
    }

    /** Whether predictions are logits. */
    public boolean fromLogits() {
        return fromLogits;
    }

    /** The label smoothing factor. */
    public double labelSmoothing() {
        return labelSmoothing;
    }

    /** The class axis. */
    public int axis() {
        return axis;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("from_logits", fromLogits);
        c.put("label_smoothing", labelSmoothing);
        c.put("axis", axis);
        return c;
    }
}
