package dev.vecgrad.train.metrics;

import dev.vecgrad.core.Tensor;
import java.util.Map;

/**
 * Area under the ROC curve approximated on a grid of thresholds, as Keras's {@code AUC} with its
 * defaults (ROC curve, 200 thresholds, interpolation). The thresholds are
 * {@code -1e-7, 1/(n-1), 2/(n-1), ..., (n-2)/(n-1), 1 + 1e-7}; at each, weighted confusion counts
 * accumulate over batches. The result sums trapezoids:
 * {@code sum_i (fpr[i] - fpr[i+1]) * (tpr[i] + tpr[i+1]) / 2}, with rates 0 where their
 * denominator is 0.
 *
 * <pre>{@code
 * AUC auc = new AUC();
 * auc.update(labels, probabilities, null);
 * auc.result();
 * }</pre>
 */
public final class AUC extends Metric {
    private static final double EPSILON = 1e-7;

    private final double[] thresholds;
    private final double[] tp;
    private final double[] fp;
    private final double[] tn;
    private final double[] fn;

    /** 200 thresholds, logged as {@code auc}. */
    public AUC() {
        this("auc", 200);
    }

    /** {@code numThresholds} (more than 1) thresholds, logged as {@code name}. */
    public AUC(String name, int numThresholds) {
        super(name);
        if (numThresholds <= 1) {
            throw new IllegalArgumentException("AUC: numThresholds must be above 1, got " + numThresholds);
        }
        thresholds = new double[numThresholds];
        thresholds[0] = -EPSILON;
        for (int i = 1; i < numThresholds - 1; i++) {
            thresholds[i] = (double) i / (numThresholds - 1);
        }
        thresholds[numThresholds - 1] = 1 + EPSILON;
        tp = new double[numThresholds];
        fp = new double[numThresholds];
        tn = new double[numThresholds];
        fn = new double[numThresholds];
    }

    /** The thresholds (a copy). */
    public double[] thresholds() {
        return thresholds.clone();
    }

    @Override
    public void update(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        Confusion c = Confusion.of(name(), yTrue, yPred, sampleWeight, thresholds);
        synchronized (this) {
            add(c.tp, c.fp, c.tn, c.fn, 0);
        }
    }

    private void add(double[] a, double[] b, double[] c, double[] d, int from) {
        for (int i = 0; i < thresholds.length; i++) {
            tp[i] += a[from + i];
            fp[i] += b[from + i];
            tn[i] += c[from + i];
            fn[i] += d[from + i];
        }
    }

    @Override
    public synchronized double result() {
        int n = thresholds.length;
        double auc = 0;
        for (int i = 0; i < n - 1; i++) {
            double x0 = Confusion.divideNoNan(fp[i], fp[i] + tn[i]);
            double x1 = Confusion.divideNoNan(fp[i + 1], fp[i + 1] + tn[i + 1]);
            double y0 = Confusion.divideNoNan(tp[i], tp[i] + fn[i]);
            double y1 = Confusion.divideNoNan(tp[i + 1], tp[i + 1] + fn[i + 1]);
            auc += (x0 - x1) * (y0 + y1) / 2;
        }
        return auc;
    }

    @Override
    public synchronized void reset() {
        java.util.Arrays.fill(tp, 0);
        java.util.Arrays.fill(fp, 0);
        java.util.Arrays.fill(tn, 0);
        java.util.Arrays.fill(fn, 0);
    }

    /** tp, fp, tn, fn at every threshold, concatenated. */
    @Override
    public synchronized double[] state() {
        int n = thresholds.length;
        double[] s = new double[4 * n];
        System.arraycopy(tp, 0, s, 0, n);
        System.arraycopy(fp, 0, s, n, n);
        System.arraycopy(tn, 0, s, 2 * n, n);
        System.arraycopy(fn, 0, s, 3 * n, n);
        return s;
    }

    @Override
    public synchronized void mergeState(double[] other) {
        int n = thresholds.length;
        checkState(other, 4 * n);
        double[] a = java.util.Arrays.copyOfRange(other, 0, n);
        double[] b = java.util.Arrays.copyOfRange(other, n, 2 * n);
        double[] c = java.util.Arrays.copyOfRange(other, 2 * n, 3 * n);
        double[] d = java.util.Arrays.copyOfRange(other, 3 * n, 4 * n);
        add(a, b, c, d, 0);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("num_thresholds", thresholds.length);
        c.put("curve", "ROC");
        c.put("summation_method", "interpolation");
        return c;
    }
}
