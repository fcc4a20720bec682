package dev.vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.Primitives;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The checker every rule test relies on, checked itself: gradients that are wrong by a known
 * amount pass or fail exactly as {@code |analytic - numeric| <= atol + rtol·|numeric|} says,
 * including next to a zero derivative, where only {@code atol} may excuse an error.
 */
class GradCheckTest {

    private static Tensor d(double... v) {
        return Tensor.of(v);
    }

    /** x² with the gradient {@code 2x + bias} instead of {@code 2x}: wrong by exactly {@code bias}. */
    private static Function<List<Tensor>, Tensor> squareWithGradientOffBy(double bias) {
        return in -> CustomGradient.apply("square_off_by_" + bias,
                a -> a.get(0).square(),
                (a, out, g) -> List.of(g.mul(a.get(0).mul(2).add(bias))),
                in.get(0));
    }

    @Test
    void theToleranceIsAtolPlusRtolTimesTheNumericDerivative() {
        // One element at x = 3: L = w·x², numeric derivative 6w, for the checker's fixed weight w.
        GradCheck.Result r = GradCheck.with(1e-6, 1e-5, 1e-3).run(squareWithGradientOffBy(0), d(3));
        assertThat(r.passed()).isTrue();
        assertThat(r.elementsChecked()).isEqualTo(1);
        double expectedTolerance = 1e-5 + 1e-3 * Math.abs(r.numeric());
        assertThat(r.tolerance()).isCloseTo(expectedTolerance, within(1e-15));
        assertThat(Math.abs(r.numeric())).isGreaterThan(0.01);   // a weight far from zero, so the rtol term counts
        assertThat(r.analytic()).isCloseTo(r.numeric(), within(1e-6));
    }

    @Test
    void anErrorJustInsideOrOutsideTheRelativeToleranceDecides() {
        GradCheck check = GradCheck.with(1e-6, 0, 1e-3);
        // x = 3: derivative 6 (times the weight); rtol allows 0.1 % of it.
        double w = GradCheck.with(1e-6, 0, 1e-3).run(squareWithGradientOffBy(0), d(3)).numeric() / 6;
        double allowed = 1e-3 * 6 * Math.abs(w);
        GradCheck.Result inside = check.run(squareWithGradientOffBy(0.5 * allowed / Math.abs(w)), d(3));
        GradCheck.Result outside = check.run(squareWithGradientOffBy(2 * allowed / Math.abs(w)), d(3));
        assertThat(inside.passed()).as(inside.describe()).isTrue();
        assertThat(outside.passed()).as(outside.describe()).isFalse();
        assertThat(Math.abs(outside.analytic() - outside.numeric())).isCloseTo(2 * allowed, within(1e-6 * allowed));
    }

    @Test
    void nextToAZeroDerivativeOnlyAtolExcusesAnError() {
        // x = 1e-4: derivative 2e-4, so rtol·|numeric| is 2e-7 and an error of 5e-5 is far outside
        // atol (1e-5) + 2e-7. A tolerance that grew as the derivative shrank would let it pass.
        GradCheck.Result r = GradCheck.check(squareWithGradientOffBy(5e-5), d(1e-4, 2e-4));
        assertThat(r.passed()).as(r.describe()).isFalse();
        assertThat(r.tolerance()).isLessThan(1.1e-5);
        assertThatThrownBy(r::assertPassed).isInstanceOf(AssertionError.class).hasMessageContaining("FAILED");
        // At exactly zero the derivative is zero and only atol is left.
        GradCheck.Result atZero = GradCheck.check(squareWithGradientOffBy(5e-5), d(0));
        assertThat(atZero.passed()).as(atZero.describe()).isFalse();
        assertThat(atZero.tolerance()).isEqualTo(GradCheck.DEFAULT_ATOL);
        // The same error within atol passes.
        GradCheck.Result small = GradCheck.check(squareWithGradientOffBy(1e-6), d(0, 1e-4));
        assertThat(small.passed()).as(small.describe()).isTrue();
    }

    @Test
    void theWorstElementIsTheOneFurthestOutsideItsTolerance() {
        // f(x) = x·c with a gradient that is right except for element 1 of a 2x2 input.
        Tensor mask = Tensor.of(new double[] {0, 0, 1, 0}, 2, 2);
        GradCheck.Result r = GradCheck.check(in -> CustomGradient.apply("off_at_one",
                a -> a.get(0).mul(3),
                (a, out, g) -> List.of(g.mul(3).add(mask)),
                in.get(0)), Tensor.of(new double[] {1, 2, 3, 4}, 2, 2));
        assertThat(r.passed()).isFalse();
        assertThat(r.input()).isZero();
        assertThat(r.index()).containsExactly(1, 0);
        assertThat(r.elementsChecked()).isEqualTo(4);
        assertThat(r.analytic() - r.numeric()).isCloseTo(1, within(1e-6));
        assertThat(r.describe()).contains("FAILED").contains("4 elements").contains("[1, 0]");
    }

    @Test
    void aPassingCheckDescribesItselfAndReturnsFromAssertPassed() {
        GradCheck.Result r = GradCheck.check(in -> in.get(0).mul(in.get(1)).tanh(), d(0.1, -0.7), d(2, 3));
        assertThat(r.assertPassed()).isSameAs(r);
        assertThat(r.elementsChecked()).isEqualTo(4);
        assertThat(r.describe()).startsWith("passed: 4 elements");
        assertThat(r.recordedOps()).contains(Primitives.MUL, Primitives.TANH);
    }

    @Test
    void integerInputsArePassedThroughAndNotChecked() {
        Tensor table = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
        GradCheck.Result r = GradCheck.check(in -> in.get(0).gather(in.get(1), 0).square(), table,
                Tensor.of(new int[] {2, 0}));
        assertThat(r.passed()).as(r.describe()).isTrue();
        assertThat(r.elementsChecked()).isEqualTo(6);
        GradCheck.Result none = GradCheck.check(in -> in.get(0).cast(DType.F64), Tensor.of(new int[] {1, 2}));
        assertThat(none.elementsChecked()).isZero();
        assertThat(none.describe()).isEqualTo("no floating input elements to check");
    }

    @Test
    void secondOrderChecksCatchAGradientThatIsRightOnlyToFirstOrder() {
        // x³ with the first derivative 3x² computed from a constant copy of x: right values, but
        // its own derivative is 0 instead of 6x.
        Function<List<Tensor>, Tensor> firstOrderOnly = in -> CustomGradient.apply("cube",
                a -> a.get(0).pow(3),
                (a, out, g) -> List.of(g.mul(GradientTape.stopGradient(a.get(0)).square().mul(3))),
                in.get(0));
        assertThat(GradCheck.check(firstOrderOnly, d(0.5, -1.5)).passed()).isTrue();
        GradCheck.Result second = GradCheck.checkSecondOrder(firstOrderOnly, d(0.5, -1.5));
        assertThat(second.passed()).as(second.describe()).isFalse();
        Function<List<Tensor>, Tensor> right = in -> CustomGradient.apply("cube",
                a -> a.get(0).pow(3),
                (a, out, g) -> List.of(g.mul(a.get(0).square().mul(3))),
                in.get(0));
        GradCheck.checkSecondOrder(right, d(0.5, -1.5)).assertPassed();
    }

    @Test
    void badArgumentsAreClearErrors() {
        assertThatThrownBy(() -> GradCheck.with(0, 1e-5, 1e-3)).hasMessageContaining("eps must be positive");
        assertThatThrownBy(() -> GradCheck.with(1e-6, -1, 1e-3)).hasMessageContaining("non-negative");
        assertThatThrownBy(() -> GradCheck.with(1e-6, 1e-5, Double.NaN)).hasMessageContaining("non-negative");
        // Zero tolerances are allowed: rtol 0 leaves atol alone.
        GradCheck.Result noRtol = GradCheck.with(1e-6, 1e-5, 0).run(squareWithGradientOffBy(0), d(3));
        assertThat(noRtol.passed()).as(noRtol.describe()).isTrue();
        assertThat(noRtol.tolerance()).isEqualTo(1e-5);
        assertThatThrownBy(() -> GradCheck.check(in -> in.get(0).cast(DType.F32), d(1, 2)))
                .hasMessageContaining("must keep F64 inputs in F64");
        assertThatThrownBy(() -> GradCheck.check(in -> in.get(0).get(0) > 1 ? in.get(0) : in.get(0).slice(0, 0, 1),
                d(1, 1))).hasMessageContaining("output shape changed");
    }
}
