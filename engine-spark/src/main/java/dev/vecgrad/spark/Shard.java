package dev.vecgrad.spark;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.data.Batch;
import java.io.Serializable;

/**
 * One worker's part of the examples: features and targets as flat arrays, the form in which a
 * partition travels and sits in Spark's cache. Tensors over it are made once per process.
 */
final class Shard implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int rows;
    private final int[] xDims;
    private final float[] x;
    private final int[] yDims;
    private final float[] yFloat;
    private final int[] yInt;
    private transient Tensor xTensor;
    private transient Tensor yTensor;

    private Shard(int rows, int[] xDims, float[] x, int[] yDims, float[] yFloat, int[] yInt) {
        this.rows = rows;
        this.xDims = xDims;
        this.x = x;
        this.yDims = yDims;
        this.yFloat = yFloat;
        this.yInt = yInt;
    }

    /**
     * The rows of {@code x} (F32) and {@code y} (F32 or I32; null for inputs alone), which have the
     * same number of rows.
     */
    static Shard of(Tensor x, Tensor y) {
        if (x.dtype() != DType.F32) {
            x = x.cast(DType.F32);
        }
        int n = x.rank() == 0 ? 0 : x.shape().dim(0);
        if (y != null && (y.rank() == 0 || y.shape().dim(0) != n)) {
            throw new IllegalArgumentException("features have " + n + " rows, targets have shape " + y.shape());
        }
        int[] yDims = y == null ? null : tail(y.shape());
        float[] yFloat = y != null && y.dtype() != DType.I32 ? y.cast(DType.F32).toFloatArray() : null;
        int[] yInt = y != null && y.dtype() == DType.I32 ? y.toIntArray() : null;
        return new Shard(n, tail(x.shape()), x.toFloatArray(), yDims, yFloat, yInt);
    }

    private static int[] tail(Shape s) {
        int[] all = s.toArray();
        return java.util.Arrays.copyOfRange(all, 1, all.length);
    }

    /** Examples in this shard. */
    int rows() {
        return rows;
    }

    /** The shape of one example's features. */
    int[] xDims() {
        return xDims.clone();
    }

    /** The shape of one example's target, or null when there are none. */
    int[] yDims() {
        return yDims == null ? null : yDims.clone();
    }

    /** The dtype of the targets, or null when there are none. */
    DType yDType() {
        return yInt != null ? DType.I32 : yFloat != null ? DType.F32 : null;
    }

    /** All the features, one row an example. */
    synchronized Tensor x() {
        if (xTensor == null) {
            xTensor = Tensor.of(x, withRows(xDims));
        }
        return xTensor;
    }

    /** All the targets, or null. */
    synchronized Tensor y() {
        if (yTensor == null && yDims != null) {
            yTensor = yInt != null ? Tensor.of(yInt, withRows(yDims)) : Tensor.of(yFloat, withRows(yDims));
        }
        return yTensor;
    }

    private int[] withRows(int[] dims) {
        int[] out = new int[dims.length + 1];
        out[0] = rows;
        System.arraycopy(dims, 0, out, 1, dims.length);
        return out;
    }

    /**
     * Rows {@code order[from..to)} as a batch (a copy), or rows {@code [from, to)} when {@code order}
     * is null (views of the shard's tensors).
     */
    Batch batch(int[] order, int from, int to) {
        Tensor xs = x();
        Tensor ys = y();
        if (order == null) {
            return new Batch(xs.rows(from, to), ys == null ? null : ys.rows(from, to), null);
        }
        int[] idx = java.util.Arrays.copyOfRange(order, from, to);
        Tensor ix = Tensor.of(idx, idx.length);
        return new Batch(xs.gather(ix, 0), ys == null ? null : ys.gather(ix, 0), null);
    }

    /** Rows {@code [from, to)} as a shard of their own. */
    Shard rows(int from, int to) {
        int xw = x.length / Math.max(1, rows);
        int yw = yDims == null ? 0 : Shape.of(yDims).size();
        return new Shard(to - from, xDims, java.util.Arrays.copyOfRange(x, from * xw, to * xw), yDims,
                yFloat == null ? null : java.util.Arrays.copyOfRange(yFloat, from * yw, to * yw),
                yInt == null ? null : java.util.Arrays.copyOfRange(yInt, from * yw, to * yw));
    }

    /** The first row alone: the shard's shapes and dtypes without its data. */
    Shard head() {
        return rows(0, Math.min(1, rows));
    }

    /** The shard of rows {@code shards[0]}, then {@code shards[1]}, ... (all of the same example shapes). */
    static Shard concat(java.util.List<Shard> shards) {
        if (shards.size() == 1) {
            return shards.get(0);
        }
        Shard first = shards.get(0);
        int n = 0;
        for (Shard s : shards) {
            if (!java.util.Arrays.equals(s.xDims, first.xDims) || !java.util.Arrays.equals(s.yDims, first.yDims)
                    || s.yDType() != first.yDType()) {
                throw new IllegalArgumentException("examples differ in shape or dtype: " + describe(first) + " and "
                        + describe(s));
            }
            n += s.rows;
        }
        int xw = first.x.length / Math.max(1, first.rows);
        float[] x = new float[Math.multiplyExact(n, xw)];
        int yw = first.yDims == null ? 0 : Shape.of(first.yDims).size();
        float[] yf = first.yFloat != null ? new float[n * yw] : null;
        int[] yi = first.yInt != null ? new int[n * yw] : null;
        int at = 0;
        for (Shard s : shards) {
            System.arraycopy(s.x, 0, x, at * xw, s.rows * xw);
            if (yf != null) {
                System.arraycopy(s.yFloat, 0, yf, at * yw, s.rows * yw);
            }
            if (yi != null) {
                System.arraycopy(s.yInt, 0, yi, at * yw, s.rows * yw);
            }
            at += s.rows;
        }
        return new Shard(n, first.xDims, x, first.yDims, yf, yi);
    }

    /** Examples' shapes and target dtype, for messages. */
    static String describe(Shard s) {
        return "features " + java.util.Arrays.toString(s.xDims) + (s.yDims == null ? ", no targets"
                : ", targets " + java.util.Arrays.toString(s.yDims) + " " + s.yDType());
    }
}
