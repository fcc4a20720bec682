package dev.vecgrad.train.metrics;

import dev.vecgrad.core.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A stateful measurement accumulated over batches, as Keras's {@code Metric}: {@code update}
 * folds a batch in, {@link #result()} reads the value so far, {@link #reset()} starts again. The
 * state lives in plain Java doubles, never on a gradient tape; updates run with recording paused.
 *
 * <p>Every metric's state is a vector of additive accumulators (totals and counts, confusion
 * counts), exposed by {@link #state()}: replicas of one metric on several threads can be combined
 * with {@link #mergeState}, and a checkpoint can save it.
 *
 * <pre>{@code
 * Metric acc = new SparseCategoricalAccuracy();
 * acc.update(labels, probabilities, null);
 * acc.result();     // fraction right so far
 * }</pre>
 */
public abstract class Metric {
    private final String name;

    /** A metric logged as {@code name}. */
    protected Metric(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * Folds in a batch: labels {@code yTrue}, predictions {@code yPred}, and optional per-sample
     * weights (null: every sample weighs 1).
     */
    public abstract void update(Tensor yTrue, Tensor yPred, Tensor sampleWeight);

    /**
     * The value over everything folded in since the last reset. A metric with several values (one
     * a threshold, class or output) throws IllegalStateException when it has more than one; read
     * {@link #results()}.
     */
    public abstract double result();

    /** Every value: one for most metrics; one a threshold, class or output for those that have several. */
    public double[] results() {
        return new double[] {result()};
    }

    /**
     * The entries this metric adds to the logs under {@code key} (its name, or the name a model
     * logs it under): {@code key -> result()}, or, for a metric with several values,
     * {@code key_0, key_1, ...} in the order of {@link #results()}.
     */
    public Map<String, Double> logEntries(String key) {
        Map<String, Double> out = new LinkedHashMap<>();
        putLogEntries(key, out);
        return out;
    }

    /** Puts the entries of {@link #logEntries(String)} into {@code logs}, in order. */
    public void putLogEntries(String key, Map<String, Double> logs) {
        double[] r = results();
        if (r.length == 1) {
            logs.put(key, r[0]);
        } else {
            for (int i = 0; i < r.length; i++) {
                logs.put(key + "_" + i, r[i]);
            }
        }
    }

    /** Forgets everything folded in. */
    public abstract void reset();

    /** A copy of the accumulators; all are additive. */
    public abstract double[] state();

    /** Adds another replica's accumulators ({@link #state()} of a metric of the same kind and configuration). */
    public abstract void mergeState(double[] other);

    /** The name in logs, e.g. {@code accuracy} or {@code mean_squared_error}. */
    public String name() {
        return name;
    }

    /** Which way is better for a metric, as Keras's {@code _direction}. */
    public enum Direction {
        /** Higher is better: accuracies, AUC, precision, recall, F-scores, R², correlations, true counts. */
        UP,
        /** Lower is better: errors, crossentropies, hinge losses, false positives and negatives. */
        DOWN,
        /** Neither is known: plain means and sums of whatever is fed in. */
        UNKNOWN
    }

    /**
     * Which way is better, which a monitoring callback in {@code AUTO} mode follows; UNKNOWN here,
     * overridden by every built-in metric that has a direction.
     */
    public Direction direction() {
        return Direction.UNKNOWN;
    }

    /** The Keras class name, e.g. {@code SparseCategoricalAccuracy}. */
    public String className() {
        return getClass().getSimpleName();
    }

    /** The constructor arguments as JSON-able values. */
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        return c;
    }

    /** Fails unless {@code other} has {@code length} accumulators. */
    protected final void checkState(double[] other, int length) {
        if (other.length != length) {
            throw new IllegalArgumentException("metric '" + name + "' (" + className() + ") has " + length
                    + " accumulators, cannot merge " + other.length);
        }
    }

    @Override
    public String toString() {
        double[] r = results();
        return className() + "(" + name + ": " + (r.length == 1 ? String.valueOf(r[0]) : Arrays.toString(r)) + ")";
    }
}
