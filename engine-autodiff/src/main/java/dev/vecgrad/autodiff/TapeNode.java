package dev.vecgrad.autodiff;

import dev.vecgrad.autodiff.rules.GradientRule;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.OpCall;
import dev.vecgrad.core.ops.Primitive;

/**
 * One recorded op on a tape: the call as core reported it (this node is the call, so a recorded op
 * costs one object), the rule that differentiates it and its position on the tape. Which node
 * produced each input is kept by the tape, as indices in one flat array (see
 * {@code GradientTape.links}), so that the backward walk scans integers instead of chasing objects.
 *
 * @param <A> the primitive's attribute type, which the call and the rule share
 */
final class TapeNode<A> extends OpCall<A> {
    /** The producer of a watched tensor or of a variable's value: nothing on the tape made it. */
    static final TapeNode<Void> LEAF = new TapeNode<>(null, null, null, null, null, null, -1);

    /** The tape that recorded the op (it compares this with itself when it finds a node in a tensor's tag). */
    final GradientTape tape;
    final GradientRule<A> rule;
    final int index;

    TapeNode(GradientTape tape, Primitive<A> op, A attrs, Tensor[] inputs, Tensor output, GradientRule<A> rule,
            int index) {
        super(op, attrs, inputs, output);
        this.tape = tape;
        this.rule = rule;
        this.index = index;
    }

    /** The op's label in drawings and errors: its primitive's name, or the name a custom-gradient block was given. */
    String name() {
        if (op() == null) {
            return "leaf";
        }
        return attrs() instanceof CustomGradient.Block b ? b.name() : op().name();
    }

    /** Runs the rule: the gradients of the op's inputs from its output's gradient {@code g}. */
    Tensor[] backward(Tensor g, boolean[] wanted) {
        return rule.apply(this, g, wanted);
    }
}
