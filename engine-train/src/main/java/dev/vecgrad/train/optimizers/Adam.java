package dev.vecgrad.train.optimizers;

import dev.vecgrad.core.kernel.update.ScalarUpdateKernels;
import dev.vecgrad.core.kernel.update.UpdateKernels;
import dev.vecgrad.train.optimizers.schedules.LearningRateSchedule;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba) as Keras 3 writes it: at step t,
 * {@code alpha = lr sqrt(1 - beta2^t) / (1 - beta1^t)}, {@code m += (g - m)(1 - beta1)},
 * {@code v += (g² - v)(1 - beta2)}, {@code w -= alpha m / (sqrt(v) + epsilon)} (epsilon outside
 * the root, "epsilon hat" in the paper). Defaults: learning rate 0.001, beta1 0.9, beta2 0.999,
 * epsilon 1e-7. {@link AdamW} adds decoupled weight decay.
 *
 * <pre>{@code
 * Optimizer opt = new Adam(3e-4);
 * }</pre>
 */
public class Adam extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;

    /** Keras's defaults. */
    public Adam() {
        this(0.001);
    }

    /** Keras's defaults with this learning rate. */
    public Adam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-7);
    }

    /** All arguments with a constant learning rate. */
    public Adam(double learningRate, double beta1, double beta2, double epsilon) {
        this("adam", learningRate, null, beta1, beta2, epsilon, 0);
    }

    /** All arguments with a schedule. */
    public Adam(LearningRateSchedule schedule, double beta1, double beta2, double epsilon) {
        this("adam", 0, schedule, beta1, beta2, epsilon, 0);
    }

    Adam(String name, double learningRate, LearningRateSchedule schedule, double beta1, double beta2, double epsilon,
            double weightDecay) {
        super(name, learningRate, schedule);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon >= 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException(name + ": need beta1, beta2 in [0, 1), epsilon >= 0, weight decay >= 0;"
                    + " got beta1=" + beta1 + ", beta2=" + beta2 + ", epsilon=" + epsilon + ", weightDecay="
                    + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    @Override
    protected List<String> slotNames() {
        return List.of("m", "v");
    }

    /** The step size with bias correction folded in, computed in double. */
    private double alpha(double lr, long step) {
        return lr * Math.sqrt(1 - Math.pow(beta2, step)) / (1 - Math.pow(beta1, step));
    }

    @Override
    protected void update(UpdateKernels k, float[] w, float[] wOut, float[] g, int gOff, int n, float[][] s, double lr,
            long step) {
        k.adam(w, wOut, g, gOff, s[0], s[1], n, (float) alpha(lr, step), (float) beta1, (float) beta2, (float) epsilon,
                (float) (1 - lr * weightDecay));
    }

    @Override
    protected void update(ScalarUpdateKernels k, double[] w, double[] g, int gOff, int n, double[][] s, double lr,
            long step) {
        k.adam(w, g, gOff, s[0], s[1], n, alpha(lr, step), beta1, beta2, epsilon, 1 - lr * weightDecay);
    }

    /** The decoupled weight-decay factor (0 for plain Adam). */
    public double weightDecay() {
        return weightDecay;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("beta_1", beta1);
        c.put("beta_2", beta2);
        c.put("epsilon", epsilon);
        if (weightDecay != 0) {
            c.put("weight_decay", weightDecay);
        }
        return c;
    }
}
