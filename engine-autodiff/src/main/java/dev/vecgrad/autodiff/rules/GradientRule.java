package dev.vecgrad.autodiff.rules;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.OpCall;

/**
 * The backward function of one primitive: given the op as it ran and the gradient of the loss
 * with respect to its output, the gradients with respect to its inputs (a vector–Jacobian
 * product). The type parameter is the primitive's attribute type, so a rule reads its op's
 * attributes as they are typed, with no cast.
 *
 * <p>Rules are written with tensor ops, never raw arrays, so that a gradient computed while an
 * outer {@code GradientTape} records is itself recorded and can be differentiated again. A rule
 * may return a gradient in the broadcast shape of the op's output; the tape sums it back to the
 * input's shape.
 *
 * <pre>{@code
 * // d(a·b)/da = b, d(a·b)/db = a
 * GradientRule<Void> mul = (call, g, wanted) -> new Tensor[] {
 *         wanted[0] ? g.mul(call.input(1)) : null,
 *         wanted[1] ? g.mul(call.input(0)) : null};
 * }</pre>
 *
 * @param <A> the attribute type of the primitive the rule differentiates
 */
@FunctionalInterface
public interface GradientRule<A> {

    /**
     * The gradients with respect to {@code call}'s inputs, one entry per input.
     *
     * @param call   the op as it ran: inputs, attributes, output
     * @param grad   the gradient with respect to the output (same shape and dtype)
     * @param wanted which inputs need a gradient (valid during the call only: the tape reuses the
     *               array); an entry may be null where {@code wanted} is false, and must be null for
     *               an input that carries no gradient (indices, masks)
     * @return one gradient per input, each of the input's dtype and of its shape or a shape it
     *         broadcasts to
     */
    Tensor[] apply(OpCall<A> call, Tensor grad, boolean[] wanted);
}
