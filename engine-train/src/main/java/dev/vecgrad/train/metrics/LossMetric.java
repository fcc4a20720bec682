package dev.vecgrad.train.metrics;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.losses.Loss;
import dev.vecgrad.train.losses.Reduction;
import java.util.function.BiFunction;

/**
 * Shared machinery of the metrics that average a loss's per-sample values (mean squared error and
 * friends): the per-sample formula lives once, in the loss.
 */
abstract class LossMetric extends MeanMetricWrapper {
    private final Loss perSample;

    LossMetric(String name, BiFunction<String, Reduction, Loss> loss) {
        super(name);
        this.perSample = loss.apply(name, Reduction.NONE);
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        return perSample.call(yTrue, yPred);
    }
}
