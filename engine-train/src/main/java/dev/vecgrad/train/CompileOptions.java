package dev.vecgrad.train;

import dev.vecgrad.train.losses.Loss;
import dev.vecgrad.train.metrics.Metric;
import dev.vecgrad.train.optimizers.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The arguments of {@link Model#compile(CompileOptions)}, as Keras's {@code compile(...)}: the
 * optimizer and loss (each an object or a Keras name such as {@code "adam"} or
 * {@code "sparse_categorical_crossentropy"}), metrics, weighted metrics, steps per execution and a
 * loss weight.
 *
 * <pre>{@code
 * model.compile(CompileOptions.of("sgd", new MeanSquaredError(Reduction.SUM))
 *         .metrics(new MeanAbsolutePercentageError())
 *         .stepsPerExecution(5));
 * }</pre>
 */
public final class CompileOptions {
    private final Object optimizer;
    private final Object loss;
    private final List<MetricSpec> metrics = new ArrayList<>();
    private int stepsPerExecution = 1;
    private double lossWeight = 1;

    private CompileOptions(Object optimizer, Object loss) {
        this.optimizer = check(optimizer, "optimizer", Optimizer.class);
        this.loss = check(loss, "loss", Loss.class);
    }

    private static Object check(Object o, String what, Class<?> type) {
        Objects.requireNonNull(o, what);
        if (!(o instanceof String) && !type.isInstance(o)) {
            throw new IllegalArgumentException("compile: the " + what + " must be a name or a " + type.getSimpleName()
                    + ", got " + o.getClass().getName());
        }
        return o;
    }

    /** An {@link Optimizer} or its name, and a {@link Loss} or its name. */
    public static CompileOptions of(Object optimizer, Object loss) {
        return new CompileOptions(optimizer, loss);
    }

    /**
     * Adds metrics: {@link Metric} objects or names such as {@code "accuracy"} or {@code "mae"}.
     * They see every sample alike; sample and class weights weight only {@link #weightedMetrics}.
     */
    public CompileOptions metrics(Object... metrics) {
        for (Object m : metrics) {
            this.metrics.add(MetricSpec.of(m, false));
        }
        return this;
    }

    /**
     * Adds metrics weighted by the sample weights (and class weights) of {@code fit} and
     * {@code evaluate}, as Keras's {@code weighted_metrics}. One whose name a plain metric already
     * has is logged as {@code weighted_<name>}.
     */
    public CompileOptions weightedMetrics(Object... metrics) {
        for (Object m : metrics) {
            this.metrics.add(MetricSpec.of(m, true));
        }
        return this;
    }

    /** Training steps run per call of the train function; batch callbacks fire once per execution (default 1). */
    public CompileOptions stepsPerExecution(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("compile: stepsPerExecution must be at least 1, got " + n);
        }
        this.stepsPerExecution = n;
        return this;
    }

    /** A factor the loss is multiplied by (Keras's {@code loss_weights} for the one output; default 1). */
    public CompileOptions lossWeight(double w) {
        if (!Double.isFinite(w)) {
            throw new IllegalArgumentException("compile: lossWeight must be finite, got " + w);
        }
        this.lossWeight = w;
        return this;
    }

    Object optimizer() {
        return optimizer;
    }

    Object loss() {
        return loss;
    }

    List<MetricSpec> metrics() {
        return metrics;
    }

    int stepsPerExecution() {
        return stepsPerExecution;
    }

    double lossWeight() {
        return lossWeight;
    }
}
