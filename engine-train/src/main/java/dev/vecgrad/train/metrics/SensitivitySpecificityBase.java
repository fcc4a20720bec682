package dev.vecgrad.train.metrics;

import java.util.Map;

/**
 * What {@link SensitivityAtSpecificity}, {@link SpecificityAtSensitivity},
 * {@link PrecisionAtRecall} and {@link RecallAtPrecision} share, as Keras's
 * {@code SensitivitySpecificityBase}: the four confusion counts at {@code numThresholds}
 * thresholds spread evenly over [0, 1] (default 200; one threshold is 0.5), optionally for one
 * class; the result is the best value of one rate among the thresholds where another rate reaches
 * the required {@code value} (0 when none does).
 */
public abstract sealed class SensitivitySpecificityBase extends ConfusionMetric
        permits SensitivityAtSpecificity, SpecificityAtSensitivity, PrecisionAtRecall, RecallAtPrecision {
    private final double value;
    private final int numThresholds;

    SensitivitySpecificityBase(String name, String valueName, double value, int numThresholds, Integer classId) {
        super(name, evenThresholds(numThresholds), null, classId, 1, Cell.TRUE_POSITIVES, Cell.FALSE_POSITIVES,
                Cell.TRUE_NEGATIVES, Cell.FALSE_NEGATIVES);
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("Argument `" + valueName + "` must be in the range [0, 1]. Received: "
                    + valueName + "=" + value);
        }
        this.value = value;
        this.numThresholds = numThresholds;
    }

    /** The rate that must reach {@link #value()} at each threshold. */
    abstract double constrained(int i, double[] tp, double[] fp, double[] tn, double[] fn);

    /** The rate maximised among the thresholds where the constraint holds. */
    abstract double dependent(int i, double[] tp, double[] fp, double[] tn, double[] fn);

    @Override
    public double[] results() {
        double[] tp = counts(Cell.TRUE_POSITIVES);
        double[] fp = counts(Cell.FALSE_POSITIVES);
        double[] tn = counts(Cell.TRUE_NEGATIVES);
        double[] fn = counts(Cell.FALSE_NEGATIVES);
        double best = 0;
        for (int i = 0; i < tp.length; i++) {
            if (constrained(i, tp, fp, tn, fn) >= value) {
                best = Math.max(best, dependent(i, tp, fp, tn, fn));
            }
        }
        return new double[] {best};
    }

    /** tp / (tp + fn). */
    static double sensitivity(int i, double[] tp, double[] fn) {
        return Confusion.divideNoNan(tp[i], tp[i] + fn[i]);
    }

    /** tn / (tn + fp). */
    static double specificity(int i, double[] tn, double[] fp) {
        return Confusion.divideNoNan(tn[i], tn[i] + fp[i]);
    }

    /** tp / (tp + fp). */
    static double precision(int i, double[] tp, double[] fp) {
        return Confusion.divideNoNan(tp[i], tp[i] + fp[i]);
    }

    /** The required value of the constrained rate. */
    public double value() {
        return value;
    }

    /** The number of thresholds. */
    public int numThresholds() {
        return numThresholds;
    }

    /** The config key of {@link #value()}: specificity, sensitivity, recall or precision. */
    abstract String valueKey();

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put(valueKey(), value);
        c.put("num_thresholds", numThresholds);
        c.putIfAbsent("class_id", null);
        return c;
    }
}
