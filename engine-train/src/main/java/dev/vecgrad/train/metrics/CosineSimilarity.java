package dev.vecgrad.train.metrics;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.losses.Loss;
import dev.vecgrad.train.losses.Reduction;

/**
 * The cosine similarity of labels and predictions along {@code axis} (default the last), as
 * Keras's {@code CosineSimilarity} metric: the weighted mean over samples of
 * {@code sum(l2normalize(y) * l2normalize(p))}, 1 for vectors pointing the same way. (The loss of
 * the same name is its negative.)
 */
public final class CosineSimilarity extends LossMetric {
    /** The last axis, logged as {@code cosine_similarity}. */
    public CosineSimilarity() {
        this("cosine_similarity", -1);
    }

    /** All arguments. */
    public CosineSimilarity(String name, int axis) {
        super(name, new dev.vecgrad.train.losses.CosineSimilarity(axis, name, Reduction.NONE));
    }

    @Override
    protected Loss.PerSample evaluate(Tensor yTrue, Tensor yPred) {
        Loss.PerSample loss = super.evaluate(yTrue, yPred);
        return new Loss.PerSample(loss.values().neg(), loss.mask());
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        return evaluate(yTrue, yPred).values();
    }

    @Override
    public Direction direction() {
        return Direction.UP;
    }
}
