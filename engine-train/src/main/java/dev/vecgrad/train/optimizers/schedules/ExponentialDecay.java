package dev.vecgrad.train.optimizers.schedules;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code initial * decayRate ^ (step / decaySteps)}, the exponent rounded down when
 * {@code staircase}, as Keras's {@code ExponentialDecay}.
 *
 * <pre>{@code
 * new ExponentialDecay(0.1, 1000, 0.96, false).rate(500);   // 0.1 * 0.96^0.5
 * }</pre>
 */
public record ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, boolean staircase)
        implements LearningRateSchedule {

    /** Checks the arguments. */
    public ExponentialDecay {
        if (decaySteps <= 0) {
            throw new IllegalArgumentException("ExponentialDecay: decaySteps must be positive, got " + decaySteps);
        }
    }

    @Override
    public double rate(long step) {
        double p = (double) step / decaySteps;
        if (staircase) {
            p = Math.floor(p);
        }
        return initialLearningRate * Math.pow(decayRate, p);
    }

    @Override
    public String className() {
        return "ExponentialDecay";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("initial_learning_rate", initialLearningRate);
        c.put("decay_steps", decaySteps);
        c.put("decay_rate", decayRate);
        c.put("staircase", staircase);
        return c;
    }
}
