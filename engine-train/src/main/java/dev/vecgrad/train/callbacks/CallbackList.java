package dev.vecgrad.train.callbacks;

import dev.vecgrad.train.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The callbacks of one run, called in order, as Keras's {@code CallbackList}. It adds a
 * {@link History} when none is given and, for a non-zero verbosity, a {@link ProgbarLogger} in
 * front, so the loop itself never prints.
 */
public final class CallbackList extends Callback {
    private final List<Callback> callbacks;
    private final History history;

    /**
     * The given callbacks plus a History (when {@code addHistory} and none is among them) and a
     * progress bar (when {@code addProgbar} and none is among them).
     */
    public CallbackList(List<? extends Callback> given, boolean addHistory, boolean addProgbar, Model model,
            CallbackParams params) {
        callbacks = new ArrayList<>(given == null ? List.of() : given);
        History found = null;
        boolean hasProgbar = false;
        for (Callback c : callbacks) {
            if (c instanceof History h) {
                found = h;
            }
            hasProgbar |= c instanceof ProgbarLogger;
        }
        if (found == null && addHistory) {
            found = new History();
            callbacks.add(found);
        }
        if (addProgbar && !hasProgbar) {
            callbacks.add(0, new ProgbarLogger());
        }
        history = found;
        setModel(model);
        setParams(params);
    }

    /** The History of this run, or null when none was added. */
    public History history() {
        return history;
    }

    /** The callbacks in calling order. */
    public List<Callback> callbacks() {
        return List.copyOf(callbacks);
    }

    @Override
    public void setModel(Model model) {
        super.setModel(model);
        if (callbacks != null) {
            callbacks.forEach(c -> c.setModel(model));
        }
    }

    @Override
    public void setParams(CallbackParams params) {
        super.setParams(params);
        if (callbacks != null) {
            callbacks.forEach(c -> c.setParams(params));
        }
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        callbacks.forEach(c -> c.onTrainBegin(logs));
    }

    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        callbacks.forEach(c -> c.onTrainEnd(logs));
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        callbacks.forEach(c -> c.onEpochBegin(epoch, logs));
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        callbacks.forEach(c -> c.onEpochEnd(epoch, logs));
    }

    @Override
    public void onTrainBatchBegin(int batch, Map<String, Double> logs) {
        callbacks.forEach(c -> c.onTrainBatchBegin(batch, logs));
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        callbacks.forEach(c -> c.onTrainBatchEnd(batch, logs));
    }

    @Override
    public void onTestBegin(Map<String, Double> logs) {
        callbacks.forEach(c -> c.onTestBegin(logs));
    }

    @Override
    public void onTestEnd(Map<String, Double> logs) {
        callbacks.forEach(c -> c.onTestEnd(logs));
    }

    @Override
    public void onTestBatchBegin(int batch, Map<String, Double> logs) {
        callbacks.forEach(c -> c.onTestBatchBegin(batch, logs));
    }

    @Override
    public void onTestBatchEnd(int batch, Map<String, Double> logs) {
        callbacks.forEach(c -> c.onTestBatchEnd(batch, logs));
    }

    @Override
    public void onPredictBegin(Map<String, Double> logs) {
        callbacks.forEach(c -> c.onPredictBegin(logs));
    }

    @Override
    public void onPredictEnd(Map<String, Double> logs) {
        callbacks.forEach(c -> c.onPredictEnd(logs));
    }

    @Override
    public void onPredictBatchBegin(int batch, Map<String, Double> logs) {
        callbacks.forEach(c -> c.onPredictBatchBegin(batch, logs));
    }

    @Override
    public void onPredictBatchEnd(int batch, Map<String, Double> logs) {
        callbacks.forEach(c -> c.onPredictBatchEnd(batch, logs));
    }
}
