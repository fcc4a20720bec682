package dev.vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Every entry point of a tape refuses use after close, a second use of a one-shot tape, and integer targets. */
class TapeMisuseTest {

    @Test
    void aClosedTapeRefusesEveryUse() {
        Tensor x = Tensor.of(new double[] {1, 2});
        Variable v = new Variable("v", Tensor.of(new float[] {1}), true);
        GradientTape tape = GradientTape.open();
        tape.watch(x);
        Tensor y = x.square().sum();
        tape.close();
        for (Runnable use : List.<Runnable>of(() -> tape.watch(x), () -> tape.watch(v), tape::stopRecording,
                () -> tape.gradient(y, x), () -> tape.vjp(y, Tensor.scalar(1.0), x), () -> tape.gradient(y, List.of(v)),
                () -> tape.jacobian(y, x), () -> tape.toDot(y), () -> tape.graph(y, false))) {
            assertThatThrownBy(use::run).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
    }

    @Test
    void aOneShotTapeRefusesASecondGradientOfAnyKindAndReleasesItsHoldsAfterTheFirst() {
        Variable v = new Variable("v", Tensor.of(new float[] {1, 2}), true);
        Tensor x = Tensor.of(new double[] {3});
        GradientTape tape = GradientTape.open();
        tape.watch(x);
        Tensor y = v.value().sum().cast(x.dtype()).mul(x);
        assertThat(tape.gradient(y, List.of(v)).get(0).toFloatArray()).containsExactly(3, 3);
        assertThat(v.updateF32().inPlace()).as("the one-shot gradient released the hold on v").isTrue();
        for (Runnable again : List.<Runnable>of(() -> tape.gradient(y, x), () -> tape.gradient(y, List.of(v)),
                () -> tape.jacobian(y, x), () -> tape.vjp(y, Tensor.of(new double[] {1}), x))) {
            assertThatThrownBy(again::run).isInstanceOf(IllegalStateException.class).hasMessageContaining("once");
        }
        tape.close();

        GradientTape jac = GradientTape.open();
        Variable u = new Variable("u", Tensor.of(new float[] {1}), true);
        Tensor z = jac.gradient(u.value().square(), List.of(u)).get(0);
        assertThat(z.toFloatArray()).containsExactly(2);
        jac.close();
        try (GradientTape once = GradientTape.open()) {
            once.watch(x);
            Tensor w = x.square();
            assertThat(once.jacobian(w, x).toDoubleArray()).containsExactly(6);
            assertThatThrownBy(() -> once.jacobian(w, x)).hasMessageContaining("once");
        }
    }

    @Test
    void integerTargetsAreRefusedByEveryEntryPoint() {
        Tensor x = Tensor.of(new double[] {1.5, 2.5});
        try (GradientTape tape = GradientTape.openPersistent()) {
            tape.watch(x);
            Tensor ints = x.cast(dev.vecgrad.core.DType.I32);
            for (Runnable use : List.<Runnable>of(() -> tape.gradient(ints, x), () -> tape.vjp(ints, ints, x),
                    () -> tape.gradient(ints, List.of()), () -> tape.jacobian(ints, x), () -> tape.graph(ints, true))) {
                assertThatThrownBy(use::run).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("target must be floating");
            }
        }
    }

    @Test
    void onlyTheOpeningThreadMayCloseATape() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        GradientTape tape = GradientTape.open();
        try {
            Future<?> close = other.submit(tape::close);
            assertThatThrownBy(close::get).hasCauseInstanceOf(IllegalStateException.class)
                    .cause().hasMessageContaining("belongs to thread");
        } finally {
            tape.close();
            other.shutdown();
        }
    }
}
