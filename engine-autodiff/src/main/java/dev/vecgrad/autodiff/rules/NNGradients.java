package dev.vecgrad.autodiff.rules;

import static dev.vecgrad.autodiff.rules.Grads.one;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.Primitives;

/**
 * Gradient of softmax ({@code NNOps}), which is a primitive so that it runs as one pass per row
 * with or without a tape; y is its output, g the output's gradient, and sums run along its axis.
 * Log-softmax and log-sum-exp are composites and need no rule.
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
    }
}
