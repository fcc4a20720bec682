package dev.vecgrad.train.layers;

import dev.vecgrad.core.Tensor;
import java.util.List;

/**
 * The elementwise sum of its inputs (two or more, shapes broadcast together), as Keras's
 * {@code Add}.
 *
 * <pre>{@code
 * SymbolicTensor y = new Add().call(a, b);
 * }</pre>
 */
public final class Add extends ElementwiseMerge {
    /** With the default name ({@code add}, ...). */
    public Add() {
        this(null);
    }

    /** Called {@code name} (null for the default). */
    public Add(String name) {
        super(name);
    }

    @Override
    Tensor combine(List<Tensor> inputs) {
        return sum(inputs);
    }
}
