package dev.vecgrad.autodiff;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.Recording;
import java.util.List;
import java.util.Objects;

/**
 * A block of ops with a gradient the user supplies (TensorFlow's {@code tf.custom_gradient}): for
 * numerical stability, gradient clipping, straight-through estimators, or an op written with raw
 * arrays. The forward function runs unrecorded; the open tapes on this thread record the block as
 * one op whose gradient is the supplied function.
 *
 * <pre>{@code
 * // log(1 + e^x) with the stable gradient σ(x)
 * Tensor y = CustomGradient.apply("log1pexp",
 *         in -> in.get(0).exp().log1p(),
 *         (in, out, g) -> List.of(g.mul(in.get(0).sigmoid())),
 *         x);
 * }</pre>
 *
 * <p>Write the gradient function with tensor ops: then it is itself recorded by outer tapes and
 * can be differentiated again.
 */
public final class CustomGradient {
    private CustomGradient() {
    }

    /** The forward computation of a block. */
    @FunctionalInterface
    public interface Forward {
        /** The block's output from its inputs. */
        Tensor apply(List<Tensor> inputs);
    }

    /** The gradient of a block. */
    @FunctionalInterface
    public interface Backward {
        /**
         * One gradient per input (null for an input without one), each of the input's dtype and shape
         * or a shape it broadcasts to.
         *
         * @param inputs the block's inputs
         * @param output the block's output
         * @param grad   the gradient with respect to the output
         */
        List<Tensor> apply(List<Tensor> inputs, Tensor output, Tensor grad);
    }

    /** Runs {@code forward} on {@code inputs} and makes open tapes differentiate the result with {@code backward}. */
    public static Tensor apply(String name, Forward forward, Backward backward, Tensor... inputs) {
        Objects.requireNonNull(forward, "forward");
        Objects.requireNonNull(backward, "backward");
        List<Tensor> in = List.of(inputs);
        List<GradientTape> tapes = Recording.isRecording() ? GradientTape.openOnThisThread() : List.of();
        Tensor out;
        try (Recording.Paused _ = Recording.pause()) {
            out = forward.apply(in);
        }
        for (Tensor t : in) {
            if (t == out) {
                out = GradientTape.stopGradient(out); // a distinct tensor, so the block is a node of its own
                break;
            }
        }
        Tensor output = out;
        for (GradientTape tape : tapes) {
            tape.recordCustom(name, in, output, (call, g, wanted) -> {
                List<Tensor> grads = backward.apply(in, output, g);
                if (grads.size() != in.size()) {
                    throw new IllegalStateException("custom gradient " + name + " returned " + grads.size()
                            + " gradients for " + in.size() + " inputs");
                }
                return grads.toArray(new Tensor[0]);
            });
        }
        return output;
    }
}
