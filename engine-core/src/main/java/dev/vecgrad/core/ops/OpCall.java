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
 * <p>A binary op's inputs are held in two fields rather than an array, and its second input may
 * be a number ({@code x.mul(2)}): {@link #isConstant} says so and {@link #constant} gives it, so a
 * gradient rule can use the number itself; {@link #input} still gives it as a scalar tensor of the
 * first input's dtype, made on the first request.
 *
 * @param <A> the primitive's attribute type
 */
public class OpCall<A> {
    private final Primitive<A> op;
    private final A attrs;
    /** The inputs of an op reported with an array; null for a binary op (see {@link #first}, {@link #second}). */
    private final Tensor[] inputs;
    private final Tensor first;
    /** The second input of a binary op; for a number operand null until {@link #input} makes it. */
    private Tensor second;
    private final boolean numberOperand;
    private final double number;
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
        this(op, attrs, inputs, null, null, false, 0, output);
    }

    /**
     * A binary op that ran on {@code a} and {@code b}.
     *
     * @param op     which primitive
     * @param attrs  its attributes (null for a primitive without any)
     * @param a      its first input
     * @param b      its second input
     * @param output the tensor it produced
     */
    public OpCall(Primitive<A> op, A attrs, Tensor a, Tensor b, Tensor output) {
        this(op, attrs, null, a, b, false, 0, output);
    }

    /**
     * A binary op that ran on {@code a} and the number {@code c}, taken in {@code a}'s dtype.
     *
     * @param op     which primitive
     * @param attrs  its attributes (null for a primitive without any)
     * @param a      its first input
     * @param c      its second input
     * @param output the tensor it produced
     */
    public OpCall(Primitive<A> op, A attrs, Tensor a, double c, Tensor output) {
        this(op, attrs, null, a, null, true, c, output);
    }

    private OpCall(Primitive<A> op, A attrs, Tensor[] inputs, Tensor first, Tensor second, boolean numberOperand,
            double number, Tensor output) {
        this.op = op;
        this.attrs = attrs;
        this.inputs = inputs;
        this.first = first;
        this.second = second;
        this.numberOperand = numberOperand;
        this.number = number;
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

    /** Input {@code i}; a number operand as a scalar tensor of the first input's dtype. */
    public final Tensor input(int i) {
        if (inputs != null) {
            return inputs[i];
        }
        if (i == 0) {
            return first;
        }
        if (i != 1) {
            throw new IndexOutOfBoundsException("input " + i + " of a binary op");
        }
        if (second == null) {
            second = first.scalarLike(number);
        }
        return second;
    }

    /** Whether input {@code i} was given as a number (see {@link #constant}). */
    public final boolean isConstant(int i) {
        return numberOperand && i == 1;
    }

    /** The number input {@code i} was given as; only for an input that {@link #isConstant}. */
    public final double constant(int i) {
        if (!isConstant(i)) {
            throw new IllegalArgumentException("input " + i + " of " + op.name() + " is a tensor, not a number");
        }
        return number;
    }

    /** The number of inputs. */
    public final int inputCount() {
        return inputs != null ? inputs.length : 2;
    }

    /** The inputs in argument order (an unmodifiable view); a number operand as {@link #input} gives it. */
    public final List<Tensor> inputs() {
        if (inputs == null) {
            return List.of(first, input(1));
        }
        return Collections.unmodifiableList(Arrays.asList(inputs));
    }

    /** The tensor it produced. */
    public final Tensor output() {
        return output;
    }
}
