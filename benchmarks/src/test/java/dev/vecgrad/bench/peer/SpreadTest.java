package dev.vecgrad.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The summaries the in-process comparison prints: medians, quartiles, ranges and per-round ratios. */
class SpreadTest {

    @Test
    void medianOfAnOddCountIsTheMiddleValueWhateverTheOrder() {
        Spread s = Spread.of(new double[] {5, 1, 4, 2, 3});
        assertThat(s.median()).isEqualTo(3);
        assertThat(s.min()).isEqualTo(1);
        assertThat(s.max()).isEqualTo(5);
        assertThat(s.q1()).isEqualTo(2);
        assertThat(s.q3()).isEqualTo(4);
        assertThat(s.count()).isEqualTo(5);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        Spread s = Spread.of(new double[] {4, 1, 3, 2});
        assertThat(s.median()).isEqualTo(2.5);
        // Positions 0.75 and 2.25 of 1, 2, 3, 4, as NumPy's default quantile interpolates.
        assertThat(s.q1()).isEqualTo(1.75);
        assertThat(s.q3()).isEqualTo(3.25);
    }

    @Test
    void oneValueIsItsOwnMedianRangeAndQuartiles() {
        Spread s = Spread.of(new double[] {0.9});
        assertThat(List.of(s.median(), s.min(), s.max(), s.q1(), s.q3())).containsOnly(0.9);
    }

    @Test
    void theInputIsNotReordered() {
        double[] v = {3, 1, 2};
        Spread.of(v);
        assertThat(v).containsExactly(3, 1, 2);
    }

    @Test
    void ratiosPairTheRoundsAndTheirMedianIsNotTheRatioOfMedians() {
        double[] a = {90, 60, 80};
        double[] b = {100, 50, 100};
        double[] r = Spread.ratios(a, b);
        assertThat(r).containsExactly(0.9, 1.2, 0.8);
        assertThat(Spread.of(r).median()).isEqualTo(0.9);
        // The ratio of the medians (80 / 100) would hide that the sides moved together round by round.
        assertThat(Spread.of(a).median() / Spread.of(b).median()).isCloseTo(0.8, within(1e-12));
    }

    @Test
    void ratioTextHasTwoDecimalsAndTheRange() {
        assertThat(Spread.of(new double[] {0.871, 0.934, 1.056}).ratioText()).isEqualTo("0.93 [0.87–1.06]");
    }

    @Test
    void refusesNothingToSummarizeNaNsAndUnpairedRounds() {
        assertThatThrownBy(() -> Spread.of(new double[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Spread.of(new double[] {1, Double.NaN})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Spread.ratios(new double[2], new double[3]))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rounds differ");
    }
}
