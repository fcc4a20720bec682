package dev.vecgrad.autodiff;

import dev.vecgrad.autodiff.rules.GradientRule;
import dev.vecgrad.core.ops.OpCall;

/**
 * One recorded op on a tape: the call as core reported it and the rule that differentiates it.
 * Custom-gradient blocks have no core {@code Op}; their {@code name} labels them.
 */
record TapeNode(OpCall call, GradientRule rule, String name) {
}
