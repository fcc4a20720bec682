package dev.vecgrad.autodiff.rules;

import dev.vecgrad.core.ops.Op;
import java.util.Map;

/**
 * Gradients of convolution and pooling ({@code ConvOps}). Core's conv ops are not on this branch
 * yet, so no rule is registered; the completeness test names the missing ops.
 */
final class ConvGradients {
    private ConvGradients() {
    }

    static void register(Map<Op, GradientRule> r) {
    }
}
