package dev.vecgrad.core.ops;

import dev.vecgrad.core.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One primitive op that ran: what a recorder is told by {@link Recording}.
 *
 * @param <A> the primitive's attribute type
 */
public final class OpCall<A> {
    private final Primitive<A> op;
    private final Tensor[] inputs;
    private final A attrs;
    private final Tensor output;

    /**
     * An op that ran.
     *
     * @param op     which primitive
     * @param attrs  its attributes (null for a primitive without any)
     * @param inputs the tensors it read, in its argument order; kept, not copied, so the caller
     *               hands the array over
     * @param output the tensor it produced
     */
    public OpCall(Primitive<A> op, A attrs, Tensor[] inputs, Tensor output) {
        this.op = op;
        this.inputs = inputs;
        this.attrs = attrs;
        this.output = output;
    }

    /** Which primitive ran. */
    public Primitive<A> op() {
        return op;
    }

    /** Its attributes, or null for a primitive without any. */
    public A attrs() {
        return attrs;
    }

    /** Input {@code i}. */
    public Tensor input(int i) {
        return inputs[i];
    }

    /** The number of inputs. */
    public int inputCount() {
        return inputs.length;
    }

    /** The inputs in argument order (an unmodifiable view). */
    public List<Tensor> inputs() {
        return Collections.unmodifiableList(Arrays.asList(inputs));
    }

    /** The tensor it produced. */
    public Tensor output() {
        return output;
    }
}
