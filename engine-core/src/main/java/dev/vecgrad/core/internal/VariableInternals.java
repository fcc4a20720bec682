package dev.vecgrad.core.internal;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;

/**
 * What {@link Variable} keeps from its public API, for the engine's own modules (this package is
 * exported to engine-autodiff and engine-train only): reading a variable's value without handing
 * it out, and updating its array in place. {@code Variable} installs the {@link Access} when it is
 * loaded.
 *
 * <p>{@link Variable#value()} hands its tensor out: the variable's next write then goes to a fresh
 * array, so what the caller holds never changes. The engine's layers and optimizers read weights
 * here instead ({@link #read}, {@link #current}), which marks nothing, so the update that follows
 * writes in place. Such a tensor is the variable's storage: code that reads it must not let it,
 * or a view of it, outlive the next update unless a recorder {@linkplain Variable#hold() holds}
 * it (a tape does, for every value it was told about, until it has computed its gradient).
 */
public final class VariableInternals {
    private static Access access;

    private VariableInternals() {
    }

    /** The operations {@link Variable} gives this class; installed once, by {@code Variable}. */
    public interface Access {
        /** The current value, reported to active recorders as a read, not handed out. */
        Tensor read(Variable v);

        /** The current value, neither reported nor handed out. */
        Tensor current(Variable v);

        /** Starts an in-place update of an F32 variable. */
        F32Update updateF32(Variable v);

        /** The array an in-place update of an F64 variable writes. */
        double[] updateF64(Variable v);
    }

    /** Called once, by {@code Variable}'s class initialisation. */
    public static synchronized void install(Access a) {
        if (access != null) {
            throw new IllegalStateException("variable internals are installed once, by Variable");
        }
        access = a;
    }

    /**
     * The current value of {@code v}, reported to active recorders as a read (so a tape watches a
     * trainable variable and holds what it saw), without handing it out: how layers read their
     * weights in {@code call}.
     */
    public static Tensor read(Variable v) {
        return access.read(v);
    }

    /**
     * The current value of {@code v}, neither reported to recorders nor handed out: for an
     * optimizer's own state, saving (which copies), and checking whether a value changed.
     */
    public static Tensor current(Variable v) {
        return access.current(v);
    }

    /**
     * Starts an update of every element of an F32 variable, such as an optimizer step: read the
     * current value from {@code source()}, write the new one to {@code target()}. Both are the
     * variable's own array, unless the current value has been handed out or is held; then
     * {@code target()} is a fresh array that the variable holds from now on, so what the holder saw
     * never changes and nothing is copied first. Until the caller has written all of
     * {@code target()} the variable's value is incomplete, so the update must not be interleaved
     * with reads.
     *
     * <pre>{@code
     * VariableInternals.F32Update u = VariableInternals.updateF32(w);
     * for (int i = 0; i < u.source().length; i++) {
     *     u.target()[i] = u.source()[i] - 0.1f * grad[i];
     * }
     * }</pre>
     *
     * @throws IllegalStateException if {@code v} is not F32
     */
    public static F32Update updateF32(Variable v) {
        return access.updateF32(v);
    }

    /**
     * The array to update an F64 variable in place, reading and writing every element: the
     * variable's own array, unless the current value has been handed out or is held; then a copy
     * of it that the variable holds from now on, so what the holder saw never changes. As with
     * {@link #updateF32}, the update must not be interleaved with reads.
     *
     * <pre>{@code
     * double[] w = VariableInternals.updateF64(v);
     * for (int i = 0; i < w.length; i++) {
     *     w[i] -= 0.1 * grad[i];
     * }
     * }</pre>
     *
     * @throws IllegalStateException if {@code v} is not F64
     */
    public static double[] updateF64(Variable v) {
        return access.updateF64(v);
    }

    /**
     * The two arrays of one update of an F32 variable (see {@link #updateF32}).
     *
     * @param source the current value, to read
     * @param target where the new value goes; every element must be written
     */
    public record F32Update(float[] source, float[] target) {
        /** Whether the update writes over the value it reads. */
        public boolean inPlace() {
            return source == target;
        }
    }
}
