package dev.vecgrad.autodiff.rules;

import static dev.vecgrad.autodiff.rules.Grads.one;

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
        r.put(Primitives.RESHAPE, (c, g, w) -> one(g.reshape(c.input(0).shape().toArray())));
        // d permute(x, p) = permute(g, p⁻¹)
        r.put(Primitives.PERMUTE, (c, g, w) -> one(g.permute(Grads.inverse(c.attrs().perm()))));
        // d slice(x, s) = unslice(g, shape(x), s)
        r.put(Primitives.SLICE, (c, g, w) -> one(ShapeOps.unslice(g,
                new Attrs.Unslice(c.input(0).shape(), c.attrs()))));
        // d unslice(x, s) = slice(g, s)
        r.put(Primitives.UNSLICE, (c, g, w) -> one(ShapeOps.slice(g, c.attrs().slice())));
        // d broadcast_to(x) = Σ g over the broadcast axes
        r.put(Primitives.BROADCAST_TO, (c, g, w) -> one(g.sumToShape(c.input(0).shape())));
        // d copy(x) = g
        r.put(Primitives.COPY, (c, g, w) -> one(g));
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
        r.put(Primitives.PAD, (c, g, w) -> {
            Attrs.Pad p = c.attrs();
            int rank = g.rank();
            int[] stop = new int[rank];
            int[] step = new int[rank];
            Arrays.fill(step, 1);
            int[] before = p.before();
            for (int i = 0; i < rank; i++) {
                stop[i] = before[i] + c.input(0).shape().dim(i);
            }
            return one(ShapeOps.slice(g, new Attrs.Slice(before, stop, step)));
        });
        // d cast(x) = cast(g, dtype(x))   (floating inputs only; an I32 input carries no gradient)
        r.put(Primitives.CAST, (c, g, w) -> one(c.input(0).dtype() == DType.I32 ? null : g.cast(c.input(0).dtype())));
    }
}
