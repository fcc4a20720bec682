package dev.vecgrad.train.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every configurable loss's config with non-default arguments, written out here and read back
 * through {@link Losses#fromConfig}; argument checks at their limits; and the paths that only
 * non-default arguments reach (label smoothing, explicit axes, weights of lower rank than the
 * values), against values computed in plain double loops.
 */
class LossConfigAndLimitsTest {

    private static void roundTrips(Loss loss, String name, String reduction, Map<String, Object> own) {
        Map<String, Object> expected = new LinkedHashMap<>(own);
        expected.put("name", name);
        expected.put("reduction", reduction);
        Map<String, Object> config = loss.getConfig();
        assertThat(config).as(loss.className()).containsAllEntriesOf(expected);
        Loss back = Losses.fromConfig(loss.className(), config);
        assertThat(back).isInstanceOf(loss.getClass());
        assertThat(back.getConfig()).as(loss.className()).isEqualTo(config);
    }

    @Test
    void everyConfigurableLossCarriesItsArgumentsThroughFromConfig() {
        roundTrips(new BinaryCrossentropy(true, 0.2, 0, "b", Reduction.SUM), "b", "sum",
                Map.of("from_logits", true, "label_smoothing", 0.2, "axis", 0));
        roundTrips(new CategoricalCrossentropy(true, 0.1, 0, "c", Reduction.NONE), "c", "none",
                Map.of("from_logits", true, "label_smoothing", 0.1, "axis", 0));
        roundTrips(new SparseCategoricalCrossentropy(true, 3, 0, "s", Reduction.SUM), "s", "sum",
                Map.of("from_logits", true, "ignore_class", 3, "axis", 0));
        roundTrips(new BinaryFocalCrossentropy(true, 0.4, 1.5, true, 0.1, 0, "bf", Reduction.SUM), "bf", "sum",
                Map.of("apply_class_balancing", true, "alpha", 0.4, "gamma", 1.5, "from_logits", true,
                        "label_smoothing", 0.1, "axis", 0));
        roundTrips(new CategoricalFocalCrossentropy(0.4, 1.5, true, 0.1, 0, "cf", Reduction.NONE), "cf", "none",
                Map.of("alpha", 0.4, "gamma", 1.5, "from_logits", true, "label_smoothing", 0.1, "axis", 0));
        roundTrips(new Dice(new int[] {1, 2}, "d", Reduction.SUM), "d", "sum", Map.of("axis", List.of(1, 2)));
        // No axes given: all axes, saved as Keras's None.
        assertThat(new Tversky().getConfig()).containsEntry("axis", null);
        assertThat(new Dice().getConfig()).containsEntry("axis", null);
        roundTrips(new Tversky(0.3, 0.7, new int[] {1}, "t", Reduction.SUM), "t", "sum",
                Map.of("alpha", 0.3, "beta", 0.7, "axis", List.of(1)));
        roundTrips(new CategoricalGeneralizedCrossEntropy(0.7, "g", Reduction.SUM), "g", "sum", Map.of("q", 0.7));
        roundTrips(new Huber(2.5, "h", Reduction.SUM), "h", "sum", Map.of("delta", 2.5));
        roundTrips(new CosineSimilarity(0, "cs", Reduction.SUM), "cs", "sum", Map.of("axis", 0));
    }

    @Test
    void argumentChecksAtTheirLimits() {
        assertThatCode(() -> new BinaryFocalCrossentropy(false, 0.25, 0, false, 0, -1, "bf", Reduction.SUM))
                .doesNotThrowAnyException();
        assertThatCode(() -> new CategoricalFocalCrossentropy(0.25, 0, false, 1, -1, "cf", Reduction.SUM))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> new BinaryFocalCrossentropy(false, 0.25, -1e-9, false, 0, -1, "bf", Reduction.SUM))
                .hasMessage("bf: gamma must be non-negative, got -1.0E-9");
        assertThatThrownBy(() -> new CategoricalFocalCrossentropy(0.25, Double.NaN, false, 0, -1, "cf", Reduction.SUM))
                .hasMessageContaining("gamma must be non-negative");

        for (double s : new double[] {0, 1}) {
            assertThatCode(() -> new BinaryCrossentropy(false, s, -1, "b", Reduction.SUM)).doesNotThrowAnyException();
        }
        for (double s : new double[] {-1e-9, 1 + 1e-9}) {
            assertThatThrownBy(() -> new BinaryCrossentropy(false, s, -1, "b", Reduction.SUM))
                    .hasMessage("b: labelSmoothing must be in [0, 1], got " + s);
        }

        for (double q : new double[] {1e-9, 1}) {
            assertThatCode(() -> new CategoricalGeneralizedCrossEntropy(q, "g", Reduction.SUM)).doesNotThrowAnyException();
        }
        for (double q : new double[] {0, 1 + 1e-9}) {
            assertThatThrownBy(() -> new CategoricalGeneralizedCrossEntropy(q, "g", Reduction.SUM))
                    .hasMessage("g: q must be in (0, 1], got " + q);
        }

        assertThatCode(() -> new Huber(Double.MIN_VALUE)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new Huber(0)).hasMessage("Huber: delta must be positive, got 0.0");
    }

    @Test
    void anAxisOutsideThePredictionsIsAClearError() {
        Tensor y = Tensor.of(new float[][] {{0, 1}, {1, 0}});
        Tensor p = Tensor.of(new float[][] {{0.25f, 0.75f}, {0.5f, 0.5f}});
        for (int axis : new int[] {2, -3}) {
            assertThatThrownBy(() -> new CategoricalCrossentropy(false, 0, axis, "c", Reduction.SUM).call(y, p))
                    .hasMessage("c: axis " + axis + " is out of bounds for predictions of rank 2");
        }
        // Axis -2 is axis 0: the columns are the distributions. Column 0 = (0.25, 0.5) against (0, 1).
        double column0 = -Math.log(0.5 / 0.75);
        double column1 = -Math.log(0.75 / 1.25);
        assertThat(new CategoricalCrossentropy(false, 0, -2, "c", Reduction.SUM).call(y, p).item())
                .isCloseTo(column0 + column1, within(1e-6));
    }

    @Test
    void labelSmoothingMovesBinaryLabelsTowardsOneHalf() {
        double s = 0.2;
        float[] z = {0, 1, 1, 0};
        float[] p = {0.1f, 0.8f, 0.3f, 0.6f};
        double bce = 0;
        double focal = 0;
        for (int i = 0; i < z.length; i++) {
            double y = z[i] * (1 - s) + 0.5 * s;
            double e = -(y * Math.log(p[i]) + (1 - y) * Math.log(1 - p[i]));
            bce += e;
            double pT = y * p[i] + (1 - y) * (1 - p[i]);
            focal += Math.pow(1 - pT, 2) * e;
        }
        Tensor labels = Tensor.of(z, 2, 2);
        Tensor predictions = Tensor.of(p, 2, 2);
        assertThat(new BinaryCrossentropy(false, s, -1, "b", Reduction.SUM).call(labels, predictions).item())
                .isCloseTo(bce / 2, within(1e-6));
        assertThat(new BinaryFocalCrossentropy(false, 0.25, 2, false, s, -1, "bf", Reduction.SUM)
                .call(labels, predictions).item()).isCloseTo(focal / 2, within(1e-6));
    }

    @Test
    void focalLossesRefuseLabelsThatWouldBroadcast() {
        Tensor labels = Tensor.of(new float[] {0, 1, 1}, 3, 1);
        Tensor predictions = Tensor.of(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f}, 3, 3);
        assertThatThrownBy(() -> new BinaryFocalCrossentropy().call(labels, predictions))
                .hasMessageContaining("labels (3, 1) and predictions (3, 3) must have the same shape");
        assertThatThrownBy(() -> new CategoricalFocalCrossentropy().call(labels, predictions))
                .hasMessageContaining("labels (3, 1) and predictions (3, 3) must have the same shape");
    }

    @Test
    void tverskyAndDiceReduceOverTheGivenAxesOnly() {
        float[] y = {1, 0, 1, 0, 1, 1};
        float[] p = {0.9f, 0.2f, 0.6f, 0.3f, 0.7f, 0.4f};
        double alpha = 0.3;
        double beta = 0.7;
        double tversky = 0;
        double dice = 0;
        for (int row = 0; row < 2; row++) {
            double tp = 0;
            double fp = 0;
            double fn = 0;
            double sumY = 0;
            double sumP = 0;
            for (int j = 0; j < 3; j++) {
                double yt = y[3 * row + j];
                double yp = p[3 * row + j];
                tp += yt * yp;
                fp += (1 - yt) * yp;
                fn += yt * (1 - yp);
                sumY += yt;
                sumP += yp;
            }
            tversky += 1 - tp / (tp + alpha * fp + beta * fn);
            dice += 1 - 2 * tp / (sumY + sumP);
        }
        Tensor labels = Tensor.of(y, 2, 3);
        Tensor predictions = Tensor.of(p, 2, 3);
        assertThat(new Tversky(alpha, beta, new int[] {1}, "t", Reduction.SUM).call(labels, predictions).item())
                .isCloseTo(tversky, within(1e-5));
        assertThat(new Tversky(alpha, beta, new int[] {-1}, "t", Reduction.NONE).call(labels, predictions).shape()
                .toArray()).containsExactly(2);
        assertThat(new Dice(new int[] {1}, "d", Reduction.SUM).call(labels, predictions).item())
                .isCloseTo(dice, within(1e-5));
    }

    @Test
    void aWeightPerSampleAppliesToEveryPositionOfThatSample() {
        // Per-position squared errors of shape (2, 2) (mean over a last axis of 3); one weight per sample.
        float[] y = new float[12];
        float[] p = new float[12];
        for (int i = 0; i < 12; i++) {
            y[i] = i % 5;
            p[i] = (i * 7 % 11) / 2f;
        }
        float[] w = {1, 3};
        Tensor values = new MeanSquaredError("mse", Reduction.NONE)
                .call(Tensor.of(y, 2, 2, 3), Tensor.of(p, 2, 2, 3), Tensor.of(w));
        assertThat(values.shape().toArray()).containsExactly(2, 2);
        float[] got = values.toFloatArray();
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 2; t++) {
                double se = 0;
                for (int c = 0; c < 3; c++) {
                    int i = (b * 2 + t) * 3 + c;
                    se += (y[i] - p[i]) * (y[i] - p[i]);
                }
                assertThat((double) got[b * 2 + t]).as("sample %s position %s", b, t)
                        .isCloseTo(w[b] * se / 3, within(1e-5));
            }
        }
    }
}
