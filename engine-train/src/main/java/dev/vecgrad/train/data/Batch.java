package dev.vecgrad.train.data;

import dev.vecgrad.core.Tensor;
import java.util.Objects;

/**
 * One element of a {@link Dataset}: inputs {@code x}, optional targets {@code y} and optional
 * per-sample weights, as Keras's {@code (x, y, sample_weight)} tuple. Before {@link Dataset#batch}
 * each part holds one example; after it, each has a leading batch axis of the same length.
 *
 * <pre>{@code
 * Batch b = Batch.of(Tensor.zeros(10, 3), Tensor.ones(10, 1));
 * b.size();   // 10
 * }</pre>
 *
 * @param x inputs, never null
 * @param y targets, or null (for prediction)
 * @param sampleWeight one weight per sample, or null
 */
public record Batch(Tensor x, Tensor y, Tensor sampleWeight) {
    /** Checks that x is given (a single example may have targets of any rank, so no rows are compared here). */
    public Batch {
        Objects.requireNonNull(x, "x");
    }

    /** Fails unless y and the weights (when given) have as many rows as x; for batched data. */
    public static void checkSameRows(Tensor x, Tensor y, Tensor sampleWeight) {
        if (x.rank() == 0) {
            throw new IllegalArgumentException("batch: x must have a first (sample) axis, got a scalar");
        }
        int n = x.shape().dim(0);
        checkRows("y", y, n, x);
        checkRows("sampleWeight", sampleWeight, n, x);
    }

    private static void checkRows(String what, Tensor t, int n, Tensor x) {
        if (t != null && (t.rank() == 0 || t.shape().dim(0) != n)) {
            throw new IllegalArgumentException("batch: " + what + " of shape " + t.shape() + " does not have the "
                    + n + " samples of x " + x.shape());
        }
    }

    /** Inputs only. */
    public static Batch of(Tensor x) {
        return new Batch(x, null, null);
    }

    /** Inputs and targets. */
    public static Batch of(Tensor x, Tensor y) {
        return new Batch(x, y, null);
    }

    /** Inputs, targets and per-sample weights. */
    public static Batch of(Tensor x, Tensor y, Tensor sampleWeight) {
        return new Batch(x, y, sampleWeight);
    }

    /** The number of samples: the length of x's first axis. */
    public int size() {
        return x.rank() == 0 ? 1 : x.shape().dim(0);
    }

    /** Samples {@code [start, stop)} of every part, as views. */
    public Batch rows(int start, int stop) {
        return new Batch(x.slice(0, start, stop), y == null ? null : y.slice(0, start, stop),
                sampleWeight == null ? null : sampleWeight.slice(0, start, stop));
    }

    /** This batch with x replaced. */
    public Batch withX(Tensor newX) {
        return new Batch(newX, y, sampleWeight);
    }

    /** This batch with the sample weights replaced. */
    public Batch withSampleWeight(Tensor w) {
        return new Batch(x, y, w);
    }
}
