package dev.vecgrad.train.metrics;

import dev.vecgrad.train.losses.Reduction;

/**
 * The binary cross-entropy as a metric, as Keras's {@code BinaryCrossentropy} metric: the weighted
 * mean over samples of {@link dev.vecgrad.train.losses.BinaryCrossentropy}'s per-sample values
 * (from probabilities or logits, with optional label smoothing).
 */
public final class BinaryCrossentropy extends LossMetric {
    /** From probabilities, logged as {@code binary_crossentropy}. */
    public BinaryCrossentropy() {
        this("binary_crossentropy", false, 0);
    }

    /** All arguments. */
    public BinaryCrossentropy(String name, boolean fromLogits, double labelSmoothing) {
        super(name, new dev.vecgrad.train.losses.BinaryCrossentropy(fromLogits, labelSmoothing, -1, name,
                Reduction.NONE));
    }
}
