package dev.vecgrad.train.optimizers.schedules;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A polynomial decay from {@code initialLearningRate} to {@code endLearningRate} over
 * {@code decaySteps}, as Keras's {@code PolynomialDecay}:
 * {@code (initial - end) * (1 - step / decaySteps)^power + end}, with {@code step} capped at
 * {@code decaySteps}; with {@code cycle} the decay restarts, its length growing to the first
 * multiple of {@code decaySteps} past the step. Defaults: end 1e-4, power 1 (linear), no cycle.
 *
 * <pre>{@code
 * new PolynomialDecay(0.1, 10_000, 0.001, 0.5, false);   // square-root decay
 * }</pre>
 */
public record PolynomialDecay(double initialLearningRate, long decaySteps, double endLearningRate, double power,
        boolean cycle) implements LearningRateSchedule {

    /** Checks the arguments. */
    public PolynomialDecay {
        if (decaySteps <= 0) {
            throw new IllegalArgumentException("PolynomialDecay: decaySteps must be positive, got " + decaySteps);
        }
    }

    /** Linear decay to 1e-4, no cycle. */
    public PolynomialDecay(double initialLearningRate, long decaySteps) {
        this(initialLearningRate, decaySteps, 1e-4, 1.0, false);
    }

    @Override
    public double rate(long step) {
        double s = step;
        double steps = decaySteps;
        if (cycle) {
            steps *= step == 0 ? 1 : Math.ceil(s / decaySteps);
        } else {
            s = Math.min(s, steps);
        }
        return (initialLearningRate - endLearningRate) * Math.pow(1 - s / steps, power) + endLearningRate;
    }

    @Override
    public String className() {
        return "PolynomialDecay";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("initial_learning_rate", initialLearningRate);
        c.put("decay_steps", decaySteps);
        c.put("end_learning_rate", endLearningRate);
        c.put("power", power);
        c.put("cycle", cycle);
        return c;
    }
}
