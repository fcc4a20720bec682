package dev.vecgrad.train;

import dev.vecgrad.core.Shape;
import dev.vecgrad.train.metrics.Metric;
import dev.vecgrad.train.metrics.Metrics;
import java.util.Objects;

/**
 * One metric as {@code compile} was given it: a {@link Metric} object, or a Keras name made into
 * a metric once the first batch shows the shapes of labels and predictions ({@code "accuracy"}
 * means binary, sparse categorical or categorical accuracy depending on them).
 *
 * @param name the name given, or the object's name
 * @param metric the object given, or null for a name
 * @param output the output it measures, or null for every output
 * @param weighted whether sample and class weights weight it (Keras's {@code weighted_metrics});
 *     plain metrics see every sample alike
 */
record MetricSpec(String name, Metric metric, String output, boolean weighted) {
    MetricSpec {
        Objects.requireNonNull(name, "metric name");
    }

    /** A spec for a {@link Metric} or a name, as {@code compile} accepts them. */
    static MetricSpec of(Object metricOrName, String output, boolean weighted) {
        Objects.requireNonNull(metricOrName, "metric");
        if (metricOrName instanceof Metric m) {
            return new MetricSpec(m.name(), m, output, weighted);
        }
        if (metricOrName instanceof String name) {
            Metrics.get(name); // an unknown name fails in compile, not at the first batch
            return new MetricSpec(name, null, output, weighted);
        }
        throw new IllegalArgumentException("compile: a metric must be a name or a Metric, got "
                + metricOrName.getClass().getName());
    }

    /** The metric for labels of shape {@code yTrue} and predictions of shape {@code yPred}. */
    Metric resolve(Shape yTrue, Shape yPred) {
        return metric != null ? metric : Metrics.get(name, yTrue, yPred);
    }
}
