package dev.vecgrad.train.metrics;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.losses.Loss;

/**
 * How often predictions equal labels exactly, as Keras 3's {@code Accuracy}: one value per
 * element, {@code yTrue == yPred}, so every element counts once (labels {@code (4,)} then
 * {@code (1,)} over two batches weigh 4 and 1) and sample weights may have the elements' shape
 * or broadcast to it ({@code (4,)}, {@code (2, 2)}, {@code (1, 2)}). For classifier outputs use the variant
 * {@link Metrics#get(String, dev.vecgrad.core.Shape, dev.vecgrad.core.Shape)} picks for
 * {@code "accuracy"}.
 */
public final class Accuracy extends MeanMetricWrapper {
    /** Logged as {@code accuracy}. */
    public Accuracy() {
        this("accuracy");
    }

    /** Logged as {@code name}. */
    public Accuracy(String name) {
        super(name);
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        Tensor[] m = Loss.matchRank(yTrue.cast(DType.F64), yPred.cast(DType.F64));
        return m[0].eq(m[1]);
    }

    @Override
    public Direction direction() {
        return Direction.UP;
    }
}
