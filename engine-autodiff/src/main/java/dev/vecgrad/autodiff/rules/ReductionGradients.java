package dev.vecgrad.autodiff.rules;

import static dev.vecgrad.autodiff.rules.Grads.unreduce;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.Attrs;
import dev.vecgrad.core.ops.Primitives;

/**
 * Gradients of the reductions ({@code Reductions}). The output gradient g is reshaped to keep the
 * reduced axes (a no-op with {@code keepDims}) and broadcast back over them. Mean and variance
 * are composites of SUM and need no rule; ARGMAX and ARGMIN are non-differentiable.
 *
 * <p>Ties: max and min share g equally among the elements that attain the extreme (as
 * TensorFlow's reduce_max). The product's rule handles zeros exactly instead of dividing by them.
 */
final class ReductionGradients {
    private ReductionGradients() {
    }

    static void register(GradientRegistry.Rules r) {
        // d Σx = g broadcast over the reduced axes
        r.perInput(Primitives.SUM, (c, g, j) -> unreduce(g, c.input(0), c.attrs().axes()));
        // d max x = g·[x = y] / #{x = y}
        r.perInput(Primitives.MAX, (c, g, j) -> extreme(c.input(0), c.output(), g, c.attrs().axes()));
        // d min x = g·[x = y] / #{x = y}
        r.perInput(Primitives.MIN, (c, g, j) -> extreme(c.input(0), c.output(), g, c.attrs().axes()));
        // d Πx = g·Π_{j≠i} x_j   (y/x without zeros; with one zero only that element gets a gradient)
        r.perInput(Primitives.PROD, (c, g, j) -> product(c.input(0), g, c.attrs().axes()));
    }

    private static Tensor extreme(Tensor x, Tensor y, Tensor g, int[] axes) {
        Tensor hit = x.eq(unreduce(y, x, axes));
        Tensor count = hit.sum(axes, true);
        return unreduce(g, x, axes).mul(hit).div(count);
    }

    private static Tensor product(Tensor x, Tensor g, int[] axes) {
        Tensor zero = x.eq(x.scalarLike(0));
        Tensor zeros = zero.sum(axes, true);
        Tensor nonZero = Tensor.where(zero, x.scalarLike(1), x);
        Tensor othersProd = nonZero.prod(axes, true);
        // Without zeros: Π/x_i. With exactly one zero: the product of the others at that zero, 0 elsewhere.
        Tensor noZeros = othersProd.div(nonZero);
        Tensor oneZero = Tensor.where(zero.mul(zeros.eq(zeros.scalarLike(1))), othersProd, x.scalarLike(0));
        Tensor local = Tensor.where(zeros.eq(zeros.scalarLike(0)), noZeros, oneZero);
        return unreduce(g, x, axes).mul(local);
    }
}
