package dev.vecgrad.train.metrics;

import dev.vecgrad.train.losses.Reduction;

/**
 * The sparse categorical cross-entropy as a metric, as Keras's
 * {@code SparseCategoricalCrossentropy} metric: the weighted mean over samples of
 * {@link dev.vecgrad.train.losses.SparseCategoricalCrossentropy}'s per-sample values. Samples whose
 * label is the ignored class are left out of the mean.
 */
public final class SparseCategoricalCrossentropy extends LossMetric {
    /** From probabilities, logged as {@code sparse_categorical_crossentropy}. */
    public SparseCategoricalCrossentropy() {
        this("sparse_categorical_crossentropy", false, null, -1);
    }

    /** All arguments; {@code ignoreClass} null for none. */
    public SparseCategoricalCrossentropy(String name, boolean fromLogits, Integer ignoreClass, int axis) {
        super(name, new dev.vecgrad.train.losses.SparseCategoricalCrossentropy(fromLogits, ignoreClass, axis, name,
                Reduction.NONE));
    }
}
