package dev.vecgrad.train.optimizers;

import dev.vecgrad.core.kernel.update.ScalarUpdateKernels;
import dev.vecgrad.core.kernel.update.UpdateKernels;
import dev.vecgrad.train.optimizers.schedules.LearningRateSchedule;
import java.util.List;
import java.util.Map;

/**
 * Lion (Chen et al., "Symbolic Discovery of Optimization Algorithms") as Keras 3's {@code Lion}:
 * the update is the sign of an interpolation of momentum and gradient,
 * {@code w -= lr sign(beta1 m + (1 - beta1) g)}, then {@code m = beta2 m + (1 - beta2) g}. Every
 * element moves by exactly lr, so Lion wants a learning rate 3-10 times smaller than Adam's.
 * Defaults: learning rate 0.001, beta1 0.9, beta2 0.99.
 *
 * <pre>{@code
 * Optimizer opt = new Lion(1e-4);
 * }</pre>
 */
public final class Lion extends Optimizer {
    private final double beta1;
    private final double beta2;

    /** Keras's defaults. */
    public Lion() {
        this(0.001);
    }

    /** Keras's defaults with this learning rate. */
    public Lion(double learningRate) {
        this(learningRate, 0.9, 0.99);
    }

    /** All arguments with a constant learning rate. */
    public Lion(double learningRate, double beta1, double beta2) {
        this(learningRate, null, beta1, beta2);
    }

    /** All arguments with a schedule. */
    public Lion(LearningRateSchedule schedule, double beta1, double beta2) {
        this(0, schedule, beta1, beta2);
    }

    private Lion(double learningRate, LearningRateSchedule schedule, double beta1, double beta2) {
        super("lion", learningRate, schedule);
        if (!(beta1 > 0 && beta1 <= 1)) {
            throw new IllegalArgumentException("Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer"
                    + " degenerates to SignSGD. Received: beta_1=" + beta1 + ".");
        }
        if (!(beta2 >= 0 && beta2 <= 1)) {
            throw new IllegalArgumentException("lion: beta2 must be in [0, 1], got " + beta2);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
    }

    @Override
    protected List<String> slotNames() {
        return List.of("momentum");
    }

    @Override
    protected void update(UpdateKernels k, float[] w, float[] wOut, float[] g, int gOff, int n, float[][] s,
            Step step) {
        k.lion(w, wOut, g, gOff, s[0], n, (float) step.lr(), (float) beta1, (float) beta2);
    }

    @Override
    protected void update(ScalarUpdateKernels k, double[] w, double[] g, int gOff, int n, double[][] s, Step step) {
        k.lion(w, g, gOff, s[0], n, step.lr(), beta1, beta2);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("beta_1", beta1);
        c.put("beta_2", beta2);
        return c;
    }
}
