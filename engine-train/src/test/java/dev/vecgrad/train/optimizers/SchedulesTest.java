package dev.vecgrad.train.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.train.optimizers.schedules.CosineDecay;
import dev.vecgrad.train.optimizers.schedules.ExponentialDecay;
import dev.vecgrad.train.optimizers.schedules.LearningRateSchedule;
import dev.vecgrad.train.optimizers.schedules.PiecewiseConstantDecay;
import org.junit.jupiter.api.Test;

class SchedulesTest {

    @Test
    void exponentialDecay() {
        assertThat(new ExponentialDecay(0.1, 10, 0.5, false).rate(5)).isCloseTo(0.1 * Math.sqrt(0.5), within(1e-15));
        assertThat(new ExponentialDecay(0.1, 10, 0.5, true).rate(5)).isEqualTo(0.1);
        assertThat(new ExponentialDecay(0.1, 10, 0.5, true).rate(25)).isCloseTo(0.025, within(1e-15));
        assertThatThrownBy(() -> new ExponentialDecay(0.1, 0, 0.5, false)).hasMessageContaining("decaySteps");
    }

    @Test
    void piecewiseConstant() {
        LearningRateSchedule s = new PiecewiseConstantDecay(new long[] {10, 20}, new double[] {1, 0.5, 0.1});
        assertThat(s.rate(0)).isEqualTo(1);
        assertThat(s.rate(10)).isEqualTo(1);
        assertThat(s.rate(11)).isEqualTo(0.5);
        assertThat(s.rate(20)).isEqualTo(0.5);
        assertThat(s.rate(21)).isEqualTo(0.1);
        assertThatThrownBy(() -> new PiecewiseConstantDecay(new long[] {1}, new double[] {1})).hasMessageContaining("one more");
    }

    @Test
    void cosineDecayWithAndWithoutWarmup() {
        CosineDecay c = new CosineDecay(0.2, 100, 0.1);
        assertThat(c.rate(0)).isCloseTo(0.2, within(1e-15));
        assertThat(c.rate(50)).isCloseTo(0.2 * (0.9 * 0.5 + 0.1), within(1e-15));
        assertThat(c.rate(25)).isCloseTo(0.2 * (0.9 * 0.5 * (1 + Math.cos(Math.PI / 4)) + 0.1), within(1e-15));
        assertThat(c.rate(1000)).isCloseTo(0.02, within(1e-15));
        CosineDecay w = new CosineDecay(0.0, 100, 0.0, 1.0, 10);
        assertThat(w.rate(0)).isEqualTo(0);
        assertThat(w.rate(5)).isCloseTo(0.5, within(1e-15));
        assertThat(w.rate(10)).isCloseTo(1, within(1e-15));
        assertThat(w.rate(60)).isCloseTo(0.5, within(1e-15));
        assertThat(w.rate(110)).isCloseTo(0, within(1e-15));
    }
}
