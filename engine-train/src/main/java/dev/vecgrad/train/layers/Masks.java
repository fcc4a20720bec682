package dev.vecgrad.train.layers;

import dev.vecgrad.core.Tensor;

/** Helpers for the masks layers pass along (see {@link Masked}): checking and broadcasting them. */
final class Masks {
    private Masks() {
    }

    /**
     * {@code mask} in {@code x}'s dtype with trailing size-1 axes up to {@code x}'s rank, ready to
     * multiply {@code x}; an error naming both shapes unless the mask's shape is a leading part of
     * x's.
     */
    static Tensor expandTo(Tensor mask, Tensor x) {
        check(mask, x);
        Tensor m = mask.dtype() == x.dtype() ? mask : mask.cast(x.dtype());
        while (m.rank() < x.rank()) {
            m = m.unsqueeze(m.rank());
        }
        return m;
    }

    /** Fails unless {@code mask}'s shape is the first axes of {@code x}'s. */
    static void check(Tensor mask, Tensor x) {
        boolean ok = mask.rank() <= x.rank();
        for (int i = 0; ok && i < mask.rank(); i++) {
            ok = mask.shape().dim(i) == x.shape().dim(i);
        }
        if (!ok) {
            throw new IllegalArgumentException("a mask of shape " + mask.shape()
                    + " does not cover the leading axes of an input of shape " + x.shape());
        }
    }
}
