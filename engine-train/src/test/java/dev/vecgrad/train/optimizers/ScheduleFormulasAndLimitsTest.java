package dev.vecgrad.train.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.train.optimizers.schedules.CosineDecay;
import dev.vecgrad.train.optimizers.schedules.CosineDecayRestarts;
import dev.vecgrad.train.optimizers.schedules.InverseTimeDecay;
import dev.vecgrad.train.optimizers.schedules.PiecewiseConstantDecay;
import dev.vecgrad.train.optimizers.schedules.PolynomialDecay;
import org.junit.jupiter.api.Test;

/**
 * Schedules against their definitions computed another way (cosine restarts by walking the
 * periods one by one rather than by the closed form), and every schedule's argument checks at
 * their limits.
 */
class ScheduleFormulasAndLimitsTest {

    /**
     * Keras's SGDR schedule by walking the periods: period i lasts {@code first·tMul^i} steps and
     * peaks at {@code mMul^i}. Returns NaN at the first step of a period after the first, where
     * the closed form's {@code floor(log(...))} may round to either side, in Keras too.
     */
    private static double walked(double initial, long first, double tMul, double mMul, double alpha, long step) {
        double start = 0;
        double length = first;
        double peak = 1;
        while (step >= start + length) {
            start += length;
            length *= tMul;
            peak *= mMul;
        }
        double into = (step - start) / length;
        if (step > 0 && into < 1e-9) {
            return Double.NaN;
        }
        return initial * ((1 - alpha) * 0.5 * peak * (1 + Math.cos(Math.PI * into)) + alpha);
    }

    @Test
    void cosineDecayRestartsFollowsPeriodsThatGrowAndPeaksThatShrink() {
        double[][] cases = {{3, 0.5}, {1.5, 1.25}, {0.5, 0.8}, {2, 0.75}, {1, 0.5}};
        for (double[] c : cases) {
            CosineDecayRestarts s = new CosineDecayRestarts(0.2, 10, c[0], c[1], 0.1);
            int checked = 0;
            for (long step = 0; step <= (c[0] < 1 ? 19 : 200); step++) {
                double expected = walked(0.2, 10, c[0], c[1], 0.1, step);
                if (!Double.isNaN(expected)) {
                    assertThat(s.rate(step)).as("tMul %s mMul %s step %s", c[0], c[1], step)
                            .isCloseTo(expected, within(1e-12));
                    checked++;
                }
            }
            assertThat(checked).isGreaterThan(15);
        }
    }

    @Test
    void cosineDecayRestartsNeedsPositiveFirstStepsAndTMul() {
        assertThatCode(() -> new CosineDecayRestarts(0.1, 1, Double.MIN_VALUE, 1, 0)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new CosineDecayRestarts(0.1, 0, 2, 1, 0)).hasMessageContaining("firstDecaySteps")
                .hasMessageContaining("got 0");
        assertThatThrownBy(() -> new CosineDecayRestarts(0.1, 10, 0, 1, 0)).hasMessageContaining("tMul")
                .hasMessageContaining("got 0.0");
        assertThatThrownBy(() -> new CosineDecayRestarts(0.1, 10, Double.NaN, 1, 0)).hasMessageContaining("tMul");
    }

    @Test
    void decayStepsMustBePositiveAndWarmUpNonNegative() {
        assertThat(new CosineDecay(0.5, 1, 0).rate(1)).isCloseTo(0, within(1e-15));
        assertThat(new PolynomialDecay(0.5, 1).rate(1)).isEqualTo(1e-4);
        assertThat(new InverseTimeDecay(0.5, 1, 1, false).rate(1)).isEqualTo(0.25);
        assertThatThrownBy(() -> new CosineDecay(0.5, 0, 0)).hasMessageContaining("decaySteps must be positive, got 0");
        assertThatThrownBy(() -> new PolynomialDecay(0.5, 0)).hasMessageContaining("decaySteps must be positive, got 0");
        assertThatThrownBy(() -> new InverseTimeDecay(0.5, 0, 1, false))
                .hasMessageContaining("decaySteps must be positive, got 0");
        // No warm-up steps: the decay starts at once from the warm-up target.
        assertThat(new CosineDecay(0.5, 10, 0, 1.0, 0).rate(0)).isEqualTo(1.0);
        assertThatThrownBy(() -> new CosineDecay(0.5, 10, 0, 1.0, -1))
                .hasMessageContaining("warmupSteps must be non-negative, got -1");
    }

    @Test
    void piecewiseConstantBoundariesMustStrictlyIncrease() {
        assertThat(new PiecewiseConstantDecay(new long[0], new double[] {0.3}).rate(1000)).isEqualTo(0.3);
        PiecewiseConstantDecay one = new PiecewiseConstantDecay(new long[] {5}, new double[] {1, 2});
        assertThat(one.rate(5)).isEqualTo(1);
        assertThat(one.rate(6)).isEqualTo(2);
        assertThatCode(() -> new PiecewiseConstantDecay(new long[] {5, 6}, new double[] {1, 2, 3}))
                .doesNotThrowAnyException();
        for (long[] b : new long[][] {{5, 5}, {6, 5}, {1, 3, 3}}) {
            assertThatThrownBy(() -> new PiecewiseConstantDecay(b, new double[b.length + 1]))
                    .hasMessageContaining("boundaries must increase");
        }
        assertThatThrownBy(() -> new PiecewiseConstantDecay(new long[] {1, 2}, new double[] {1, 2}))
                .hasMessageContaining("2 boundaries and 2 values");
    }
}
