package dev.vecgrad.train.metrics;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.compile.Tracer;
import dev.vecgrad.train.losses.Loss;
import dev.vecgrad.train.losses.Reduction;
import java.util.Arrays;

/**
 * A {@link Mean} of per-sample values computed from labels and predictions, as Keras's
 * {@code MeanMetricWrapper}: the accuracies, the regression metrics and the loss metrics. The
 * values are computed with recording paused. Values a metric marks as not counting (a sparse
 * cross-entropy's ignored class) weigh 0: they are left out of the mean, with or without sample
 * weights.
 */
public abstract class MeanMetricWrapper extends Mean {
    /** A metric logged as {@code name}. */
    protected MeanMetricWrapper(String name) {
        super(name);
    }

    @Override
    public final void update(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        if (!computesInTensorOps()) {
            // Values computed in Java: the whole update is a host call, so a compiled step repeats it.
            Tracer.hostCall(name() + ".update", Arrays.asList(yTrue, yPred, sampleWeight), a -> {
                updateNow(a.get(0), a.get(1), a.get(2));
                return null;
            });
            return;
        }
        updateNow(yTrue, yPred, sampleWeight);
    }

    /**
     * Whether {@link #values} uses tensor ops only (true by default); a metric that reads values into
     * Java says false, and a compiled step then runs its whole update at every replay.
     */
    protected boolean computesInTensorOps() {
        return true;
    }

    private void updateNow(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        Loss.PerSample v;
        try (GradientTape.NoGrad p = GradientTape.noGrad()) {
            v = evaluate(yTrue, yPred);
        }
        update(v.values(), Loss.applyMask(sampleWeight, v.mask(), DType.F64, Reduction.SUM));
    }

    /** The values for a batch and the mask of those that count (null: all); by default {@link #values} and no mask. */
    protected Loss.PerSample evaluate(Tensor yTrue, Tensor yPred) {
        return new Loss.PerSample(values(yTrue, yPred), null);
    }

    /** The per-sample values for a batch, e.g. 1 for a right prediction and 0 for a wrong one. */
    protected abstract Tensor values(Tensor yTrue, Tensor yPred);
}
