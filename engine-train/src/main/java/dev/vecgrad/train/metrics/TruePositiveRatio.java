package dev.vecgrad.train.metrics;

import dev.vecgrad.core.Tensor;
import java.util.Map;

/**
 * The state both {@link Precision} and {@link Recall} keep: weighted true positives and one other
 * cell of the confusion matrix at one threshold; the result is {@code tp / (tp + other)}, 0 when
 * that is 0/0.
 */
abstract sealed class TruePositiveRatio extends Metric permits Precision, Recall {
    private final double threshold;
    private double tp;
    private double other;

    TruePositiveRatio(String name, double threshold) {
        super(name);
        this.threshold = threshold;
    }

    /** The confusion cell that goes beside true positives in the denominator. */
    abstract double otherCell(Confusion c);

    @Override
    public void update(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        Confusion c = Confusion.of(name(), yTrue, yPred, sampleWeight, new double[] {threshold});
        synchronized (this) {
            tp += c.tp[0];
            other += otherCell(c);
        }
    }

    @Override
    public synchronized double result() {
        return Confusion.divideNoNan(tp, tp + other);
    }

    @Override
    public synchronized void reset() {
        tp = 0;
        other = 0;
    }

    @Override
    public synchronized double[] state() {
        return new double[] {tp, other};
    }

    @Override
    public synchronized void mergeState(double[] state) {
        checkState(state, 2);
        tp += state[0];
        other += state[1];
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("thresholds", threshold);
        return c;
    }
}
