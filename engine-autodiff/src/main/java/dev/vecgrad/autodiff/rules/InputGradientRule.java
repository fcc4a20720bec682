package dev.vecgrad.autodiff.rules;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.OpCall;

/**
 * A gradient rule written one input at a time: the gradient with respect to input {@code j} of
 * the op, asked only for the inputs that need one. Ops whose inputs' gradients are separate
 * expressions (every elementwise op) are written this way: the rule is one expression, and the
 * tape gathers the gradients without an array per op.
 *
 * <pre>{@code
 * // d(a·b) = (g·b, g·a)
 * InputGradientRule<Void> mul = (call, g, j) -> j == 0 ? g.mul(call.input(1)) : g.mul(call.input(0));
 * }</pre>
 *
 * @param <A> the attribute type of the primitive the rule differentiates
 */
@FunctionalInterface
public interface InputGradientRule<A> extends GradientRule<A> {

    /**
     * The gradient with respect to input {@code j} of {@code call}, of the input's dtype and of its
     * shape or a shape it broadcasts to; null for an input that carries no gradient.
     *
     * @param call the op as it ran
     * @param grad the gradient with respect to its output
     * @param j    which input
     */
    Tensor gradient(OpCall<A> call, Tensor grad, int j);

    /** Every wanted input's {@link #gradient}, null for the others. */
    @Override
    default Tensor[] apply(OpCall<A> call, Tensor grad, boolean[] wanted) {
        Tensor[] out = new Tensor[call.inputCount()];
        for (int j = 0; j < out.length; j++) {
            out[j] = wanted[j] ? gradient(call, grad, j) : null;
        }
        return out;
    }
}
