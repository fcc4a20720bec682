package dev.vecgrad.autodiff.rules;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.Attrs;
import dev.vecgrad.core.ops.BinaryOps;
import dev.vecgrad.core.ops.ConvOps;
import dev.vecgrad.core.ops.Primitives;
import dev.vecgrad.core.ops.OpCall;
import dev.vecgrad.core.ops.Reductions;

/**
 * Gradients of convolution and pooling ({@code ConvOps}), through core's backward kernels. conv2d
 * is bilinear, so ⟨conv2d(x, w), dy⟩ = ⟨x, backwardInput(dy, w)⟩ = ⟨w, backwardFilter(x, dy)⟩; that
 * one identity gives the gradients of conv2d and of both of its backward ops, which are ops of their
 * own so that a gradient can be differentiated again. conv2d's optional bias gets the output
 * gradient summed per filter; the fused relu(conv2d) first masks the gradient as relu's rule does. Average pooling and its backward op are each
 * other's adjoint. MAX_POOL2D_BACKWARD is non-differentiable in core (its routing by arg-max is
 * not differentiated), so a second derivative through max pooling is not provided.
 */
final class ConvGradients {
    private ConvGradients() {
    }

    static void register(GradientRegistry.Rules r) {
        // d conv2d(x, w[, b]) = (backward_input(g, w), backward_filter(x, g)[, sum of g over N, OH, OW])
        r.put(Primitives.CONV2D, ConvGradients::conv2d);
        // d relu(conv2d(x, w[, b])) = d conv2d with g replaced by reluGradient(g, y), y the output
        r.put(Primitives.CONV2D_RELU, (c, g, w) -> conv2d(c, BinaryOps.reluGradient(g, c.output()), w));
        // d backward_input(dy, w) = (conv2d(g, w), backward_filter(g, dy))
        r.put(Primitives.CONV2D_BACKWARD_INPUT, (c, g, w) -> {
            Attrs.Conv2d conv = c.attrs().conv();
            Tensor dy = c.input(0);
            Tensor filter = c.input(1);
            return new Tensor[] {
                    w[0] ? ConvOps.conv2d(g, filter, conv) : null,
                    w[1] ? ConvOps.conv2dBackwardFilter(g, dy, new Attrs.Conv2dBackwardFilter(conv, filter.shape()))
                            : null};
        });
        // d backward_filter(x, dy) = (backward_input(dy, g), conv2d(x, g))
        r.put(Primitives.CONV2D_BACKWARD_FILTER, (c, g, w) -> {
            Attrs.Conv2d conv = c.attrs().conv();
            Tensor x = c.input(0);
            Tensor dy = c.input(1);
            return new Tensor[] {
                    w[0] ? ConvOps.conv2dBackwardInput(dy, g, new Attrs.Conv2dBackwardInput(conv, x.shape())) : null,
                    w[1] ? ConvOps.conv2d(x, g, conv) : null};
        });
        // d max_pool(x) = g routed to each window's maximum
        r.perInput(Primitives.MAX_POOL2D, (c, g, j) -> ConvOps.maxPool2dBackward(c.input(0), g, c.attrs()));
        // d avg_pool(x) = g spread evenly over each window
        r.perInput(Primitives.AVG_POOL2D, (c, g, j) -> ConvOps.avgPool2dBackward(g,
                new Attrs.Pool2dBackward(c.attrs(), c.input(0).shape())));
        // d avg_pool_backward(dy) = avg_pool(g)
        r.perInput(Primitives.AVG_POOL2D_BACKWARD, (c, g, j) -> ConvOps.avgPool2d(g, c.attrs().pool()));
    }

    /** conv2d's rule, for an output gradient {@code g}. */
    private static Tensor[] conv2d(OpCall<Attrs.Conv2d> c, Tensor g, boolean[] w) {
        Attrs.Conv2d conv = c.attrs();
        Tensor x = c.input(0);
        Tensor filter = c.input(1);
        Tensor dx = w[0] ? ConvOps.conv2dBackwardInput(g, filter, new Attrs.Conv2dBackwardInput(conv, x.shape())) : null;
        Tensor dw = w[1] ? ConvOps.conv2dBackwardFilter(x, g, new Attrs.Conv2dBackwardFilter(conv, filter.shape()))
                : null;
        if (c.inputCount() == 2) {
            return new Tensor[] {dx, dw};
        }
        return new Tensor[] {dx, dw, w[2] ? Reductions.sum(g, new int[] {0, 1, 2}, false) : null};
    }
}
