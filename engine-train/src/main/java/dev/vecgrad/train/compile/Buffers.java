package dev.vecgrad.train.compile;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
import dev.vecgrad.train.data.Tensors;
import java.util.Arrays;

/** The raw-array work of a plan, in one place: making, clearing and copying buffers. */
final class Buffers {
    private Buffers() {
    }

    /** The array behind {@code t}. */
    static Object data(Tensor t) {
        return TensorInternals.data(t);
    }

    /**
     * Bytes a plan's array is rounded up to. The SIMD kernels finish a run with a masked vector
     * access; when that access would reach past the end of the array, the Vector API checks it
     * lane by lane on a slow path, which for a tensor of a few elements costs more than the kernel.
     * Arrays of whole 64-byte vectors (the widest vector shape) keep every such access inside.
     */
    static final int PAD_BYTES = 64;

    /**
     * A zeroed array for {@code n} elements of {@code dtype}: {@code n} rounded up to whole
     * {@link #PAD_BYTES}-byte vectors.
     */
    static Object newArray(DType dtype, int n) {
        n = paddedLength(dtype, n);
        return switch (dtype) {
            case F32 -> new float[n];
            case F64 -> new double[n];
            case I32 -> new int[n];
        };
    }

    /** The length of an array made by {@link #newArray}. */
    static int length(Object array) {
        return switch (array) {
            case float[] a -> a.length;
            case double[] a -> a.length;
            case int[] a -> a.length;
            default -> throw new IllegalArgumentException("not a tensor array: " + array.getClass());
        };
    }

    /** The dtype of an array made by {@link #newArray}. */
    static DType dtype(Object array) {
        return switch (array) {
            case float[] a -> DType.F32;
            case double[] a -> DType.F64;
            case int[] a -> DType.I32;
            default -> throw new IllegalArgumentException("not a tensor array: " + array.getClass());
        };
    }

    /** Sets the elements of contiguous {@code t} to zero. */
    static void clear(Tensor t) {
        int from = t.offset();
        int to = from + t.size();
        switch (data(t)) {
            case float[] a -> Arrays.fill(a, from, to, 0f);
            case double[] a -> Arrays.fill(a, from, to, 0d);
            case int[] a -> Arrays.fill(a, from, to, 0);
            default -> throw new IllegalArgumentException("not a tensor array");
        }
    }

    /** The length of the array {@link #newArray} makes for {@code n} elements of {@code dtype}. */
    static int paddedLength(DType dtype, int n) {
        int perVector = PAD_BYTES / dtype.byteSize();
        return (n + perVector - 1) / perVector * perVector;
    }

    /** A contiguous copy of {@code t} in an array made by {@link #newArray}. */
    static Tensor paddedCopy(Tensor t) {
        Tensor p = TensorInternals.wrap(t.dtype(), t.shape(), t.shape().contiguousStrides(), 0,
                newArray(t.dtype(), t.size()));
        copy(t, p);
        return p;
    }

    /** Copies {@code src} into contiguous {@code dst} of the same dtype and shape. */
    static void copy(Tensor src, Tensor dst) {
        if (src.dtype() != dst.dtype() || !src.shape().equals(dst.shape())) {
            throw new TracingException("a replayed step produced a " + src.dtype() + " " + src.shape()
                    + " tensor where its trace produced a " + dst.dtype() + " " + dst.shape() + " one");
        }
        Tensor s = src.isContiguous() ? src : src.contiguousCopy();
        System.arraycopy(data(s), s.offset(), data(dst), dst.offset(), s.size());
    }

    /** Copies of {@code ts} (names kept), so that what a step returns outlives the plan's next replay. */
    static Tensors copyOut(Tensors ts) {
        return ts.map(Tensor::contiguousCopy);
    }
}
