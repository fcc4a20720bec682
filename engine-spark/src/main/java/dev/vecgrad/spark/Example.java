package dev.vecgrad.spark;

import java.io.Serializable;

/**
 * One training example for {@link SparkSources#fromRdd}: its features, flat in row-major order,
 * and its target, a class index or a vector of values.
 *
 * @param features the features
 * @param label the class index (for {@link #classified}), else 0
 * @param values the target values (for {@link #regressed}), else null
 */
public record Example(float[] features, int label, float[] values) implements Serializable {
    /** An example whose target is class {@code label}. */
    public static Example classified(float[] features, int label) {
        return new Example(features, label, null);
    }

    /** An example whose target is {@code values}. */
    public static Example regressed(float[] features, float... values) {
        return new Example(features, 0, values);
    }
}
