package dev.vecgrad.train.metrics;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Area under a curve approximated on a grid of thresholds, as Keras's {@code AUC}. At each
 * threshold weighted confusion counts accumulate over batches; the curve is
 *
 * <ul>
 *   <li>{@link Curve#ROC} (default): true-positive rate against false-positive rate;</li>
 *   <li>{@link Curve#PR}: precision against recall;</li>
 *   <li>{@link Curve#PRGAIN}: precision gain against recall gain (Flach and Kull).</li>
 * </ul>
 *
 * and the area is a Riemann sum over consecutive thresholds whose heights are, by
 * {@link Summation}, the trapezoid's mean (default), the smaller or the larger value. PR with
 * interpolation uses Davis and Goadrich's interpolation of precision between thresholds instead of
 * a trapezoid. Rates are 0 where their denominator is 0.
 *
 * <p>The thresholds are {@code -1e-7, 1/(n-1), ..., (n-2)/(n-1), 1 + 1e-7} for
 * {@code numThresholds} n (default 200), or given explicitly (then 0 - 1e-7 and 1 + 1e-7 are added
 * around them). With {@code multiLabel} each label (last axis of rank-2 predictions) has its own
 * curve and the result is their mean, weighted by {@code labelWeights} if given; otherwise all
 * elements form one curve, {@code labelWeights} weighing the elements of each label.
 * {@code fromLogits} passes predictions through a sigmoid first.
 *
 * <pre>{@code
 * AUC pr = AUC.builder().curve(AUC.Curve.PR).numThresholds(100).build();
 * pr.update(labels, probabilities, null);
 * pr.result();
 * }</pre>
 */
public final class AUC extends ConfusionMetric {
    private static final double EPSILON = 1e-7;

    /** The curve whose area is measured. */
    public enum Curve {
        /** Receiver operating characteristic: true-positive rate against false-positive rate. */
        ROC,
        /** Precision against recall. */
        PR,
        /** Precision gain against recall gain. */
        PRGAIN;

        static Curve of(String s) {
            for (Curve c : values()) {
                if (c.name().equalsIgnoreCase(s)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("Invalid AUC curve value: \"" + s + "\". Expected one of ROC, PR, PRGAIN");
        }
    }

    /** How a step of the Riemann sum is measured. */
    public enum Summation {
        /** The mean of the two ends (trapezoids; for PR, Davis and Goadrich's interpolation). */
        INTERPOLATION,
        /** The smaller end (a lower bound). */
        MINORING,
        /** The larger end (an upper bound). */
        MAJORING;

        static Summation of(String s) {
            for (Summation m : values()) {
                if (m.name().equalsIgnoreCase(s)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("Invalid AUC summation method value: \"" + s
                    + "\". Expected one of interpolation, minoring, majoring");
        }
    }

    private final Curve curve;
    private final Summation summation;
    private final boolean multiLabel;
    private final Integer numLabels;
    private final double[] labelWeights;
    private final boolean fromLogits;
    private final double[] givenThresholds;

    /** 200 thresholds, ROC, interpolation, logged as {@code auc}. */
    public AUC() {
        this("auc", 200);
    }

    /** {@code numThresholds} (more than 1) thresholds, ROC, interpolation, logged as {@code name}. */
    public AUC(String name, int numThresholds) {
        this(builder().name(name).numThresholds(numThresholds));
    }

    private AUC(Builder b) {
        super(b.name, thresholds(b), null, null, b.multiLabel ? (b.numLabels == null ? 0 : b.numLabels) : 1,
                Cell.TRUE_POSITIVES, Cell.FALSE_POSITIVES, Cell.TRUE_NEGATIVES, Cell.FALSE_NEGATIVES);
        if (b.numLabels != null && !b.multiLabel) {
            throw new IllegalArgumentException("`num_labels` is needed only when `multi_label` is True.");
        }
        this.curve = b.curve;
        this.summation = b.summation;
        this.multiLabel = b.multiLabel;
        this.numLabels = b.numLabels;
        this.labelWeights = b.labelWeights == null ? null : b.labelWeights.clone();
        this.fromLogits = b.fromLogits;
        this.givenThresholds = b.thresholds == null ? null : b.thresholds.clone();
    }

    private static double[] thresholds(Builder b) {
        double[] inner;
        if (b.thresholds != null) {
            inner = checkThresholds(b.thresholds.clone());
            Arrays.sort(inner);
        } else {
            if (b.numThresholds <= 1) {
                throw new IllegalArgumentException("Argument `num_thresholds` must be an integer > 1. Received: "
                        + "num_thresholds=" + b.numThresholds);
            }
            inner = new double[b.numThresholds - 2];
            for (int i = 0; i < inner.length; i++) {
                inner[i] = (i + 1.0) / (b.numThresholds - 1);
            }
        }
        double[] t = new double[inner.length + 2];
        t[0] = -EPSILON;
        System.arraycopy(inner, 0, t, 1, inner.length);
        t[t.length - 1] = 1 + EPSILON;
        return t;
    }

    /** Options with Keras's defaults: 200 thresholds, ROC, interpolation, one curve, probabilities. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    boolean multiLabel() {
        return multiLabel;
    }

    @Override
    double[] labelWeights() {
        return multiLabel ? null : labelWeights;
    }

    @Override
    Tensor predictions(Tensor yPred) {
        if (!fromLogits) {
            return yPred;
        }
        try (GradientTape.NoGrad p = GradientTape.noGrad()) {
            return yPred.sigmoid();
        }
    }

    /** The area: one number (the labels' weighted mean with multiLabel). */
    @Override
    public double[] results() {
        double[] tp = counts(Cell.TRUE_POSITIVES);
        double[] fp = counts(Cell.FALSE_POSITIVES);
        double[] tn = counts(Cell.TRUE_NEGATIVES);
        double[] fn = counts(Cell.FALSE_NEGATIVES);
        int labels = labels();
        if (labels == 0) {
            return new double[] {0};
        }
        int n = thresholdCount();
        double weighted = 0;
        double total = 0;
        for (int l = 0; l < labels; l++) {
            double area = area(label(tp, l, labels, n), label(fp, l, labels, n), label(tn, l, labels, n),
                    label(fn, l, labels, n));
            double w = multiLabel && labelWeights != null ? labelWeights[l] : 1;
            weighted += area * w;
            total += w;
        }
        return new double[] {multiLabel && labelWeights != null ? Confusion.divideNoNan(weighted, total)
                : weighted / labels};
    }

    private static double[] label(double[] counts, int l, int labels, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = counts[i * labels + l];
        }
        return out;
    }

    private double area(double[] tp, double[] fp, double[] tn, double[] fn) {
        int n = tp.length;
        if (curve == Curve.PR && summation == Summation.INTERPOLATION) {
            return interpolatedPr(tp, fp, fn);
        }
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double recall = Confusion.divideNoNan(tp[i], tp[i] + fn[i]);
            switch (curve) {
                case ROC -> {
                    x[i] = Confusion.divideNoNan(fp[i], fp[i] + tn[i]);
                    y[i] = recall;
                }
                case PR -> {
                    x[i] = recall;
                    y[i] = Confusion.divideNoNan(tp[i], tp[i] + fp[i]);
                }
                case PRGAIN -> {
                    double scale = Confusion.divideNoNan(tp[i] + fn[i], tn[i] + fp[i]);
                    x[i] = tp[i] == 0 ? 0 : Math.max(1 - scale * Confusion.divideNoNan(fn[i], tp[i]), 0);
                    y[i] = tp[i] == 0 ? 1 : 1 - scale * Confusion.divideNoNan(fp[i], tp[i]);
                }
            }
        }
        double sum = 0;
        for (int i = 0; i < n - 1; i++) {
            double height = switch (summation) {
                case INTERPOLATION -> (y[i] + y[i + 1]) / 2;
                case MINORING -> Math.min(y[i], y[i + 1]);
                case MAJORING -> Math.max(y[i], y[i + 1]);
            };
            sum += (x[i] - x[i + 1]) * height;
        }
        return sum;
    }

    /** Davis and Goadrich's interpolation of precision between thresholds, as Keras's {@code interpolate_pr_auc}. */
    private static double interpolatedPr(double[] tp, double[] fp, double[] fn) {
        double sum = 0;
        for (int i = 0; i < tp.length - 1; i++) {
            double dtp = tp[i] - tp[i + 1];
            double p0 = tp[i] + fp[i];
            double p1 = tp[i + 1] + fp[i + 1];
            double slope = Confusion.divideNoNan(dtp, Math.max(p0 - p1, 0));
            double intercept = tp[i + 1] - slope * p1;
            double ratio = p0 > 0 && p1 > 0 ? Confusion.divideNoNan(p0, Math.max(p1, 0)) : 1;
            sum += Confusion.divideNoNan(slope * (dtp + intercept * Math.log(ratio)),
                    Math.max(tp[i + 1] + fn[i + 1], 0));
        }
        return sum;
    }

    /** The curve. */
    public Curve curve() {
        return curve;
    }

    /** The summation method. */
    public Summation summation() {
        return summation;
    }

    /** Whether each label has its own curve. */
    public boolean isMultiLabel() {
        return multiLabel;
    }

    /** The number of thresholds, including the two outside [0, 1]. */
    public int numThresholds() {
        return thresholdCount();
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("num_thresholds", thresholdCount());
        c.put("curve", curve.name());
        c.put("summation_method", summation.name().toLowerCase(Locale.ROOT));
        c.put("multi_label", multiLabel);
        c.put("num_labels", numLabels);
        c.put("label_weights", list(labelWeights));
        c.put("from_logits", fromLogits);
        if (givenThresholds != null) {
            c.put("thresholds", list(givenThresholds));
        }
        return c;
    }

    private static List<Object> list(double[] a) {
        if (a == null) {
            return null;
        }
        List<Object> out = new ArrayList<>();
        for (double v : a) {
            out.add(v);
        }
        return out;
    }

    /** Rebuilds an AUC from its {@link #getConfig()}. */
    static AUC fromConfig(Map<String, Object> c) {
        Builder b = builder();
        if (c.get("name") instanceof String s) {
            b.name(s);
        }
        if (c.get("num_thresholds") instanceof Number n) {
            b.numThresholds(n.intValue());
        }
        if (c.get("curve") instanceof String s) {
            b.curve(Curve.of(s));
        }
        if (c.get("summation_method") instanceof String s) {
            b.summation(Summation.of(s));
        }
        b.multiLabel(Boolean.TRUE.equals(c.get("multi_label")));
        if (c.get("num_labels") instanceof Number n) {
            b.numLabels(n.intValue());
        }
        b.labelWeights(thresholdsFrom(c.get("label_weights"), null));
        b.fromLogits(Boolean.TRUE.equals(c.get("from_logits")));
        b.thresholds(thresholdsFrom(c.get("thresholds"), null));
        return b.build();
    }

    /** Options for {@link AUC}, with Keras's defaults. */
    public static final class Builder {
        private String name = "auc";
        private int numThresholds = 200;
        private Curve curve = Curve.ROC;
        private Summation summation = Summation.INTERPOLATION;
        private double[] thresholds;
        private boolean multiLabel;
        private Integer numLabels;
        private double[] labelWeights;
        private boolean fromLogits;

        private Builder() {
        }

        /** The name in logs (default {@code auc}). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Thresholds spread over [0, 1], more than 1 (default 200); explicit {@link #thresholds} win. */
        public Builder numThresholds(int numThresholds) {
            this.numThresholds = numThresholds;
            return this;
        }

        /** The curve (default ROC). */
        public Builder curve(Curve curve) {
            this.curve = curve;
            return this;
        }

        /** The curve by Keras's name: ROC, PR or PRGAIN. */
        public Builder curve(String curve) {
            return curve(Curve.of(curve));
        }

        /** The summation method (default interpolation). */
        public Builder summation(Summation summation) {
            this.summation = summation;
            return this;
        }

        /** The summation method by Keras's name: interpolation, minoring or majoring. */
        public Builder summation(String summation) {
            return summation(Summation.of(summation));
        }

        /** Explicit thresholds in [0, 1] (null: evenly spread). */
        public Builder thresholds(double... thresholds) {
            this.thresholds = thresholds;
            return this;
        }

        /** Whether each label of rank-2 predictions has its own curve (default false). */
        public Builder multiLabel(boolean multiLabel) {
            this.multiLabel = multiLabel;
            return this;
        }

        /** The number of labels with multiLabel, if known before the first batch. */
        public Builder numLabels(Integer numLabels) {
            this.numLabels = numLabels;
            return this;
        }

        /** A weight a label (null: equal weights). */
        public Builder labelWeights(double... labelWeights) {
            this.labelWeights = labelWeights;
            return this;
        }

        /** Whether predictions are logits (default false). */
        public Builder fromLogits(boolean fromLogits) {
            this.fromLogits = fromLogits;
            return this;
        }

        /** The metric. */
        public AUC build() {
            return new AUC(this);
        }
    }
}
