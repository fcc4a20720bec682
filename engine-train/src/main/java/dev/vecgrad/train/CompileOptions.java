package dev.vecgrad.train;

import dev.vecgrad.train.losses.Loss;
import dev.vecgrad.train.metrics.Metric;
import dev.vecgrad.train.optimizers.Optimizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The arguments of {@link Model#compile(CompileOptions)}, as Keras's {@code compile(...)}: the
 * optimizer and loss (each an object or a Keras name such as {@code "adam"} or
 * {@code "sparse_categorical_crossentropy"}), metrics, weighted metrics, steps per execution and
 * loss weights. A model with several outputs takes a loss for all of them or one an output (a map
 * by output name), loss weights by output name, and metrics for all outputs or for one.
 *
 * {@snippet class=dev.vecgrad.train.TrainSnippetsTest region=compile-options}
 *
 * <p>({@code MeanSquaredError} here is {@code dev.vecgrad.train.losses.MeanSquaredError}; the metric
 * of that name is in {@code dev.vecgrad.train.metrics}.)
 */
public final class CompileOptions {
    private final Object optimizer;
    private final Object loss;
    private final List<MetricSpec> metrics = new ArrayList<>();
    private int stepsPerExecution = 1;
    private Boolean jitCompile;
    private double lossWeight = 1;
    private Map<String, Double> lossWeights;

    private CompileOptions(Object optimizer, Object loss) {
        this.optimizer = check(optimizer, "optimizer", Optimizer.class);
        this.loss = checkLoss(loss);
    }

    private static Object check(Object o, String what, Class<?> type) {
        Objects.requireNonNull(o, what);
        if (!(o instanceof String) && !type.isInstance(o)) {
            throw new IllegalArgumentException("compile: the " + what + " must be a name or a " + type.getSimpleName()
                    + ", got " + o.getClass().getName());
        }
        return o;
    }

    private static Object checkLoss(Object loss) {
        if (loss instanceof Map<?, ?> byOutput) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : byOutput.entrySet()) {
                if (!(e.getKey() instanceof String name)) {
                    throw new IllegalArgumentException("compile: a loss map is keyed by output name, got " + e.getKey());
                }
                out.put(name, check(e.getValue(), "loss for output '" + name + "'", Loss.class));
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("compile: the loss map is empty");
            }
            return Collections.unmodifiableMap(out);
        }
        return check(loss, "loss", Loss.class);
    }

    /**
     * An {@link Optimizer} or its name, and a {@link Loss} or its name for every output (or a map
     * from output name to a loss or its name: outputs left out get no loss).
     */
    public static CompileOptions of(Object optimizer, Object loss) {
        return new CompileOptions(optimizer, loss);
    }

    /**
     * Adds metrics for every output: {@link Metric} objects or names such as {@code "accuracy"}
     * or {@code "mae"} (a model with several outputs makes a metric of each name for each output;
     * a metric object serves one output, so give it with {@link #metricsFor}). They see every
     * sample alike; sample and class weights weight only {@link #weightedMetrics}.
     */
    public CompileOptions metrics(Object... metrics) {
        return add(null, false, metrics);
    }

    /** Adds metrics for the output called {@code output} (logged as {@code output_name}). */
    public CompileOptions metricsFor(String output, Object... metrics) {
        return add(Objects.requireNonNull(output, "output"), false, metrics);
    }

    /**
     * Adds metrics weighted by the sample weights (and class weights) of {@code fit} and
     * {@code evaluate}, as Keras's {@code weighted_metrics}. One whose name a plain metric already
     * has is logged as {@code weighted_<name>}.
     */
    public CompileOptions weightedMetrics(Object... metrics) {
        return add(null, true, metrics);
    }

    /** Adds weighted metrics for the output called {@code output}. */
    public CompileOptions weightedMetricsFor(String output, Object... metrics) {
        return add(Objects.requireNonNull(output, "output"), true, metrics);
    }

    private CompileOptions add(String output, boolean weighted, Object... metrics) {
        for (Object m : metrics) {
            this.metrics.add(MetricSpec.of(m, output, weighted));
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

    /** A factor the loss is multiplied by (Keras's {@code loss_weights} for the one output, or for every output; default 1). */
    public CompileOptions lossWeight(double w) {
        if (!Double.isFinite(w)) {
            throw new IllegalArgumentException("compile: lossWeight must be finite, got " + w);
        }
        this.lossWeight = w;
        return this;
    }

    /**
     * A factor for each output's loss, by output name (outputs left out weigh 1), as Keras's
     * {@code loss_weights} dict; the total loss is the weighted sum.
     */
    public CompileOptions lossWeights(Map<String, Double> byOutput) {
        for (Map.Entry<String, Double> e : byOutput.entrySet()) {
            if (e.getValue() == null || !Double.isFinite(e.getValue())) {
                throw new IllegalArgumentException("compile: the loss weight of '" + e.getKey() + "' must be finite, got "
                        + e.getValue());
            }
        }
        this.lossWeights = Map.copyOf(byOutput);
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

    /**
     * Whether fit, evaluate and predict run compiled steps (Keras's {@code jit_compile}): traced once
     * per input signature and then replayed from a plan (see {@code docs/training.md}). Unset is
     * Keras's {@code "auto"}: compiled on one device, and eager when a step cannot be compiled
     * (logged once); {@code true} makes that an error instead; {@code false} runs every step eagerly.
     */
    public CompileOptions jitCompile(boolean on) {
        this.jitCompile = on;
        return this;
    }

    /** The {@link #jitCompile(boolean)} setting, or null for "auto". */
    Boolean jitCompile() {
        return jitCompile;
    }

    double lossWeight() {
        return lossWeight;
    }

    /** The loss weights by output name, or null when given as one factor. */
    Map<String, Double> lossWeights() {
        return lossWeights;
    }
}
