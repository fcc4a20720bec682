package dev.vecgrad.train.optimizers;

import dev.vecgrad.core.kernel.update.ScalarUpdateKernels;
import dev.vecgrad.core.kernel.update.UpdateKernels;
import dev.vecgrad.train.optimizers.schedules.LearningRateSchedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RMSprop as Keras 3 (epsilon inside the square root): see
 * {@link UpdateKernels#rmsprop}. Defaults: learning rate 0.001, rho 0.9, momentum 0, epsilon 1e-7,
 * not centered.
 *
 * <pre>{@code
 * Optimizer opt = new RMSprop(1e-3);
 * }</pre>
 */
public final class RMSprop extends Optimizer {
    private final double rho;
    private final double momentum;
    private final double epsilon;
    private final boolean centered;

    /** Keras's defaults. */
    public RMSprop() {
        this(0.001);
    }

    /** Keras's defaults with this learning rate. */
    public RMSprop(double learningRate) {
        this(learningRate, 0.9, 0, 1e-7, false);
    }

    /** All arguments with a constant learning rate. */
    public RMSprop(double learningRate, double rho, double momentum, double epsilon, boolean centered) {
        super("rmsprop", learningRate);
        this.rho = rho;
        this.momentum = momentum;
        this.epsilon = epsilon;
        this.centered = centered;
        check();
    }

    /** All arguments with a schedule. */
    public RMSprop(LearningRateSchedule schedule, double rho, double momentum, double epsilon, boolean centered) {
        super("rmsprop", schedule);
        this.rho = rho;
        this.momentum = momentum;
        this.epsilon = epsilon;
        this.centered = centered;
        check();
    }

    private void check() {
        if (!(rho >= 0 && rho <= 1) || !(momentum >= 0 && momentum <= 1) || !(epsilon >= 0)) {
            throw new IllegalArgumentException("RMSprop: need rho and momentum in [0, 1] and epsilon >= 0, got rho="
                    + rho + ", momentum=" + momentum + ", epsilon=" + epsilon);
        }
    }

    @Override
    protected List<String> slotNames() {
        List<String> names = new ArrayList<>(List.of("velocity"));
        if (centered) {
            names.add("average_gradient");
        }
        if (momentum > 0) {
            names.add("momentum");
        }
        return names;
    }

    @Override
    protected void update(UpdateKernels k, float[] w, float[] wOut, float[] g, int gOff, int n, float[][] s,
            Step step) {
        float[] mg = centered ? s[1] : null;
        float[] mom = momentum > 0 ? s[s.length - 1] : null;
        k.rmsprop(w, wOut, g, gOff, s[0], mg, mom, n, (float) step.lr(), (float) rho, (float) momentum,
                (float) epsilon);
    }

    @Override
    protected void update(ScalarUpdateKernels k, double[] w, double[] g, int gOff, int n, double[][] s,
            Step step) {
        double[] mg = centered ? s[1] : null;
        double[] mom = momentum > 0 ? s[s.length - 1] : null;
        k.rmsprop(w, g, gOff, s[0], mg, mom, n, step.lr(), rho, momentum, epsilon);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("rho", rho);
        c.put("momentum", momentum);
        c.put("epsilon", epsilon);
        c.put("centered", centered);
        return c;
    }
}
