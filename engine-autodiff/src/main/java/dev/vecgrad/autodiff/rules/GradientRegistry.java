package dev.vecgrad.autodiff.rules;

import dev.vecgrad.autodiff.CustomGradient;
import dev.vecgrad.core.ops.Primitive;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The gradient rule of every differentiable primitive, by primitive. Rules live in one class per
 * op family, mirroring engine-core's ({@code UnaryGradients} for {@code UnaryOps}, and so on);
 * this class only gathers them. Non-differentiable primitives have no rule: a tape gives no
 * gradient through them rather than a wrong one.
 *
 * <pre>{@code
 * import dev.vecgrad.core.ops.Attrs;
 *
 * GradientRule<Attrs.Matmul> rule = GradientRegistry.rule(Primitives.MATMUL);
 * }</pre>
 */
public final class GradientRegistry {
    private static final Rules TABLE = build();

    private GradientRegistry() {
    }

    /**
     * A new table holding every family's rules. The registry keeps one; building another lets a
     * test check what the registration code produces while that code runs under test.
     */
    static Rules build() {
        Rules rules = new Rules();
        UnaryGradients.register(rules);
        BinaryGradients.register(rules);
        ReductionGradients.register(rules);
        ShapeGradients.register(rules);
        IndexGradients.register(rules);
        LinalgGradients.register(rules);
        ConvGradients.register(rules);
        RecurrentGradients.register(rules);
        NNGradients.register(rules);
        // d block = the block's own backward function
        rules.put(CustomGradient.BLOCK, CustomGradient::gradient);
        return rules;
    }

    /** What the rule families register with: one rule per primitive, typed by its attributes. */
    static final class Rules {
        private GradientRule<?>[] byId = new GradientRule<?>[Primitive.count()];
        private final List<Primitive<?>> ops = new ArrayList<>();

        /** Registers {@code rule} as the gradient of {@code op}. */
        <A> void put(Primitive<A> op, GradientRule<A> rule) {
            if (!op.differentiable()) {
                throw new IllegalStateException("a gradient rule is registered for " + op.name()
                        + ", which core declares non-differentiable");
            }
            if (op.id() >= byId.length) {
                byId = Arrays.copyOf(byId, op.id() + 1);
            }
            if (byId[op.id()] != null) {
                throw new IllegalStateException("two gradient rules are registered for " + op.name());
            }
            byId[op.id()] = rule;
            ops.add(op);
        }

        /** Registers {@code rule}, written one input at a time, as the gradient of {@code op}. */
        <A> void perInput(Primitive<A> op, InputGradientRule<A> rule) {
            put(op, rule);
        }

        /** The rule registered for {@code op}, or null. */
        @SuppressWarnings("unchecked") // put pairs each primitive with a rule of its own attribute type
        <A> GradientRule<A> find(Primitive<A> op) {
            int id = op.id();
            return id < byId.length ? (GradientRule<A>) byId[id] : null;
        }

        /** The primitives registered so far, in registration order. */
        List<Primitive<?>> ops() {
            return Collections.unmodifiableList(ops);
        }
    }

    /** Whether {@code op} has a gradient rule. */
    public static boolean has(Primitive<?> op) {
        return find(op) != null;
    }

    /** The rule of {@code op}, or an error naming the op when it has none. */
    public static <A> GradientRule<A> rule(Primitive<A> op) {
        GradientRule<A> r = find(op);
        if (r == null) {
            throw new IllegalArgumentException("no gradient rule for op " + op.name()
                    + (op.differentiable() ? "" : " (core declares it non-differentiable)"));
        }
        return r;
    }

    /** The rule of {@code op}, or null when it has none. */
    public static <A> GradientRule<A> find(Primitive<A> op) {
        return TABLE.find(op);
    }

    /** The primitives that have a rule, for completeness checks and documentation. */
    public static List<Primitive<?>> ops() {
        return TABLE.ops();
    }
}
