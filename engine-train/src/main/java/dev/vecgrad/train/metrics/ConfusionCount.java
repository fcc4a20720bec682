package dev.vecgrad.train.metrics;

import java.util.Map;

/**
 * The weighted count of one cell of the confusion matrix at each threshold (default 0.5), as
 * Keras's {@code TruePositives}, {@code FalsePositives}, {@code TrueNegatives} and
 * {@code FalseNegatives}: a prediction above the threshold is positive, a non-zero label is
 * positive. {@link #result()} is the count when there is one threshold; {@link #results()} gives
 * one count a threshold.
 */
public abstract sealed class ConfusionCount extends ConfusionMetric
        permits TruePositives, FalsePositives, TrueNegatives, FalseNegatives {
    private final Cell cell;
    private final boolean defaultThresholds;

    ConfusionCount(String name, double[] thresholds, Cell cell) {
        super(name, thresholds == null ? new double[] {0.5} : checkThresholds(thresholds), null, null, 1, cell);
        this.cell = cell;
        this.defaultThresholds = thresholds == null;
    }

    @Override
    public double[] results() {
        return counts(cell);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("thresholds", defaultThresholds ? null : thresholdsConfig(thresholds()));
        return c;
    }
}
