package dev.vecgrad.train.layers;

import dev.vecgrad.core.Tensor;
import java.util.List;

/**
 * The elementwise mean of its inputs (two or more, shapes broadcast together), as Keras's
 * {@code Average}.
 *
 * <pre>{@code
 * SymbolicTensor y = new Average().call(a, b);
 * }</pre>
 */
public final class Average extends ElementwiseMerge {
    /** With the default name ({@code average}, ...). */
    public Average() {
        this(null);
    }

    /** Called {@code name} (null for the default). */
    public Average(String name) {
        super(name);
    }

    @Override
    Tensor combine(List<Tensor> inputs) {
        return sum(inputs).div(inputs.size());
    }
}
