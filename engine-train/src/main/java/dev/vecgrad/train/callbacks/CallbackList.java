package dev.vecgrad.train.callbacks;

import dev.vecgrad.train.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The callbacks of one run, called in order, as Keras's {@code CallbackList}. It adds a
 * {@link History} when none is given and, for a non-zero verbosity, a {@link ProgbarLogger} in
 * front, so the loop itself never prints.
 *
 * <p>A batch hook is called only on the callbacks that override it (the others' do nothing; which
 * hooks a class overrides is looked up once per class), and {@link #callsTrainBatchHooks()} and
 * its siblings tell the loop when no callback overrides a mode's batch hooks, so that it skips
 * them and the logs it would build for them: with only epoch-level callbacks (History,
 * EarlyStopping, CSVLogger, ...) {@code fit} does no callback work per batch.
 */
public final class CallbackList extends Callback {
    /** The batch hooks, in the order of {@link #listeners}' rows. */
    private static final List<String> BATCH_HOOKS = List.of("onTrainBatchBegin", "onTrainBatchEnd", "onTestBatchBegin",
            "onTestBatchEnd", "onPredictBatchBegin", "onPredictBatchEnd");
    private static final int TRAIN_BEGIN = 0;
    private static final int TRAIN_END = 1;
    private static final int TEST_BEGIN = 2;
    private static final int TEST_END = 3;
    private static final int PREDICT_BEGIN = 4;
    private static final int PREDICT_END = 5;
    /** For each callback class, bit {@code i} set when it overrides {@code BATCH_HOOKS.get(i)}; found once a class. */
    private static final ClassValue<Integer> OVERRIDDEN = new ClassValue<>() {
        @Override
        protected Integer computeValue(Class<?> type) {
            int bits = 0;
            for (int i = 0; i < BATCH_HOOKS.size(); i++) {
                try {
                    if (type.getMethod(BATCH_HOOKS.get(i), int.class, Map.class).getDeclaringClass() != Callback.class) {
                        bits |= 1 << i;
                    }
                } catch (NoSuchMethodException e) {
                    throw new IllegalStateException("Callback declares " + BATCH_HOOKS.get(i), e);
                }
            }
            return bits;
        }
    };

    private final List<Callback> callbacks;
    private final History history;
    /** For each batch hook, the callbacks that override it, in calling order. */
    private final Callback[][] listeners = new Callback[BATCH_HOOKS.size()][];

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
        for (int i = 0; i < listeners.length; i++) {
            List<Callback> overriding = new ArrayList<>();
            for (Callback c : callbacks) {
                if ((OVERRIDDEN.get(c.getClass()) & 1 << i) != 0) {
                    overriding.add(c);
                }
            }
            listeners[i] = overriding.toArray(Callback[]::new);
        }
        setModel(model);
        setParams(params);
    }

    /** Whether some callback overrides {@link #onTrainBatchBegin} or {@link #onTrainBatchEnd}. */
    public boolean callsTrainBatchHooks() {
        return listeners[TRAIN_BEGIN].length + listeners[TRAIN_END].length > 0;
    }

    /** Whether some callback overrides {@link #onTestBatchBegin} or {@link #onTestBatchEnd}. */
    public boolean callsTestBatchHooks() {
        return listeners[TEST_BEGIN].length + listeners[TEST_END].length > 0;
    }

    /** Whether some callback overrides {@link #onPredictBatchBegin} or {@link #onPredictBatchEnd}. */
    public boolean callsPredictBatchHooks() {
        return listeners[PREDICT_BEGIN].length + listeners[PREDICT_END].length > 0;
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
        for (Callback c : listeners[TRAIN_BEGIN]) {
            c.onTrainBatchBegin(batch, logs);
        }
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        for (Callback c : listeners[TRAIN_END]) {
            c.onTrainBatchEnd(batch, logs);
        }
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
        for (Callback c : listeners[TEST_BEGIN]) {
            c.onTestBatchBegin(batch, logs);
        }
    }

    @Override
    public void onTestBatchEnd(int batch, Map<String, Double> logs) {
        for (Callback c : listeners[TEST_END]) {
            c.onTestBatchEnd(batch, logs);
        }
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
        for (Callback c : listeners[PREDICT_BEGIN]) {
            c.onPredictBatchBegin(batch, logs);
        }
    }

    @Override
    public void onPredictBatchEnd(int batch, Map<String, Double> logs) {
        for (Callback c : listeners[PREDICT_END]) {
            c.onPredictBatchEnd(batch, logs);
        }
    }
}
