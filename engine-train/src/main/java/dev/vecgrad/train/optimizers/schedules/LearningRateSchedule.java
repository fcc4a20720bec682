package dev.vecgrad.train.optimizers.schedules;

import java.util.Map;

/**
 * A learning rate that depends on the optimizer's step count, as Keras's
 * {@code LearningRateSchedule}. The optimizer asks for {@code rate(iterations)} before each update,
 * {@code iterations} being the number of updates already applied (0 for the first).
 */
public interface LearningRateSchedule {

    /** The learning rate for the update after {@code step} updates. */
    double rate(long step);

    /** The Keras class name, e.g. {@code ExponentialDecay}. */
    String className();

    /** The constructor arguments as JSON-able values. */
    Map<String, Object> getConfig();
}
