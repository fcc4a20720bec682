package dev.vecgrad.core.ops;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.kernel.Backend;

/**
 * A primitive that computes a new output: the {@link Dispatcher} asks it for the output's shape
 * and dtype, allocates the output, and lets it {@link #run} on the engine's {@link Backend}.
 * Besides inference and running, a declaration states what a memory planner needs to know:
 * whether {@code run} writes every element of the output ({@link #writesEveryElement()}) and
 * whether the output may share an input's buffer ({@link #inPlaceInput()}).
 *
 * <pre>{@code
 * Tensor y = Dispatcher.call(Primitives.MATMUL, new Attrs.Matmul(false, true), a, b);
 * }</pre>
 *
 * @param <A> the attribute type
 */
public abstract class ComputePrimitive<A> extends Primitive<A> {

    /** Declares a computing primitive; see {@link Primitive#Primitive(String, boolean)}. */
    protected ComputePrimitive(String name, boolean differentiable) {
        super(name, differentiable);
    }

    /**
     * Checks the inputs and attributes and returns the output's shape; an input that does not fit
     * is an {@link IllegalArgumentException} that names the op and what was wrong.
     */
    public abstract Shape inferShape(Tensor[] inputs, A attrs);

    /** The output's dtype, once {@link #inferShape} has accepted the inputs: by default the first input's. */
    public DType inferDType(Tensor[] inputs, A attrs) {
        return inputs[0].dtype();
    }

    /**
     * Computes the op into {@code output}: a contiguous tensor of the inferred dtype and shape,
     * zero-filled unless {@link #writesEveryElement()} says the op does not need it to be.
     */
    public abstract void run(Backend backend, Tensor[] inputs, A attrs, Tensor output);

    /**
     * Whether {@link #run} writes every element of its output, so that a planned buffer need not be
     * cleared first; false for ops that add into a zero output (scatter-add, the pooling backward
     * ops) or write only part of it (unslice, one-hot).
     */
    public boolean writesEveryElement() {
        return true;
    }

    /**
     * The input whose buffer the output may share, or -1: when that input is contiguous with the
     * output's dtype and shape and nothing reads it afterwards, {@link #run} may write over it,
     * because it reads each element before it writes the same element.
     */
    public int inPlaceInput() {
        return -1;
    }
}
