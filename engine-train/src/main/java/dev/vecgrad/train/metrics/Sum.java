package dev.vecgrad.train.metrics;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;

/**
 * The weighted sum of the values given, as Keras's {@code Sum}.
 *
 * <pre>{@code
 * Sum seen = new Sum("samples");
 * seen.update(32, 1);
 * }</pre>
 */
public final class Sum extends Metric {
    private double total;

    /** A sum named {@code sum}. */
    public Sum() {
        this("sum");
    }

    /** A sum logged as {@code name}. */
    public Sum(String name) {
        super(name);
    }

    /** Adds {@code value * weight}. */
    public synchronized void update(double value, double weight) {
        total += value * weight;
    }

    /** Adds every value of {@code values}, each times its weight (weights broadcast to the values; null: 1). */
    public void update(Tensor values, Tensor sampleWeight) {
        double s = 0;
        try (GradientTape.NoGrad p = GradientTape.noGrad()) {
            Tensor v = values.cast(DType.F64);
            if (sampleWeight != null) {
                v = v.mul(sampleWeight.cast(DType.F64));
            }
            for (double x : v.toDoubleArray()) {
                s += x;
            }
        }
        synchronized (this) {
            total += s;
        }
    }

    /** For the common interface: yTrue must be null and yPred holds the values. */
    @Override
    public void update(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        if (yTrue != null) {
            throw new IllegalArgumentException("Sum '" + name()
                    + "' adds values, not predictions against labels: call update(values, sampleWeight)");
        }
        update(yPred, sampleWeight);
    }

    @Override
    public synchronized double result() {
        return total;
    }

    @Override
    public synchronized void reset() {
        total = 0;
    }

    @Override
    public synchronized double[] state() {
        return new double[] {total};
    }

    @Override
    public synchronized void mergeState(double[] other) {
        checkState(other, 1);
        total += other[0];
    }
}
