package dev.vecgrad.train.metrics;

/**
 * The best recall at a threshold whose precision reaches a given value, as Keras's {@code RecallAtPrecision}; see
 * {@link SensitivitySpecificityBase}.
 *
 * <pre>{@code
 * RecallAtPrecision m = new RecallAtPrecision(0.8);
 * }</pre>
 */
public final class RecallAtPrecision extends SensitivitySpecificityBase {
    /** The precision must reach {@code precision}; 200 thresholds, logged as {@code recall_at_precision}. */
    public RecallAtPrecision(double precision) {
        this("recall_at_precision", precision, 200, null);
    }

    /** All arguments; {@code classId} null for every element. */
    public RecallAtPrecision(String name, double precision, int numThresholds, Integer classId) {
        super(name, "precision", precision, numThresholds, classId);
    }

    @Override
    double constrained(int i, double[] tp, double[] fp, double[] tn, double[] fn) {
        return precision(i, tp, fp);
    }

    @Override
    double dependent(int i, double[] tp, double[] fp, double[] tn, double[] fn) {
        return sensitivity(i, tp, fn);
    }

    @Override
    String valueKey() {
        return "precision";
    }
}
