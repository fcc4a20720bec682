package dev.vecgrad.train.data;

import dev.vecgrad.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One element of a {@link Dataset}: inputs {@code x}, optional targets {@code y} and optional
 * per-sample weights, as Keras's {@code (x, y, sample_weight)} tuple. Each part is a
 * {@link Tensors}: one tensor for a model with one input and one output, several (by position or
 * by name) for a model with several. Before {@link Dataset#batch} each tensor holds one example;
 * after it, each has a leading batch axis of the same length.
 *
 * <pre>{@code
 * Batch b = Batch.of(Tensor.zeros(10, 3), Tensor.ones(10, 1));
 * b.size();   // 10
 * Batch two = Batch.of(Tensors.of(Map.of("image", images, "hint", hints)), Tensors.of(labels, isRight));
 * }</pre>
 */
public final class Batch {
    private final Tensors x;
    private final Tensors y;
    private final Tensors sampleWeight;

    /**
     * One input, optional targets and per-sample weights.
     *
     * @param x inputs, never null
     * @param y targets, or null (for prediction)
     * @param sampleWeight one weight per sample, or null
     */
    public Batch(Tensor x, Tensor y, Tensor sampleWeight) {
        this(Tensors.of(Objects.requireNonNull(x, "x")), y == null ? null : Tensors.of(y),
                sampleWeight == null ? null : Tensors.of(sampleWeight));
    }

    private Batch(Tensors x, Tensors y, Tensors sampleWeight) {
        this.x = Objects.requireNonNull(x, "x");
        this.y = y;
        this.sampleWeight = sampleWeight;
    }

    /** Fails unless y and the weights (when given) have as many rows as x; for batched data. */
    public static void checkSameRows(Tensor x, Tensor y, Tensor sampleWeight) {
        new Batch(x, y, sampleWeight).checkSameRows();
    }

    /** Fails unless every tensor of x, y and the weights has as many rows as the first of x. */
    public void checkSameRows() {
        int n = x.rows();
        check("y", y, n);
        check("sampleWeight", sampleWeight, n);
    }

    private void check(String what, Tensors t, int n) {
        if (t != null && t.rows() != n) {
            throw new IllegalArgumentException("batch: " + what + " of shape " + t.get(0).shape() + " does not have the "
                    + n + " samples of x " + x.get(0).shape());
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

    /** Several inputs and targets (y may be null). */
    public static Batch of(Tensors x, Tensors y) {
        return new Batch(x, y, null);
    }

    /**
     * Several inputs, targets and sample weights (y and the weights may be null; one weight
     * tensor applies to every output, several go with the outputs by name or position).
     */
    public static Batch of(Tensors x, Tensors y, Tensors sampleWeight) {
        return new Batch(x, y, sampleWeight);
    }

    /** The one input; for a batch of several inputs use {@link #inputs()}. */
    public Tensor x() {
        return x.single("the batch's x");
    }

    /** The one target, or null; for several use {@link #targets()}. */
    public Tensor y() {
        return y == null ? null : y.single("the batch's y");
    }

    /** The one sample-weight tensor, or null; for several use {@link #sampleWeights()}. */
    public Tensor sampleWeight() {
        return sampleWeight == null ? null : sampleWeight.single("the batch's sampleWeight");
    }

    /** All inputs. */
    public Tensors inputs() {
        return x;
    }

    /** All targets, or null. */
    public Tensors targets() {
        return y;
    }

    /** All sample-weight tensors, or null. */
    public Tensors sampleWeights() {
        return sampleWeight;
    }

    /** The number of samples: the length of the first input's first axis. */
    public int size() {
        Tensor first = x.get(0);
        return first.rank() == 0 ? 1 : first.shape().dim(0);
    }

    /**
     * Samples {@code [start, stop)} of every part, as views ({@link Tensor#rows}); the range must
     * lie within {@code [0, size()]}.
     */
    public Batch rows(int start, int stop) {
        return map(t -> t.rows(start, stop));
    }

    /** Every tensor of every part through {@code fn} (slicing, gathering rows), names kept. */
    public Batch map(UnaryOperator<Tensor> fn) {
        return new Batch(x.map(fn), y == null ? null : y.map(fn), sampleWeight == null ? null : sampleWeight.map(fn));
    }

    /** This batch with x replaced by one input. */
    public Batch withX(Tensor newX) {
        return new Batch(Tensors.of(newX), y, sampleWeight);
    }

    /** This batch with the sample weights replaced by one tensor (null: none). */
    public Batch withSampleWeight(Tensor w) {
        return new Batch(x, y, w == null ? null : Tensors.of(w));
    }

    /** The elements of several batches (or samples) stacked along a new first axis, part by part. */
    static Batch stack(List<Batch> group) {
        Batch first = group.get(0);
        List<Tensors> xs = new ArrayList<>(group.size());
        List<Tensors> ys = first.y == null ? null : new ArrayList<>(group.size());
        List<Tensors> ws = first.sampleWeight == null ? null : new ArrayList<>(group.size());
        for (Batch b : group) {
            xs.add(b.x);
            if (ys != null) {
                ys.add(require(b.y, "y"));
            }
            if (ws != null) {
                ws.add(require(b.sampleWeight, "sampleWeight"));
            }
        }
        return new Batch(Tensors.stack(xs), ys == null ? null : Tensors.stack(ys), ws == null ? null : Tensors.stack(ws));
    }

    private static Tensors require(Tensors t, String what) {
        if (t == null) {
            throw new IllegalArgumentException("batch: some elements have " + what + " and some do not");
        }
        return t;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Batch b && x.equals(b.x) && Objects.equals(y, b.y) && Objects.equals(sampleWeight, b.sampleWeight);
    }

    @Override
    public int hashCode() {
        return Objects.hash(x, y, sampleWeight);
    }

    @Override
    public String toString() {
        return "Batch(x=" + x + (y == null ? "" : ", y=" + y) + (sampleWeight == null ? "" : ", sampleWeight=" + sampleWeight)
                + ")";
    }
}
