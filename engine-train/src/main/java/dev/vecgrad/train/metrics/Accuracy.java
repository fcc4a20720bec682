package dev.vecgrad.train.metrics;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.losses.Loss;

/**
 * How often predictions equal labels exactly, as Keras's {@code Accuracy}: per sample the mean
 * over the last axis of {@code yTrue == yPred}. For classifier outputs use the variant
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
        Tensor eq = m[0].eq(m[1]);
        return eq.rank() == 0 ? eq : eq.mean(new int[] {-1}, false);
    }
}
