package dev.vecgrad.train.losses;

import dev.vecgrad.core.Tensor;
import java.util.Map;

/**
 * Per sample, minus the cosine similarity of labels and predictions along {@code axis} (default
 * the last): {@code -sum(l2normalize(yTrue) * l2normalize(yPred))}, as Keras's
 * {@code CosineSimilarity}; {@code l2normalize(x) = x / sqrt(max(sum(x²), 1e-12))}. The loss is -1
 * for vectors pointing the same way, so minimising it aligns them.
 */
public final class CosineSimilarity extends Loss {
    private final int axis;

    /** The last axis, named {@code cosine_similarity}, mean reduction. */
    public CosineSimilarity() {
        this(-1, "cosine_similarity", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /** All arguments. */
    public CosineSimilarity(int axis, String name, Reduction reduction) {
        super(name, reduction);
        this.axis = axis;
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        int[] a = {axis(axis, yPred.rank())};
        return normalize(yTrue, a).mul(normalize(yPred, a)).sum(a, false).neg();
    }

    private static Tensor normalize(Tensor x, int[] axes) {
        return x.mul(x.square().sum(axes, true).maximum(1e-12).rsqrt());
    }

    /** The axis along which vectors are compared. */
    public int axis() {
        return axis;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("axis", axis);
        return c;
    }
}
