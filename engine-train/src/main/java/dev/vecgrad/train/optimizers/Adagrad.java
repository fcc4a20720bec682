package dev.vecgrad.train.optimizers;

import dev.vecgrad.core.kernel.update.ScalarUpdateKernels;
import dev.vecgrad.core.kernel.update.UpdateKernels;
import dev.vecgrad.train.optimizers.schedules.LearningRateSchedule;
import java.util.List;
import java.util.Map;

/**
 * Adagrad as Keras 3: {@code acc += g²}, {@code w -= lr g / sqrt(acc + epsilon)}, the accumulator
 * starting at {@code initialAccumulatorValue}. Defaults: learning rate 0.001, initial accumulator
 * 0.1, epsilon 1e-7.
 */
public final class Adagrad extends Optimizer {
    private final double initialAccumulatorValue;
    private final double epsilon;

    /** Keras's defaults. */
    public Adagrad() {
        this(0.001);
    }

    /** Keras's defaults with this learning rate. */
    public Adagrad(double learningRate) {
        this(learningRate, 0.1, 1e-7);
    }

    /** All arguments with a constant learning rate. */
    public Adagrad(double learningRate, double initialAccumulatorValue, double epsilon) {
        super("adagrad", learningRate);
        this.initialAccumulatorValue = check(initialAccumulatorValue, epsilon);
        this.epsilon = epsilon;
    }

    /** All arguments with a schedule. */
    public Adagrad(LearningRateSchedule schedule, double initialAccumulatorValue, double epsilon) {
        super("adagrad", schedule);
        this.initialAccumulatorValue = check(initialAccumulatorValue, epsilon);
        this.epsilon = epsilon;
    }

    private static double check(double initial, double epsilon) {
        if (!(initial >= 0) || !(epsilon >= 0)) {
            throw new IllegalArgumentException("Adagrad: initialAccumulatorValue and epsilon must be >= 0, got "
                    + initial + " and " + epsilon);
        }
        return initial;
    }

    @Override
    protected List<String> slotNames() {
        return List.of("accumulator");
    }

    @Override
    protected double slotInitialValue(String slot) {
        return initialAccumulatorValue;
    }

    @Override
    protected void update(UpdateKernels k, float[] w, float[] wOut, float[] g, int gOff, int n, float[][] s,
            Step step) {
        k.adagrad(w, wOut, g, gOff, s[0], n, (float) step.lr(), (float) epsilon);
    }

    @Override
    protected void update(ScalarUpdateKernels k, double[] w, double[] g, int gOff, int n, double[][] s,
            Step step) {
        k.adagrad(w, g, gOff, s[0], n, step.lr(), epsilon);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("initial_accumulator_value", initialAccumulatorValue);
        c.put("epsilon", epsilon);
        return c;
    }
}
