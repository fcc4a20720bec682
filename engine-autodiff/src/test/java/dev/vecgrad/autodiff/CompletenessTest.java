package dev.vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.autodiff.rules.GradientRegistry;
import dev.vecgrad.core.ops.Primitive;
import dev.vecgrad.core.ops.Primitives;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Adding a differentiable op without a gradient rule and a gradient-check case fails the build. */
class CompletenessTest {

    @Test
    void everyDifferentiableOpHasARuleAndAGradCheckCase() {
        Map<Primitive<?>, List<GradCheckCases.Case>> cases = GradCheckCases.all();
        List<String> missing = new ArrayList<>();
        for (Primitive<?> op : Primitives.all()) {
            if (!op.differentiable()) {
                continue;
            }
            if (!GradientRegistry.has(op)) {
                missing.add(op.name() + " has no gradient rule");
            }
            if (!cases.containsKey(op)) {
                missing.add(op.name() + " has no gradient-check case");
            }
        }
        assertThat(missing).as("differentiable ops missing a rule or a gradcheck case").isEmpty();
    }

    @Test
    void nonDifferentiableOpsHaveNoRule() {
        for (Primitive<?> op : Primitives.all()) {
            if (!op.differentiable()) {
                assertThat(GradientRegistry.has(op)).as(op.name()).isFalse();
            }
        }
    }
}
