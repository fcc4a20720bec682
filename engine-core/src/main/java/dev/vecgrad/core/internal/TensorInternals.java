package dev.vecgrad.core.internal;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;

/**
 * What {@link Tensor} keeps from its public API, for the engine's own modules: this package is
 * exported to engine-autodiff and engine-train only. {@code Tensor} installs the {@link Access}
 * when it is loaded, so every tensor that exists can be reached through it.
 *
 * <p>The backing arrays ({@link #f32}, {@link #f64}, {@link #i32}, {@link #data}) and wrapping an
 * array without copying ({@link #wrap}) are here, not on {@code Tensor}, because a tensor never
 * changes: engine code writes an array only while it makes the tensor that wraps it (an op's
 * output, a file's contents), and a variable writes its own value only when nothing outside the
 * engine has seen it (see {@link VariableInternals}).
 *
 * <p>The recorder tag is one slot per tensor that one recorder may claim, so that it finds its
 * record of the tensor again without a lookup (autodiff's tape keeps its node there). The outputs
 * of ops are claimed by the thread that made them, before they reach user code ({@link #setTag});
 * a tensor other threads may see (a watched tensor, a variable's value) is claimed atomically
 * ({@link #claimTag}). A recorder that finds the slot taken keeps its own map.
 */
public final class TensorInternals {
    private static Access access;

    static {
        // Tensor installs the access in its own initialisation: make sure it has run, so that
        // wrapping works before any tensor exists.
        try {
            Class.forName(Tensor.class.getName(), true, Tensor.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private TensorInternals() {
    }

    /** The operations {@link Tensor} gives this class; installed once, by {@code Tensor}. */
    public interface Access {
        /** The backing array. */
        Object data(Tensor t);

        /** A view over {@code data}, checked against its length, without copying. */
        Tensor wrap(DType dtype, Shape shape, int[] strides, int offset, Object data);

        /** A contiguous tensor over all of {@code data}, without copying. */
        Tensor wrap(DType dtype, Shape shape, Object data);

        /** Rows {@code [start, stop)} of {@code t}'s first axis as a view, bounds checked, not reported. */
        Tensor rowRange(Tensor t, int start, int stop);

        /** The recorder tag, or null. */
        Object tag(Tensor t);

        /** Sets the recorder tag. */
        void setTag(Tensor t, Object tag);

        /** Sets the recorder tag to {@code tag} if no recorder has claimed it, atomically; whether it did. */
        boolean claimTag(Tensor t, Object tag);
    }

    /** Called once, by {@code Tensor}'s class initialisation. */
    public static synchronized void install(Access a) {
        if (access != null) {
            throw new IllegalStateException("tensor internals are installed once, by Tensor");
        }
        access = a;
    }

    /** The backing array of {@code t} (shared; engine code reads it and never writes it). */
    public static Object data(Tensor t) {
        return access.data(t);
    }

    /** The backing {@code float[]} of an F32 tensor (shared, never to be written). */
    public static float[] f32(Tensor t) {
        requireDType(t, DType.F32);
        return (float[]) access.data(t);
    }

    /** The backing {@code double[]} of an F64 tensor (shared, never to be written). */
    public static double[] f64(Tensor t) {
        requireDType(t, DType.F64);
        return (double[]) access.data(t);
    }

    /** The backing {@code int[]} of an I32 tensor (shared, never to be written). */
    public static int[] i32(Tensor t) {
        requireDType(t, DType.I32);
        return (int[]) access.data(t);
    }

    private static void requireDType(Tensor t, DType expected) {
        if (t.dtype() != expected) {
            throw new IllegalArgumentException("expected a " + expected + " tensor, got " + t.dtype() + " " + t.shape());
        }
    }

    /**
     * Wraps an array without copying. The caller hands the array over: nothing may write to it
     * afterwards. Strides and offset are in elements and are checked against the array's length.
     */
    public static Tensor wrap(DType dtype, Shape shape, int[] strides, int offset, Object data) {
        return access.wrap(dtype, shape, strides, offset, data);
    }

    /** Wraps a contiguous array of exactly {@code shape.size()} elements without copying; the caller hands it over. */
    public static Tensor wrap(DType dtype, Shape shape, Object data) {
        return access.wrap(dtype, shape, data);
    }

    /**
     * Rows {@code [start, stop)} of {@code t}'s first axis as a view (bounds checked), made without
     * reporting it to recorders or allocators: {@link Tensor#rows} is the reported form.
     */
    public static Tensor rowRange(Tensor t, int start, int stop) {
        return access.rowRange(t, start, stop);
    }

    /** The recorder tag of {@code t}, or null when no recorder has claimed it. */
    public static Object tag(Tensor t) {
        return access.tag(t);
    }

    /** Sets (or, with null, clears) the recorder tag of {@code t}: for tensors no other thread can see yet, or a tag the caller holds. */
    public static void setTag(Tensor t, Object tag) {
        access.setTag(t, tag);
    }

    /** Claims the recorder tag of {@code t} for {@code tag} if it is free, atomically; whether it did. */
    public static boolean claimTag(Tensor t, Object tag) {
        return access.claimTag(t, tag);
    }
}
