package dev.vecgrad.core.ops;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A primitive op: the unit the engine is built from, declared once. A declaration says what the
 * op is called, whether a gradient flows through it, what attributes it takes (the type
 * parameter {@code A}, a record from {@link Attrs}, or {@link Void} for none), how its output
 * follows from its inputs (with the error messages for inputs that do not fit), and how it runs.
 * Every primitive of the engine is listed in {@link Primitives}; its gradient rule lives in
 * engine-autodiff, keyed by the primitive.
 *
 * <p>Two kinds run through the {@link Dispatcher}: a {@link ComputePrimitive} writes a new
 * output on a backend's kernels, and a {@link ViewPrimitive} returns a view that shares its
 * input's array. A block whose forward is user code (autodiff's custom gradients) extends this
 * class directly and is only reported to recorders.
 *
 * @param <A> the attribute type
 */
public abstract class Primitive<A> {
    private static final AtomicInteger NEXT_ID = new AtomicInteger();

    private final String name;
    private final boolean differentiable;
    private final int id;

    /**
     * Declares a primitive.
     *
     * @param name           lower-case name used in error messages and graph drawings, e.g. {@code gelu_tanh}
     * @param differentiable whether a gradient flows through it to its floating-point inputs
     */
    protected Primitive(String name, boolean differentiable) {
        this.name = name;
        this.differentiable = differentiable;
        this.id = NEXT_ID.getAndIncrement();
    }

    /** The lower-case name, e.g. {@code gelu_tanh}. */
    public final String name() {
        return name;
    }

    /**
     * Whether a gradient flows through this op to its floating-point inputs; false for ops whose
     * output carries no gradient (comparisons, arg-max, one-hot), through which a tape gives no
     * gradient rather than a wrong one.
     */
    public final boolean differentiable() {
        return differentiable;
    }

    /** A small number unique to this primitive, for tables indexed by primitive. */
    public final int id() {
        return id;
    }

    /** The number of primitives declared so far: every {@link #id()} is below it. */
    public static int count() {
        return NEXT_ID.get();
    }

    @Override
    public String toString() {
        return name;
    }
}
