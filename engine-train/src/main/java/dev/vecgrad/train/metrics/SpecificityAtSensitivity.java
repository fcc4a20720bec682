package dev.vecgrad.train.metrics;

/**
 * The best specificity at a threshold whose sensitivity (recall) reaches a given value, as Keras's
 * {@code SpecificityAtSensitivity}; see {@link SensitivitySpecificityBase}.
 *
 * <pre>{@code
 * SpecificityAtSensitivity m = new SpecificityAtSensitivity(0.8);
 * }</pre>
 */
public final class SpecificityAtSensitivity extends SensitivitySpecificityBase {
    /** The sensitivity must reach {@code sensitivity}; 200 thresholds, logged as {@code specificity_at_sensitivity}. */
    public SpecificityAtSensitivity(double sensitivity) {
        this("specificity_at_sensitivity", sensitivity, 200, null);
    }

    /** All arguments; {@code classId} null for every element. */
    public SpecificityAtSensitivity(String name, double sensitivity, int numThresholds, Integer classId) {
        super(name, "sensitivity", sensitivity, numThresholds, classId);
    }

    @Override
    double constrained(int i, double[] tp, double[] fp, double[] tn, double[] fn) {
        return sensitivity(i, tp, fn);
    }

    @Override
    double dependent(int i, double[] tp, double[] fp, double[] tn, double[] fn) {
        return specificity(i, tn, fp);
    }

    @Override
    String valueKey() {
        return "sensitivity";
    }
}
