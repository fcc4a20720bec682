package dev.vecgrad.autodiff.rules;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.BinaryOps;
import dev.vecgrad.core.ops.Primitives;

/**
 * Gradients of the binary elementwise ops and {@code where} ({@code BinaryOps}); a and b are the
 * inputs, y the output, g the output's gradient. Rules return gradients in the broadcast output
 * shape; the tape sums each back to its input's shape. Comparisons are non-differentiable.
 *
 * <p>Ties: at a == b, maximum and minimum give each input half of g (as PyTorch), so
 * {@code maximum(x, x)} has gradient 1. The gradient of {@code a^b} with respect to b uses
 * ln a where a &gt; 0 and 0 elsewhere (as TensorFlow), so a negative base with an integer
 * exponent gives a finite gradient for a. Where b was a number ({@code x.mul(2)}), mul and div
 * use the number and make no tensor of it.
 */
final class BinaryGradients {
    private BinaryGradients() {
    }

    static void register(GradientRegistry.Rules r) {
        // d(a + b) = (g, g)
        r.perInput(Primitives.ADD, (c, g, j) -> g);
        // d(a - b) = (g, -g)
        r.perInput(Primitives.SUB, (c, g, j) -> j == 0 ? g : g.neg());
        // d(a·b) = (g·b, g·a)
        r.perInput(Primitives.MUL, (c, g, j) -> j == 1 ? g.mul(c.input(0))
                : c.isConstant(1) ? g.mul(c.constant(1)) : g.mul(c.input(1)));
        // d(a/b) = (g/b, -g·y/b)
        r.perInput(Primitives.DIV, (c, g, j) -> j == 1 ? g.mul(c.output()).div(c.input(1)).neg()
                : c.isConstant(1) ? g.div(c.constant(1)) : g.div(c.input(1)));
        // d a^b = (g·b·a^(b-1), g·y·ln a  where a > 0, else 0)
        r.put(Primitives.POW, (c, g, w) -> {
            Tensor a = c.input(0);
            Tensor b = c.input(1);
            Tensor da = w[0] ? g.mul(b.mul(a.pow(b.sub(1)))) : null;
            Tensor db = null;
            if (w[1]) {
                Tensor positive = a.gt(0);
                Tensor safeA = Tensor.where(positive, a, a.scalarLike(1));
                db = g.mul(c.output()).mul(Tensor.where(positive, safeA.log(), a.scalarLike(0)));
            }
            return new Tensor[] {da, db};
        });
        // d max(a, b) = (g·[a > b] + g/2·[a = b], g·[b > a] + g/2·[a = b])
        r.put(Primitives.MAXIMUM, (c, g, w) -> split(c.input(0), c.input(1), g, w, true));
        // d min(a, b) = (g·[a < b] + g/2·[a = b], g·[b < a] + g/2·[a = b])
        r.put(Primitives.MINIMUM, (c, g, w) -> split(c.input(0), c.input(1), g, w, false));
        // d reluGradient(a, x) = (g·[x > 0], 0 almost everywhere)
        r.put(Primitives.RELU_GRAD, (c, g, w) -> new Tensor[] {w[0] ? BinaryOps.reluGradient(g, c.input(1)) : null, null});
        // d where(m, a, b) = (none, g·[m ≠ 0], g·[m = 0])
        r.put(Primitives.WHERE, (c, g, w) -> {
            Tensor mask = c.input(0);
            Tensor zero = g.scalarLike(0);
            return new Tensor[] {null,
                    w[1] ? Tensor.where(mask, g, zero) : null,
                    w[2] ? Tensor.where(mask, zero, g) : null};
        });
    }

    /** Gradient of maximum (or minimum): g goes to the input that won, halved at ties. */
    private static Tensor[] split(Tensor a, Tensor b, Tensor g, boolean[] w, boolean max) {
        Tensor half = a.eq(b).mul(0.5);
        return new Tensor[] {
                w[0] ? g.mul((max ? a.gt(b) : b.gt(a)).add(half)) : null,
                w[1] ? g.mul((max ? b.gt(a) : a.gt(b)).add(half)) : null};
    }
}
