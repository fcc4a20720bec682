package dev.vecgrad.train.callbacks;

import dev.vecgrad.core.draw.Drawing;
import dev.vecgrad.train.plot.Pictures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The epoch-end logs of a {@code fit} run, what {@code fit} returns, as Keras's {@code History}.
 *
 * <pre>{@code
 * History h = model.fit(FitOptions.of(train).epochs(10).validationData(test));
 * List<Double> losses = h.get("loss");   // one value per epoch run
 * h.plot(Path.of("curves.png"));          // loss and each metric, training beside validation
 * }</pre>
 */
public final class History extends Callback {
    private final List<Integer> epochs = new ArrayList<>();
    private final Map<String, List<Double>> history = new LinkedHashMap<>();
    /** For each metric, the epochs its values belong to (validation may run on some epochs only). */
    private final Map<String, List<Integer>> epochsOf = new LinkedHashMap<>();

    /** An empty history. */
    public History() {
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        // A History kept across fit calls continues; only a fresh one starts empty.
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        epochs.add(epoch);
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            history.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
            epochsOf.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(epoch);
        }
    }

    /** The epoch numbers recorded, from 0 (offset by {@code initialEpoch}). */
    public List<Integer> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** Every metric's per-epoch values. */
    public Map<String, List<Double>> history() {
        Map<String, List<Double>> copy = new LinkedHashMap<>();
        history.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    /** The per-epoch values of {@code metric}, or an error listing the metrics recorded. */
    public List<Double> get(String metric) {
        List<Double> v = history.get(metric);
        if (v == null) {
            throw new IllegalArgumentException("no metric '" + metric + "' in the history; recorded: " + history.keySet());
        }
        return List.copyOf(v);
    }

    /** The last epoch's value of {@code metric}. */
    public double last(String metric) {
        List<Double> v = get(metric);
        if (v.isEmpty()) {
            throw new IllegalStateException("metric '" + metric + "' has no values");
        }
        return v.get(v.size() - 1);
    }

    /**
     * The training curves: one chart per metric with its training values beside its validation
     * values ({@code val_} prefix) against the epoch (counted from 1, as the progress bar does),
     * the epoch of the best validation value marked (lowest, or highest for accuracies and the
     * like, as {@link MonitorMode#AUTO} decides), a log axis where a curve spans decades.
     */
    public Drawing curves() {
        return TrainingCurves.figure(history, epochsOf);
    }

    /** Writes {@link #curves()} to {@code path}, as PNG or SVG by the file's extension, atomically. */
    public void plot(Path path) throws IOException {
        Pictures.write(curves(), path);
    }

    @Override
    public String toString() {
        return "History" + history;
    }
}
