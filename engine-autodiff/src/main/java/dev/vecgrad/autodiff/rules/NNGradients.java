package dev.vecgrad.autodiff.rules;

import static dev.vecgrad.autodiff.rules.Grads.one;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.NNOps;
import dev.vecgrad.core.ops.Primitives;

/**
 * Gradients of softmax, masked softmax and masked softmax's backward op ({@code NNOps}), which are
 * primitives so that each runs as one pass per row with or without a tape; y is the softmax's
 * output, g its gradient, s the scale, and sums run along the softmax's axis. Log-softmax and
 * log-sum-exp are composites and need no rule.
 */
final class NNGradients {
    private NNGradients() {
    }

    static void register(GradientRegistry.Rules r) {
        // d softmax(x) = y·(g - Σ g·y)
        r.put(Primitives.SOFTMAX, (c, g, w) -> {
            Tensor y = c.output();
            return one(y.mul(g.sub(g.mul(y).sum(new int[] {c.attrs().axis()}, true))));
        });
        // d maskedSoftmax(x) = s·y·(g - Σ g·y); the mask has none
        r.put(Primitives.MASKED_SOFTMAX, (c, g, w) -> {
            Tensor dx = NNOps.softmaxBackward(c.output(), g, c.attrs().scale());
            return c.inputs().size() == 1 ? one(dx) : new Tensor[] {dx, null};
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
    }
}
