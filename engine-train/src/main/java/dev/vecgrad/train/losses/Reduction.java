package dev.vecgrad.train.losses;

/** How a {@link Loss} turns weighted per-sample values into its result, as Keras's reductions. */
public enum Reduction {
    /** The sum of the weighted values. */
    SUM,
    /**
     * The sum of the weighted values divided by their number (not by the sum of the weights, as
     * Keras): the default.
     */
    SUM_OVER_BATCH_SIZE,
    /** The weighted values themselves, one a sample. */
    NONE
}
