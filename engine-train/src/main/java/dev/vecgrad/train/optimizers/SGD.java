package dev.vecgrad.train.optimizers;

import dev.vecgrad.core.kernel.update.ScalarUpdateKernels;
import dev.vecgrad.core.kernel.update.UpdateKernels;
import dev.vecgrad.train.optimizers.schedules.LearningRateSchedule;
import java.util.List;
import java.util.Map;

/**
 * Gradient descent with optional momentum and Nesterov momentum, as Keras 3's {@code SGD}:
 * {@code w -= lr g}; with momentum {@code m = momentum m - lr g}, then {@code w += m}, or with
 * Nesterov {@code w += momentum m - lr g}. Defaults: learning rate 0.01, no momentum.
 *
 * <pre>{@code
 * Optimizer opt = new SGD(0.1, 0.9, true);
 * }</pre>
 */
public final class SGD extends Optimizer {
    private final double momentum;
    private final boolean nesterov;

    /** Keras's defaults: learning rate 0.01, no momentum. */
    public SGD() {
        this(0.01, 0, false);
    }

    /** Plain gradient descent at {@code learningRate}. */
    public SGD(double learningRate) {
        this(learningRate, 0, false);
    }

    /** With momentum in [0, 1]; {@code nesterov} for Nesterov momentum. */
    public SGD(double learningRate, double momentum, boolean nesterov) {
        super("SGD", learningRate);
        this.momentum = checkMomentum(momentum);
        this.nesterov = nesterov;
    }

    /** With a learning-rate schedule. */
    public SGD(LearningRateSchedule schedule, double momentum, boolean nesterov) {
        super("SGD", schedule);
        this.momentum = checkMomentum(momentum);
        this.nesterov = nesterov;
    }

    private static double checkMomentum(double momentum) {
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("SGD: momentum must be in [0, 1], got " + momentum);
        }
        return momentum;
    }

    @Override
    protected List<String> slotNames() {
        return momentum > 0 ? List.of("momentum") : List.of();
    }

    @Override
    protected void update(UpdateKernels k, float[] w, float[] wOut, float[] g, int gOff, int n, float[][] s,
            Step step) {
        if (momentum > 0) {
            k.momentum(w, wOut, g, gOff, s[0], n, (float) step.lr(), (float) momentum, nesterov);
        } else {
            k.sgd(w, wOut, g, gOff, n, (float) step.lr());
        }
    }

    @Override
    protected void update(ScalarUpdateKernels k, double[] w, double[] g, int gOff, int n, double[][] s,
            Step step) {
        if (momentum > 0) {
            k.momentum(w, g, gOff, s[0], n, step.lr(), momentum, nesterov);
        } else {
            k.sgd(w, g, gOff, n, step.lr());
        }
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("momentum", momentum);
        c.put("nesterov", nesterov);
        return c;
    }
}
