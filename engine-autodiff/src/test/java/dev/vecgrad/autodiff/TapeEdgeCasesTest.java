package dev.vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.ops.Recording;
import java.lang.ref.WeakReference;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What happens at the edges of a tape's life and of the rules' domains, against values worked out by hand. */
class TapeEdgeCasesTest {

    @Test
    void closingATapeStopsItsRecorderAndReleasesItsHolds() {
        Variable w = new Variable("w", Tensor.of(new float[] {1, 2}), true);
        assertThat(Recording.isRecording()).isFalse();
        try (GradientTape open = GradientTape.open()) {
            w.value().mul(2);                                   // a trainable read: the tape holds the value
            assertThat(Recording.isRecording()).isTrue();
            assertThat(w.updateF32().inPlace()).as("held while the tape is open").isFalse();
        }
        for (int i = 0; i < 3; i++) {
            GradientTape tape = GradientTape.open();
            w.value().mul(2);
            tape.close();
        }
        assertThat(Recording.isRecording()).as("closed tapes leave no recorder on the thread").isFalse();
        assertThat(w.updateF32().inPlace()).as("closed tapes hold nothing").isTrue();
        try (GradientTape tape = GradientTape.open()) {
            Tensor x = Tensor.of(new double[] {3});
            tape.watch(x);
            Tensor y = x.square();
            assertThat(tape.size()).as("only the open tape records").isEqualTo(1);
            assertThat(tape.gradient(y, x).get(0).item()).isEqualTo(6);
        }
    }

    /**
     * A tape lets go of its graph when it is closed (a one-shot tape already while its gradient
     * walks back): a result the caller keeps does not keep the intermediates.
     */
    @Test
    void aResultKeptAfterTheGradientDoesNotKeepTheGraphAlive() throws InterruptedException {
        for (boolean persistent : new boolean[] {false, true}) {
            List<Object> kept = gradientOfASumKeepingOnlyTheResult(persistent);
            Tensor y = (Tensor) kept.get(0);
            @SuppressWarnings("unchecked")
            WeakReference<Tensor> intermediate = (WeakReference<Tensor>) kept.get(1);
            for (int i = 0; i < 50 && intermediate.get() != null; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertThat(intermediate.get()).as("persistent %s: reachable only through the tape's record of y", persistent)
                    .isNull();
            assertThat(y.item()).isEqualTo(17.0);
        }
    }

    /** y = Σ (x² + 1) on a tape that is used and closed here; returns y and a weak reference to x² + 1. */
    private static List<Object> gradientOfASumKeepingOnlyTheResult(boolean persistent) {
        Tensor x = Tensor.of(new double[] {1, 2, 3});
        try (GradientTape tape = GradientTape.builder().persistent(persistent).open()) {
            tape.watch(x);
            Tensor h = x.mul(x).add(1);
            Tensor y = h.sum();
            assertThat(tape.gradient(y, x).get(0).toDoubleArray()).containsExactly(2, 4, 6);
            return List.of(y, new WeakReference<>(h));
        }
    }

    @Test
    void aTapeClosedTwiceClosesOnce() {
        GradientTape outer = GradientTape.open();
        GradientTape inner = GradientTape.open();
        inner.close();
        inner.close();
        assertThat(Recording.isRecording()).as("the outer tape still records").isTrue();
        outer.close();
        assertThat(Recording.isRecording()).isFalse();
    }

    @Test
    void powGradientsWhereTheBaseIsZeroOrNegative() {
        double[] a = {-2, 0, 3, -1.5};
        double[] b = {2, 3, 0.5, 3};
        Tensor ta = Tensor.of(a);
        Tensor tb = Tensor.of(b);
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(ta);
            tape.watch(tb);
            List<Tensor> g = tape.gradient(ta.pow(tb).sum(), ta, tb);
            double[] da = g.get(0).toDoubleArray();
            double[] db = g.get(1).toDoubleArray();
            for (int i = 0; i < a.length; i++) {
                assertThat(da[i]).as("d/da at %s", i).isCloseTo(b[i] * Math.pow(a[i], b[i] - 1), within(1e-12));
                double expected = a[i] > 0 ? Math.pow(a[i], b[i]) * Math.log(a[i]) : 0;   // TensorFlow's choice
                assertThat(db[i]).as("d/db at %s", i).isCloseTo(expected, within(1e-12));
            }
        }
    }

    @Test
    void powExponentGradientAloneWithAConstantBase() {
        Tensor base = Tensor.of(new double[] {0, -3, 2});
        Tensor e = Tensor.of(new double[] {2, 2, 3});
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(e);
            Tensor g = tape.gradient(base.pow(e).sum(), e).get(0);
            assertThat(g.toDoubleArray()).containsExactly(new double[] {0, 0, 8 * Math.log(2)}, within(1e-12));
        }
    }
}
