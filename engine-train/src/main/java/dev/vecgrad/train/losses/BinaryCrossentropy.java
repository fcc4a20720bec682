package dev.vecgrad.train.losses;

import dev.vecgrad.core.Tensor;
import java.util.Map;

/**
 * Per sample, the mean over {@code axis} (default the last) of the binary cross-entropy between
 * labels in [0, 1] and predictions, as Keras's {@code BinaryCrossentropy}. Labels and predictions
 * must have the same shape once their ranks are matched (labels are never broadcast).
 *
 * <ul>
 *   <li>From logits x: {@code max(x, 0) - x*z + softplus(-|x|)}, exact and finite for any x
 *       (TensorFlow's {@code sigmoid_cross_entropy_with_logits}).</li>
 *   <li>From probabilities p: p is clipped into [1e-7, 1 - 1e-7] first, as Keras, then
 *       {@code -(z log p + (1 - z) log(1 - p))}.</li>
 *   <li>With label smoothing s, the labels become {@code z (1 - s) + s / 2} first.</li>
 * </ul>
 */
public final class BinaryCrossentropy extends Loss {
    private final boolean fromLogits;
    private final double labelSmoothing;
    private final int axis;

    /** From probabilities, named {@code binary_crossentropy}, mean reduction. */
    public BinaryCrossentropy() {
        this(false);
    }

    /** From logits or probabilities, named {@code binary_crossentropy}, mean reduction. */
    public BinaryCrossentropy(boolean fromLogits) {
        this(fromLogits, "binary_crossentropy", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /** From logits or probabilities, no label smoothing, the last axis. */
    public BinaryCrossentropy(boolean fromLogits, String name, Reduction reduction) {
        this(fromLogits, 0, -1, name, reduction);
    }

    /** All arguments: label smoothing in [0, 1], the axis the mean runs over. */
    public BinaryCrossentropy(boolean fromLogits, double labelSmoothing, int axis, String name, Reduction reduction) {
        super(name, reduction);
        this.fromLogits = fromLogits;
        this.labelSmoothing = checkSmoothing(name, labelSmoothing);
        this.axis = axis;
    }

    static double checkSmoothing(String name, double s) {
        if (!(s >= 0 && s <= 1)) {
            throw new IllegalArgumentException(name + ": labelSmoothing must be in [0, 1], got " + s);
        }
        return s;
    }

    @Override
    protected Tensor values(Tensor z, Tensor yPred) {
        requireSameShape(z, yPred, BINARY_LABELS);
        Tensor labels = labelSmoothing == 0 ? z : z.mul(1 - labelSmoothing).add(0.5 * labelSmoothing);
        Tensor elementwise = elementwise(labels, yPred, fromLogits);
        return elementwise.rank() == 0 ? elementwise : elementwise.mean(new int[] {axis(axis, yPred.rank())}, false);
    }

    /** What the labels of the binary cross-entropies must be, for their shape errors. */
    static final String BINARY_LABELS = "one probability or logit a label; labels are not broadcast";

    /** The cross-entropy of each element, from logits or from probabilities clipped into [eps, 1 - eps]. */
    static Tensor elementwise(Tensor z, Tensor yPred, boolean fromLogits) {
        if (fromLogits) {
            return yPred.relu().sub(yPred.mul(z)).add(yPred.abs().neg().softplus());
        }
        Tensor p = yPred.clip(EPSILON, 1 - EPSILON);
        return z.mul(p.log()).add(z.neg().add(1).mul(p.neg().add(1).log())).neg();
    }

    /** Whether predictions are logits. */
    public boolean fromLogits() {
        return fromLogits;
    }

    /** The label smoothing factor. */
    public double labelSmoothing() {
        return labelSmoothing;
    }

    /** The axis the mean runs over. */
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
