package dev.vecgrad.train.optimizers;

import dev.vecgrad.train.optimizers.schedules.CosineDecay;
import dev.vecgrad.train.optimizers.schedules.ExponentialDecay;
import dev.vecgrad.train.optimizers.schedules.LearningRateSchedule;
import dev.vecgrad.train.optimizers.schedules.PiecewiseConstantDecay;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Look-up of optimizers by the names Keras accepts in {@code compile(optimizer=...)}, with Keras's
 * default arguments, and rebuilding from a saved config.
 *
 * <pre>{@code
 * Optimizer opt = Optimizers.get("adam");
 * }</pre>
 */
public final class Optimizers {
    private Optimizers() {
    }

    /** sgd, rmsprop, adam, adamw or adagrad with Keras's defaults. */
    public static Optimizer get(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "sgd" -> new SGD();
            case "rmsprop" -> new RMSprop();
            case "adam" -> new Adam();
            case "adamw" -> new AdamW();
            case "adagrad" -> new Adagrad();
            default -> throw new IllegalArgumentException("unknown optimizer '" + name
                    + "'; known: sgd, rmsprop, adam, adamw, adagrad");
        };
    }

    /** Rebuilds an optimizer from its {@link Optimizer#className()} and {@link Optimizer#getConfig()}. */
    @SuppressWarnings("unchecked")
    public static Optimizer fromConfig(String className, Map<String, Object> c) {
        Object lrObj = c.get("learning_rate");
        LearningRateSchedule schedule = lrObj instanceof Map<?, ?> m
                ? schedule((String) m.get("class_name"), (Map<String, Object>) m.get("config")) : null;
        double lr = lrObj instanceof Number n ? n.doubleValue() : 0;
        Optimizer o = switch (className) {
            case "SGD" -> schedule == null ? new SGD(lr, num(c, "momentum", 0), bool(c, "nesterov"))
                    : new SGD(schedule, num(c, "momentum", 0), bool(c, "nesterov"));
            case "RMSprop" -> schedule == null
                    ? new RMSprop(lr, num(c, "rho", 0.9), num(c, "momentum", 0), num(c, "epsilon", 1e-7),
                            bool(c, "centered"))
                    : new RMSprop(schedule, num(c, "rho", 0.9), num(c, "momentum", 0), num(c, "epsilon", 1e-7),
                            bool(c, "centered"));
            case "Adam" -> schedule == null
                    ? new Adam(lr, num(c, "beta_1", 0.9), num(c, "beta_2", 0.999), num(c, "epsilon", 1e-7))
                    : new Adam(schedule, num(c, "beta_1", 0.9), num(c, "beta_2", 0.999), num(c, "epsilon", 1e-7));
            case "AdamW" -> schedule == null
                    ? new AdamW(lr, num(c, "weight_decay", 0.004), num(c, "beta_1", 0.9), num(c, "beta_2", 0.999),
                            num(c, "epsilon", 1e-7))
                    : new AdamW(schedule, num(c, "weight_decay", 0.004), num(c, "beta_1", 0.9),
                            num(c, "beta_2", 0.999), num(c, "epsilon", 1e-7));
            case "Adagrad" -> schedule == null
                    ? new Adagrad(lr, num(c, "initial_accumulator_value", 0.1), num(c, "epsilon", 1e-7))
                    : new Adagrad(schedule, num(c, "initial_accumulator_value", 0.1), num(c, "epsilon", 1e-7));
            default -> throw new IllegalArgumentException("unknown optimizer class '" + className + "'");
        };
        o.setClipnorm(nullableNum(c, "clipnorm"));
        o.setClipvalue(nullableNum(c, "clipvalue"));
        o.setGlobalClipnorm(nullableNum(c, "global_clipnorm"));
        return o;
    }

    /** Rebuilds a learning-rate schedule from its class name and config. */
    public static LearningRateSchedule schedule(String className, Map<String, Object> c) {
        return switch (className) {
            case "ExponentialDecay" -> new ExponentialDecay(num(c, "initial_learning_rate", 0),
                    (long) num(c, "decay_steps", 0), num(c, "decay_rate", 0), bool(c, "staircase"));
            case "PiecewiseConstantDecay" -> {
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
                yield new PiecewiseConstantDecay(bs, vs);
            }
            case "CosineDecay" -> new CosineDecay(num(c, "initial_learning_rate", 0), (long) num(c, "decay_steps", 0),
                    num(c, "alpha", 0), nullableNum(c, "warmup_target"), (long) num(c, "warmup_steps", 0));
            default -> throw new IllegalArgumentException("unknown learning-rate schedule '" + className + "'");
        };
    }

    private static double num(Map<String, Object> c, String key, double fallback) {
        return c.get(key) instanceof Number n ? n.doubleValue() : fallback;
    }

    private static Double nullableNum(Map<String, Object> c, String key) {
        return c.get(key) instanceof Number n ? n.doubleValue() : null;
    }

    private static boolean bool(Map<String, Object> c, String key) {
        return Boolean.TRUE.equals(c.get(key));
    }
}
