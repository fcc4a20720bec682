package dev.vecgrad.train.optimizers;

import dev.vecgrad.train.optimizers.schedules.LearningRateSchedule;
import dev.vecgrad.train.optimizers.schedules.Schedules;
import dev.vecgrad.train.registry.Registry;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The optimizers by the names Keras accepts in {@code compile(optimizer=...)}, with Keras's
 * default arguments, and rebuilt from saved configs, through {@link #REGISTRY}.
 *
 * <pre>{@code
 * Optimizer opt = Optimizers.get("adam");
 * }</pre>
 */
public final class Optimizers {
    /**
     * Every built-in optimizer class with its Keras name: sgd, rmsprop, adam, adamw, adagrad,
     * nadam, adamax, lion. Arguments missing from a config take Keras's defaults; the learning rate
     * may be a number or a saved schedule. The options every optimizer has (clipping, weight decay,
     * gradient accumulation, moving averages) are read too.
     */
    public static final Registry<Optimizer> REGISTRY = new Registry<Optimizer>("optimizer")
            .register("SGD", withBaseOptions(0.01, (lr, c) -> new SGD(lr, num(c, "momentum", 0), bool(c, "nesterov")),
                    (s, c) -> new SGD(s, num(c, "momentum", 0), bool(c, "nesterov"))), "sgd")
            .register("RMSprop", withBaseOptions(0.001,
                    (lr, c) -> new RMSprop(lr, num(c, "rho", 0.9), num(c, "momentum", 0), num(c, "epsilon", 1e-7),
                            bool(c, "centered")),
                    (s, c) -> new RMSprop(s, num(c, "rho", 0.9), num(c, "momentum", 0), num(c, "epsilon", 1e-7),
                            bool(c, "centered"))), "rmsprop")
            .register("Adam", withBaseOptions(0.001,
                    (lr, c) -> new Adam(lr, num(c, "beta_1", 0.9), num(c, "beta_2", 0.999), num(c, "epsilon", 1e-7),
                            bool(c, "amsgrad")),
                    (s, c) -> new Adam(s, num(c, "beta_1", 0.9), num(c, "beta_2", 0.999), num(c, "epsilon", 1e-7),
                            bool(c, "amsgrad"))), "adam")
            .register("AdamW", withBaseOptions(0.001,
                    (lr, c) -> new AdamW(lr, num(c, "weight_decay", 0.004), num(c, "beta_1", 0.9),
                            num(c, "beta_2", 0.999), num(c, "epsilon", 1e-7), bool(c, "amsgrad")),
                    (s, c) -> new AdamW(s, num(c, "weight_decay", 0.004), num(c, "beta_1", 0.9),
                            num(c, "beta_2", 0.999), num(c, "epsilon", 1e-7), bool(c, "amsgrad"))), "adamw")
            .register("Adagrad", withBaseOptions(0.001,
                    (lr, c) -> new Adagrad(lr, num(c, "initial_accumulator_value", 0.1), num(c, "epsilon", 1e-7)),
                    (s, c) -> new Adagrad(s, num(c, "initial_accumulator_value", 0.1), num(c, "epsilon", 1e-7))),
                    "adagrad")
            .register("Nadam", withBaseOptions(0.001,
                    (lr, c) -> new Nadam(lr, num(c, "beta_1", 0.9), num(c, "beta_2", 0.999), num(c, "epsilon", 1e-7)),
                    (s, c) -> new Nadam(s, num(c, "beta_1", 0.9), num(c, "beta_2", 0.999), num(c, "epsilon", 1e-7))),
                    "nadam")
            .register("Adamax", withBaseOptions(0.001,
                    (lr, c) -> new Adamax(lr, num(c, "beta_1", 0.9), num(c, "beta_2", 0.999), num(c, "epsilon", 1e-7)),
                    (s, c) -> new Adamax(s, num(c, "beta_1", 0.9), num(c, "beta_2", 0.999), num(c, "epsilon", 1e-7))),
                    "adamax")
            .register("Lion", withBaseOptions(0.001,
                    (lr, c) -> new Lion(lr, num(c, "beta_1", 0.9), num(c, "beta_2", 0.99)),
                    (s, c) -> new Lion(s, num(c, "beta_1", 0.9), num(c, "beta_2", 0.99))), "lion")
            .close();

    private Optimizers() {
    }

    /** The optimizer Keras calls {@code name} with Keras's default arguments. */
    public static Optimizer get(String name) {
        return REGISTRY.get(name);
    }

    /** Rebuilds an optimizer from its {@link Optimizer#className()} and {@link Optimizer#getConfig()}. */
    public static Optimizer fromConfig(String className, Map<String, Object> c) {
        return REGISTRY.fromConfig(className, c);
    }

    /**
     * A factory reading the learning rate (a number, a saved schedule, or {@code defaultRate} when
     * absent), building the optimizer with {@code byRate} or {@code bySchedule}, and setting the
     * options every optimizer has: clipping, weight decay, gradient accumulation, moving averages.
     */
    private static Function<Map<String, Object>, Optimizer> withBaseOptions(double defaultRate,
            BiFunction<Double, Map<String, Object>, Optimizer> byRate,
            BiFunction<LearningRateSchedule, Map<String, Object>, Optimizer> bySchedule) {
        return c -> {
            Object lr = c.get("learning_rate");
            Optimizer o = lr instanceof Map<?, ?> m ? bySchedule.apply(Schedules.REGISTRY.deserialize(m), c)
                    : byRate.apply(lr instanceof Number n ? n.doubleValue() : defaultRate, c);
            o.setClipnorm(nullableNum(c, "clipnorm"));
            o.setClipvalue(nullableNum(c, "clipvalue"));
            o.setGlobalClipnorm(nullableNum(c, "global_clipnorm"));
            if (c.containsKey("weight_decay")) {
                o.setWeightDecay(nullableNum(c, "weight_decay"));
            }
            if (c.get("gradient_accumulation_steps") instanceof Number n) {
                o.setGradientAccumulationSteps(n.intValue());
            }
            if (bool(c, "use_ema")) {
                Double frequency = nullableNum(c, "ema_overwrite_frequency");
                o.setEma(num(c, "ema_momentum", 0.99), frequency == null ? null : frequency.intValue());
            }
            return o;
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
