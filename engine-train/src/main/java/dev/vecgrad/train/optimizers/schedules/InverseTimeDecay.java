package dev.vecgrad.train.optimizers.schedules;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code initial / (1 + decayRate * step / decaySteps)}, the fraction rounded down when
 * {@code staircase}, as Keras's {@code InverseTimeDecay}.
 *
 * <pre>{@code
 * new InverseTimeDecay(0.1, 1000, 0.5, false).rate(2000);   // 0.1 / 2
 * }</pre>
 */
public record InverseTimeDecay(double initialLearningRate, long decaySteps, double decayRate, boolean staircase)
        implements LearningRateSchedule {

    /** Checks the arguments. */
    public InverseTimeDecay {
        if (decaySteps <= 0) {
            throw new IllegalArgumentException("InverseTimeDecay: decaySteps must be positive, got " + decaySteps);
        }
    }

    @Override
    public double rate(long step) {
        double p = (double) step / decaySteps;
        if (staircase) {
            p = Math.floor(p);
        }
        return initialLearningRate / (1 + decayRate * p);
    }

    @Override
    public String className() {
        return "InverseTimeDecay";
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
