package dev.vecgrad.train.metrics;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;

/**
 * How often the arg-max of the prediction equals the arg-max of a one-hot label, as Keras's
 * {@code CategoricalAccuracy} (first index on ties).
 */
public final class CategoricalAccuracy extends MeanMetricWrapper {
    /** Logged as {@code categorical_accuracy}. */
    public CategoricalAccuracy() {
        this("categorical_accuracy");
    }

    /** Logged as {@code name}. */
    public CategoricalAccuracy(String name) {
        super(name);
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        if (yTrue.rank() != yPred.rank() || yTrue.shape().dim(-1) != yPred.shape().dim(-1)) {
            throw new IllegalArgumentException(name() + ": one-hot labels " + yTrue.shape()
                    + " do not match predictions " + yPred.shape() + " (for class ids use SparseCategoricalAccuracy)");
        }
        return yTrue.argmax(-1).eq(yPred.argmax(-1)).cast(DType.F64);
    }

    @Override
    public Direction direction() {
        return Direction.UP;
    }
}
