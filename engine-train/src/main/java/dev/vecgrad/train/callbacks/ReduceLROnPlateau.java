package dev.vecgrad.train.callbacks;

import java.io.PrintStream;
import java.util.Map;

/**
 * Multiplies the learning rate by {@code factor} when a monitored quantity has not improved (by
 * more than {@code minDelta}) for {@code patience} epochs, then waits {@code cooldown} epochs
 * before counting again; never below {@code minLr}. As Keras's {@code ReduceLROnPlateau}; the
 * rate in use is added to the epoch's logs as {@code learning_rate}.
 *
 * <pre>{@code
 * ReduceLROnPlateau.builder().monitor("val_loss").factor(0.5).patience(2).minLr(1e-5).build();
 * }</pre>
 */
public final class ReduceLROnPlateau extends MonitorCallback {
    private final double factor;
    private final int patience;
    private final int cooldown;
    private final double minLr;
    private final PrintStream verbose;

    private Double best;
    private int wait;
    private int cooldownCounter;

    private ReduceLROnPlateau(Builder b) {
        super(b.monitor, b.mode, b.minDelta);
        this.factor = b.factor;
        this.patience = b.patience;
        this.cooldown = b.cooldown;
        this.minLr = b.minLr;
        this.verbose = b.verbose;
    }

    /** A builder with Keras's defaults: val_loss, factor 0.1, patience 10, minDelta 1e-4, no cooldown, minLr 0. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void onTrainBegin(Map<String, Double> logs) {
        best = null;
        wait = 0;
        cooldownCounter = 0;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        monitorMode();
        double lr = model().optimizer().learningRate();
        logs.put("learning_rate", lr);
        Double current = logs.get(monitor());
        if (current == null) {
            throw new IllegalStateException("ReduceLROnPlateau monitors '" + monitor()
                    + "', which is not in the logs " + logs.keySet());
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            wait = 0;
        }
        if (isImprovement(current, best)) {
            best = current;
            wait = 0;
        } else if (cooldownCounter == 0) {
            wait++;
            if (wait >= patience && lr > minLr) {
                double reduced = Math.max(lr * factor, minLr);
                model().optimizer().setLearningRate(reduced);
                if (verbose != null) {
                    verbose.println("Epoch " + (epoch + 1) + ": ReduceLROnPlateau reducing learning rate to " + reduced
                            + ".");
                }
                cooldownCounter = cooldown;
                wait = 0;
            }
        }
    }

    /** Options for {@link ReduceLROnPlateau}. */
    public static final class Builder {
        private String monitor = "val_loss";
        private double factor = 0.1;
        private int patience = 10;
        private MonitorMode mode = MonitorMode.AUTO;
        private double minDelta = 1e-4;
        private int cooldown;
        private double minLr;
        private PrintStream verbose;

        private Builder() {
        }

        /** The log entry to watch. */
        public Builder monitor(String monitor) {
            this.monitor = monitor;
            return this;
        }

        /** The factor the rate is multiplied by; must be in (0, 1). */
        public Builder factor(double factor) {
            if (!(factor > 0 && factor < 1)) {
                throw new IllegalArgumentException("ReduceLROnPlateau: factor must be in (0, 1), got " + factor);
            }
            this.factor = factor;
            return this;
        }

        /** Epochs without improvement before reducing. */
        public Builder patience(int patience) {
            this.patience = patience;
            return this;
        }

        /** Whether lower or higher is better. */
        public Builder mode(MonitorMode mode) {
            this.mode = mode;
            return this;
        }

        /** The smallest change that counts as an improvement. */
        public Builder minDelta(double minDelta) {
            this.minDelta = minDelta;
            return this;
        }

        /** Epochs to wait after a reduction before counting again. */
        public Builder cooldown(int cooldown) {
            this.cooldown = cooldown;
            return this;
        }

        /** The floor for the learning rate. */
        public Builder minLr(double minLr) {
            this.minLr = minLr;
            return this;
        }

        /**
         * Prints a line to {@code out} at each reduction, as Keras's {@code verbose=1} (pass
         * {@code System.out}); null (the default) is quiet.
         */
        public Builder verbose(PrintStream out) {
            this.verbose = out;
            return this;
        }

        /** The callback. */
        public ReduceLROnPlateau build() {
            return new ReduceLROnPlateau(this);
        }
    }
}
