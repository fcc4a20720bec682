package dev.vecgrad.core.ops;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;

/**
 * The seam between the engine and anything that watches it run, such as autodiff's
 * {@code GradientTape}. A recorder is active on one thread between {@link Recording#push} and
 * {@link Recording#pop}; every primitive op that runs on that thread is reported to it.
 */
public interface OpRecorder {

    /**
     * A primitive op ran on this thread: {@code op} with {@code attrs} (null for a primitive
     * without any) read {@code inputs}, in its argument order, and produced {@code output}. The
     * recorder may keep {@code inputs}: the caller hands the array over and never writes to it.
     */
    <A> void recordOp(Primitive<A> op, A attrs, Tensor[] inputs, Tensor output);

    /**
     * A binary op ran on this thread: {@code output = op(a, b)}. The same report as
     * {@link #recordOp} with the inputs {@code {a, b}}, which it gives by default; a recorder that
     * keeps the inputs in fields of its own overrides it and saves the array.
     */
    default void recordBinary(Binary op, Tensor a, Tensor b, Tensor output) {
        recordOp(op, null, new Tensor[] {a, b}, output);
    }

    /**
     * A binary op ran on this thread on a tensor and a number: {@code output = op(a, c)}, {@code c}
     * taken in {@code a}'s dtype ({@code x.mul(2)}). By default reported as {@link #recordBinary}
     * with {@code c} as a scalar tensor of {@code a}'s dtype; a recorder that can keep the number
     * overrides it and saves the tensor.
     */
    default void recordBinary(Binary op, Tensor a, double c, Tensor output) {
        recordBinary(op, a, a.scalarLike(c), output);
    }

    /**
     * A variable's value was read on this thread; {@code value} is the tensor ops will see. A
     * recorder that keeps it (or ops that use it) beyond this call takes a {@link Variable#hold()}
     * until it no longer needs it, so that updates of the variable meanwhile leave it unchanged.
     */
    default void recordVariableRead(Variable variable, Tensor value) {
    }

    /**
     * Whether this recorder keeps seeing ops while recording is {@link Recording#pause() paused}:
     * false for a gradient tape (paused work is constant to it), true for a tracer that must see
     * every op a step runs in order to replay it.
     */
    default boolean seesPausedOps() {
        return false;
    }
}
