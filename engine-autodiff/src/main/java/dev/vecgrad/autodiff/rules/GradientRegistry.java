package dev.vecgrad.autodiff.rules;

import dev.vecgrad.core.ops.Op;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The gradient rule of every differentiable primitive, keyed by core's {@link Op}. Rules live in
 * one class per op family, mirroring engine-core's ({@code UnaryGradients} for {@code UnaryOps},
 * and so on); this class only gathers them. Non-differentiable ops have no rule: a tape gives no
 * gradient through them rather than a wrong one.
 *
 * <pre>{@code
 * GradientRule rule = GradientRegistry.rule(Op.MATMUL);
 * }</pre>
 */
public final class GradientRegistry {
    private static final Map<Op, GradientRule> RULES = build();

    private GradientRegistry() {
    }

    private static Map<Op, GradientRule> build() {
        Map<Op, GradientRule> rules = new EnumMap<>(Op.class);
        UnaryGradients.register(rules);
        BinaryGradients.register(rules);
        ReductionGradients.register(rules);
        ShapeGradients.register(rules);
        IndexGradients.register(rules);
        LinalgGradients.register(rules);
        ConvGradients.register(rules);
        RecurrentGradients.register(rules);
        for (Op op : rules.keySet()) {
            if (!op.differentiable()) {
                throw new IllegalStateException("a gradient rule is registered for " + op.opName()
                        + ", which core declares non-differentiable");
            }
        }
        return Collections.unmodifiableMap(rules);
    }

    /** Whether {@code op} has a gradient rule. */
    public static boolean has(Op op) {
        return RULES.containsKey(op);
    }

    /** The rule of {@code op}, or an error naming the op when it has none. */
    public static GradientRule rule(Op op) {
        GradientRule r = RULES.get(op);
        if (r == null) {
            throw new IllegalArgumentException("no gradient rule for op " + op.opName()
                    + (op.differentiable() ? "" : " (core declares it non-differentiable)"));
        }
        return r;
    }

    /** The rule of {@code op}, or null when it has none. */
    public static GradientRule find(Op op) {
        return RULES.get(op);
    }

    /** The ops that have a rule, for completeness checks and documentation. */
    public static java.util.Set<Op> ops() {
        return RULES.keySet();
    }
}
