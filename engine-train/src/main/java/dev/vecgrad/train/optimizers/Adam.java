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
 * the root, "epsilon hat" in the paper). With {@code amsgrad} (Reddi et al.) the denominator uses
 * the running maximum of v instead. Defaults: learning rate 0.001, beta1 0.9, beta2 0.999, epsilon
 * 1e-7, no AMSGrad. Weight decay ({@link #setWeightDecay}) is fused into the same kernel;
 * {@link AdamW} is Adam with it on by default.
 *
 * <pre>{@code
 * Optimizer opt = new Adam(3e-4);
 * Optimizer ams = new Adam(1e-3, 0.9, 0.999, 1e-7, true);
 * }</pre>
 */
public non-sealed class Adam extends MomentOptimizer {
    private final boolean amsgrad;

    /** Keras's defaults. */
    public Adam() {
        this(0.001);
    }

    /** Keras's defaults with this learning rate. */
    public Adam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-7);
    }

    /** All arguments but AMSGrad (off) with a constant learning rate. */
    public Adam(double learningRate, double beta1, double beta2, double epsilon) {
        this(learningRate, beta1, beta2, epsilon, false);
    }

    /** All arguments with a constant learning rate. */
    public Adam(double learningRate, double beta1, double beta2, double epsilon, boolean amsgrad) {
        this("adam", learningRate, null, beta1, beta2, epsilon, amsgrad);
    }

    /** All arguments but AMSGrad (off) with a schedule. */
    public Adam(LearningRateSchedule schedule, double beta1, double beta2, double epsilon) {
        this(schedule, beta1, beta2, epsilon, false);
    }

    /** All arguments with a schedule. */
    public Adam(LearningRateSchedule schedule, double beta1, double beta2, double epsilon, boolean amsgrad) {
        this("adam", 0, schedule, beta1, beta2, epsilon, amsgrad);
    }

    Adam(String name, double learningRate, LearningRateSchedule schedule, double beta1, double beta2, double epsilon,
            boolean amsgrad) {
        super(name, learningRate, schedule, beta1, beta2, epsilon);
        this.amsgrad = amsgrad;
    }

    @Override
    protected List<String> slotNames() {
        return amsgrad ? List.of("m", "v", "vhat") : List.of("m", "v");
    }

    @Override
    protected boolean fusesWeightDecay() {
        return true;
    }

    /** The step size with bias correction folded in, computed in double. */
    private double alpha(Step step) {
        return step.lr() * Math.sqrt(1 - Math.pow(beta2, step.t())) / (1 - Math.pow(beta1, step.t()));
    }

    @Override
    protected void update(UpdateKernels k, float[] w, float[] wOut, float[] g, int gOff, int n, float[][] s,
            Step step) {
        float alpha = (float) alpha(step);
        k.adam(w, wOut, g, gOff, s[0], s[1], amsgrad ? s[2] : null, n, alpha, (float) beta1, (float) beta2,
                (float) epsilon, (float) step.decay());
    }

    @Override
    protected void update(ScalarUpdateKernels k, double[] w, double[] g, int gOff, int n, double[][] s, Step step) {
        k.adam(w, g, gOff, s[0], s[1], amsgrad ? s[2] : null, n, alpha(step), beta1, beta2, epsilon, step.decay());
    }

    /** Whether the denominator uses the running maximum of the second moment. */
    public boolean amsgrad() {
        return amsgrad;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("amsgrad", amsgrad);
        return c;
    }
}
