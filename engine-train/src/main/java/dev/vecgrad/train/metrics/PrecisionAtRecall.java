package dev.vecgrad.train.metrics;

/**
 * The best precision at a threshold whose recall reaches a given value, as Keras's {@code PrecisionAtRecall}; see
 * {@link SensitivitySpecificityBase}.
 *
 * <pre>{@code
 * PrecisionAtRecall m = new PrecisionAtRecall(0.8);
 * }</pre>
 */
public final class PrecisionAtRecall extends SensitivitySpecificityBase {
    /** The recall must reach {@code recall}; 200 thresholds, logged as {@code precision_at_recall}. */
    public PrecisionAtRecall(double recall) {
        this("precision_at_recall", recall, 200, null);
    }

    /** All arguments; {@code classId} null for every element. */
    public PrecisionAtRecall(String name, double recall, int numThresholds, Integer classId) {
        super(name, "recall", recall, numThresholds, classId);
    }

    @Override
    double constrained(int i, double[] tp, double[] fp, double[] tn, double[] fn) {
        return sensitivity(i, tp, fn);
    }

    @Override
    double dependent(int i, double[] tp, double[] fp, double[] tn, double[] fn) {
        return precision(i, tp, fp);
    }

    @Override
    String valueKey() {
        return "recall";
    }
}
