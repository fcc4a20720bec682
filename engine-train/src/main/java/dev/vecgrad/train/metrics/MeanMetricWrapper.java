package dev.vecgrad.train.metrics;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.Recording;

/**
 * A {@link Mean} of per-sample values computed from labels and predictions, as Keras's
 * {@code MeanMetricWrapper}: the accuracies and the regression metrics. The values are computed
 * with recording paused.
 */
public abstract class MeanMetricWrapper extends Mean {
    /** A metric logged as {@code name}. */
    protected MeanMetricWrapper(String name) {
        super(name);
    }

    @Override
    public final void update(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        Tensor v;
        try (Recording.Paused p = Recording.pause()) {
            v = values(yTrue, yPred);
        }
        update(v, sampleWeight);
    }

    /** The per-sample values for a batch, e.g. 1 for a right prediction and 0 for a wrong one. */
    protected abstract Tensor values(Tensor yTrue, Tensor yPred);
}
