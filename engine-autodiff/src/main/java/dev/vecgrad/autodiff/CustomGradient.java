package dev.vecgrad.autodiff;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.OpCall;
import dev.vecgrad.core.ops.Primitive;
import dev.vecgrad.core.ops.Recording;
import java.util.List;
import java.util.Objects;

/**
 * A block of ops with a gradient the user supplies (TensorFlow's {@code tf.custom_gradient}): for
 * numerical stability, gradient clipping, straight-through estimators, or an op written with raw
 * arrays. The forward function runs unrecorded; the block is then reported to the recorders like
 * any primitive, as {@link #BLOCK} with the block as its attributes, so open tapes record it as
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
    /** The primitive every custom-gradient block is reported as; its attributes are the {@link Block}. */
    public static final Primitive<Block> BLOCK = new Primitive<>("custom_gradient", true) {
    };

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

    /**
     * One block as recorders see it: the attributes of {@link #BLOCK}.
     *
     * @param name     the name the block was given (it labels the block in graph drawings and errors)
     * @param backward its gradient
     */
    public record Block(String name, Backward backward) {
    }

    /** Runs {@code forward} on {@code inputs} and makes open tapes differentiate the result with {@code backward}. */
    public static Tensor apply(String name, Forward forward, Backward backward, Tensor... inputs) {
        Objects.requireNonNull(forward, "forward");
        Objects.requireNonNull(backward, "backward");
        Tensor[] in = inputs.clone();
        Tensor out;
        try (Recording.Paused _ = Recording.pause()) {
            out = forward.apply(List.of(in));
        }
        for (Tensor t : in) {
            if (t == out) {
                out = GradientTape.stopGradient(out); // a distinct tensor, so the block is a node of its own
                break;
            }
        }
        Recording.record(BLOCK, new Block(name, backward), in, out);
        return out;
    }

    /** The gradient rule of {@link #BLOCK}: the block's own backward function. */
    public static Tensor[] gradient(OpCall<Block> call, Tensor grad, boolean[] wanted) {
        Block block = call.attrs();
        List<Tensor> grads = block.backward().apply(call.inputs(), call.output(), grad);
        if (grads.size() != call.inputCount()) {
            throw new IllegalStateException("custom gradient " + block.name() + " returned " + grads.size()
                    + " gradients for " + call.inputCount() + " inputs");
        }
        return grads.toArray(new Tensor[0]);
    }
}
