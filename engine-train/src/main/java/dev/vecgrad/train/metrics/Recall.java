package dev.vecgrad.train.metrics;

import dev.vecgrad.core.Tensor;
import java.util.Map;

/**
 * Weighted true positives over actual positives, {@code tp / (tp + fn)} (0 when there were no
 * positive labels), a prediction counting as positive above {@code threshold} (default 0.5), as
 * Keras's {@code Recall}.
 */
public final class Recall extends Metric {
    private final double threshold;
    private double tp;
    private double fn;

    /** Threshold 0.5, logged as {@code recall}. */
    public Recall() {
        this("recall", 0.5);
    }

    /** Logged as {@code name} with the given threshold. */
    public Recall(String name, double threshold) {
        super(name);
        this.threshold = threshold;
    }

    @Override
    public void update(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        Confusion c = Confusion.of(name(), yTrue, yPred, sampleWeight, new double[] {threshold});
        synchronized (this) {
            tp += c.tp[0];
            fn += c.fn[0];
        }
    }

    @Override
    public synchronized double result() {
        return Confusion.divideNoNan(tp, tp + fn);
    }

    @Override
    public synchronized void reset() {
        tp = 0;
        fn = 0;
    }

    @Override
    public synchronized double[] state() {
        return new double[] {tp, fn};
    }

    @Override
    public synchronized void mergeState(double[] other) {
        checkState(other, 2);
        tp += other[0];
        fn += other[1];
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("thresholds", threshold);
        return c;
    }
}
