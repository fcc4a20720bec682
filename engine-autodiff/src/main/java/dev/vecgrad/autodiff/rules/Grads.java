package dev.vecgrad.autodiff.rules;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;

/** Small helpers the rule families share. */
final class Grads {
    private Grads() {
    }

    /** {@code shape} with the (normalised) {@code axes} kept as size 1: the shape a reduction's gradient broadcasts from. */
    static int[] keptDims(Shape shape, int[] axes) {
        int[] dims = shape.toArray();
        for (int a : axes) {
            dims[a] = 1;
        }
        return dims;
    }

    /** A reduction's output gradient {@code g} reshaped to keep the reduced axes and broadcast to {@code x}'s shape. */
    static Tensor unreduce(Tensor g, Tensor x, int[] axes) {
        return g.reshape(keptDims(x.shape(), axes)).broadcastTo(x.shape().toArray());
    }

    /** The inverse of permutation {@code perm}. */
    static int[] inverse(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inv[perm[i]] = i;
        }
        return inv;
    }
}
