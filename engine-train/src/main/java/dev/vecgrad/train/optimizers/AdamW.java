package dev.vecgrad.train.optimizers;

import dev.vecgrad.train.optimizers.schedules.LearningRateSchedule;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), as Keras 3's {@code AdamW}: before
 * each Adam step, {@code w -= lr * weightDecay * w} (fused into the same kernel). Defaults:
 * learning rate 0.001, weight decay 0.004, beta1 0.9, beta2 0.999, epsilon 1e-7.
 *
 * <pre>{@code
 * Optimizer opt = new AdamW(1e-3, 0.01);
 * }</pre>
 */
public final class AdamW extends Adam {
    /** Keras's defaults. */
    public AdamW() {
        this(0.001, 0.004);
    }

    /** Keras's defaults with this learning rate and weight decay. */
    public AdamW(double learningRate, double weightDecay) {
        this(learningRate, weightDecay, 0.9, 0.999, 1e-7);
    }

    /** All arguments with a constant learning rate. */
    public AdamW(double learningRate, double weightDecay, double beta1, double beta2, double epsilon) {
        super("adamw", learningRate, null, beta1, beta2, epsilon, weightDecay);
    }

    /** All arguments with a schedule. */
    public AdamW(LearningRateSchedule schedule, double weightDecay, double beta1, double beta2, double epsilon) {
        super("adamw", 0, schedule, beta1, beta2, epsilon, weightDecay);
    }
}
