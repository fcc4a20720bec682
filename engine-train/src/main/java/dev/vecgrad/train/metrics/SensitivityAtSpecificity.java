package dev.vecgrad.train.metrics;

/**
 * The best sensitivity (recall) at a threshold whose specificity reaches a given value, as Keras's
 * {@code SensitivityAtSpecificity}; see {@link SensitivitySpecificityBase}.
 *
 * <pre>{@code
 * SensitivityAtSpecificity m = new SensitivityAtSpecificity(0.8);
 * }</pre>
 */
public final class SensitivityAtSpecificity extends SensitivitySpecificityBase {
    /** The specificity must reach {@code specificity}; 200 thresholds, logged as {@code sensitivity_at_specificity}. */
    public SensitivityAtSpecificity(double specificity) {
        this("sensitivity_at_specificity", specificity, 200, null);
    }

    /** All arguments; {@code classId} null for every element. */
    public SensitivityAtSpecificity(String name, double specificity, int numThresholds, Integer classId) {
        super(name, "specificity", specificity, numThresholds, classId);
    }

    @Override
    double constrained(int i, double[] tp, double[] fp, double[] tn, double[] fn) {
        return specificity(i, tn, fp);
    }

    @Override
    double dependent(int i, double[] tp, double[] fp, double[] tn, double[] fn) {
        return sensitivity(i, tp, fn);
    }

    @Override
    String valueKey() {
        return "specificity";
    }
}
