package dev.vecgrad.train.metrics;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.util.Map;

/**
 * How often the true class is among the {@code k} highest predictions (default 5), as Keras's
 * {@code TopKCategoricalAccuracy} with one-hot labels, or {@code SparseTopKCategoricalAccuracy}
 * with class ids ({@link #sparse}). Ties are counted as TensorFlow's {@code in_top_k} counts them:
 * the class is in the top k when fewer than k classes score strictly higher. With
 * {@code fromSortedIds} (sparse labels only, Keras's {@code from_sorted_ids}) the predictions are
 * not scores but class ids already sorted best first, and a row is a hit when its label is among
 * its first k ids.
 */
public final class TopKCategoricalAccuracy extends MeanMetricWrapper {
    private final int k;
    private final boolean sparseLabels;
    private final boolean fromSortedIds;

    /** k = 5, one-hot labels, logged as {@code top_k_categorical_accuracy}. */
    public TopKCategoricalAccuracy() {
        this("top_k_categorical_accuracy", 5, false);
    }

    /** Top {@code k} with one-hot labels, logged as {@code top_k_categorical_accuracy}. */
    public TopKCategoricalAccuracy(int k) {
        this("top_k_categorical_accuracy", k, false);
    }

    /** Scores as predictions; {@code sparseLabels} true for class ids. */
    public TopKCategoricalAccuracy(String name, int k, boolean sparseLabels) {
        this(name, k, sparseLabels, false);
    }

    /** All arguments; {@code fromSortedIds} needs {@code sparseLabels}. */
    public TopKCategoricalAccuracy(String name, int k, boolean sparseLabels, boolean fromSortedIds) {
        super(name);
        if (k <= 0) {
            throw new IllegalArgumentException(name + ": k must be positive, got " + k);
        }
        if (fromSortedIds && !sparseLabels) {
            throw new IllegalArgumentException(name + ": fromSortedIds needs class-id labels (the sparse variant)");
        }
        this.k = k;
        this.sparseLabels = sparseLabels;
        this.fromSortedIds = fromSortedIds;
    }

    /** Keras's {@code SparseTopKCategoricalAccuracy}: class ids, logged as {@code sparse_top_k_categorical_accuracy}. */
    public static TopKCategoricalAccuracy sparse(int k) {
        return sparse(k, false);
    }

    /** The sparse variant; with {@code fromSortedIds} the predictions are class ids sorted best first. */
    public static TopKCategoricalAccuracy sparse(int k, boolean fromSortedIds) {
        return new TopKCategoricalAccuracy("sparse_top_k_categorical_accuracy", k, true, fromSortedIds);
    }

    /** The hits are counted in Java. */
    @Override
    protected boolean computesInTensorOps() {
        return false;
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        Tensor ids = sparseLabels ? SparseCategoricalAccuracy.classIds(name(), yTrue, yPred) : yTrue.argmax(-1);
        int classes = yPred.shape().dim(-1);
        double[] p = yPred.toDoubleArray();
        int[] target = ids.toIntArray();
        double[] hit = new double[target.length];
        for (int r = 0; r < target.length; r++) {
            int t = target[r];
            if (fromSortedIds) {
                hit[r] = 0;
                for (int c = 0; c < Math.min(k, classes); c++) {
                    if (p[r * classes + c] == t) {
                        hit[r] = 1;
                    }
                }
                continue;
            }
            if (t < 0 || t >= classes) {
                throw new IllegalArgumentException(name() + ": class id " + t + " at row " + r + " is outside [0, "
                        + classes + ")");
            }
            double score = p[r * classes + t];
            int higher = 0;
            for (int c = 0; c < classes; c++) {
                if (p[r * classes + c] > score) {
                    higher++;
                }
            }
            hit[r] = !Double.isNaN(score) && higher < k ? 1 : 0;
        }
        return Tensor.wrap(DType.F64, Shape.of(ids.shape().toArray()), hit);
    }

    /** Whether predictions are class ids sorted best first. */
    public boolean fromSortedIds() {
        return fromSortedIds;
    }

    /** How many top classes count. */
    public int k() {
        return k;
    }

    @Override
    public String className() {
        return sparseLabels ? "SparseTopKCategoricalAccuracy" : "TopKCategoricalAccuracy";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("k", k);
        if (sparseLabels) {
            c.put("from_sorted_ids", fromSortedIds);
        }
        return c;
    }

    @Override
    public Direction direction() {
        return Direction.UP;
    }
}
