package dev.vecgrad.train.metrics;

import dev.vecgrad.core.Tensor;
import java.util.Map;

/**
 * Weighted true positives over predicted positives, {@code tp / (tp + fp)} (0 when nothing was
 * predicted positive), a prediction counting as positive above {@code threshold} (default 0.5),
 * as Keras's {@code Precision}.
 */
public final class Precision extends Metric {
    private final double threshold;
    private double tp;
    private double fp;

    /** Threshold 0.5, logged as {@code precision}. */
    public Precision() {
        this("precision", 0.5);
    }

    /** Logged as {@code name} with the given threshold. */
    public Precision(String name, double threshold) {
        super(name);
        this.threshold = threshold;
    }

    @Override
    public void update(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        Confusion c = Confusion.of(name(), yTrue, yPred, sampleWeight, new double[] {threshold});
        synchronized (this) {
            tp += c.tp[0];
            fp += c.fp[0];
        }
    }

    @Override
    public synchronized double result() {
        return Confusion.divideNoNan(tp, tp + fp);
    }

    @Override
    public synchronized void reset() {
        tp = 0;
        fp = 0;
    }

    @Override
    public synchronized double[] state() {
        return new double[] {tp, fp};
    }

    @Override
    public synchronized void mergeState(double[] other) {
        checkState(other, 2);
        tp += other[0];
        fp += other[1];
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("thresholds", threshold);
        return c;
    }
}
