package dev.vecgrad.train.optimizers;

import dev.vecgrad.core.kernel.update.ScalarUpdateKernels;
import dev.vecgrad.core.kernel.update.UpdateKernels;
import dev.vecgrad.train.optimizers.schedules.LearningRateSchedule;
import java.util.List;

/**
 * Nadam (Dozat: Nesterov momentum in Adam) as Keras 3's {@code Nadam}. At step t the momentum
 * schedule is {@code u_t = beta1 (1 - 0.5 * 0.96^t)}; with {@code m} and {@code v} Adam's moments,
 * {@code mHat = u_{t+1} m / (1 - u_1...u_{t+1}) + (1 - u_t) g / (1 - u_1...u_t)},
 * {@code vHat = v / (1 - beta2^t)} and {@code w -= lr mHat / (sqrt(vHat) + epsilon)}. Defaults:
 * learning rate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7.
 *
 * <pre>{@code
 * Optimizer opt = new Nadam(2e-3);
 * }</pre>
 */
public final class Nadam extends MomentOptimizer {
    /** The product u_1...u_t for {@link #productStep} t, kept so a step multiplies one factor in. */
    private double product = 1;
    private long productStep;

    /** Keras's defaults. */
    public Nadam() {
        this(0.001);
    }

    /** Keras's defaults with this learning rate. */
    public Nadam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-7);
    }

    /** All arguments with a constant learning rate. */
    public Nadam(double learningRate, double beta1, double beta2, double epsilon) {
        this(learningRate, null, beta1, beta2, epsilon);
    }

    /** All arguments with a schedule. */
    public Nadam(LearningRateSchedule schedule, double beta1, double beta2, double epsilon) {
        this(0, schedule, beta1, beta2, epsilon);
    }

    private Nadam(double learningRate, LearningRateSchedule schedule, double beta1, double beta2, double epsilon) {
        super("nadam", learningRate, schedule, beta1, beta2, epsilon);
    }

    @Override
    protected List<String> slotNames() {
        return List.of("m", "v");
    }

    /** The momentum schedule's {@code u_t}. */
    private double u(long t) {
        return beta1 * (1 - 0.5 * Math.pow(0.96, t));
    }

    /** {@code u_1...u_t}, from the cached product when t is the next step (a state loaded later recomputes it). */
    private synchronized double product(long t) {
        if (t < productStep) {
            product = 1;
            productStep = 0;
        }
        while (productStep < t) {
            productStep++;
            product *= u(productStep);
        }
        return product;
    }

    /** {cm, cg, vScale} of the kernel for step t. */
    private double[] coefficients(long t) {
        double productT = product(t);
        double productNext = productT * u(t + 1);
        return new double[] {u(t + 1) / (1 - productNext), (1 - u(t)) / (1 - productT), 1 / (1 - Math.pow(beta2, t))};
    }

    @Override
    protected void update(UpdateKernels k, float[] w, float[] wOut, float[] g, int gOff, int n, float[][] s,
            Step step) {
        double[] c = coefficients(step.t());
        k.nadam(w, wOut, g, gOff, s[0], s[1], n, (float) step.lr(), (float) beta1, (float) beta2, (float) epsilon,
                (float) c[0], (float) c[1], (float) c[2]);
    }

    @Override
    protected void update(ScalarUpdateKernels k, double[] w, double[] g, int gOff, int n, double[][] s, Step step) {
        double[] c = coefficients(step.t());
        k.nadam(w, g, gOff, s[0], s[1], n, step.lr(), beta1, beta2, epsilon, c[0], c[1], c[2]);
    }

}
