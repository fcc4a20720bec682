package dev.vecgrad.train.metrics;

import dev.vecgrad.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The state every confusion-matrix metric keeps (Keras's {@code true_positives},
 * {@code false_positives}, ... variables): the weighted counts of some cells at each threshold and
 * label, accumulated by {@link Confusion}. Subclasses say which cells and turn them into results.
 */
abstract class ConfusionMetric extends Metric {
    /** A cell of the confusion matrix and where {@link Confusion} keeps its counts. */
    enum Cell {
        TRUE_POSITIVES(c -> c.tp), FALSE_POSITIVES(c -> c.fp), TRUE_NEGATIVES(c -> c.tn), FALSE_NEGATIVES(c -> c.fn);

        private final Function<Confusion, double[]> counts;

        Cell(Function<Confusion, double[]> counts) {
            this.counts = counts;
        }
    }

    private final double[] thresholds;
    private final Cell[] cells;
    private final Integer topK;
    private final Integer classId;
    /** Labels counted separately; 0 until known (multi-label metrics learn it from the first batch). */
    private int labels;
    /** counts[cell][threshold * labels + label]. */
    private double[][] counts;

    ConfusionMetric(String name, double[] thresholds, Integer topK, Integer classId, int labels, Cell... cells) {
        super(name);
        if (topK != null && topK <= 0) {
            throw new IllegalArgumentException(name + ": topK must be positive, got " + topK);
        }
        this.thresholds = thresholds.clone();
        this.cells = cells;
        this.topK = topK;
        this.classId = classId;
        size(labels);
    }

    private void size(int labelCount) {
        labels = labelCount;
        counts = new double[cells.length][thresholds.length * labelCount];
    }

    /** Whether the last axis holds labels counted separately (AUC's {@code multiLabel}). */
    boolean multiLabel() {
        return false;
    }

    /** Weights a label (last axis) multiplying the sample weights, or null (AUC's {@code labelWeights}). */
    double[] labelWeights() {
        return null;
    }

    /** Checks that every threshold lies in [0, 1] (Keras's {@code assert_thresholds_range}); returns them. */
    static double[] checkThresholds(double[] thresholds) {
        List<Double> bad = new ArrayList<>();
        for (double t : thresholds) {
            if (!(t >= 0 && t <= 1)) {
                bad.add(t);
            }
        }
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException("Threshold values must be in [0, 1]. Received: " + bad);
        }
        return thresholds;
    }

    /** {@code n} thresholds evenly spread over [0, 1], both ends included; one threshold is 0.5. */
    static double[] evenThresholds(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("Argument `num_thresholds` must be an integer > 0. Received: "
                    + "num_thresholds=" + n);
        }
        if (n == 1) {
            return new double[] {0.5};
        }
        double[] t = new double[n];
        for (int i = 1; i < n - 1; i++) {
            t[i] = (double) i / (n - 1);
        }
        t[n - 1] = 1;
        return t;
    }

    @Override
    public void update(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        Confusion c = Confusion.of(name(), yTrue, predictions(yPred), sampleWeight, thresholds, topK, classId,
                multiLabel(), labelWeights());
        synchronized (this) {
            if (labels == 0) {
                size(c.labels);
            } else if (c.labels != labels) {
                throw new IllegalArgumentException(name() + ": " + c.labels + " labels, earlier batches had " + labels);
            }
            for (int i = 0; i < cells.length; i++) {
                double[] add = cells[i].counts.apply(c);
                for (int j = 0; j < add.length; j++) {
                    counts[i][j] += add[j];
                }
            }
        }
    }

    /** The probabilities to count from the predictions given: themselves by default (AUC may take logits). */
    Tensor predictions(Tensor yPred) {
        return yPred;
    }

    /** The accumulated counts of {@code cell}, a copy; index {@code threshold * labels() + label}. */
    synchronized double[] counts(Cell cell) {
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] == cell) {
                return counts[i].clone();
            }
        }
        throw new IllegalStateException(name() + " does not count " + cell);
    }

    /** The number of thresholds. */
    int thresholdCount() {
        return thresholds.length;
    }

    /** The labels counted separately (1 unless multi-label; 0 before a multi-label metric has seen a batch). */
    synchronized int labels() {
        return labels;
    }

    /** The thresholds (a copy). */
    public double[] thresholds() {
        return thresholds.clone();
    }

    /** How many top predictions of each row count, or null for all. */
    public Integer topK() {
        return topK;
    }

    /** The one class looked at, or null for all. */
    public Integer classId() {
        return classId;
    }

    @Override
    public double result() {
        double[] r = results();
        if (r.length != 1) {
            throw new IllegalStateException(name() + " has " + r.length + " values (one a threshold or label); read"
                    + " results()");
        }
        return r[0];
    }

    @Override
    public synchronized void reset() {
        for (double[] c : counts) {
            Arrays.fill(c, 0);
        }
    }

    /** Every cell's counts, concatenated in the order of the cells. */
    @Override
    public synchronized double[] state() {
        int n = thresholds.length * labels;
        double[] s = new double[cells.length * n];
        for (int i = 0; i < cells.length; i++) {
            System.arraycopy(counts[i], 0, s, i * n, n);
        }
        return s;
    }

    @Override
    public synchronized void mergeState(double[] other) {
        if (labels == 0 && other.length > 0 && other.length % (cells.length * thresholds.length) == 0) {
            size(other.length / (cells.length * thresholds.length));
        }
        int n = thresholds.length * labels;
        checkState(other, cells.length * n);
        for (int i = 0; i < cells.length; i++) {
            for (int j = 0; j < n; j++) {
                counts[i][j] += other[i * n + j];
            }
        }
    }

    /** The thresholds as Keras stores them in a config: one number, or a list. */
    static Object thresholdsConfig(double[] thresholds) {
        if (thresholds.length == 1) {
            return thresholds[0];
        }
        List<Object> out = new ArrayList<>();
        for (double t : thresholds) {
            out.add(t);
        }
        return out;
    }

    /** Thresholds from a config value: a number, a list, or null for {@code fallback}. */
    static double[] thresholdsFrom(Object saved, double[] fallback) {
        if (saved instanceof Number n) {
            return new double[] {n.doubleValue()};
        }
        if (saved instanceof List<?> l) {
            double[] out = new double[l.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = ((Number) l.get(i)).doubleValue();
            }
            return out;
        }
        return fallback;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        if (topK != null) {
            c.put("top_k", topK);
        }
        if (classId != null) {
            c.put("class_id", classId);
        }
        return c;
    }

    @Override
    public Direction direction() {
        return Direction.UP;
    }
}
