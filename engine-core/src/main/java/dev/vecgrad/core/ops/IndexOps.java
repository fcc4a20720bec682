package dev.vecgrad.core.ops;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.kernel.Backend;

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
     * {@snippet class=dev.vecgrad.core.CoreSnippetsTest region=gather}
     */
    public static Tensor gather(Tensor x, Tensor indices, int axis) {
        return Dispatcher.call(Primitives.GATHER, new Attrs.Axis(Shape.normalizeAxis(axis, x.rank(), "gather")), x,
                indices);
    }

    /**
     * The adjoint of {@link #gather}: a zero tensor of {@code shape} into which each slice of
     * {@code updates} is added at its index along {@code axis} (repeated indices add up).
     */
    public static Tensor scatterAdd(Tensor updates, Tensor indices, int axis, Shape shape) {
        return Dispatcher.call(Primitives.SCATTER_ADD,
                new Attrs.ScatterAdd(Shape.normalizeAxis(axis, shape.rank(), "scatterAdd"), shape), updates, indices);
    }

    /** F32 one-hot rows: shape {@code indices.shape() + (depth,)}; an index outside [0, depth) is an error. */
    public static Tensor oneHot(Tensor indices, int depth) {
        return Dispatcher.call(Primitives.ONE_HOT, new Attrs.OneHot(depth), indices);
    }

    /** Elements at I32 indices along an axis. */
    static final class Gather extends ComputePrimitive<Attrs.Axis> {
        Gather() {
            super("gather", true);
        }

        @Override
        public Shape inferShape(Tensor[] in, Attrs.Axis attrs) {
            Tensor x = in[0];
            int ax = Shape.normalizeAxis(attrs.axis(), x.rank(), "gather");
            checkedIndices("gather", in[1], x.shape().dim(ax), x.shape(), ax);
            return gatheredShape(x.shape(), ax, in[1].shape());
        }

        @Override
        public void run(Backend backend, Tensor[] in, Attrs.Axis attrs, Tensor y) {
            Tensor x = in[0];
            int ax = attrs.axis();
            int[] idx = checkedIndices("gather", in[1], x.shape().dim(ax), x.shape(), ax);
            Layout l = new Layout(x.shape(), ax);
            Tensor c = x.isContiguous() ? x : ShapeOps.copyRaw(x);
            Object src = c.array();
            Object dst = y.array();
            for (int o = 0; o < l.outer; o++) {
                for (int j = 0; j < idx.length; j++) {
                    System.arraycopy(src, c.offset() + (o * l.dim + idx[j]) * l.inner, dst,
                            (o * idx.length + j) * l.inner, l.inner);
                }
            }
        }
    }

    /** Slices added at I32 indices along an axis of a zero tensor. */
    static final class ScatterAdd extends ComputePrimitive<Attrs.ScatterAdd> {
        ScatterAdd() {
            super("scatter_add", true);
        }

        @Override
        public Shape inferShape(Tensor[] in, Attrs.ScatterAdd attrs) {
            Tensor updates = in[0];
            Shape shape = attrs.shape();
            UnaryOps.requireFloating("scatterAdd", updates);
            int ax = Shape.normalizeAxis(attrs.axis(), shape.rank(), "scatterAdd");
            checkedIndices("scatterAdd", in[1], shape.dim(ax), shape, ax);
            Shape expected = gatheredShape(shape, ax, in[1].shape());
            if (!expected.equals(updates.shape())) {
                throw new IllegalArgumentException("scatterAdd: updates of shape " + updates.shape()
                        + " do not match " + expected + " (indices " + in[1].shape() + " into " + shape
                        + " along axis " + ax + ")");
            }
            return shape;
        }

        @Override
        public boolean writesEveryElement() {
            return false;
        }

        @Override
        public void run(Backend backend, Tensor[] in, Attrs.ScatterAdd attrs, Tensor y) {
            Shape shape = attrs.shape();
            int ax = attrs.axis();
            int[] idx = checkedIndices("scatterAdd", in[1], shape.dim(ax), shape, ax);
            Layout l = new Layout(shape, ax);
            Tensor u = in[0].isContiguous() ? in[0] : ShapeOps.copyRaw(in[0]);
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
        }
    }

    /** F32 one-hot rows of I32 indices. */
    static final class OneHot extends ComputePrimitive<Attrs.OneHot> {
        OneHot() {
            super("one_hot", false);
        }

        @Override
        public Shape inferShape(Tensor[] in, Attrs.OneHot attrs) {
            Tensor indices = in[0];
            int depth = attrs.depth();
            if (indices.dtype() != DType.I32) {
                throw new IllegalArgumentException("oneHot: indices must be I32, got " + indices.dtype() + " "
                        + indices.shape());
            }
            if (depth < 0) {
                throw new IllegalArgumentException("oneHot: depth must be non-negative, got " + depth);
            }
            int[] idx = indices.toIntArray();
            for (int i = 0; i < idx.length; i++) {
                if (idx[i] < 0 || idx[i] >= depth) {
                    throw new IllegalArgumentException("oneHot: index " + idx[i] + " at flat position " + i
                            + " is outside [0, " + depth + ")");
                }
            }
            int[] dims = new int[indices.rank() + 1];
            for (int i = 0; i < indices.rank(); i++) {
                dims[i] = indices.shape().dim(i);
            }
            dims[indices.rank()] = depth;
            return Shape.of(dims);
        }

        @Override
        public DType inferDType(Tensor[] in, Attrs.OneHot attrs) {
            return DType.F32;
        }

        @Override
        public boolean writesEveryElement() {
            return false;
        }

        @Override
        public void run(Backend backend, Tensor[] in, Attrs.OneHot attrs, Tensor y) {
            Tensor t = in[0];
            // Contiguous I32 indices are read in place (a replayed step passes the same labels tensor each time).
            boolean inPlace = t.dtype() == DType.I32 && t.isContiguous();
            int[] idx = inPlace ? t.i32Array() : t.toIntArray();
            int off = inPlace ? t.offset() : 0;
            int depth = attrs.depth();
            float[] out = y.f32Array();
            for (int i = 0, n = t.size(); i < n; i++) {
                out[i * depth + idx[off + i]] = 1;
            }
        }
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
