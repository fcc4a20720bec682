package dev.vecgrad.train.layers;

import dev.vecgrad.core.Tensor;
import java.util.List;

/**
 * The elementwise product of its inputs (two or more, shapes broadcast together), as Keras's
 * {@code Multiply}.
 *
 * <pre>{@code
 * SymbolicTensor y = new Multiply().call(a, b);
 * }</pre>
 */
public final class Multiply extends ElementwiseMerge {
    /** With the default name ({@code multiply}, ...). */
    public Multiply() {
        this(null);
    }

    /** Called {@code name} (null for the default). */
    public Multiply(String name) {
        super(name);
    }

    @Override
    Tensor combine(List<Tensor> inputs) {
        Tensor product = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) {
            product = product.mul(inputs.get(i));
        }
        return product;
    }
}
