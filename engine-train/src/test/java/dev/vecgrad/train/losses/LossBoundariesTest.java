package dev.vecgrad.train.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Losses at the edges of their domains, against values worked out by hand: probabilities of
 * exactly 0 and 1 (clipped into [1e-7, 1 - 1e-7] as Keras, so the loss and its gradient stay
 * finite) and percentage errors of negative labels.
 */
class LossBoundariesTest {
    private static final double EPS = 1e-7;
    /** -log(1e-7): the loss of a certain, wrong prediction after clipping. */
    private static final double CERTAIN_AND_WRONG = -Math.log(EPS);
    /** -log(1 - 1e-7): the loss of a certain, right prediction after clipping. */
    private static final double CERTAIN_AND_RIGHT = -Math.log(1 - EPS);

    @Test
    void binaryCrossentropyAtProbabilitiesZeroAndOne() {
        BinaryCrossentropy bce = new BinaryCrossentropy();
        // one sample per row, one probability each
        Tensor labels = Tensor.of(new double[] {1, 0, 1, 0}, 4, 1);
        Tensor p = Tensor.of(new double[] {0, 1, 1, 0}, 4, 1);
        double[] perSample = bce.perSample(labels, p).values().toDoubleArray();
        assertThat(perSample[0]).isCloseTo(CERTAIN_AND_WRONG, within(1e-6));
        assertThat(perSample[1]).isCloseTo(CERTAIN_AND_WRONG, within(1e-6));
        assertThat(perSample[2]).isCloseTo(CERTAIN_AND_RIGHT, within(1e-9));
        assertThat(perSample[3]).isCloseTo(CERTAIN_AND_RIGHT, within(1e-9));
        assertThat(bce.call(labels, p).item()).isCloseTo((2 * CERTAIN_AND_WRONG + 2 * CERTAIN_AND_RIGHT) / 4, within(1e-6));
        assertGradientFinite(bce, labels, p);
    }

    @Test
    void categoricalCrossentropiesAtProbabilitiesZeroAndOne() {
        Tensor oneHot = Tensor.of(new double[] {0, 1, 0, 1, 0, 0}, 2, 3);
        Tensor p = Tensor.of(new double[] {1, 0, 0, 1, 0, 0}, 2, 3);   // row 0 certain and wrong, row 1 right
        double[] cce = new CategoricalCrossentropy().perSample(oneHot, p).values().toDoubleArray();
        assertThat(cce[0]).isCloseTo(CERTAIN_AND_WRONG, within(1e-6));
        assertThat(cce[1]).isCloseTo(CERTAIN_AND_RIGHT, within(1e-9));
        double[] sparse = new SparseCategoricalCrossentropy().perSample(Tensor.of(new int[] {1, 0}), p).values()
                .toDoubleArray();
        assertThat(sparse[0]).isCloseTo(CERTAIN_AND_WRONG, within(1e-6));
        assertThat(sparse[1]).isCloseTo(CERTAIN_AND_RIGHT, within(1e-9));
        assertGradientFinite(new CategoricalCrossentropy(), oneHot, p);
    }

    private static void assertGradientFinite(Loss loss, Tensor labels, Tensor p) {
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(p);
            double[] g = tape.gradient(loss.call(labels, p), p).get(0).toDoubleArray();
            for (double v : g) {
                assertThat(v).isFinite();
            }
        }
    }

    @Test
    void percentageErrorsOfNegativeLabelsDivideByTheirMagnitude() {
        // |(-2 - -1) / 2| = 0.5 and |(-4 - 0) / 4| = 1: 75 %; a label of 0 divides by 1e-7.
        Tensor labels = Tensor.of(new double[] {-2, -4}, 1, 2);
        Tensor p = Tensor.of(new double[] {-1, 0}, 1, 2);
        assertThat(new MeanAbsolutePercentageError().call(labels, p).item()).isCloseTo(75, within(1e-9));
        Tensor zero = Tensor.of(new double[] {0, -1}, 1, 2);
        Tensor q = Tensor.of(new double[] {1e-9, -3}, 1, 2);
        // (1e-9 / 1e-7 + 2 / 1) / 2 · 100 = (0.01 + 2) / 2 · 100
        assertThat(new MeanAbsolutePercentageError().call(zero, q).item()).isCloseTo(100.5, within(1e-6));
        dev.vecgrad.train.metrics.MeanAbsolutePercentageError metric = new dev.vecgrad.train.metrics.MeanAbsolutePercentageError();
        metric.update(labels, p, null);
        assertThat(metric.result()).isCloseTo(75, within(1e-5));
    }
}
