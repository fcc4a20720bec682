package dev.vecgrad.train.callbacks;

import dev.vecgrad.core.Tensor;
import java.util.Map;

/**
 * Stops training when a monitored quantity has stopped improving, as Keras's {@code EarlyStopping}.
 * An epoch improves on the best so far when it beats it by more than {@code minDelta}; after
 * {@code patience} epochs without improvement, training stops. With {@code restoreBestWeights} the
 * model gets back the weights of its best epoch at the end of training, as Keras 3 does: whether this
 * callback stopped training, another callback did, or the epochs ran out. Epochs before
 * {@code startFromEpoch} are not looked at (a warm-up).
 *
 * <pre>{@code
 * EarlyStopping stop = EarlyStopping.builder().monitor("val_loss").patience(3).restoreBestWeights(true).build();
 * model.fit(FitOptions.of(train).epochs(100).validationData(val).callbacks(stop));
 * stop.stoppedEpoch();   // the epoch it stopped at, or -1
 * }</pre>
 */
public final class EarlyStopping extends MonitorCallback {
    private final int patience;
    private final Double baseline;
    private final boolean restoreBestWeights;
    private final int startFromEpoch;

    private int wait;
    private int stoppedEpoch = -1;
    private Double best;
    private int bestEpoch = -1;
    /** The best epoch's weights by variable name: the snapshot {@code saveWeights} would write. */
    private Map<String, Tensor> bestWeights;

    private EarlyStopping(Builder b) {
        super(b.monitor, b.mode, b.minDelta);
        this.patience = b.patience;
        this.baseline = b.baseline;
        this.restoreBestWeights = b.restoreBestWeights;
        this.startFromEpoch = b.startFromEpoch;
    }

    /** Stops when {@code monitor} has not improved for {@code patience} epochs. */
    public EarlyStopping(String monitor, int patience) {
        this(builder().monitor(monitor).patience(patience));
    }

    /** A builder starting from Keras's defaults: val_loss, minDelta 0, patience 0, auto mode. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        wait = 0;
        stoppedEpoch = -1;
        best = null;
        bestEpoch = -1;
        bestWeights = null;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        monitorMode();
        Double current = logs.get(monitor());
        if (current == null) {
            throw new IllegalStateException("EarlyStopping monitors '" + monitor() + "', which is not in the logs "
                    + logs.keySet());
        }
        if (epoch < startFromEpoch) {
            return;
        }
        if (restoreBestWeights && bestWeights == null) {
            // Restoring something is better than nothing when no epoch ever improves.
            bestWeights = model().namedWeights();
            bestEpoch = epoch;
        }
        wait++;
        if (isImprovement(current, best)) {
            best = current;
            bestEpoch = epoch;
            if (restoreBestWeights) {
                bestWeights = model().namedWeights();
            }
            if (baseline == null || isImprovement(current, baseline)) {
                wait = 0;
            }
            return;
        }
        if (wait >= patience && epoch > 0) {
            stoppedEpoch = epoch;
            model().setStopTraining(true);
        }
    }

    /** With {@code restoreBestWeights}, puts back the best epoch's weights, however training ended. */
    @Override
    public void onTrainEnd(Map<String, Double> logs) {
        if (restoreBestWeights && bestWeights != null) {
            model().setNamedWeights(bestWeights);
        }
    }

    /** The epoch training was stopped at, or -1 if it ran to the end. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /** The epoch with the best monitored value, or -1 before any was seen. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The best monitored value seen, or NaN before any was seen. */
    public double best() {
        return best == null ? Double.NaN : best;
    }

    /** Options for {@link EarlyStopping}, with Keras's defaults. */
    public static final class Builder {
        private String monitor = "val_loss";
        private double minDelta;
        private int patience;
        private MonitorMode mode = MonitorMode.AUTO;
        private Double baseline;
        private boolean restoreBestWeights;
        private int startFromEpoch;

        private Builder() {
        }

        /** The log entry to watch (default {@code val_loss}). */
        public Builder monitor(String monitor) {
            this.monitor = monitor;
            return this;
        }

        /** The smallest change that counts as an improvement (default 0). */
        public Builder minDelta(double minDelta) {
            this.minDelta = minDelta;
            return this;
        }

        /** Epochs without improvement before stopping (default 0). */
        public Builder patience(int patience) {
            if (patience < 0) {
                throw new IllegalArgumentException("EarlyStopping: patience must be non-negative, got " + patience);
            }
            this.patience = patience;
            return this;
        }

        /** Whether lower or higher is better (default: from the name). */
        public Builder mode(MonitorMode mode) {
            this.mode = mode;
            return this;
        }

        /** A value the monitored quantity must beat before patience starts to count down. */
        public Builder baseline(double baseline) {
            this.baseline = baseline;
            return this;
        }

        /** Whether to put the best epoch's weights back at the end of training (default false). */
        public Builder restoreBestWeights(boolean restore) {
            this.restoreBestWeights = restore;
            return this;
        }

        /** Epochs to wait before watching at all (default 0). */
        public Builder startFromEpoch(int epoch) {
            this.startFromEpoch = epoch;
            return this;
        }

        /** The callback. */
        public EarlyStopping build() {
            return new EarlyStopping(this);
        }
    }
}
