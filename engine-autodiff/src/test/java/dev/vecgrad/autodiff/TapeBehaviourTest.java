package dev.vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.ops.Primitive;
import dev.vecgrad.core.ops.Primitives;
import dev.vecgrad.core.ops.OpRecorder;
import dev.vecgrad.core.ops.Recording;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The tape's footguns and features, each against a value worked out by hand. */
class TapeBehaviourTest {

    private static Tensor d(double... v) {
        return Tensor.of(v);
    }

    @Test
    void diamondGraphAccumulatesBothPaths() {
        Tensor x = d(1, -2, 3);
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(x);
            Tensor a = x.mul(2);
            Tensor b = x.mul(3);
            Tensor y = a.mul(b).sum();                     // 6x²
            assertThat(tape.gradient(y, x).get(0).toDoubleArray()).containsExactly(12, -24, 36);
        }
    }

    @Test
    void tensorUsedTwiceInOneOp() {
        Tensor x = d(1.5, -2);
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(x);
            assertThat(tape.gradient(x.mul(x), x).get(0).toDoubleArray()).containsExactly(3, -4);
        }
    }

    @Test
    void unwatchedSourcesAreUnconnected() {
        Tensor x = d(1, 2);
        Tensor c = d(5, 7);
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(x);
            List<Tensor> g = tape.gradient(x.mul(c).sum(), x, c);
            assertThat(g.get(0).toDoubleArray()).containsExactly(5, 7);
            assertThat(g.get(1)).as("c was never watched").isNull();
        }
        try (GradientTape tape = GradientTape.builder().unconnectedGradients(UnconnectedGradients.ZERO).open()) {
            tape.watch(x);
            Tensor unused = d(1, 2, 3);
            tape.watch(unused);
            List<Tensor> g = tape.gradient(x.sum(), c, unused);
            assertThat(g.get(0).toDoubleArray()).containsExactly(0, 0);
            assertThat(g.get(1).toDoubleArray()).containsExactly(0, 0, 0);
        }
        Variable unread = new Variable("unread", Tensor.zeros(2, 3), true);
        try (GradientTape tape = GradientTape.builder().unconnectedGradients(UnconnectedGradients.ZERO).open()) {
            tape.watch(x);
            Tensor g = tape.gradient(x.sum(), List.of(unread)).get(0);
            assertThat(g.shape().toArray()).containsExactly(2, 3);
            assertThat(g.toFloatArray()).containsOnly(0f);
        }
    }

    @Test
    void variableAssignedInsideTheTapeStartsAFreshHistory() {
        Variable v = new Variable("v", Tensor.scalar(2.0), true);
        try (GradientTape tape = GradientTape.open()) {
            v.assign(v.value().mul(3));                    // v = 6, not differentiable
            Tensor y = v.value().square();                 // 36
            Tensor g = tape.gradient(y, List.of(v)).get(0);
            assertThat(g.item()).isEqualTo(12);            // d(v²)/dv at the value read, 6
        }
    }

    @Test
    void anUpdateAfterTheGradientWritesInPlaceAndOneBeforeLeavesTheTapesValueAlone() {
        Variable w = new Variable("w", Tensor.of(new float[] {2, 3}), true);
        Variable frozen = new Variable("frozen", Tensor.of(new float[] {5, 7}), false);
        Tensor x = Tensor.of(new float[] {1, 1});
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(x);
            Tensor y = x.mul(frozen.value()).mul(w.value()).sum();   // Σ x·frozen·w
            frozen.assign(Tensor.of(new float[] {0, 0}));             // held although not watched
            w.assignAdd(Tensor.of(new float[] {100, 100}));
            List<Tensor> g = tape.gradient(y, x);
            assertThat(g.get(0).toFloatArray()).as("∂y/∂x = frozen·w at the values read").containsExactly(10, 21);
            Object array = w.peek().array();
            assertThat(w.updateF32().inPlace()).as("the used tape released its holds").isTrue();
            assertThat(w.peek().array()).isSameAs(array);
        }
        try (GradientTape tape = GradientTape.openPersistent()) {
            Tensor y = w.value().sum();
            tape.gradient(y, List.of(w));
            assertThat(w.updateF32().inPlace()).as("a persistent tape holds until closed").isFalse();
        }
        try (GradientTape tape = GradientTape.open(); var paused = tape.stopRecording()) {
            w.value();
            assertThat(w.updateF32().inPlace()).as("read while paused: still held").isFalse();
        }
        assertThat(w.updateF32().inPlace()).as("closed tapes hold nothing").isTrue();
    }

    @Test
    void variableReadTwiceSumsBothReads() {
        Variable v = new Variable("v", Tensor.scalar(3.0), true);
        try (GradientTape tape = GradientTape.open()) {
            Tensor y = v.value().mul(v.value().exp());     // v·e^v
            double g = tape.gradient(y, List.of(v)).get(0).item();
            assertThat(g).isCloseTo(Math.exp(3) * 4, within(1e-9)); // (1 + v)e^v
        }
    }

    @Test
    void watchAccessedVariablesCanBeTurnedOff() {
        Variable v = new Variable("v", Tensor.scalar(3.0), true);
        Variable u = new Variable("u", Tensor.scalar(2.0), false);
        try (GradientTape tape = GradientTape.builder().watchAccessedVariables(false).open()) {
            tape.watch(u);                                 // explicit watch works even on a non-trainable variable
            Tensor y = v.value().mul(u.value());
            List<Tensor> g = tape.gradient(y, List.of(v, u));
            assertThat(g.get(0)).isNull();
            assertThat(g.get(1).item()).isEqualTo(3);
        }
    }

    @Test
    void persistentTapeAllowsSeveralGradients() {
        Tensor x = d(2);
        try (GradientTape tape = GradientTape.openPersistent()) {
            tape.watch(x);
            Tensor y = x.square();
            Tensor z = y.square();
            assertThat(tape.gradient(y, x).get(0).item()).isEqualTo(4);
            assertThat(tape.gradient(z, x).get(0).item()).isEqualTo(32);   // 4x³
            assertThat(tape.gradient(z, y).get(0).item()).isEqualTo(8);    // 2y
        }
    }

    @Test
    void nonPersistentTapeReleasesItsRecording() {
        Tensor x = d(2, 3);
        GradientTape tape = GradientTape.open();
        WeakReference<Tensor> intermediate;
        try (tape) {
            intermediate = differentiateOnce(tape, x);
            assertThat(tape.size()).isZero();
        }
        for (int i = 0; i < 20 && intermediate.get() != null; i++) {
            System.gc();
        }
        assertThat(intermediate.get()).as("the tape no longer holds exp(x)").isNull();
        assertThatThrownBy(() -> tape.gradient(x, x)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    /** Records exp(x).sum() and differentiates it; only the returned weak reference to exp(x) escapes. */
    private static WeakReference<Tensor> differentiateOnce(GradientTape tape, Tensor x) {
        tape.watch(x);
        Tensor h = x.exp();
        Tensor y = h.sum();
        assertThat(tape.size()).isEqualTo(2);
        assertThat(tape.gradient(y, x).get(0).toDoubleArray()).containsExactly(Math.exp(2), Math.exp(3));
        return new WeakReference<>(h);
    }

    @Test
    void stopRecordingMakesConstants() {
        Tensor x = d(2);
        try (GradientTape tape = GradientTape.openPersistent()) {
            tape.watch(x);
            Tensor y = x.square();
            Tensor z;
            try (var _ = tape.stopRecording()) {
                z = y.mul(3);
                // Gradients may be taken under stopRecording; they are not recorded either.
                assertThat(tape.gradient(y, x).get(0).item()).isEqualTo(4);
            }
            int kept = tape.size();
            assertThat(tape.gradient(z, x).get(0)).isNull();
            Tensor w = y.mul(5);
            assertThat(tape.size()).isEqualTo(kept + 1);
            assertThat(tape.gradient(w, x).get(0).item()).isEqualTo(20);
        }
    }

    @Test
    void softmaxGivesTheSameBitsUnderATapeAndWithout() {
        Tensor x = Tensor.randomNormal(new Rng(8), 0, 3, 16, 37);
        Tensor plain = x.softmax(-1);
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(x);
            Tensor taped = x.softmax(-1);
            assertThat(taped.toFloatArray()).isEqualTo(plain.toFloatArray());
            assertThat(tape.size()).as("softmax is one recorded primitive").isEqualTo(1);
        }
    }

    @Test
    void noGradStopsEveryTapeOnTheThreadUntilClosed() {
        Tensor x = d(2);
        try (GradientTape outer = GradientTape.open(); GradientTape inner = GradientTape.open()) {
            outer.watch(x);
            inner.watch(x);
            Tensor y;
            try (GradientTape.NoGrad scope = GradientTape.noGrad()) {
                y = x.mul(3);
                try (GradientTape fresh = GradientTape.open()) {
                    fresh.watch(x);
                    assertThat(fresh.gradient(x.square(), x).get(0).item()).as("a tape opened inside records")
                            .isEqualTo(4);
                }
            }
            Tensor z = x.mul(5);
            assertThat(outer.size()).as("only the op after the scope").isEqualTo(1);
            assertThat(inner.size()).isEqualTo(1);
            assertThat(outer.gradient(y, x).get(0)).as("y is a constant to the outer tape").isNull();
            assertThat(inner.gradient(z, x).get(0).item()).isEqualTo(5);
        }
    }

    @Test
    void stopGradientBlocksOnePath() {
        Tensor x = d(3);
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(x);
            Tensor y = x.mul(GradientTape.stopGradient(x));   // x · const(x)
            assertThat(tape.gradient(y, x).get(0).item()).isEqualTo(3);
        }
    }

    @Test
    void vjpGivesAVectorJacobianProduct() {
        Tensor x = d(1, 2, 3);
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(x);
            Tensor y = x.square();
            Tensor g = tape.vjp(y, d(1, 10, 100), x).get(0);
            assertThat(g.toDoubleArray()).containsExactly(2, 40, 600);   // 2x·v
        }
    }

    @Test
    void gradientWithThreeTensorsDifferentiatesWithRespectToTheLastTwo() {
        Tensor w = d(2, 3);
        Tensor x = d(5, 7);
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(w);
            tape.watch(x);
            Tensor y = w.mul(x).sum();
            List<Tensor> g = tape.gradient(y, w, x);
            assertThat(g).hasSize(2);
            assertThat(g.get(0).toDoubleArray()).containsExactly(5, 7);   // ∂(w·x)/∂w = x
            assertThat(g.get(1).toDoubleArray()).containsExactly(2, 3);   // ∂(w·x)/∂x = w
        }
    }

    @Test
    void vjpRefusesAnOutputGradientOfAnotherShape() {
        Tensor x = d(1, 2, 3);
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(x);
            Tensor y = x.square();
            assertThatThrownBy(() -> tape.vjp(y, d(1, 2), x)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("vjp").hasMessageContaining("does not match the target");
        }
    }

    @Test
    void theGradientOfATensorWithRespectToItselfIsOnes() {
        Tensor x = d(4, -1, 0.5);
        Tensor m = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
        try (GradientTape tape = GradientTape.openPersistent()) {
            tape.watch(x);
            tape.watch(m);
            assertThat(tape.gradient(x, x).get(0).toDoubleArray()).containsExactly(1, 1, 1);
            assertThat(tape.gradient(m, m).get(0).toDoubleArray()).containsExactly(1, 1, 1, 1);
            assertThat(tape.vjp(x, d(3, 5, 7), x).get(0).toDoubleArray()).containsExactly(3, 5, 7);
            Tensor y = x.square();
            assertThat(tape.gradient(y, y, x).get(0).toDoubleArray()).containsExactly(1, 1, 1);
        }
    }

    @Test
    void hundredThousandOpChainDoesNotOverflowTheStack() {
        Tensor x = Tensor.scalar(1.0);
        int n = 100_000;
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(x);
            Tensor y = x;
            for (int i = 0; i < n; i++) {
                y = y.mul(1.00001);
            }
            assertThat(tape.size()).isEqualTo(n);
            double g = tape.gradient(y, x).get(0).item();
            assertThat(g).isCloseTo(Math.pow(1.00001, n), within(1e-9));
        }
    }

    @Test
    void onlyOpsBetweenSourcesAndTargetRunTheirRules() {
        Tensor x = d(0.5);
        Tensor c = d(0.25);
        Spy spy = new Spy();
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(x);
            tape.watch(c);
            Tensor y = x.mul(c).add(c.sin());          // sin's rule would run cos
            Tensor unrelated = x.tanh();               // recorded, but not on the path to y
            assertThat(unrelated).isNotNull();
            Recording.push(spy);
            try {
                assertThat(tape.gradient(y, x).get(0).item()).isEqualTo(0.25);
            } finally {
                Recording.pop(spy);
            }
        }
        assertThat(spy.ops).doesNotContain(Primitives.COS, Primitives.TANH, Primitives.SQUARE);
    }

    @Test
    void tapesOnSeveralThreadsRecordOnlyTheirOwnOps() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Double>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                double k = t + 1;
                results.add(pool.submit(() -> {
                    double last = 0;
                    for (int rep = 0; rep < 200; rep++) {
                        Tensor x = d(k);
                        try (GradientTape tape = GradientTape.open()) {
                            tape.watch(x);
                            Tensor y = x.square().mul(k);       // k·x², derivative 2k·x = 2k²
                            assertThat(tape.size()).isEqualTo(2);
                            last = tape.gradient(y, x).get(0).item();
                        }
                        if (last != 2 * k * k) {
                            return last;
                        }
                    }
                    return last;
                }));
            }
            for (int t = 0; t < 4; t++) {
                assertThat(results.get(t).get()).isEqualTo(2.0 * (t + 1) * (t + 1));
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aTapeIsUsedFromTheThreadThatOpenedIt() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (GradientTape tape = GradientTape.open()) {
            Tensor x = d(2);
            tape.watch(x);
            Tensor y = x.square();
            Future<?> watch = other.submit(() -> tape.watch(d(1)));
            Future<?> gradient = other.submit(() -> tape.gradient(y, x));
            for (Future<?> f : List.of(watch, gradient)) {
                assertThatThrownBy(f::get).hasCauseInstanceOf(IllegalStateException.class)
                        .cause().hasMessageContaining("belongs to thread");
            }
            assertThat(tape.gradient(y, x).get(0).item()).as("the owner still can").isEqualTo(4);
        } finally {
            other.shutdown();
        }
    }

    @Test
    void nestedTapesGiveHigherOrderGradients() {
        Tensor x = d(2);
        try (GradientTape outer2 = GradientTape.open()) {
            outer2.watch(x);
            Tensor dy2;
            try (GradientTape outer = GradientTape.open()) {
                outer.watch(x);
                Tensor dy;
                try (GradientTape inner = GradientTape.open()) {
                    inner.watch(x);
                    Tensor y = x.square().mul(x);          // x³
                    dy = inner.gradient(y, x).get(0);      // 3x² = 12
                }
                assertThat(dy.item()).isEqualTo(12);
                dy2 = outer.gradient(dy, x).get(0);        // 6x = 12
            }
            assertThat(dy2.item()).isEqualTo(12);
            assertThat(outer2.gradient(dy2, x).get(0).item()).isEqualTo(6);   // third derivative
        }
    }

    @Test
    void customGradientReplacesTheBlocksGradient() {
        Tensor x = d(0.3, 50);
        CustomGradient.Backward clipToOne = (in, out, g) -> List.of(g.clip(-1, 1));
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(x);
            Tensor y = CustomGradient.apply("clip_grad", in -> in.get(0), clipToOne, x);
            Tensor loss = y.mul(d(0.5, 7)).sum();
            assertThat(tape.gradient(loss, x).get(0).toDoubleArray()).containsExactly(0.5, 1);
        }
    }

    @Test
    void customGradientPassesGradCheckAndSecondOrder() {
        java.util.function.Function<List<Tensor>, Tensor> log1pexp = in -> CustomGradient.apply("log1pexp",
                a -> a.get(0).exp().log1p(),
                (a, out, g) -> List.of(g.mul(a.get(0).sigmoid())),
                in.get(0));
        GradCheck.check(log1pexp, d(-1, 0.5, 2)).assertPassed();
        GradCheck.checkSecondOrder(log1pexp, d(-1, 0.5, 2)).assertPassed();
    }

    @Test
    void jacobianOfAMatrixProductIsTheMatrix() {
        Tensor w = Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor x = Tensor.of(new double[] {1, -1, 2}, 3, 1);
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(x);
            Tensor y = w.matmul(x);                          // (2, 1)
            Tensor j = tape.jacobian(y, x);                  // (2, 1, 3, 1)
            assertThat(j.shape().toArray()).containsExactly(2, 1, 3, 1);
            assertThat(j.toDoubleArray()).containsExactly(1, 2, 3, 4, 5, 6);
        }
    }

    @Test
    void dotDrawingNamesOpsVariablesAndTheTarget() {
        Variable w = new Variable("dense/kernel", Tensor.of(new float[][] {{1, 2}, {3, 4}}), true);
        Tensor x = Tensor.of(new float[][] {{1, 1}});
        try (GradientTape tape = GradientTape.open()) {
            Tensor loss = x.matmul(w.value()).relu().sum();
            String dot = tape.toDot(loss);
            assertThat(dot).startsWith("digraph tape {").contains("matmul", "relu", "sum", "dense/kernel", "target")
                    .contains("s0 -> n0");
            assertThat(dot.lines().filter(l -> l.contains("->")).count()).isEqualTo(3);
        }
    }

    @Test
    void watchingAnIntegerTensorIsAClearError() {
        try (GradientTape tape = GradientTape.open()) {
            assertThatThrownBy(() -> tape.watch(Tensor.of(new int[] {1}))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("I32");
        }
    }

    @Test
    void nonDifferentiableOpsCarryNoGradient() {
        Tensor x = d(1.5, -0.5, 2.25);
        try (GradientTape tape = GradientTape.openPersistent()) {
            tape.watch(x);
            // floor, a comparison mask and a round trip through I32 are constants to the tape
            assertThat(tape.gradient(x.floor().sum(), x).get(0)).isNull();
            assertThat(tape.gradient(x.gt(0).sum(), x).get(0)).isNull();
            assertThat(tape.gradient(x.cast(dev.vecgrad.core.DType.I32).cast(dev.vecgrad.core.DType.F64).sum(), x)
                    .get(0)).isNull();
            // ... while the differentiable path beside them still counts: d(x·floor(x)) = floor(x)
            assertThat(tape.gradient(x.mul(x.floor()).sum(), x).get(0).toDoubleArray()).containsExactly(1, -1, 2);
        }
    }

    @Test
    void kinksFollowTheDocumentedChoice() {
        Tensor x = d(0, 2, 2, -1);
        Tensor other = d(1, 2, 1, 3);
        try (GradientTape tape = GradientTape.openPersistent()) {
            tape.watch(x);
            tape.watch(other);
            assertThat(tape.gradient(x.relu().sum(), x).get(0).toDoubleArray()).containsExactly(0, 1, 1, 0);
            assertThat(tape.gradient(x.abs().sum(), x).get(0).toDoubleArray()).containsExactly(0, 1, 1, -1);
            List<Tensor> g = tape.gradient(x.maximum(other).sum(), x, other);
            assertThat(g.get(0).toDoubleArray()).containsExactly(0, 0.5, 1, 0);   // tie at index 1 is split
            assertThat(g.get(1).toDoubleArray()).containsExactly(1, 0.5, 0, 1);
            // the maximum 2 is attained twice: each gets half
            assertThat(tape.gradient(x.max(), x).get(0).toDoubleArray()).containsExactly(0, 0.5, 0.5, 0);
        }
    }

    @Test
    void gradCheckCatchesAWrongCustomGradient() {
        GradCheck.Result r = GradCheck.check(in -> CustomGradient.apply("wrong_square",
                a -> a.get(0).square(),
                (a, out, g) -> List.of(g.mul(a.get(0))),          // should be 2x·g
                in.get(0)), d(0.5, -1.5, 3));
        assertThat(r.passed()).isFalse();
        assertThat(r.input()).isZero();
        assertThat(r.index()).containsExactly(2);                  // the largest error relative to its tolerance
        assertThat(r.analytic() / r.numeric()).isCloseTo(0.5, within(1e-6));
        assertThatThrownBy(r::assertPassed).isInstanceOf(AssertionError.class).hasMessageContaining("[2]");
    }

    @Test
    void aBadGradientFunctionIsAClearError() {
        Tensor x = d(1, 2, 3);
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(x);
            Tensor y = CustomGradient.apply("bad_shape", in -> in.get(0).mul(2),
                    (in, out, g) -> List.of(g.sum(new int[] {0}, true).reshape(1, 1)), x);
            assertThatThrownBy(() -> tape.gradient(y.sum(), x)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("bad_shape").hasMessageContaining("(1, 1)").hasMessageContaining("(3,)");
            assertThatThrownBy(() -> tape.gradient(y.sum(), x)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("once");
        }
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(x);
            Tensor y = CustomGradient.apply("two_for_one", in -> in.get(0).exp(), (in, out, g) -> List.of(g, g), x);
            assertThatThrownBy(() -> tape.gradient(y.sum(), x)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("two_for_one returned 2 gradients for 1 inputs");
        }
    }

    private static final class Spy implements OpRecorder {
        final Set<Primitive<?>> ops = new java.util.HashSet<>();

        @Override
        public <A> void recordOp(Primitive<A> op, A attrs, Tensor[] inputs, Tensor output) {
            ops.add(op);
        }
    }
}
