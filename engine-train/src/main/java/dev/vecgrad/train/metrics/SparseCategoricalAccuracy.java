package dev.vecgrad.train.metrics;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;

/**
 * How often the arg-max of the prediction equals an integer class id, as Keras's
 * {@code SparseCategoricalAccuracy}; labels of shape {@code (batch,)} or {@code (batch, 1)}, I32
 * or whole-number floats.
 */
public final class SparseCategoricalAccuracy extends MeanMetricWrapper {
    /** Logged as {@code sparse_categorical_accuracy}. */
    public SparseCategoricalAccuracy() {
        this("sparse_categorical_accuracy");
    }

    /** Logged as {@code name}. */
    public SparseCategoricalAccuracy(String name) {
        super(name);
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        Tensor ids = classIds(name(), yTrue, yPred);
        return ids.eq(yPred.argmax(-1)).cast(DType.F64);
    }

    /** Labels as I32 of yPred's shape without its last axis (a trailing size-1 axis dropped). */
    static Tensor classIds(String metric, Tensor yTrue, Tensor yPred) {
        Tensor ids = yTrue.dtype() == DType.I32 ? yTrue : yTrue.cast(DType.I32);
        if (ids.rank() == yPred.rank() && ids.shape().dim(-1) == 1) {
            ids = ids.squeeze(ids.rank() - 1);
        }
        if (ids.rank() != yPred.rank() - 1) {
            throw new IllegalArgumentException(metric + ": class ids " + yTrue.shape() + " do not fit predictions "
                    + yPred.shape());
        }
        return ids;
    }

    @Override
    public Direction direction() {
        return Direction.UP;
    }
}
