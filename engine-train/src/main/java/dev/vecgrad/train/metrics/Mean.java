package dev.vecgrad.train.metrics;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.compile.Tracer;
import dev.vecgrad.train.losses.Loss;
import java.util.Arrays;

/**
 * The weighted mean of the values given, as Keras's {@code Mean}: {@code total / count} with
 * {@code total = sum(value * weight)} and {@code count = sum(weight)}. The model's {@code loss}
 * entry is a Mean updated once a batch with the batch loss and the batch size as weight, so a
 * short last batch counts by its size.
 *
 * <p>Tensor values are reduced as Keras's {@code reduce_to_samplewise_values}: values of higher
 * rank than the weights are averaged down to the weights' rank, and without weights every sample
 * (first axis) counts 1. {@code result()} is 0 before anything was folded in.
 *
 * <pre>{@code
 * Mean loss = new Mean("loss");
 * loss.update(0.5, 32);   // batch of 32
 * loss.update(0.2, 8);    // short last batch
 * loss.result();          // (0.5*32 + 0.2*8) / 40
 * }</pre>
 */
public class Mean extends Metric {
    private double total;
    private double count;

    /** A mean named {@code mean}. */
    public Mean() {
        this("mean");
    }

    /** A mean logged as {@code name}. */
    public Mean(String name) {
        super(name);
    }

    /** Folds in {@code value} with weight {@code weight}. */
    public synchronized void update(double value, double weight) {
        total += value * weight;
        count += weight;
    }

    /** Folds in a tensor of values with optional per-sample weights (see the class comment). */
    public void update(Tensor values, Tensor sampleWeight) {
        Tensor[] tc;
        try (GradientTape.NoGrad p = GradientTape.noGrad()) {
            tc = totalAndCount(values, sampleWeight);
        }
        // The sums are tensor ops; folding them in is a host call, so a compiled step repeats it.
        Tracer.hostCall(name() + ".update", Arrays.asList(tc), a -> {
            synchronized (this) {
                total += a.get(0).item();
                count += a.get(1).item();
            }
            return null;
        });
    }

    /** For the common interface: yTrue must be null and yPred holds the values. */
    @Override
    public void update(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        if (yTrue != null) {
            throw new IllegalArgumentException(className() + " '" + name()
                    + "' averages values, not predictions against labels: call update(values, sampleWeight)");
        }
        update(yPred, sampleWeight);
    }

    /** Keras's {@code reduce_to_samplewise_values} followed by the sums Mean adds, as F64 scalars. */
    static Tensor[] totalAndCount(Tensor values, Tensor sampleWeight) {
        Tensor v = values.dtype() == DType.F64 ? values : values.cast(DType.F64);
        if (sampleWeight == null) {
            if (v.rank() == 0) {
                return new Tensor[] {v, v.scalarLike(1)};
            }
            if (v.rank() > 1) {
                v = v.mean(trailingAxes(1, v.rank()), false);
            }
            return new Tensor[] {v.sum(), v.scalarLike(v.shape().dim(0))};
        }
        Tensor w = sampleWeight.dtype() == DType.F64 ? sampleWeight : sampleWeight.cast(DType.F64);
        Tensor[] vw = Loss.matchRank(v, w);
        v = vw[0];
        w = vw[1];
        if (v.rank() > w.rank()) {
            v = v.mean(trailingAxes(w.rank(), v.rank()), false);
        }
        try {
            w = w.broadcastTo(v.shape().toArray());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sample weights of shape " + sampleWeight.shape()
                    + " do not fit values of shape " + values.shape(), e);
        }
        v = v.mul(w);
        if (v.rank() > 1) {
            w = w.mean(trailingAxes(1, w.rank()), false);
            v = v.mean(trailingAxes(1, v.rank()), false);
        }
        return new Tensor[] {v.sum(), w.sum()};
    }

    private static int[] trailingAxes(int from, int rank) {
        int[] ax = new int[rank - from];
        for (int i = 0; i < ax.length; i++) {
            ax[i] = from + i;
        }
        return ax;
    }

    @Override
    public synchronized double result() {
        return count == 0 ? 0 : total / count;
    }

    @Override
    public synchronized void reset() {
        total = 0;
        count = 0;
    }

    @Override
    public synchronized double[] state() {
        return new double[] {total, count};
    }

    @Override
    public synchronized void mergeState(double[] other) {
        checkState(other, 2);
        total += other[0];
        count += other[1];
    }
}
