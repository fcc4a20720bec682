package dev.vecgrad.train.callbacks;

import java.io.PrintStream;
import java.util.Map;
import java.util.Objects;

/**
 * Sets the optimizer's learning rate at the start of every epoch from a schedule, as Keras's
 * {@code LearningRateScheduler}, and records the rate in the epoch's logs as {@code learning_rate}.
 *
 * <pre>{@code
 * new LearningRateScheduler((epoch, lr) -> epoch < 10 ? lr : lr * Math.exp(-0.1));
 * }</pre>
 */
public final class LearningRateScheduler extends Callback {
    /** The rate for an epoch given the current rate. */
    @FunctionalInterface
    public interface Schedule {
        /** The learning rate for {@code epoch} (from 0); {@code current} is the rate in use now. */
        double rate(int epoch, double current);
    }

    private final Schedule schedule;
    private final PrintStream verbose;

    /** Applies {@code schedule} at every epoch start. */
    public LearningRateScheduler(Schedule schedule) {
        this(schedule, null);
    }

    /**
     * Applies {@code schedule} at every epoch start and prints the rate set to {@code verbose}, as
     * Keras's {@code verbose=1} (pass {@code System.out}); null is quiet.
     */
    public LearningRateScheduler(Schedule schedule, PrintStream verbose) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.verbose = verbose;
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        double current = model().optimizer().learningRate();
        double next = schedule.rate(epoch, current);
        if (!Double.isFinite(next)) {
            throw new IllegalArgumentException("LearningRateScheduler: the schedule gave " + next + " for epoch " + epoch);
        }
        model().optimizer().setLearningRate(next);
        if (verbose != null) {
            verbose.println("Epoch " + (epoch + 1) + ": LearningRateScheduler setting learning rate to " + next + ".");
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        logs.put("learning_rate", model().optimizer().learningRate());
    }
}
