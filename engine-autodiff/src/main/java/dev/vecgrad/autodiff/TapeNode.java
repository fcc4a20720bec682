package dev.vecgrad.autodiff;

import dev.vecgrad.autodiff.rules.GradientRule;
import dev.vecgrad.core.ops.OpCall;

/**
 * One recorded op on a tape: the call as core reported it, the rule that differentiates it, its
 * position on the tape, and for each input the node that produced it ({@link #LEAF} for a watched
 * tensor or variable value, null for a constant). Linking inputs to producers when the op is
 * recorded lets the backward walk run on indices, without looking tensors up again.
 * Custom-gradient blocks have no core {@code Op}; {@code name} labels them.
 */
final class TapeNode {
    /** The producer of a watched tensor or of a variable's value: nothing on the tape made it. */
    static final TapeNode LEAF = new TapeNode(null, null, "leaf", -1, new TapeNode[0]);

    final OpCall call;
    final GradientRule rule;
    final String name;
    final int index;
    final TapeNode[] producers;

    TapeNode(OpCall call, GradientRule rule, String name, int index, TapeNode[] producers) {
        this.call = call;
        this.rule = rule;
        this.name = name;
        this.index = index;
        this.producers = producers;
    }
}
