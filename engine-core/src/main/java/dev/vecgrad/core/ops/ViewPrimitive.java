package dev.vecgrad.core.ops;

import dev.vecgrad.core.Tensor;

/**
 * A primitive whose output is a view of its one input: the same array seen through another
 * shape, strides and offset (reshape of contiguous data, permute, slice, broadcast). Nothing is
 * allocated or computed; the {@link Dispatcher} reports the view to recorders like any op, and a
 * memory planner knows the output aliases the input.
 *
 * @param <A> the attribute type
 */
public abstract class ViewPrimitive<A> extends Primitive<A> {

    /** Declares a view primitive; see {@link Primitive#Primitive(String, boolean)}. */
    protected ViewPrimitive(String name) {
        super(name, true);
    }

    /**
     * Checks {@code attrs} against {@code x} (errors name the op) and returns the view, or
     * {@code x} itself when the view would show exactly {@code x}.
     */
    public abstract Tensor view(Tensor x, A attrs);
}
