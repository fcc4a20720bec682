package dev.vecgrad.train.layers;

import dev.vecgrad.core.Tensor;
import java.util.Objects;

/**
 * A layer's output together with its mask, as {@link Layer#callMasked} returns them.
 *
 * <p>A mask marks which positions of a sequence hold data (1) and which are padding (0). It is a
 * 0/1 tensor over the leading axes of the value it goes with: for a batch of sequences
 * {@code (batch, steps, features)} the mask is {@code (batch, steps)}. Any dtype works; layers
 * compare it with 0.
 *
 * @param value the output, never null
 * @param mask the output's mask, or null when every position holds data
 */
public record Masked(Tensor value, Tensor mask) {
    /** Checks that the value is given. */
    public Masked {
        Objects.requireNonNull(value, "value");
    }
}
