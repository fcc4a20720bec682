package dev.vecgrad.train.callbacks;

import dev.vecgrad.train.Model;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The callbacks of one run, called in order, as Keras's {@code CallbackList}. After the given
 * callbacks it adds a {@link History} when none is given and then, for a non-zero verbosity, a
 * {@link ProgbarLogger}, so the loop itself never prints. Both come last, as in Keras 3: what a
 * callback adds to an epoch's logs in {@code onEpochEnd} (such as {@link LearningRateScheduler}'s
 * {@code learning_rate}) is recorded by the History and printed on the epoch's line.
 *
 * <p>A batch hook is called only on the callbacks that override it (the others' do nothing; which
 * hooks a class overrides is looked up once per class). A loop calls them through
 * {@link #onBatchBegin} and {@link #onBatchEnd}, which build logs only for a call that reaches
 * some callback: with only epoch-level callbacks (History, EarlyStopping, CSVLogger, ...)
 * {@code fit} does no callback work per batch, and with the progress bar alone it hands the bar
 * the step's results without copying them.
 */
public final class CallbackList extends Callback {
    /** The batch hooks, in the order of {@link #listeners}' rows: each mode's begin, then its end. */
    private static final List<String> BATCH_HOOKS = List.of("onTrainBatchBegin", "onTrainBatchEnd", "onTestBatchBegin",
            "onTestBatchEnd", "onPredictBatchBegin", "onPredictBatchEnd");
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

    /** The loops that call batch hooks, as Keras's modes: fit's training steps, test steps, predict's steps. */
    public enum Mode {
        /** {@code onTrainBatchBegin} and {@code onTrainBatchEnd}. */
        TRAIN,
        /** {@code onTestBatchBegin} and {@code onTestBatchEnd} (evaluate, and validation inside fit). */
        TEST,
        /** {@code onPredictBatchBegin} and {@code onPredictBatchEnd}. */
        PREDICT;

        private int beginHook() {
            return 2 * ordinal();
        }

        private int endHook() {
            return 2 * ordinal() + 1;
        }
    }

    private final List<Callback> callbacks;
    private final History history;
    /** For each batch hook, the callbacks that override it, in calling order. */
    private final Callback[][] listeners = new Callback[BATCH_HOOKS.size()][];
    /** For each batch hook, whether a callback overriding it may keep or change its logs. */
    private final boolean[] keepsLogs = new boolean[BATCH_HOOKS.size()];

    /**
     * The given callbacks followed by a History (when {@code addHistory} and none is among them)
     * and a progress bar (when {@code addProgbar} and none is among them), in that order.
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
            callbacks.add(new ProgbarLogger());
        }
        history = found;
        for (int i = 0; i < listeners.length; i++) {
            List<Callback> overriding = new ArrayList<>();
            for (Callback c : callbacks) {
                if ((OVERRIDDEN.get(c.getClass()) & 1 << i) != 0) {
                    overriding.add(c);
                    keepsLogs[i] |= c.mayKeepBatchLogs();
                }
            }
            listeners[i] = overriding.toArray(Callback[]::new);
        }
        setModel(model);
        setParams(params);
    }

    /**
     * Calls {@code mode}'s batch-begin hook, with empty logs of their own, on the callbacks that
     * override it; builds nothing when none does.
     */
    public void onBatchBegin(Mode mode, int batch) {
        if (listeners[mode.beginHook()].length == 0) {
            return;
        }
        Map<String, Double> logs = new LinkedHashMap<>();
        switch (mode) {
            case TRAIN -> onTrainBatchBegin(batch, logs);
            case TEST -> onTestBatchBegin(batch, logs);
            case PREDICT -> onPredictBatchBegin(batch, logs);
        }
    }

    /**
     * Calls {@code mode}'s batch-end hook on the callbacks that override it with the step's
     * {@code results}, which the caller keeps unchanged: those callbacks share one copy of them,
     * which they may keep or change, unless none of them would (the progress bar reads them during
     * the call alone), when they get {@code results} itself; builds nothing when none overrides it.
     */
    public void onBatchEnd(Mode mode, int batch, Map<String, Double> results) {
        int hook = mode.endHook();
        if (listeners[hook].length == 0) {
            return;
        }
        Map<String, Double> logs = keepsLogs[hook] ? new LinkedHashMap<>(results) : results;
        switch (mode) {
            case TRAIN -> onTrainBatchEnd(batch, logs);
            case TEST -> onTestBatchEnd(batch, logs);
            case PREDICT -> onPredictBatchEnd(batch, logs);
        }
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
        for (Callback c : listeners[Mode.TRAIN.beginHook()]) {
            c.onTrainBatchBegin(batch, logs);
        }
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        for (Callback c : listeners[Mode.TRAIN.endHook()]) {
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
        for (Callback c : listeners[Mode.TEST.beginHook()]) {
            c.onTestBatchBegin(batch, logs);
        }
    }

    @Override
    public void onTestBatchEnd(int batch, Map<String, Double> logs) {
        for (Callback c : listeners[Mode.TEST.endHook()]) {
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
        for (Callback c : listeners[Mode.PREDICT.beginHook()]) {
            c.onPredictBatchBegin(batch, logs);
        }
    }

    @Override
    public void onPredictBatchEnd(int batch, Map<String, Double> logs) {
        for (Callback c : listeners[Mode.PREDICT.endHook()]) {
            c.onPredictBatchEnd(batch, logs);
        }
    }
}
