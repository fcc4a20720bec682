package dev.vecgrad.core.ops;

import dev.vecgrad.core.Tensor;
import java.util.List;

/**
 * One primitive op that ran: what a recorder is told by {@link Recording}.
 *
 * @param op     which primitive
 * @param inputs the tensors it read, in the op's argument order
 * @param attrs  the op's non-tensor arguments (one of the records in {@link Attrs}), or null
 * @param output the tensor it produced
 */
public record OpCall(Op op, List<Tensor> inputs, Object attrs, Tensor output) {

    /** Input {@code i}. */
    public Tensor input(int i) {
        return inputs.get(i);
    }

    /** The attributes as the record type this op uses; a wrong type is a programming error. */
    public <T> T attrs(Class<T> type) {
        return type.cast(attrs);
    }
}
