package dev.vecgrad.train.metrics;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.losses.Loss;
import java.util.Arrays;

/**
 * Weighted confusion counts at a set of thresholds, as Keras's
 * {@code update_confusion_matrix_variables}: a prediction is positive at threshold t when it is
 * strictly above t (compared in the predictions' precision), a label is positive when non-zero.
 * Predictions must lie in [0, 1].
 *
 * <p>Before counting: sample weights are matched to the labels as Keras matches them (a weight
 * a sample, a weight an element, or anything that broadcasts) and broadcast to the predictions;
 * with {@code topK} every prediction outside the k largest of its row stops counting as positive
 * at any threshold; with {@code classId} only that class (last axis) is looked at. Without
 * {@code multiLabel} every element is one more example; with it the last axis holds labels counted
 * separately. {@code labelWeights} (one a label, last axis) multiply the sample weights when not
 * multi-label.
 */
final class Confusion {
    /** Keras's stand-in for minus infinity in top-k filtering. */
    static final double NEG_INF = -1e10;

    /** Number of labels counted separately (1 unless multi-label). */
    final int labels;
    /** Weighted counts, index {@code threshold * labels + label}. */
    final double[] tp;
    final double[] fp;
    final double[] tn;
    final double[] fn;

    private Confusion(int thresholds, int labels) {
        this.labels = labels;
        tp = new double[thresholds * labels];
        fp = new double[thresholds * labels];
        tn = new double[thresholds * labels];
        fn = new double[thresholds * labels];
    }

    /** The counts of one batch, flat over every element. */
    static Confusion of(String metric, Tensor yTrue, Tensor yPred, Tensor sampleWeight, double[] thresholds,
            Integer topK, Integer classId) {
        return of(metric, yTrue, yPred, sampleWeight, thresholds, topK, classId, false, null);
    }

    /** The counts of one batch; see the class comment for the options. */
    static Confusion of(String metric, Tensor yTrue, Tensor yPred, Tensor sampleWeight, double[] thresholds,
            Integer topK, Integer classId, boolean multiLabel, double[] labelWeights) {
        boolean single = yPred.dtype() == DType.F32;
        int[] shape;
        double[] labels;
        double[] preds;
        double[] weights;
        try (GradientTape.NoGrad p = GradientTape.noGrad()) {
            Tensor[] m = Loss.matchRank(yPred.cast(DType.F64), yTrue.cast(DType.F64));
            Tensor pr = m[0];
            shape = pr.shape().toArray();
            try {
                labels = m[1].broadcastTo(shape).toDoubleArray();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(metric + ": labels " + yTrue.shape() + " do not fit predictions "
                        + yPred.shape(), e);
            }
            preds = pr.toDoubleArray();
            weights = weights(metric, sampleWeight, m[1], yPred, shape);
        }
        for (int i = 0; i < preds.length; i++) {
            if (!(preds[i] >= 0 && preds[i] <= 1)) {
                throw new IllegalArgumentException(metric + ": predictions must lie in [0, 1] (probabilities), got "
                        + preds[i] + " at flat position " + i);
            }
        }
        int last = shape.length == 0 ? 1 : shape[shape.length - 1];
        if (topK != null) {
            keepTopK(preds, last, topK);
        }
        if (classId != null) {
            if (shape.length < 2) {
                throw new IllegalArgumentException(metric
                        + ": When class_id is provided, y_pred must be a 2D array with"
                        + " shape (num_samples, num_classes), found shape: " + yPred.shape());
            }
            if (classId < 0 || classId >= last) {
                throw new IllegalArgumentException(metric + ": class_id " + classId + " is outside [0, " + last + ")");
            }
            preds = column(preds, last, classId);
            labels = column(labels, last, classId);
            weights = weights == null ? null : column(weights, last, classId);
            last = 1;
        }
        if (labelWeights != null && !multiLabel) {
            if (labelWeights.length != last) {
                throw new IllegalArgumentException(metric + ": " + labelWeights.length + " label weights for "
                        + last + " labels");
            }
            weights = weights == null ? new double[preds.length] : weights;
            for (int i = 0; i < preds.length; i++) {
                weights[i] = (sampleWeight == null ? 1 : weights[i]) * labelWeights[i % last];
            }
        }
        int perLabel = 1;
        if (multiLabel) {
            if (shape.length != 2) {
                throw new IllegalArgumentException(metric + ": multi-label predictions must have rank 2 (samples,"
                        + " labels), got " + yPred.shape());
            }
            perLabel = last;
        }
        Confusion c = new Confusion(thresholds.length, perLabel);
        for (int i = 0; i < preds.length; i++) {
            boolean positive = labels[i] != 0;
            double w = weights == null ? 1 : weights[i];
            int label = perLabel == 1 ? 0 : i % perLabel;
            for (int t = 0; t < thresholds.length; t++) {
                boolean predicted = single ? (float) preds[i] > (float) thresholds[t] : preds[i] > thresholds[t];
                int k = t * perLabel + label;
                if (positive) {
                    if (predicted) {
                        c.tp[k] += w;
                    } else {
                        c.fn[k] += w;
                    }
                } else if (predicted) {
                    c.fp[k] += w;
                } else {
                    c.tn[k] += w;
                }
            }
        }
        return c;
    }

    /**
     * Keras's matching of sample weights to labels: a trailing axis is added, then dropped again
     * when the weights had the labels' rank or one less (so {@code (batch,)} weighs samples and an
     * element-shaped weight weighs elements), and the result is broadcast to the predictions.
     */
    private static double[] weights(String metric, Tensor sampleWeight, Tensor labels, Tensor yPred, int[] shape) {
        if (sampleWeight == null) {
            return null;
        }
        Tensor w = sampleWeight.cast(DType.F64);
        w = w.unsqueeze(w.rank());
        if (w.rank() == labels.rank() + 1 && w.shape().dim(-1) == 1) {
            w = w.squeeze(w.rank() - 1);
        }
        try {
            return w.broadcastTo(shape).toDoubleArray();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(metric + ": sample weights " + sampleWeight.shape()
                    + " do not fit predictions " + yPred.shape(), e);
        }
    }

    /** Leaves the k largest of each row of {@code width} as they are and sets the others below every threshold. */
    private static void keepTopK(double[] preds, int width, int k) {
        Integer[] order = new Integer[width];
        for (int row = 0; row < preds.length; row += width) {
            final int base = row;
            for (int j = 0; j < width; j++) {
                order[j] = j;
            }
            // Largest first; among equal values the earlier index wins, as top_k breaks ties.
            Arrays.sort(order, (a, b) -> Double.compare(preds[base + b], preds[base + a]));
            for (int j = k; j < width; j++) {
                preds[base + order[j]] = NEG_INF;
            }
        }
    }

    /** Column {@code col} of rows of {@code width}. */
    private static double[] column(double[] a, int width, int col) {
        double[] out = new double[a.length / width];
        for (int r = 0; r < out.length; r++) {
            out[r] = a[r * width + col];
        }
        return out;
    }

    /** a / b, or 0 when b is 0 (Keras's {@code divide_no_nan}). */
    static double divideNoNan(double a, double b) {
        return b == 0 ? 0 : a / b;
    }
}
