package dev.vecgrad.train.optimizers;

import dev.vecgrad.train.optimizers.schedules.LearningRateSchedule;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), as Keras 3's {@code AdamW}: before
 * each Adam step, {@code w -= lr * weightDecay * w} (fused into the same kernel). Defaults:
 * learning rate 0.001, weight decay 0.004, beta1 0.9, beta2 0.999, epsilon 1e-7, no AMSGrad.
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

    /** All arguments but AMSGrad (off) with a constant learning rate. */
    public AdamW(double learningRate, double weightDecay, double beta1, double beta2, double epsilon) {
        this(learningRate, weightDecay, beta1, beta2, epsilon, false);
    }

    /** All arguments with a constant learning rate. */
    public AdamW(double learningRate, double weightDecay, double beta1, double beta2, double epsilon,
            boolean amsgrad) {
        super("adamw", learningRate, null, beta1, beta2, epsilon, amsgrad);
        setWeightDecay(weightDecay);
    }

    /** All arguments with a schedule. */
    public AdamW(LearningRateSchedule schedule, double weightDecay, double beta1, double beta2, double epsilon,
            boolean amsgrad) {
        super("adamw", 0, schedule, beta1, beta2, epsilon, amsgrad);
        setWeightDecay(weightDecay);
    }

    /** AdamW needs a weight decay: null is refused, as Keras refuses {@code weight_decay=None}. */
    @Override
    public synchronized Optimizer setWeightDecay(Double weightDecay) {
        if (weightDecay == null) {
            throw new IllegalArgumentException("Argument `weight_decay` must be a float. Received: weight_decay=None");
        }
        return super.setWeightDecay(weightDecay);
    }
}
