package dev.vecgrad.core.ops;

import dev.vecgrad.core.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One primitive op that ran, as a recorder keeps it: the primitive, its attributes, its inputs and
 * its output. A recorder that keeps something of its own per op (a gradient tape's node) extends
 * this class, so that one object holds both.
 *
 * @param <A> the primitive's attribute type
 */
public class OpCall<A> {
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
    public final Primitive<A> op() {
        return op;
    }

    /** Its attributes, or null for a primitive without any. */
    public final A attrs() {
        return attrs;
    }

    /** Input {@code i}. */
    public final Tensor input(int i) {
        return inputs[i];
    }

    /** The number of inputs. */
    public final int inputCount() {
        return inputs.length;
    }

    /** The inputs in argument order (an unmodifiable view). */
    public final List<Tensor> inputs() {
        return Collections.unmodifiableList(Arrays.asList(inputs));
    }

    /** The tensor it produced. */
    public final Tensor output() {
        return output;
    }
}
