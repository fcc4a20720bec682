package dev.vecgrad.train.metrics;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.losses.Loss;
import java.util.Map;

/**
 * What {@link PearsonCorrelation} and {@link ConcordanceCorrelation} share: a correlation of
 * labels and predictions along {@code axis} (default the last) for each sample, averaged over
 * samples as a {@link Mean} averages.
 */
public abstract sealed class Correlation extends MeanMetricWrapper permits PearsonCorrelation, ConcordanceCorrelation {
    private final int axis;

    Correlation(String name, int axis) {
        super(name);
        this.axis = axis;
    }

    @Override
    protected final Tensor values(Tensor yTrue, Tensor yPred) {
        Tensor[] m = Loss.matchRank(yTrue.cast(DType.F64), yPred.cast(DType.F64));
        int a = axis < 0 ? axis + m[1].rank() : axis;
        if (a < 0 || a >= m[1].rank()) {
            throw new IllegalArgumentException(name() + ": axis " + axis + " is out of bounds for predictions "
                    + yPred.shape());
        }
        return correlation(m[0], m[1], new int[] {a});
    }

    /** The correlation of {@code y} and {@code p} along {@code axes}. */
    abstract Tensor correlation(Tensor y, Tensor p, int[] axes);

    /** The axis along which each sample's values are correlated. */
    public int axis() {
        return axis;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("axis", axis);
        return c;
    }

    @Override
    public Direction direction() {
        return Direction.UP;
    }
}
