package dev.vecgrad.autodiff.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.autodiff.CustomGradient;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.OpCall;
import dev.vecgrad.core.ops.Primitive;
import dev.vecgrad.core.ops.Primitives;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The registration code itself, run under test: a freshly built table must hold a rule for every
 * differentiable primitive core declares (and autodiff's custom-gradient block), once each, and
 * none for the others. The registry's own table was built when the class was first used, so
 * checking only that one would not notice a registration that stopped happening.
 */
class GradientRegistryTest {

    private static final GradientRule<Void> NO_GRADIENT = (call, grad, wanted) -> new Tensor[1];

    @Test
    void aRuleWrittenOneInputAtATimeIsAskedOnlyForTheWantedInputs() {
        List<Integer> asked = new ArrayList<>();
        InputGradientRule<Void> rule = (call, g, j) -> {
            asked.add(j);
            return g.mul(j + 2);
        };
        Tensor a = Tensor.of(new double[] {1, 2});
        OpCall<Void> call = new OpCall<>(Primitives.MUL, null, a, 3.0, a.mul(3));
        Tensor g = Tensor.of(new double[] {0.5, -1});
        Tensor[] both = rule.apply(call, g, new boolean[] {true, true});
        assertThat(both[0].toDoubleArray()).containsExactly(1, -2);
        assertThat(both[1].toDoubleArray()).containsExactly(1.5, -3);
        asked.clear();
        Tensor[] second = rule.apply(call, g, new boolean[] {false, true});
        assertThat(second[0]).isNull();
        assertThat(second[1].toDoubleArray()).containsExactly(1.5, -3);
        assertThat(asked).containsExactly(1);
        // The registered mul rule multiplies by a number operand.
        InputGradientRule<Void> mul = (InputGradientRule<Void>) GradientRegistry.rule(Primitives.MUL);
        assertThat(mul.gradient(call, g, 0).toDoubleArray()).containsExactly(1.5, -3);
        assertThat(mul.gradient(call, g, 1).toDoubleArray()).containsExactly(0.5, -2);
    }

    @Test
    void aFreshTableHasARuleForEveryDifferentiablePrimitiveAndNoOther() {
        GradientRegistry.Rules table = GradientRegistry.build();
        List<String> wrong = new ArrayList<>();
        for (Primitive<?> op : Primitives.all()) {
            boolean has = table.find(op) != null;
            if (has != op.differentiable()) {
                wrong.add(op.name() + (has ? " has a rule but is not differentiable" : " has no rule"));
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(table.find(CustomGradient.BLOCK)).isNotNull();
    }

    @Test
    void aFreshTableListsEachRegisteredPrimitiveOnceAndAgreesWithTheRegistry() {
        GradientRegistry.Rules table = GradientRegistry.build();
        Set<Primitive<?>> expected = new HashSet<>();
        for (Primitive<?> op : Primitives.all()) {
            if (op.differentiable()) {
                expected.add(op);
            }
        }
        expected.add(CustomGradient.BLOCK);
        assertThat(table.ops()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        assertThat(GradientRegistry.ops()).containsExactlyInAnyOrderElementsOf(expected);
        for (Primitive<?> op : expected) {
            assertThat(GradientRegistry.has(op)).as(op.name()).isTrue();
        }
    }

    @Test
    void aRuleForANonDifferentiablePrimitiveIsRefusedWithItsName() {
        GradientRegistry.Rules table = new GradientRegistry.Rules();
        Primitive<Void> flat = new Primitive<>("test_flat", false) {
        };
        assertThatThrownBy(() -> table.put(flat, NO_GRADIENT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("test_flat")
                .hasMessageContaining("non-differentiable");
        assertThat(table.find(flat)).isNull();
        assertThat(table.ops()).isEmpty();
    }

    @Test
    void aSecondRuleForOnePrimitiveIsRefused() {
        GradientRegistry.Rules table = new GradientRegistry.Rules();
        table.put(Primitives.NEG, (call, grad, wanted) -> new Tensor[] {grad.neg()});
        GradientRule<Void> first = table.find(Primitives.NEG);
        assertThatThrownBy(() -> table.put(Primitives.NEG, NO_GRADIENT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("two gradient rules are registered for neg");
        assertThat(table.find(Primitives.NEG)).isSameAs(first);
        assertThat(table.ops()).containsExactly(Primitives.NEG);
    }

    @Test
    void primitivesDeclaredAfterATableWasMadeCanStillBeRegistered() {
        GradientRegistry.Rules table = new GradientRegistry.Rules();
        // Declared after the table sized itself, so each id is at or past the table's end.
        Primitive<Void> later = new Primitive<>("test_later", true) {
        };
        Primitive<Void> unregistered = new Primitive<>("test_unregistered", true) {
        };
        assertThat(table.find(later)).isNull();
        table.put(later, NO_GRADIENT);
        assertThat(table.find(later)).isSameAs(NO_GRADIENT);
        assertThat(table.find(unregistered)).isNull();
        Primitive<Void> farther = new Primitive<>("test_farther", true) {
        };
        assertThat(table.find(farther)).isNull();
        table.put(farther, NO_GRADIENT);
        assertThat(table.find(farther)).isSameAs(NO_GRADIENT);
        assertThat(table.find(unregistered)).isNull();
        assertThat(table.ops()).containsExactly(later, farther);
        assertThat(GradientRegistry.has(later)).isFalse();
        assertThatThrownBy(() -> GradientRegistry.rule(later))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no gradient rule for op test_later");
    }

    @Test
    void askingForTheRuleOfANonDifferentiablePrimitiveSaysWhy() {
        Primitive<?> flat = Primitives.all().stream().filter(op -> !op.differentiable()).findFirst().orElseThrow();
        assertThat(GradientRegistry.find(flat)).isNull();
        assertThatThrownBy(() -> GradientRegistry.rule(flat))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no gradient rule for op " + flat.name() + " (core declares it non-differentiable)");
    }
}
