package dev.vecgrad.train.metrics;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.losses.Loss;

/**
 * The square root of the weighted mean squared error, as Keras's {@code RootMeanSquaredError}:
 * the squared errors are averaged as a {@link Mean} averages values (per sample, then weighted over
 * samples) and the result is the root of that mean.
 */
public final class RootMeanSquaredError extends MeanMetricWrapper {
    /** Logged as {@code root_mean_squared_error}. */
    public RootMeanSquaredError() {
        this("root_mean_squared_error");
    }

    /** Logged as {@code name}. */
    public RootMeanSquaredError(String name) {
        super(name);
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        Tensor[] m = Loss.matchRank(yTrue.cast(DType.F64), yPred.cast(DType.F64));
        return m[1].sub(m[0]).square();
    }

    @Override
    public double result() {
        return Math.sqrt(super.result());
    }

    @Override
    public Direction direction() {
        return Direction.DOWN;
    }
}
