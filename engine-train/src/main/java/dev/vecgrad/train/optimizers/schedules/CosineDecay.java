package dev.vecgrad.train.optimizers.schedules;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Cosine decay with optional linear warm-up, as Keras 3's {@code CosineDecay}.
 *
 * <ul>
 *   <li>Without warm-up ({@code warmupTarget} null): {@code initial * ((1 - alpha) * c + alpha)}
 *       with {@code c = (1 + cos(pi * min(step, decaySteps) / decaySteps)) / 2}.</li>
 *   <li>With warm-up: for {@code step < warmupSteps} the rate climbs linearly from
 *       {@code initial} to {@code warmupTarget}; afterwards the decay above runs from
 *       {@code warmupTarget} over {@code step - warmupSteps}.</li>
 * </ul>
 *
 * <pre>{@code
 * new CosineDecay(0.0, 1000, 0.0, 0.001, 100);   // 100 warm-up steps to 0.001, then 1000 steps of decay
 * }</pre>
 */
public record CosineDecay(double initialLearningRate, long decaySteps, double alpha, Double warmupTarget,
        long warmupSteps) implements LearningRateSchedule {

    /** Checks the arguments. */
    public CosineDecay {
        if (decaySteps <= 0) {
            throw new IllegalArgumentException("CosineDecay: decaySteps must be positive, got " + decaySteps);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("CosineDecay: warmupSteps must be non-negative, got " + warmupSteps);
        }
    }

    /** Decay without warm-up. */
    public CosineDecay(double initialLearningRate, long decaySteps, double alpha) {
        this(initialLearningRate, decaySteps, alpha, null, 0);
    }

    @Override
    public double rate(long step) {
        if (warmupTarget == null) {
            return decayed(initialLearningRate, step);
        }
        if (step < warmupSteps) {
            return initialLearningRate + (warmupTarget - initialLearningRate) * step / warmupSteps;
        }
        return decayed(warmupTarget, step - warmupSteps);
    }

    private double decayed(double from, long step) {
        double s = Math.min(step, decaySteps);
        double cosine = 0.5 * (1 + Math.cos(Math.PI * s / decaySteps));
        return from * ((1 - alpha) * cosine + alpha);
    }

    @Override
    public String className() {
        return "CosineDecay";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("initial_learning_rate", initialLearningRate);
        c.put("decay_steps", decaySteps);
        c.put("alpha", alpha);
        c.put("warmup_target", warmupTarget);
        c.put("warmup_steps", warmupSteps);
        return c;
    }
}
