package dev.vecgrad.autodiff;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.OpCall;
import dev.vecgrad.core.ops.Primitive;

/**
 * One recorded op on a tape, or one of the tape's leaves: the call as core reported it (this node
 * is the call, so a recorded op costs one object), its position, and the node that produced each
 * input, so that the backward walk follows fields instead of looking tensors up. The tape finds
 * the op's gradient rule by its primitive when it walks back.
 *
 * @param <A> the primitive's attribute type
 */
final class TapeNode<A> extends OpCall<A> {
    private static final Tensor[] NO_INPUTS = {};

    /** The op's position on the tape; for a leaf, {@code -1 - } its position among the tape's leaves. */
    final int index;
    /** The producers of inputs 0 and 1, null for an input the tape does not track (a constant). */
    private final TapeNode<?> from0;
    private final TapeNode<?> from1;
    /** The producers of inputs 2 and on, or null for an op with at most two inputs. */
    private final TapeNode<?>[] fromRest;

    /** A kept op reported with an inputs array, with the producer of each input. */
    TapeNode(Primitive<A> op, A attrs, Tensor[] inputs, Tensor output, int index, TapeNode<?> from0,
            TapeNode<?> from1, TapeNode<?>[] fromRest) {
        super(op, attrs, inputs, output);
        this.index = index;
        this.from0 = from0;
        this.from1 = from1;
        this.fromRest = fromRest;
    }

    /** A kept binary op on two tensors. */
    TapeNode(Primitive<A> op, Tensor a, Tensor b, Tensor output, int index, TapeNode<?> from0, TapeNode<?> from1) {
        super(op, null, a, b, output);
        this.index = index;
        this.from0 = from0;
        this.from1 = from1;
        this.fromRest = null;
    }

    /** A kept binary op on a tensor and a number. */
    TapeNode(Primitive<A> op, Tensor a, double c, Tensor output, int index, TapeNode<?> from0) {
        super(op, null, a, c, output);
        this.index = index;
        this.from0 = from0;
        this.from1 = null;
        this.fromRest = null;
    }

    /** The node of leaf number {@code leafIndex} (a watched tensor or a variable's value). */
    static TapeNode<Void> leaf(Tensor leaf, int leafIndex) {
        return new TapeNode<>(null, null, NO_INPUTS, leaf, -1 - leafIndex, null, null, null);
    }

    /** Whether this node is a leaf rather than an op. */
    boolean isLeaf() {
        return index < 0;
    }

    /** For a leaf, its position among the tape's leaves. */
    int leafIndex() {
        return -1 - index;
    }

    /** The node that produced input {@code j}, or null when the tape does not track it. */
    TapeNode<?> from(int j) {
        return j == 0 ? from0 : j == 1 ? from1 : fromRest[j - 2];
    }

    /** The op's label in drawings and errors: its primitive's name, or the name a custom-gradient block was given. */
    String name() {
        if (op() == null) {
            return "leaf";
        }
        return attrs() instanceof CustomGradient.Block b ? b.name() : op().name();
    }
}
