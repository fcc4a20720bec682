package dev.vecgrad.train.metrics;

import java.util.Map;

/**
 * What {@link Precision} and {@link Recall} share: weighted true positives and one other cell of
 * the confusion matrix at each threshold, with Keras's {@code thresholds}, {@code top_k} and
 * {@code class_id}; the result is {@code tp / (tp + other)}, 0 where that is 0/0. Without
 * thresholds the threshold is 0.5, or with {@code topK} every top prediction counts as positive.
 */
public abstract sealed class TruePositiveRatio extends ConfusionMetric permits Precision, Recall {
    private final Cell other;
    private final boolean defaultThresholds;

    TruePositiveRatio(String name, double[] thresholds, Integer topK, Integer classId, Cell other) {
        super(name, thresholds != null ? checkThresholds(thresholds)
                : new double[] {topK == null ? 0.5 : Confusion.NEG_INF}, topK, classId, 1,
                Cell.TRUE_POSITIVES, other);
        this.other = other;
        this.defaultThresholds = thresholds == null;
    }

    /** One ratio a threshold. */
    @Override
    public double[] results() {
        double[] tp = counts(Cell.TRUE_POSITIVES);
        double[] o = counts(other);
        double[] r = new double[tp.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = Confusion.divideNoNan(tp[i], tp[i] + o[i]);
        }
        return r;
    }

    /** The weighted true positives at each threshold. */
    public double[] truePositives() {
        return counts(Cell.TRUE_POSITIVES);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("thresholds", defaultThresholds ? null : thresholdsConfig(thresholds()));
        c.putIfAbsent("top_k", null);
        c.putIfAbsent("class_id", null);
        return c;
    }
}
