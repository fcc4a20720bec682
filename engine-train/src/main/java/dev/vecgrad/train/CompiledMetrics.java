package dev.vecgrad.train;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.losses.Loss;
import dev.vecgrad.train.losses.Reduction;
import dev.vecgrad.train.metrics.Mean;
import dev.vecgrad.train.metrics.Metric;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics of a compiled model, as Keras's {@code CompileMetrics} with the loss tracker: the
 * specs from {@code compile}, made into metric objects on the first update (names need the
 * shapes), updated every step and read as the step's logs. The loss tracker comes first and is
 * weighted by batch size; plain metrics ignore sample weights, weighted metrics use them.
 *
 * <p>Log names are the metrics' names; a second plain metric of the same name is logged as
 * {@code name_1}, a weighted metric whose name is taken as {@code weighted_name}, as Keras does.
 */
final class CompiledMetrics {
    private final Mean lossTracker = new Mean("loss");
    private final List<MetricSpec> specs;
    /** The metrics by log name, in order; null until the first update resolves the specs. */
    private Map<String, Entry> built;

    private record Entry(Metric metric, boolean weighted) {
    }

    CompiledMetrics(List<MetricSpec> specs) {
        this.specs = List.copyOf(specs);
    }

    /**
     * Folds one batch in: the loss into the tracker with weight {@code n} (the batch size), and
     * every metric, resolving them first if this is the first batch. Every metric counts only the
     * positions {@code mask} keeps (null: all); weighted ones also weight them by
     * {@code sampleWeight}.
     */
    void update(Tensor y, Tensor yPred, Tensor sampleWeight, Tensor mask, double loss, int n) {
        lossTracker.update(loss, n);
        build(y.shape(), yPred.shape());
        Tensor plain = Loss.applyMask(null, mask, yPred.dtype(), Reduction.SUM);
        Tensor weighted = Loss.applyMask(sampleWeight, mask, yPred.dtype(), Reduction.SUM);
        for (Entry e : built.values()) {
            e.metric().update(y, yPred, e.weighted() ? weighted : plain);
        }
    }

    /** Makes the metrics for labels and predictions of these shapes, unless made already. */
    void build(Shape yTrue, Shape yPred) {
        if (built != null) {
            return;
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (MetricSpec spec : specs) {
            Metric m = spec.resolve(yTrue, yPred);
            String name = m.name();
            if (seen.containsKey(name) && spec.weighted()) {
                name = "weighted_" + name;
            }
            if (seen.containsKey(name)) {
                int index = seen.get(name);
                seen.put(name, index + 1);
                name = name + "_" + index;
            } else {
                seen.put(name, 1);
            }
            out.put(name, new Entry(m, spec.weighted()));
        }
        built = out;
    }

    /** The loss tracker, then the metrics once the first batch has made them. */
    List<Metric> metrics() {
        List<Metric> all = new ArrayList<>();
        all.add(lossTracker);
        if (built != null) {
            for (Entry e : built.values()) {
                all.add(e.metric());
            }
        }
        return all;
    }

    /** Every metric's current result by log name, loss first. */
    Map<String, Double> results() {
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", lossTracker.result());
        if (built != null) {
            for (Map.Entry<String, Entry> e : built.entrySet()) {
                logs.put(e.getKey(), e.getValue().metric().result());
            }
        }
        return logs;
    }

    /** The metrics as compiled, by the names given (names as given, objects by their name). */
    List<MetricSpec> specs() {
        return specs;
    }
}
