package dev.vecgrad.train.optimizers.schedules;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Cosine decay with warm restarts (Loshchilov and Hutter's SGDR), as Keras's
 * {@code CosineDecayRestarts}: the first period lasts {@code firstDecaySteps}, each later one
 * {@code tMul} times the one before, and each restarts from {@code mMul} times the previous
 * period's starting rate. Within a period at fraction f,
 * {@code initial * ((1 - alpha) * mMul^i * (1 + cos(pi f)) / 2 + alpha)} for period i. Defaults:
 * tMul 2, mMul 1, alpha 0.
 *
 * <pre>{@code
 * new CosineDecayRestarts(0.1, 1000);   // periods of 1000, 2000, 4000, ... steps
 * }</pre>
 */
public record CosineDecayRestarts(double initialLearningRate, long firstDecaySteps, double tMul, double mMul,
        double alpha) implements LearningRateSchedule {

    /** Checks the arguments. */
    public CosineDecayRestarts {
        if (firstDecaySteps <= 0) {
            throw new IllegalArgumentException("CosineDecayRestarts: firstDecaySteps must be positive, got "
                    + firstDecaySteps);
        }
        if (!(tMul > 0)) {
            throw new IllegalArgumentException("CosineDecayRestarts: tMul must be positive, got " + tMul);
        }
    }

    /** Keras's defaults: tMul 2, mMul 1, alpha 0. */
    public CosineDecayRestarts(double initialLearningRate, long firstDecaySteps) {
        this(initialLearningRate, firstDecaySteps, 2.0, 1.0, 0.0);
    }

    @Override
    public double rate(long step) {
        double fraction = (double) step / firstDecaySteps;
        double restart;
        if (tMul == 1) {
            restart = Math.floor(fraction);
            fraction -= restart;
        } else {
            // Periods 1, tMul, tMul², ...: period i starts at (1 - tMul^i) / (1 - tMul) first periods.
            restart = Math.floor(Math.log(1 - fraction * (1 - tMul)) / Math.log(tMul));
            double start = (1 - Math.pow(tMul, restart)) / (1 - tMul);
            fraction = (fraction - start) / Math.pow(tMul, restart);
        }
        double cosine = 0.5 * Math.pow(mMul, restart) * (1 + Math.cos(Math.PI * fraction));
        return initialLearningRate * ((1 - alpha) * cosine + alpha);
    }

    @Override
    public String className() {
        return "CosineDecayRestarts";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("initial_learning_rate", initialLearningRate);
        c.put("first_decay_steps", firstDecaySteps);
        c.put("t_mul", tMul);
        c.put("m_mul", mMul);
        c.put("alpha", alpha);
        return c;
    }
}
