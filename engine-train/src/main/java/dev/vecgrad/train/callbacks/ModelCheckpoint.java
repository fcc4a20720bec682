package dev.vecgrad.train.callbacks;

import dev.vecgrad.train.Model;
import java.util.Map;

/**
 * Saves the model during training, as Keras's {@code ModelCheckpoint}: at the end of every epoch,
 * or every {@code saveFreq} batches, optionally only when the monitored quantity improved. Where a
 * save goes is a {@link CheckpointTarget}: {@link FileCheckpoints} writes model directories or
 * weight files ({@link #builder(String, boolean)}), {@link InMemoryCheckpoints} keeps weight
 * snapshots in memory.
 *
 * <pre>{@code
 * InMemoryCheckpoints saved = new InMemoryCheckpoints();
 * ModelCheckpoint ckpt = ModelCheckpoint.builder(saved).monitor("val_accuracy").saveBestOnly(true).build();
 * model.fit(FitOptions.of(train).epochs(10).validationData(val).callbacks(ckpt));
 * model.setWeights(saved.last().weights());
 * }</pre>
 */
public final class ModelCheckpoint extends MonitorCallback {
    private final CheckpointTarget target;
    private final boolean saveBestOnly;
    /** Batches between saves, or 0 to save at epoch ends. */
    private final int saveFreq;

    private Double best;
    private int currentEpoch;
    private int lastBatchSeen;
    private int batchesSinceSave;

    private ModelCheckpoint(Builder b) {
        super(b.monitor, b.mode, 0);
        this.target = b.target;
        this.saveBestOnly = b.saveBestOnly;
        this.saveFreq = b.saveFreq;
    }

    /**
     * A builder saving to files, as Keras's {@code ModelCheckpoint(filepath, save_weights_only=...)}:
     * {@code filepath} may hold {@code {epoch:02d}}-style fields (see {@link FileCheckpoints}); each
     * save is a model directory, or a safetensors weights file when {@code saveWeightsOnly}.
     */
    public static Builder builder(String filepath, boolean saveWeightsOnly) {
        return new Builder(new FileCheckpoints(filepath, saveWeightsOnly));
    }

    /** A builder saving to {@code target}: every epoch, monitoring val_loss, by default. */
    public static Builder builder(CheckpointTarget target) {
        return new Builder(target);
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        lastBatchSeen = 0;
        batchesSinceSave = 0;
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        currentEpoch = epoch;
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        if (saveFreq == 0) {
            return;
        }
        // With steps per execution > 1 batch numbers jump; count the batches that actually ran.
        int added = batch <= lastBatchSeen ? batch + 1 : batch - lastBatchSeen;
        batchesSinceSave += added;
        lastBatchSeen = batch;
        if (batchesSinceSave >= saveFreq) {
            batchesSinceSave = 0;
            save(currentEpoch, batch, logs);
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (saveFreq == 0) {
            save(epoch, -1, logs);
        }
    }

    private void save(int epoch, int batch, Map<String, Double> logs) {
        Model model = model();
        if (saveBestOnly) {
            Double current = logs.get(monitor());
            if (current == null) {
                throw new IllegalStateException("ModelCheckpoint monitors '" + monitor()
                        + "', which is not in the logs " + logs.keySet());
            }
            if (!isImprovement(current, best)) {
                return;
            }
            best = current;
        }
        target.save(model, epoch, batch, Map.copyOf(logs));
    }

    /** The best monitored value saved so far (with saveBestOnly), or NaN before the first save. */
    public double best() {
        return best == null ? Double.NaN : best;
    }

    /** Options for {@link ModelCheckpoint}. */
    public static final class Builder {
        private final CheckpointTarget target;
        private String monitor = "val_loss";
        private MonitorMode mode = MonitorMode.AUTO;
        private boolean saveBestOnly;
        private int saveFreq;

        private Builder(CheckpointTarget target) {
            this.target = java.util.Objects.requireNonNull(target, "target");
        }

        /** The log entry that decides "best" (default {@code val_loss}). */
        public Builder monitor(String monitor) {
            this.monitor = monitor;
            return this;
        }

        /** Whether lower or higher is better (default: from the name). */
        public Builder mode(MonitorMode mode) {
            this.mode = mode;
            return this;
        }

        /** Save only when the monitored value beats every earlier save (default false). */
        public Builder saveBestOnly(boolean bestOnly) {
            this.saveBestOnly = bestOnly;
            return this;
        }

        /** Save every {@code batches} training batches instead of at epoch ends. */
        public Builder saveEveryBatches(int batches) {
            if (batches < 1) {
                throw new IllegalArgumentException("ModelCheckpoint: saveFreq must be at least 1 batch, got " + batches);
            }
            this.saveFreq = batches;
            return this;
        }

        /** The callback. */
        public ModelCheckpoint build() {
            return new ModelCheckpoint(this);
        }
    }
}
