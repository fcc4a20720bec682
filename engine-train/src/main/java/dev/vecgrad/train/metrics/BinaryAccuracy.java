package dev.vecgrad.train.metrics;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.losses.Loss;
import java.util.Map;

/**
 * How often a thresholded prediction ({@code yPred > threshold}, default 0.5) equals a 0/1 label,
 * as Keras 3's {@code BinaryAccuracy}: one value per element (see {@link Accuracy} for what that
 * means for counting and sample weights).
 */
public final class BinaryAccuracy extends MeanMetricWrapper {
    private final double threshold;

    /** Threshold 0.5, logged as {@code binary_accuracy}. */
    public BinaryAccuracy() {
        this("binary_accuracy", 0.5);
    }

    /** Logged as {@code name}, predictions above {@code threshold} count as 1. */
    public BinaryAccuracy(String name, double threshold) {
        super(name);
        this.threshold = threshold;
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        Tensor[] m = Loss.matchRank(yTrue.cast(DType.F64), yPred.cast(DType.F64));
        return m[0].eq(m[1].gt(threshold));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("threshold", threshold);
        return c;
    }

    @Override
    public Direction direction() {
        return Direction.UP;
    }
}
