package dev.vecgrad.core.internal;

import dev.vecgrad.core.Tensor;

/**
 * What {@link Tensor} keeps from its public API, for the engine's own modules: this package is
 * exported to engine-autodiff and engine-train only. {@code Tensor} installs the {@link Access}
 * when it is loaded, so every tensor that exists can be reached through it.
 *
 * <p>The recorder tag is one slot per tensor that one recorder may claim, so that it finds its
 * record of the tensor again without a lookup (autodiff's tape keeps its node there). The outputs
 * of ops are claimed by the thread that made them, before they reach user code ({@link #setTag});
 * a tensor other threads may see (a watched tensor, a variable's value) is claimed atomically
 * ({@link #claimTag}). A recorder that finds the slot taken keeps its own map.
 */
public final class TensorInternals {
    private static Access access;

    private TensorInternals() {
    }

    /** The operations {@link Tensor} gives this class; installed once, by {@code Tensor}. */
    public interface Access {
        /** The backing array. */
        Object data(Tensor t);

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
