package dev.vecgrad.train.losses;

import java.util.Locale;

/** How a {@link Loss} turns weighted per-sample values into its result, as Keras 3's reductions. */
public enum Reduction {
    /** The sum of the weighted values. */
    SUM,
    /**
     * The sum of the weighted values divided by how many values there are (the weights do not
     * change the divisor; a mask does, see {@link Loss}); 0 when there are none. The default,
     * Keras's {@code "sum_over_batch_size"}, also spelled {@code "mean"}.
     */
    SUM_OVER_BATCH_SIZE,
    /**
     * The sum of the weighted values divided by the sum of the sample weights as given (with a
     * mask, the weights times the mask), 0 when that is 0; without weights as
     * {@link #SUM_OVER_BATCH_SIZE}. Keras's {@code "mean_with_sample_weight"}.
     */
    MEAN_WITH_SAMPLE_WEIGHT,
    /** The weighted values themselves, one a sample. */
    NONE;

    /** The Keras spelling: {@code sum}, {@code sum_over_batch_size}, {@code mean_with_sample_weight}, {@code none}. */
    public String kerasName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The reduction Keras calls {@code name} ({@code "mean"} is {@link #SUM_OVER_BATCH_SIZE}, null
     * is {@link #NONE}); anything else is an IllegalArgumentException listing the valid names.
     */
    public static Reduction of(String name) {
        if (name == null) {
            return NONE;
        }
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("mean")) {
            return SUM_OVER_BATCH_SIZE;
        }
        for (Reduction r : values()) {
            if (r.kerasName().equals(n)) {
                return r;
            }
        }
        throw new IllegalArgumentException("Invalid value for argument `reduction`: '" + name
                + "'; expected sum, sum_over_batch_size, mean, mean_with_sample_weight or none");
    }
}
