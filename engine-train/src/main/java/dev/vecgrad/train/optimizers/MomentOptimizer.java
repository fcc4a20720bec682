package dev.vecgrad.train.optimizers;

import dev.vecgrad.train.optimizers.schedules.LearningRateSchedule;
import java.util.Map;

/**
 * What the optimizers built on Adam's two moment estimates share: the decay rates
 * {@code beta1}, {@code beta2} (each in [0, 1)) and {@code epsilon} (at least 0), checked once and
 * saved in the config as Keras names them.
 */
abstract sealed class MomentOptimizer extends Optimizer permits Adam, Nadam, Adamax {
    /** The first moment's decay rate. */
    final double beta1;
    /** The second moment's decay rate. */
    final double beta2;
    /** The denominator's guard. */
    final double epsilon;

    MomentOptimizer(String name, double learningRate, LearningRateSchedule schedule, double beta1, double beta2,
            double epsilon) {
        super(name, learningRate, schedule);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon >= 0)) {
            throw new IllegalArgumentException(name + ": need beta1, beta2 in [0, 1) and epsilon >= 0; got beta1="
                    + beta1 + ", beta2=" + beta2 + ", epsilon=" + epsilon);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("beta_1", beta1);
        c.put("beta_2", beta2);
        c.put("epsilon", epsilon);
        return c;
    }
}
