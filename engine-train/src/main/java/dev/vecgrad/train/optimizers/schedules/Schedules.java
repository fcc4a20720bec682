package dev.vecgrad.train.optimizers.schedules;

import dev.vecgrad.train.registry.Registry;
import java.util.List;
import java.util.Map;

/**
 * The learning-rate schedules rebuilt from saved configs (an optimizer's
 * {@code learning_rate} entry), through {@link #REGISTRY}.
 *
 * <pre>{@code
 * LearningRateSchedule s = Schedules.fromConfig(schedule.className(), schedule.getConfig());
 * }</pre>
 */
public final class Schedules {
    /**
     * Every built-in schedule class: ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay,
     * InverseTimeDecay, CosineDecay, CosineDecayRestarts. A schedule given as a lambda is not here,
     * so it is not saved (see {@link LearningRateSchedule}).
     */
    public static final Registry<LearningRateSchedule> REGISTRY = new Registry<LearningRateSchedule>(
            "learning-rate schedule")
            .register("ExponentialDecay", c -> new ExponentialDecay(num(c, "initial_learning_rate", 0),
                    (long) num(c, "decay_steps", 0), num(c, "decay_rate", 0), Boolean.TRUE.equals(c.get("staircase"))))
            .register("PiecewiseConstantDecay", Schedules::piecewise)
            .register("CosineDecay", c -> new CosineDecay(num(c, "initial_learning_rate", 0),
                    (long) num(c, "decay_steps", 0), num(c, "alpha", 0),
                    c.get("warmup_target") instanceof Number n ? n.doubleValue() : null,
                    (long) num(c, "warmup_steps", 0)))
            .register("PolynomialDecay", c -> new PolynomialDecay(num(c, "initial_learning_rate", 0),
                    (long) num(c, "decay_steps", 0), num(c, "end_learning_rate", 1e-4), num(c, "power", 1.0),
                    Boolean.TRUE.equals(c.get("cycle"))))
            .register("InverseTimeDecay", c -> new InverseTimeDecay(num(c, "initial_learning_rate", 0),
                    (long) num(c, "decay_steps", 0), num(c, "decay_rate", 0), Boolean.TRUE.equals(c.get("staircase"))))
            .register("CosineDecayRestarts", c -> new CosineDecayRestarts(num(c, "initial_learning_rate", 0),
                    (long) num(c, "first_decay_steps", 0), num(c, "t_mul", 2.0), num(c, "m_mul", 1.0),
                    num(c, "alpha", 0)))
            .close();

    private Schedules() {
    }

    /** Rebuilds a schedule from its {@link LearningRateSchedule#className()} and config. */
    public static LearningRateSchedule fromConfig(String className, Map<String, Object> c) {
        return REGISTRY.fromConfig(className, c);
    }

    private static PiecewiseConstantDecay piecewise(Map<String, Object> c) {
        List<?> b = (List<?>) c.get("boundaries");
        List<?> v = (List<?>) c.get("values");
        long[] bs = new long[b.size()];
        double[] vs = new double[v.size()];
        for (int i = 0; i < bs.length; i++) {
            bs[i] = ((Number) b.get(i)).longValue();
        }
        for (int i = 0; i < vs.length; i++) {
            vs[i] = ((Number) v.get(i)).doubleValue();
        }
        return new PiecewiseConstantDecay(bs, vs);
    }

    private static double num(Map<String, Object> c, String key, double fallback) {
        return c.get(key) instanceof Number n ? n.doubleValue() : fallback;
    }
}
