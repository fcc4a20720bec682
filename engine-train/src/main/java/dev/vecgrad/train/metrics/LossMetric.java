package dev.vecgrad.train.metrics;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.losses.Loss;
import java.util.Map;

/**
 * The metrics that average a loss's per-sample values (mean squared error, the cross-entropies,
 * the hinges, ...), as Keras's metric classes wrapping its loss functions: the formula lives once,
 * in the loss, and the metric's config is the loss's arguments (without its reduction).
 */
abstract class LossMetric extends MeanMetricWrapper {
    private final Loss perSample;

    LossMetric(String name, Loss perSample) {
        super(name);
        this.perSample = perSample;
    }

    @Override
    protected Loss.PerSample evaluate(Tensor yTrue, Tensor yPred) {
        return perSample.perSample(yTrue, yPred);
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        return perSample.perSample(yTrue, yPred).values();
    }

    /** The loss whose per-sample values are averaged. */
    Loss loss() {
        return perSample;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        Map<String, Object> l = perSample.getConfig();
        l.remove("name");
        l.remove("reduction");
        c.putAll(l);
        return c;
    }

    @Override
    public Direction direction() {
        return Direction.DOWN;
    }
}
