package dev.vecgrad.train.metrics;

import dev.vecgrad.train.losses.Reduction;

/**
 * The categorical cross-entropy as a metric, as Keras's {@code CategoricalCrossentropy} metric:
 * the weighted mean over samples of {@link dev.vecgrad.train.losses.CategoricalCrossentropy}'s
 * per-sample values (one-hot or soft labels, probabilities or logits, label smoothing, class axis).
 */
public final class CategoricalCrossentropy extends LossMetric {
    /** From probabilities, logged as {@code categorical_crossentropy}. */
    public CategoricalCrossentropy() {
        this("categorical_crossentropy", false, 0, -1);
    }

    /** All arguments. */
    public CategoricalCrossentropy(String name, boolean fromLogits, double labelSmoothing, int axis) {
        super(name, new dev.vecgrad.train.losses.CategoricalCrossentropy(fromLogits, labelSmoothing, axis, name,
                Reduction.NONE));
    }
}
