package dev.vecgrad.train.optimizers;

import dev.vecgrad.core.kernel.update.ScalarUpdateKernels;
import dev.vecgrad.core.kernel.update.UpdateKernels;
import dev.vecgrad.train.optimizers.schedules.LearningRateSchedule;
import java.util.List;

/**
 * Adamax (Kingma and Ba's Adam with the infinity norm) as Keras 3's {@code Adamax}: at step t,
 * {@code m += (g - m)(1 - beta1)}, {@code u = max(beta2 u, |g|)},
 * {@code w -= lr m / ((1 - beta1^t)(u + epsilon))}. Defaults: learning rate 0.001, beta1 0.9, beta2
 * 0.999, epsilon 1e-7.
 *
 * <pre>{@code
 * Optimizer opt = new Adamax(2e-3);
 * }</pre>
 */
public final class Adamax extends MomentOptimizer {

    /** Keras's defaults. */
    public Adamax() {
        this(0.001);
    }

    /** Keras's defaults with this learning rate. */
    public Adamax(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-7);
    }

    /** All arguments with a constant learning rate. */
    public Adamax(double learningRate, double beta1, double beta2, double epsilon) {
        this(learningRate, null, beta1, beta2, epsilon);
    }

    /** All arguments with a schedule. */
    public Adamax(LearningRateSchedule schedule, double beta1, double beta2, double epsilon) {
        this(0, schedule, beta1, beta2, epsilon);
    }

    private Adamax(double learningRate, LearningRateSchedule schedule, double beta1, double beta2, double epsilon) {
        super("adamax", learningRate, schedule, beta1, beta2, epsilon);
    }

    @Override
    protected List<String> slotNames() {
        return List.of("m", "u");
    }

    /** The learning rate with the first moment's bias correction, {@code lr / (1 - beta1^t)}. */
    private double corrected(Step step) {
        return step.lr() / (1 - Math.pow(beta1, step.t()));
    }

    @Override
    protected void update(UpdateKernels k, float[] w, float[] wOut, float[] g, int gOff, int n, float[][] s,
            Step step) {
        k.adamax(w, wOut, g, gOff, s[0], s[1], n, (float) corrected(step), (float) beta1, (float) beta2,
                (float) epsilon);
    }

    @Override
    protected void update(ScalarUpdateKernels k, double[] w, double[] g, int gOff, int n, double[][] s, Step step) {
        k.adamax(w, g, gOff, s[0], s[1], n, corrected(step), beta1, beta2, epsilon);
    }

}
