package dev.vecgrad.train.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.train.data.Batch;
import dev.vecgrad.train.data.Tensors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tracing, replay, the plan cache and the misuse a compiled step detects. */
class CompiledStepTest {

    private static Batch batch(float... values) {
        return Batch.of(Tensor.of(values).reshape(values.length, 1));
    }

    @Test
    void replaysComputeOnEachNewBatchAndReturnCopies() {
        CompiledStep<Tensors> step = new CompiledStep<>("f", b -> Tensors.of(b.x().mul(2).add(1).relu()),
                List::of, 4);
        for (int i = 0; i < 5; i++) {
            Tensors out = step.apply(batch(i, i + 1, i + 2));
            assertThat(out.get(0).toFloatArray()).containsExactly(2f * i + 1, 2f * i + 3, 2f * i + 5);
        }
        assertThat(step.traces()).isEqualTo(2);
        assertThat(step.planBytes()).isPositive();
        Tensors kept = step.apply(batch(1, 1, 1));
        step.apply(batch(5, 5, 5));
        assertThat(kept.get(0).toFloatArray()).containsExactly(3f, 3f, 3f);
    }

    @Test
    void eachSignatureGetsItsOwnPlanInABoundedCache() {
        CompiledStep<Tensors> step = new CompiledStep<>("f", b -> Tensors.of(b.x().square()), List::of, 2);
        for (int n = 1; n <= 3; n++) {
            for (int i = 0; i < 3; i++) {
                float[] v = new float[n];
                java.util.Arrays.fill(v, i + n);
                assertThat(step.apply(batch(v)).get(0).toFloatArray()[0]).isEqualTo((float) (i + n) * (i + n));
            }
        }
        assertThat(step.traces()).isEqualTo(6);
        assertThat(step.cachedSignatures()).isEqualTo(2);
        step.apply(batch(1f)); // dropped from the cache: traced again
        assertThat(step.traces()).isEqualTo(7);
    }

    @Test
    void hostCallsRunAtEveryReplayOnTheReplaysTensors() {
        List<Double> seen = new ArrayList<>();
        CompiledStep<Object> step = new CompiledStep<>("f", b -> Tracer.hostCall("sum", List.of(b.x().mul(3)),
                a -> seen.add(a.get(0).sum().item())), List::of, 4);
        for (int i = 1; i <= 4; i++) {
            step.apply(batch(i, i));
        }
        assertThat(seen).containsExactly(6.0, 12.0, 18.0, 24.0);
    }

    @Test
    void aStepWhoseOpsChangeBetweenTracesIsAnError() {
        int[] calls = {0};
        CompiledStep<Tensors> step = new CompiledStep<>("f",
                b -> Tensors.of(calls[0]++ == 0 ? b.x().add(1) : b.x().mul(2)), List::of, 4);
        step.apply(batch(1));
        assertThatThrownBy(() -> step.apply(batch(2))).isInstanceOf(TracingException.class)
                .hasMessageContaining("ran different ops").hasMessageContaining("add").hasMessageContaining("mul");
    }

    @Test
    void aVariableCreatedAfterTheFirstTraceIsAnError() {
        List<Variable> vars = new ArrayList<>();
        CompiledStep<Tensors> step = new CompiledStep<>("f", b -> {
            vars.add(new Variable("v" + vars.size(), Tensor.zeros(1), true));
            return Tensors.of(b.x().add(1));
        }, () -> List.copyOf(vars), 4);
        step.apply(batch(1));
        assertThatThrownBy(() -> step.apply(batch(2))).isInstanceOf(TracingException.class)
                .hasMessageContaining("created 1 variable").hasMessageContaining("v1");
    }

    @Test
    void aResultComputedInJavaIsAnErrorOrWithFallBackRunsEagerly() {
        CompiledStep<Double> strict = new CompiledStep<>("f", b -> b.x().sum().item(), List::of, 4);
        strict.apply(batch(1));
        assertThatThrownBy(() -> strict.apply(batch(2))).isInstanceOf(TracingException.class)
                .hasMessageContaining("plain Java");
        CompiledStep<Double> auto = new CompiledStep<>("f", b -> b.x().sum().item(), List::of, 4, true);
        assertThat(auto.apply(batch(1))).isEqualTo(1.0);
        assertThat(auto.apply(batch(2))).isEqualTo(2.0);
        assertThat(auto.isEager()).isTrue();
        assertThat(auto.apply(batch(3))).isEqualTo(3.0);
    }
}
