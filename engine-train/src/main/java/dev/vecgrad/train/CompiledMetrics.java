package dev.vecgrad.train;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.compile.Tracer;
import dev.vecgrad.train.data.Tensors;
import dev.vecgrad.train.losses.Loss;
import dev.vecgrad.train.losses.Reduction;
import dev.vecgrad.train.metrics.Mean;
import dev.vecgrad.train.metrics.MeanMetricWrapper;
import dev.vecgrad.train.metrics.Metric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics of a compiled model, as Keras's {@code CompileMetrics} with the loss trackers: the
 * specs from {@code compile}, made into metric objects for each output they apply to on the first
 * update (names need the shapes), updated every step and read as the step's logs. The loss
 * tracker comes first and is weighted by batch size; plain metrics ignore sample weights,
 * weighted metrics use them, and every metric skips the positions an output's mask drops. The
 * per-output loss trackers of a {@link CompiledLoss} come last.
 *
 * <p>Log names are the metrics' names, prefixed by the output's name when the model has several
 * ({@code digit_accuracy}); a second plain metric of the same name is logged as {@code name_1}, a
 * weighted metric whose name is taken as {@code weighted_name}, as Keras does.
 */
final class CompiledMetrics {
    private final Mean lossTracker = new Mean("loss");
    private final List<MetricSpec> specs;
    private final CompiledLoss loss;
    /** The metrics by log name, in order; null until the first update resolves the specs. */
    private Map<String, Entry> built;

    private record Entry(Metric metric, int output, boolean weighted) {
    }

    /** The metrics {@code specs} for the outputs of {@code loss}, whose trackers are logged too. */
    CompiledMetrics(List<MetricSpec> specs, CompiledLoss loss) {
        this.specs = List.copyOf(specs);
        this.loss = loss;
        List<String> outputs = loss.outputs();
        for (MetricSpec s : specs) {
            if (s.output() != null && !outputs.contains(s.output())) {
                throw new IllegalArgumentException("compile: metric '" + s.name() + "' is given for '" + s.output()
                        + "', which is not an output of the model; its outputs are " + outputs);
            }
            if (s.output() == null && s.metric() != null && outputs.size() > 1) {
                throw new IllegalArgumentException("compile: the metric object '" + s.name() + "' would serve all "
                        + outputs.size() + " outputs " + outputs + "; give it for one with metricsFor, or by name");
            }
        }
    }

    /** Folds one batch's loss into the tracker with weight {@code n} (the batch size). */
    void trackLoss(double lossValue, int n) {
        lossTracker.update(lossValue, n);
    }

    /** Folds one batch into every metric, resolving them first if this is the first batch. */
    void update(Tensors y, Tensors yPred, Tensors sampleWeight) {
        if (built == null) {
            List<Shape> trueShapes = new ArrayList<>();
            List<Shape> predShapes = new ArrayList<>();
            for (int i = 0; i < loss.outputs().size(); i++) {
                trueShapes.add(loss.target(y, i, "y").shape());
                predShapes.add(yPred.get(i).shape());
            }
            build(trueShapes, predShapes);
        }
        int outputs = loss.outputs().size();
        Tensor[] plain = new Tensor[outputs];
        Tensor[] weighted = new Tensor[outputs];
        for (int i = 0; i < outputs; i++) {
            Tensor mask = yPred.mask(i);
            DType dtype = yPred.get(i).dtype();
            plain[i] = Loss.applyMask(null, mask, dtype, Reduction.SUM);
            weighted[i] = Loss.applyMask(loss.weightFor(sampleWeight, i), mask, dtype, Reduction.SUM);
        }
        for (Entry e : built.values()) {
            int i = e.output();
            Metric m = e.metric();
            Tensor yTrue = loss.target(y, i, "y");
            Tensor w = e.weighted() ? weighted[i] : plain[i];
            if (m instanceof MeanMetricWrapper) {
                m.update(yTrue, yPred.get(i), w); // tensor ops, then its own host call
            } else {
                // Metrics that keep Java state: the whole update is a host call.
                Tracer.hostCall(m.name() + ".update", Arrays.asList(yTrue, yPred.get(i), w), a -> {
                    m.update(a.get(0), a.get(1), a.get(2));
                    return null;
                });
            }
        }
    }

    /** Makes the metrics for labels and predictions of these shapes (one an output), unless made already. */
    void build(List<Shape> yTrue, List<Shape> yPred) {
        if (built != null) {
            return;
        }
        List<String> outputs = loss.outputs();
        Map<String, Entry> out = new LinkedHashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (boolean weightedPass : new boolean[] {false, true}) {
            for (int i = 0; i < outputs.size(); i++) {
                String prefix = outputs.size() > 1 ? outputs.get(i) + "_" : "";
                for (MetricSpec spec : specs) {
                    if (spec.weighted() != weightedPass || (spec.output() != null && !spec.output().equals(outputs.get(i)))) {
                        continue;
                    }
                    Metric m = spec.resolve(yTrue.get(i), yPred.get(i));
                    String name = prefix + m.name();
                    if (seen.containsKey(name) && spec.weighted()) {
                        name = prefix + "weighted_" + m.name();
                    }
                    if (seen.containsKey(name)) {
                        int index = seen.get(name);
                        seen.put(name, index + 1);
                        name = name + "_" + index;
                    } else {
                        seen.put(name, 1);
                    }
                    out.put(name, new Entry(m, i, spec.weighted()));
                }
            }
        }
        built = out;
    }

    /** The loss tracker, the metrics once the first batch has made them, then the per-output loss trackers. */
    List<Metric> metrics() {
        List<Metric> all = new ArrayList<>();
        all.add(lossTracker);
        if (built != null) {
            for (Entry e : built.values()) {
                all.add(e.metric());
            }
        }
        all.addAll(loss.trackers());
        return all;
    }

    /** Every metric's current result by log name, in the order of {@link #metrics()}. */
    Map<String, Double> results() {
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", lossTracker.result());
        if (built != null) {
            for (Map.Entry<String, Entry> e : built.entrySet()) {
                e.getValue().metric().putLogEntries(e.getKey(), logs);
            }
        }
        for (Mean t : loss.trackers()) {
            logs.put(t.name(), t.result());
        }
        return logs;
    }

    /** The metrics as compile was given them. */
    List<MetricSpec> specs() {
        return specs;
    }
}
