package dev.vecgrad.autodiff.rules;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.NNOps;
import dev.vecgrad.core.ops.Primitives;

/**
 * Gradients of softmax, masked softmax, layer normalisation and the backward ops of the last two
 * ({@code NNOps}), which are primitives so that each runs as one pass per row with or without a
 * tape; y is the softmax's output, g its gradient, s the scale, and sums run along the softmax's
 * or normalisation's axis. Log-softmax and log-sum-exp are composites and need no rule.
 */
final class NNGradients {
    private NNGradients() {
    }

    static void register(GradientRegistry.Rules r) {
        // d softmax(x) = y·(g - Σ g·y)
        r.perInput(Primitives.SOFTMAX, (c, g, j) -> {
            Tensor y = c.output();
            return y.mul(g.sub(g.mul(y).sum(new int[] {c.attrs().axis()}, true)));
        });
        // d maskedSoftmax(x) = s·y·(g - Σ g·y); the mask has none
        r.put(Primitives.MASKED_SOFTMAX, (c, g, w) -> {
            Tensor dx = NNOps.softmaxBackward(c.output(), g, c.attrs().scale());
            return c.inputCount() == 1 ? new Tensor[] {dx} : new Tensor[] {dx, null};
        });
        // z = s·y·(g - Σ g·y): dy = s·(u·(g - Σ g·y) - g·Σ u·y), dg = s·y·(u - Σ u·y)
        r.put(Primitives.SOFTMAX_BACKWARD, (c, u, w) -> {
            Tensor y = c.input(0);
            Tensor g = c.input(1);
            double s = c.attrs().scale();
            int[] last = {y.rank() - 1};
            Tensor dy = w[0] ? u.mul(g.sub(g.mul(y).sum(last, true))).sub(g.mul(u.mul(y).sum(last, true))).mul(s)
                    : null;
            Tensor dg = w[1] ? NNOps.softmaxBackward(y, u, s) : null;
            return new Tensor[] {dy, dg};
        });
        // d normalize(x) = J·g with J = r·(I - 11ᵀ/n - x̂x̂ᵀ/n) (symmetric), r = 1/sqrt(var + ε)
        r.perInput(Primitives.NORMALIZE, (c, g, j) -> NNOps.normalizeBackward(c.input(0), g, c.attrs().epsilon()));
        // z = J(x)·g: dg = J·u; dx = -(r²/n)·x̂·(u·g - mean(g)·Σu - (g·x̂)(u·x̂)/n) - (r/n)·((u·x̂)·J·g + (g·x̂)·J·u)
        r.put(Primitives.NORMALIZE_BACKWARD, (c, u, w) -> {
            Tensor x = c.input(0);
            Tensor g = c.input(1);
            double eps = c.attrs().epsilon();
            Tensor dg = NNOps.normalizeBackward(x, u, eps);
            Tensor dx = null;
            if (w[0]) {
                int[] last = {x.rank() - 1};
                double perN = 1.0 / x.shape().dim(-1);
                Tensor xh = NNOps.normalize(x, eps);
                Tensor rs = x.variance(last, true).add(eps).rsqrt();
                Tensor gx = g.mul(xh).sum(last, true);
                Tensor ux = u.mul(xh).sum(last, true);
                Tensor bracket = u.mul(g).sum(last, true).sub(g.mean(last, true).mul(u.sum(last, true)))
                        .sub(gx.mul(ux).mul(perN));
                dx = xh.mul(rs.square().mul(bracket).mul(-perN))
                        .sub(rs.mul(perN).mul(ux.mul(NNOps.normalizeBackward(x, g, eps)).add(gx.mul(dg))));
            }
            return new Tensor[] {dx, w[1] ? dg : null};
        });
    }
}
