package dev.vecgrad.autodiff.rules;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.Attrs;
import dev.vecgrad.core.ops.Primitives;
import dev.vecgrad.core.ops.ShapeOps;
import java.util.Arrays;

/**
 * Gradients of the views and movement ops ({@code ShapeOps}): each is linear, so its gradient is
 * the adjoint movement (reshape back, the inverse permutation, unslice for slice, sum for
 * broadcast, the interior slice for pad). Squeeze, flip, stack, split, tile and repeat are
 * composites of these and need no rule.
 */
final class ShapeGradients {
    private ShapeGradients() {
    }

    static void register(GradientRegistry.Rules r) {
        // d reshape(x) = reshape(g, shape(x))
        r.perInput(Primitives.RESHAPE, (c, g, j) -> g.reshape(c.input(0).shape().toArray()));
        // d permute(x, p) = permute(g, p⁻¹)
        r.perInput(Primitives.PERMUTE, (c, g, j) -> g.permute(Grads.inverse(c.attrs().perm())));
        // d slice(x, s) = unslice(g, shape(x), s)
        r.perInput(Primitives.SLICE, (c, g, j) -> ShapeOps.unslice(g,
                new Attrs.Unslice(c.input(0).shape(), c.attrs())));
        // d unslice(x, s) = slice(g, s)
        r.perInput(Primitives.UNSLICE, (c, g, j) -> ShapeOps.slice(g, c.attrs().slice()));
        // d broadcast_to(x) = Σ g over the broadcast axes
        r.perInput(Primitives.BROADCAST_TO, (c, g, j) -> g.sumToShape(c.input(0).shape()));
        // d copy(x) = g
        r.perInput(Primitives.COPY, (c, g, j) -> g);
        // d concat(x₁..xₙ) = (the slice of g each xᵢ filled)
        r.put(Primitives.CONCAT, (c, g, w) -> {
            int axis = c.attrs().axis();
            Tensor[] out = new Tensor[c.inputCount()];
            int at = 0;
            for (int i = 0; i < out.length; i++) {
                int len = c.input(i).shape().dim(axis);
                if (w[i]) {
                    out[i] = g.slice(axis, at, at + len);
                }
                at += len;
            }
            return out;
        });
        // d pad(x) = g without the padding
        r.perInput(Primitives.PAD, (c, g, j) -> {
            Attrs.Pad p = c.attrs();
            int rank = g.rank();
            int[] stop = new int[rank];
            int[] step = new int[rank];
            Arrays.fill(step, 1);
            int[] before = p.before();
            for (int i = 0; i < rank; i++) {
                stop[i] = before[i] + c.input(0).shape().dim(i);
            }
            return ShapeOps.slice(g, new Attrs.Slice(before, stop, step));
        });
        // d cast(x) = cast(g, dtype(x))   (floating inputs only; an I32 input carries no gradient)
        r.perInput(Primitives.CAST, (c, g, j) -> c.input(0).dtype() == DType.I32 ? null : g.cast(c.input(0).dtype()));
    }
}
