package dev.vecgrad.train.metrics;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * The F-beta score {@code (1 + beta²) precision recall / (beta² precision + recall)} of
 * multi-label or multi-class predictions of shape {@code (batch, classes)}, as Keras's
 * {@code FBetaScore}. A prediction is positive above {@code threshold}; without a threshold, the
 * (non-zero) maximum of each row is. Counts are weighted by sample weights ({@code (batch,)}, one a
 * sample, or the predictions' shape).
 *
 * <p>{@link Average}: {@code NONE} gives one score a class ({@link #results()}); {@code MICRO}
 * pools the counts of all classes; {@code MACRO} averages the classes' scores; {@code WEIGHTED}
 * averages them weighted by each class's (weighted) number of positive labels. Keras's 1e-7
 * epsilon keeps every ratio finite.
 *
 * <pre>{@code
 * FBetaScore f2 = new FBetaScore(FBetaScore.Average.MACRO, 2.0, 0.5);
 * }</pre>
 */
public class FBetaScore extends Metric {
    private static final double EPSILON = 1e-7;

    /** How class scores are combined. */
    public enum Average {
        /** One score a class. */
        NONE,
        /** The score of the counts pooled over classes. */
        MICRO,
        /** The mean of the class scores. */
        MACRO,
        /** The mean of the class scores weighted by their positive labels. */
        WEIGHTED;

        /** The average Keras calls {@code name}: null (none), micro, macro or weighted. */
        public static Average of(String name) {
            if (name == null) {
                return NONE;
            }
            for (Average a : values()) {
                if (a != NONE && a.name().equalsIgnoreCase(name)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("Invalid `average` argument value. Expected one of: {None, 'micro',"
                    + " 'macro', 'weighted'}. Received: average=" + name);
        }

        String kerasName() {
            return this == NONE ? null : name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Average average;
    private final double beta;
    private final Double threshold;
    /** Per class (one entry with MICRO): tp, fp, fn, weighted positive labels; null before the first batch. */
    private double[][] counts;

    /** A score a class, beta 1, rows' maxima as positives, logged as {@code fbeta_score}. */
    public FBetaScore() {
        this(Average.NONE, 1.0, null);
    }

    /** Logged as {@code fbeta_score}. */
    public FBetaScore(Average average, double beta, Double threshold) {
        this("fbeta_score", average, beta, threshold);
    }

    /** All arguments; {@code threshold} in (0, 1], or null for each row's maximum. */
    public FBetaScore(String name, Average average, double beta, Double threshold) {
        super(name);
        if (!(beta > 0)) {
            throw new IllegalArgumentException("Invalid `beta` argument value. It should be > 0. Received: beta="
                    + beta);
        }
        if (threshold != null && !(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("Invalid `threshold` argument value. It should verify 0 < threshold"
                    + " <= 1. Received: threshold=" + threshold);
        }
        this.average = Objects.requireNonNull(average, "average (Average.NONE for a score a class)");
        this.beta = beta;
        this.threshold = threshold;
    }

    @Override
    public void update(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        if (yTrue.rank() != 2 || yPred.rank() != 2) {
            throw new IllegalArgumentException(className() + " expects 2D inputs with shape (batch_size,"
                    + " output_dim). Received input shapes: y_pred.shape=" + yPred.shape() + " and y_true.shape="
                    + yTrue.shape() + ".");
        }
        int rows = yPred.shape().dim(0);
        int classes = yPred.shape().dim(1);
        double[] p;
        double[] y;
        double[] w = null;
        try (GradientTape.NoGrad r = GradientTape.noGrad()) {
            p = yPred.cast(DType.F64).toDoubleArray();
            y = yTrue.cast(DType.F64).broadcastTo(rows, classes).toDoubleArray();
            if (sampleWeight != null) {
                Tensor sw = sampleWeight.cast(DType.F64);
                while (sw.rank() < 2) {
                    sw = sw.unsqueeze(sw.rank());
                }
                try {
                    w = sw.broadcastTo(rows, classes).toDoubleArray();
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(name() + ": sample weights " + sampleWeight.shape()
                            + " do not fit predictions " + yPred.shape(), e);
                }
            }
        }
        double[][] add = new double[average == Average.MICRO ? 1 : classes][4];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, p[r * classes + c]);
            }
            for (int c = 0; c < classes; c++) {
                int i = r * classes + c;
                double pred = threshold == null ? (p[i] >= max && Math.abs(p[i]) > 1e-9 ? 1 : 0)
                        : (p[i] > threshold ? 1 : 0);
                double weight = w == null ? 1 : w[i];
                double[] a = add[average == Average.MICRO ? 0 : c];
                a[0] += pred * y[i] * weight;
                a[1] += pred * (1 - y[i]) * weight;
                a[2] += (1 - pred) * y[i] * weight;
                a[3] += y[i] * weight;
            }
        }
        synchronized (this) {
            if (counts == null) {
                counts = new double[add.length][4];
            } else if (counts.length != add.length) {
                throw new IllegalArgumentException(name() + ": " + classes + " classes, earlier batches had "
                        + counts.length);
            }
            for (int c = 0; c < add.length; c++) {
                for (int k = 0; k < 4; k++) {
                    counts[c][k] += add[c][k];
                }
            }
        }
    }

    @Override
    public synchronized double[] results() {
        if (counts == null) {
            return new double[] {0};
        }
        double b2 = beta * beta;
        double[] f = new double[counts.length];
        double positives = 0;
        for (double[] c : counts) {
            positives += c[3];
        }
        double weighted = 0;
        for (int c = 0; c < f.length; c++) {
            double precision = counts[c][0] / (counts[c][0] + counts[c][1] + EPSILON);
            double recall = counts[c][0] / (counts[c][0] + counts[c][2] + EPSILON);
            f[c] = precision * recall / (b2 * precision + recall + EPSILON) * (1 + b2);
            weighted += f[c] * counts[c][3] / (positives + EPSILON);
        }
        return switch (average) {
            case NONE, MICRO -> f;
            case MACRO -> new double[] {Arrays.stream(f).average().orElse(0)};
            case WEIGHTED -> new double[] {weighted};
        };
    }

    @Override
    public double result() {
        double[] r = results();
        if (r.length != 1) {
            throw new IllegalStateException(name() + " has " + r.length + " values (one a class); read results()");
        }
        return r[0];
    }

    @Override
    public synchronized void reset() {
        if (counts != null) {
            for (double[] c : counts) {
                Arrays.fill(c, 0);
            }
        }
    }

    /** tp, fp, fn and positives of each class (one entry with MICRO), concatenated. */
    @Override
    public synchronized double[] state() {
        if (counts == null) {
            return new double[0];
        }
        double[] s = new double[counts.length * 4];
        for (int c = 0; c < counts.length; c++) {
            System.arraycopy(counts[c], 0, s, c * 4, 4);
        }
        return s;
    }

    @Override
    public synchronized void mergeState(double[] other) {
        if (other.length == 0) {
            return;
        }
        if (counts == null) {
            counts = new double[other.length / 4][4];
        }
        checkState(other, counts.length * 4);
        for (int c = 0; c < counts.length; c++) {
            for (int k = 0; k < 4; k++) {
                counts[c][k] += other[c * 4 + k];
            }
        }
    }

    /** How class scores are combined. */
    public Average average() {
        return average;
    }

    /** The weight of recall against precision. */
    public double beta() {
        return beta;
    }

    /** The decision threshold, or null for each row's maximum. */
    public Double threshold() {
        return threshold;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("average", average.kerasName());
        c.put("beta", beta);
        c.put("threshold", threshold);
        return c;
    }

    @Override
    public Direction direction() {
        return Direction.UP;
    }
}
