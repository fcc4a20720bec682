package dev.vecgrad.train.optimizers.schedules;

import java.util.Map;

/**
 * A learning rate that depends on the optimizer's step count, as Keras's
 * {@code LearningRateSchedule}. The optimizer asks for {@code rate(iterations)} before each update,
 * {@code iterations} being the number of updates already applied (0 for the first).
 *
 * <p>A lambda is a schedule: {@code new SGD(step -> 0.1 * Math.pow(0.5, step / 1000), 0, false)}.
 * It has no config, so a model saved with it keeps its architecture and weights but not its
 * compile state (optimizer, loss, metrics): {@code Model.load} gives it back uncompiled, as Keras
 * loads a model whose optimizer holds a lambda only with {@code compile=False}. A schedule that
 * should be saved is a class with its own {@link #className()} and {@link #getConfig()}: one of
 * the built-in ones ({@link Schedules}), or one of your own registered in a
 * {@code CustomObjects}.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /** The learning rate for the update after {@code step} updates. */
    double rate(long step);

    /** The Keras class name, e.g. {@code ExponentialDecay}; a lambda's is {@code "lambda"}, which no registry holds. */
    default String className() {
        return "lambda";
    }

    /** The constructor arguments as JSON-able values; empty for a lambda. */
    default Map<String, Object> getConfig() {
        return Map.of();
    }
}
