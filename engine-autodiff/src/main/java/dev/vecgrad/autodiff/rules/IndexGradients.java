package dev.vecgrad.autodiff.rules;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.Attrs;
import dev.vecgrad.core.ops.IndexOps;
import dev.vecgrad.core.ops.Primitives;

/**
 * Gradients of the indexing ops ({@code IndexOps}): gather and scatter-add are each other's
 * adjoint. Indices carry no gradient; one-hot is non-differentiable.
 */
final class IndexGradients {
    private IndexGradients() {
    }

    static void register(GradientRegistry.Rules r) {
        // d gather(x, i, axis) = (scatter_add(g, i, axis, shape(x)), none)   (repeated indices add up)
        r.put(Primitives.GATHER, (c, g, w) -> new Tensor[] {
                IndexOps.scatterAdd(g, c.input(1), c.attrs().axis(), c.input(0).shape()), null});
        // d scatter_add(u, i, axis, shape) = (gather(g, i, axis), none)
        r.put(Primitives.SCATTER_ADD, (c, g, w) -> new Tensor[] {
                IndexOps.gather(g, c.input(1), c.attrs().axis()), null});
    }
}
