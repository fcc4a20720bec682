package dev.vecgrad.train.metrics;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.Recording;
import dev.vecgrad.train.losses.Loss;

/**
 * Weighted confusion counts at a set of thresholds, as Keras's
 * {@code update_confusion_matrix_variables}: a prediction is positive at threshold t when it is
 * strictly above t, a label is positive when non-zero; sample weights broadcast to the
 * predictions' shape. Predictions must lie in [0, 1].
 */
final class Confusion {
    /** Weighted counts, one entry a threshold. */
    final double[] tp;
    final double[] fp;
    final double[] tn;
    final double[] fn;

    private Confusion(int n) {
        tp = new double[n];
        fp = new double[n];
        tn = new double[n];
        fn = new double[n];
    }

    /** The counts for one batch. */
    static Confusion of(String metric, Tensor yTrue, Tensor yPred, Tensor sampleWeight, double[] thresholds) {
        double[] labels;
        double[] preds;
        double[] weights = null;
        try (Recording.Paused p = Recording.pause()) {
            Tensor[] m = Loss.matchRank(yTrue.cast(DType.F64), yPred.cast(DType.F64));
            Tensor pr = m[1];
            Tensor lab;
            try {
                lab = m[0].broadcastTo(pr.shape().toArray());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(metric + ": labels " + yTrue.shape() + " do not fit predictions "
                        + yPred.shape(), e);
            }
            labels = lab.toDoubleArray();
            preds = pr.toDoubleArray();
            if (sampleWeight != null) {
                Tensor w = sampleWeight.cast(DType.F64);
                Tensor[] pw = Loss.matchRank(pr, w);
                w = pw[1];
                while (w.rank() < pr.rank() && w.rank() > 0) {
                    w = w.unsqueeze(w.rank());
                }
                try {
                    weights = w.broadcastTo(pr.shape().toArray()).toDoubleArray();
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(metric + ": sample weights " + sampleWeight.shape()
                            + " do not fit predictions " + yPred.shape(), e);
                }
            }
        }
        Confusion c = new Confusion(thresholds.length);
        for (int i = 0; i < preds.length; i++) {
            double p = preds[i];
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException(metric + ": predictions must lie in [0, 1] (probabilities), got "
                        + p + " at flat position " + i);
            }
            boolean positive = labels[i] != 0;
            double w = weights == null ? 1 : weights[i];
            for (int t = 0; t < thresholds.length; t++) {
                boolean predicted = p > thresholds[t];
                if (positive) {
                    if (predicted) {
                        c.tp[t] += w;
                    } else {
                        c.fn[t] += w;
                    }
                } else if (predicted) {
                    c.fp[t] += w;
                } else {
                    c.tn[t] += w;
                }
            }
        }
        return c;
    }

    /** a / b, or 0 when b is 0 (Keras's {@code divide_no_nan}). */
    static double divideNoNan(double a, double b) {
        return b == 0 ? 0 : a / b;
    }
}
