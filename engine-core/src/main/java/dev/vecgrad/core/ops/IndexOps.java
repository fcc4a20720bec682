package dev.vecgrad.core.ops;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;

/**
 * Indexing with integer tensors: gather (NumPy's take), its adjoint scatter-add, and one-hot.
 * Indices are I32; a negative index counts from the end; anything out of range is an error that
 * names the index, where it was, and the dimension.
 */
public final class IndexOps {
    private IndexOps() {
    }

    /**
     * Elements of {@code x} at {@code indices} along {@code axis}: the result's shape is x's with
     * that axis replaced by the indices' shape.
     *
     * <pre>{@code
     * Tensor table = Tensor.of(new float[][] {{1, 2}, {3, 4}, {5, 6}});
     * table.gather(Tensor.of(new int[] {2, 0}), 0);   // [[5, 6], [1, 2]]
     * }</pre>
     */
    public static Tensor gather(Tensor x, Tensor indices, int axis) {
        int ax = Shape.normalizeAxis(axis, x.rank(), "gather");
        int[] idx = checkedIndices("gather", indices, x.shape().dim(ax), x.shape(), ax);
        Layout l = new Layout(x.shape(), ax);
        Shape outShape = gatheredShape(x.shape(), ax, indices.shape());
        Tensor c = x.isContiguous() ? x : ShapeOps.copyRaw(x);
        Tensor y = Tensor.zeros(x.dtype(), outShape.toArray());
        Object src = c.array();
        Object dst = y.array();
        for (int o = 0; o < l.outer; o++) {
            for (int j = 0; j < idx.length; j++) {
                System.arraycopy(src, c.offset() + (o * l.dim + idx[j]) * l.inner, dst, (o * idx.length + j) * l.inner,
                        l.inner);
            }
        }
        return Recording.record(Op.GATHER, new Attrs.Axis(ax), y, x, indices);
    }

    /**
     * The adjoint of {@link #gather}: a zero tensor of {@code shape} into which each slice of
     * {@code updates} is added at its index along {@code axis} (repeated indices add up).
     */
    public static Tensor scatterAdd(Tensor updates, Tensor indices, int axis, Shape shape) {
        UnaryOps.requireFloating("scatterAdd", updates);
        int ax = Shape.normalizeAxis(axis, shape.rank(), "scatterAdd");
        int[] idx = checkedIndices("scatterAdd", indices, shape.dim(ax), shape, ax);
        Shape expected = gatheredShape(shape, ax, indices.shape());
        if (!expected.equals(updates.shape())) {
            throw new IllegalArgumentException("scatterAdd: updates of shape " + updates.shape() + " do not match "
                    + expected + " (indices " + indices.shape() + " into " + shape + " along axis " + axis + ")");
        }
        Layout l = new Layout(shape, ax);
        Tensor u = updates.isContiguous() ? updates : ShapeOps.copyRaw(updates);
        Tensor y = Tensor.zeros(updates.dtype(), shape.toArray());
        for (int o = 0; o < l.outer; o++) {
            for (int j = 0; j < idx.length; j++) {
                int src = u.offset() + (o * idx.length + j) * l.inner;
                int dst = (o * l.dim + idx[j]) * l.inner;
                if (u.dtype() == DType.F32) {
                    float[] s = u.f32Array();
                    float[] d = y.f32Array();
                    for (int i = 0; i < l.inner; i++) {
                        d[dst + i] += s[src + i];
                    }
                } else {
                    double[] s = u.f64Array();
                    double[] d = y.f64Array();
                    for (int i = 0; i < l.inner; i++) {
                        d[dst + i] += s[src + i];
                    }
                }
            }
        }
        return Recording.record(Op.SCATTER_ADD, new Attrs.ScatterAdd(ax, shape), y, updates, indices);
    }

    /** F32 one-hot rows: shape {@code indices.shape() + (depth,)}; an index outside [0, depth) is an error. */
    public static Tensor oneHot(Tensor indices, int depth) {
        if (indices.dtype() != DType.I32) {
            throw new IllegalArgumentException("oneHot: indices must be I32, got " + indices.dtype() + " "
                    + indices.shape());
        }
        if (depth < 0) {
            throw new IllegalArgumentException("oneHot: depth must be non-negative, got " + depth);
        }
        int[] idx = indices.toIntArray();
        int[] dims = new int[indices.rank() + 1];
        for (int i = 0; i < indices.rank(); i++) {
            dims[i] = indices.shape().dim(i);
        }
        dims[indices.rank()] = depth;
        Tensor y = Tensor.zeros(DType.F32, dims);
        float[] out = y.f32Array();
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= depth) {
                throw new IllegalArgumentException("oneHot: index " + idx[i] + " at flat position " + i
                        + " is outside [0, " + depth + ")");
            }
            out[i * depth + idx[i]] = 1;
        }
        return Recording.record(Op.ONE_HOT, new Attrs.OneHot(depth), y, indices);
    }

    private static Shape gatheredShape(Shape x, int ax, Shape indices) {
        int[] dims = new int[x.rank() - 1 + indices.rank()];
        int r = 0;
        for (int i = 0; i < ax; i++) {
            dims[r++] = x.dim(i);
        }
        for (int i = 0; i < indices.rank(); i++) {
            dims[r++] = indices.dim(i);
        }
        for (int i = ax + 1; i < x.rank(); i++) {
            dims[r++] = x.dim(i);
        }
        return Shape.of(dims);
    }

    private static int[] checkedIndices(String op, Tensor indices, int dim, Shape shape, int axis) {
        if (indices.dtype() != DType.I32) {
            throw new IllegalArgumentException(op + ": indices must be I32, got " + indices.dtype() + " " + indices.shape());
        }
        int[] idx = indices.toIntArray();
        for (int i = 0; i < idx.length; i++) {
            int v = idx[i] < 0 ? idx[i] + dim : idx[i];
            if (v < 0 || v >= dim) {
                throw new IllegalArgumentException(op + ": index " + idx[i] + " at flat position " + i
                        + " is out of range for axis " + axis + " of " + shape + " (size " + dim + ")");
            }
            idx[i] = v;
        }
        return idx;
    }

    /** A contiguous shape seen as [outer, dim, inner] around one axis. */
    private static final class Layout {
        final int outer;
        final int dim;
        final int inner;

        Layout(Shape s, int axis) {
            int o = 1;
            int in = 1;
            for (int i = 0; i < axis; i++) {
                o *= s.dim(i);
            }
            for (int i = axis + 1; i < s.rank(); i++) {
                in *= s.dim(i);
            }
            this.outer = o;
            this.dim = s.dim(axis);
            this.inner = in;
        }
    }
}
