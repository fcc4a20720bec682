package dev.vecgrad.train.metrics;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.losses.Loss;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The coefficient of determination {@code 1 - SS_res / SS_tot} of regression outputs of shape
 * {@code (batch, outputs)}, accumulated over batches, as Keras's {@code R2Score}: per output
 * {@code SS_res = sum(w (y - p)²)} and {@code SS_tot = sum(w y²) - (sum(w y))² / sum(w)} with
 * sample weights w (default 1). An infinite score (constant labels) counts as 0.
 *
 * <p>{@link Aggregation}: {@code NONE} gives one score an output ({@link #results()});
 * {@code UNIFORM_AVERAGE} (default) their mean; {@code VARIANCE_WEIGHTED_AVERAGE} their mean
 * weighted by {@code SS_tot}. With {@code numRegressors} p &gt; 0 the score is adjusted:
 * {@code 1 - (1 - r2)(n - 1) / (n - p - 1)}, n the number of samples with a non-zero weight; when
 * {@code n - 1 <= p} the unadjusted score is returned, as Keras does.
 */
public final class R2Score extends Metric {
    /** How output scores are combined. */
    public enum Aggregation {
        /** One score an output. */
        NONE,
        /** The mean of the output scores. */
        UNIFORM_AVERAGE,
        /** The mean of the output scores weighted by each output's total sum of squares. */
        VARIANCE_WEIGHTED_AVERAGE;

        /** The aggregation Keras calls {@code name}: null (none), uniform_average or variance_weighted_average. */
        public static Aggregation of(String name) {
            if (name == null) {
                return NONE;
            }
            for (Aggregation a : values()) {
                if (a != NONE && a.name().equalsIgnoreCase(name)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("Invalid value for argument `class_aggregation`. Expected one of"
                    + " (None, 'uniform_average', 'variance_weighted_average'). Received: class_aggregation=" + name);
        }

        String kerasName() {
            return this == NONE ? null : name().toLowerCase(Locale.ROOT);
        }
    }

    private final Aggregation aggregation;
    private final int numRegressors;
    /** Per output: sum(w y), sum(w y²), sum(w (y - p)²), sum(w); null before the first batch. */
    private double[][] sums;
    private double samples;

    /** Uniform average, no adjustment, logged as {@code r2_score}. */
    public R2Score() {
        this("r2_score", Aggregation.UNIFORM_AVERAGE, 0);
    }

    /** All arguments; {@code numRegressors} non-negative. */
    public R2Score(String name, Aggregation aggregation, int numRegressors) {
        super(name);
        if (numRegressors < 0) {
            throw new IllegalArgumentException("Invalid value for argument `num_regressors`. Expected a value >= 0."
                    + " Received: num_regressors=" + numRegressors);
        }
        this.aggregation = aggregation;
        this.numRegressors = numRegressors;
    }

    @Override
    public void update(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        double[] y;
        double[] p;
        double[] w;
        int rows;
        int outputs;
        try (GradientTape.NoGrad r = GradientTape.noGrad()) {
            Tensor[] m = Loss.matchRank(yTrue.cast(DType.F64), yPred.cast(DType.F64));
            if (m[0].rank() != 2 || m[1].rank() != 2) {
                throw new IllegalArgumentException("R2Score expects 2D inputs with shape (batch_size, output_dim)."
                        + " Received input shapes: y_pred.shape=" + yPred.shape() + " and y_true.shape="
                        + yTrue.shape() + ".");
            }
            rows = m[0].shape().dim(0);
            outputs = m[0].shape().dim(1);
            y = m[0].toDoubleArray();
            p = m[1].broadcastTo(rows, outputs).toDoubleArray();
            Tensor sw = sampleWeight == null ? Tensor.scalar(1.0) : sampleWeight.cast(DType.F64);
            if (sw.rank() == 1) {
                sw = sw.unsqueeze(1);
            }
            try {
                w = sw.broadcastTo(rows, outputs).toDoubleArray();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name() + ": sample weights " + sampleWeight.shape()
                        + " do not fit labels " + yTrue.shape(), e);
            }
        }
        double[][] add = new double[outputs][4];
        double nonZeroRows = 0;
        for (int r = 0; r < rows; r++) {
            boolean any = false;
            for (int c = 0; c < outputs; c++) {
                int i = r * outputs + c;
                double e = y[i] - p[i];
                add[c][0] += w[i] * y[i];
                add[c][1] += w[i] * y[i] * y[i];
                add[c][2] += w[i] * e * e;
                add[c][3] += w[i];
                any |= w[i] != 0;
            }
            nonZeroRows += any ? 1 : 0;
        }
        synchronized (this) {
            if (sums == null) {
                sums = new double[outputs][4];
            } else if (sums.length != outputs) {
                throw new IllegalArgumentException(name() + ": " + outputs + " outputs, earlier batches had "
                        + sums.length);
            }
            for (int c = 0; c < outputs; c++) {
                for (int k = 0; k < 4; k++) {
                    sums[c][k] += add[c][k];
                }
            }
            samples += nonZeroRows;
        }
    }

    @Override
    public synchronized double[] results() {
        if (sums == null) {
            return new double[] {0};
        }
        double[] raw = new double[sums.length];
        double[] total = new double[sums.length];
        for (int c = 0; c < raw.length; c++) {
            double mean = sums[c][0] / sums[c][3];
            total[c] = sums[c][1] - sums[c][0] * mean;
            raw[c] = 1 - sums[c][2] / total[c];
            if (Double.isInfinite(raw[c])) {
                raw[c] = 0;
            }
        }
        double[] scores = switch (aggregation) {
            case NONE -> raw;
            case UNIFORM_AVERAGE -> new double[] {Arrays.stream(raw).average().orElse(0)};
            case VARIANCE_WEIGHTED_AVERAGE -> {
                double weighted = 0;
                double weights = 0;
                for (int c = 0; c < raw.length; c++) {
                    weighted += total[c] * raw[c];
                    weights += total[c];
                }
                yield new double[] {weighted / weights};
            }
        };
        if (numRegressors != 0 && numRegressors < samples - 1) {
            for (int i = 0; i < scores.length; i++) {
                scores[i] = 1 - (1 - scores[i]) * (samples - 1) / (samples - numRegressors - 1);
            }
        }
        return scores;
    }

    @Override
    public double result() {
        double[] r = results();
        if (r.length != 1) {
            throw new IllegalStateException(name() + " has " + r.length + " values (one an output); read results()");
        }
        return r[0];
    }

    @Override
    public synchronized void reset() {
        if (sums != null) {
            for (double[] c : sums) {
                Arrays.fill(c, 0);
            }
        }
        samples = 0;
    }

    /** The number of weighted samples, then each output's four sums. */
    @Override
    public synchronized double[] state() {
        if (sums == null) {
            return new double[0];
        }
        double[] s = new double[1 + sums.length * 4];
        s[0] = samples;
        for (int c = 0; c < sums.length; c++) {
            System.arraycopy(sums[c], 0, s, 1 + c * 4, 4);
        }
        return s;
    }

    @Override
    public synchronized void mergeState(double[] other) {
        if (other.length == 0) {
            return;
        }
        if (sums == null) {
            sums = new double[(other.length - 1) / 4][4];
        }
        checkState(other, 1 + sums.length * 4);
        samples += other[0];
        for (int c = 0; c < sums.length; c++) {
            for (int k = 0; k < 4; k++) {
                sums[c][k] += other[1 + c * 4 + k];
            }
        }
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("class_aggregation", aggregation.kerasName());
        c.put("num_regressors", numRegressors);
        return c;
    }

    @Override
    public Direction direction() {
        return Direction.UP;
    }
}
