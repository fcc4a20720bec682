package dev.vecgrad.train.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.autodiff.GradCheck;
import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import java.util.List;
import org.junit.jupiter.api.Test;

class LossesTest {
    private static final Tensor Y = Tensor.of(new double[][] {{1, 2}, {3, 4}});
    private static final Tensor P = Tensor.of(new double[][] {{1.5, 1}, {2, 6}});

    @Test
    void regressionLossesByHand() {
        // Per sample: mean over the last axis, then the mean over the batch.
        assertThat(new MeanSquaredError().call(Y, P).item()).isCloseTo((0.625 + 2.5) / 2, within(1e-12));
        assertThat(new MeanAbsoluteError().call(Y, P).item()).isCloseTo((0.75 + 1.5) / 2, within(1e-12));
        double mape0 = 100 * (0.5 / 1 + 1.0 / 2) / 2;
        double mape1 = 100 * (1.0 / 3 + 2.0 / 4) / 2;
        assertThat(new MeanAbsolutePercentageError().call(Y, P).item()).isCloseTo((mape0 + mape1) / 2, within(1e-9));
        // Huber with delta 1: errors 0.5, -1 | -1, 2.
        double h0 = (0.125 + 0.5) / 2;
        double h1 = (0.5 + (2 - 0.5)) / 2;
        assertThat(new Huber().call(Y, P).item()).isCloseTo((h0 + h1) / 2, within(1e-12));
        // delta 0.5: 0.5 -> 0.125 (quadratic at the switch), 1 -> 0.5 - 0.125.
        assertThat(new Huber(0.5).call(Tensor.of(new double[] {0, 0}), Tensor.of(new double[] {0.5, -1})).item())
                .isCloseTo((0.125 + 0.375) / 2, within(1e-12));
    }

    @Test
    void mapeGuardsZeroLabels() {
        double v = new MeanAbsolutePercentageError().call(Tensor.of(new double[][] {{0}}), Tensor.of(new double[][] {{1e-8}}))
                .item();
        assertThat(v).isCloseTo(100 * 1e-8 / 1e-7, within(1e-6));
    }

    @Test
    void reductionsAndSampleWeights() {
        Tensor w = Tensor.of(new double[] {2, 0.5});
        assertThat(new MeanSquaredError("mse", Reduction.SUM).call(Y, P).item()).isCloseTo(3.125, within(1e-12));
        assertThat(new MeanSquaredError("mse", Reduction.NONE).call(Y, P).toDoubleArray()).containsExactly(0.625, 2.5);
        // Weighted values 1.25 and 1.25; the mean divides by the number of values, not the weights.
        assertThat(new MeanSquaredError().call(Y, P, w).item()).isCloseTo(1.25, within(1e-12));
        assertThat(new MeanSquaredError("mse", Reduction.SUM).call(Y, P, w).item()).isCloseTo(2.5, within(1e-12));
        assertThat(new MeanSquaredError("mse", Reduction.NONE).call(Y, P, w).toDoubleArray()).containsExactly(1.25, 1.25);
        // Weights of shape (batch, 1) match too.
        assertThat(new MeanSquaredError().call(Y, P, w.reshape(2, 1)).item()).isCloseTo(1.25, within(1e-12));
        assertThatThrownBy(() -> new MeanSquaredError().call(Y, P, Tensor.of(new double[] {1, 2, 3})))
                .hasMessageContaining("sample weights").hasMessageContaining("(3,)");
    }

    @Test
    void labelsOfRankOneMatchPredictionsWithATrailingAxis() {
        Tensor y = Tensor.of(new float[] {1, 0, 3});
        Tensor p = Tensor.of(new double[] {0.5, 0.5, 2}, 3, 1);
        // Labels are cast to the predictions' dtype and gain the trailing axis.
        assertThat(new MeanSquaredError().call(y, p).item()).isCloseTo((0.25 + 0.25 + 1) / 3, within(1e-12));
    }

    @Test
    void binaryCrossentropyFromProbabilitiesAndLogits() {
        double[][] z = {{1, 0, 1}, {0, 0, 1}};
        double[][] x = {{0.3, -1.2, 2.0}, {4.0, -0.5, 0.1}};
        double expected = 0;
        for (int i = 0; i < 2; i++) {
            double s = 0;
            for (int j = 0; j < 3; j++) {
                double p = 1 / (1 + Math.exp(-x[i][j]));
                s += -(z[i][j] * Math.log(p) + (1 - z[i][j]) * Math.log(1 - p));
            }
            expected += s / 3 / 2;
        }
        Tensor zt = Tensor.of(z);
        Tensor xt = Tensor.of(x);
        assertThat(new BinaryCrossentropy(true).call(zt, xt).item()).isCloseTo(expected, within(1e-12));
        assertThat(new BinaryCrossentropy(false).call(zt, xt.sigmoid()).item()).isCloseTo(expected, within(1e-12));
        // Certain, wrong probabilities are clipped to 1e-7: -log(1e-7).
        assertThat(new BinaryCrossentropy().call(Tensor.of(new double[] {1}), Tensor.of(new double[] {0})).item())
                .isCloseTo(-Math.log(1e-7), within(1e-9));
    }

    @Test
    void categoricalCrossentropyFromProbabilitiesAndLogits() {
        double[][] logits = {{2, 1, 0.1}, {0.5, 2.5, -1}};
        double[][] y = {{0, 0, 1}, {0.2, 0.8, 0}};
        double expected = 0;
        for (int i = 0; i < 2; i++) {
            double z = 0;
            for (double l : logits[i]) {
                z += Math.exp(l);
            }
            for (int j = 0; j < 3; j++) {
                expected -= y[i][j] * Math.log(Math.exp(logits[i][j]) / z) / 2;
            }
        }
        Tensor l = Tensor.of(logits);
        assertThat(new CategoricalCrossentropy(true).call(Tensor.of(y), l).item()).isCloseTo(expected, within(1e-12));
        assertThat(new CategoricalCrossentropy().call(Tensor.of(y), l.softmax(-1)).item()).isCloseTo(expected, within(1e-12));
        // Probabilities that do not sum to 1 are renormalised first, as Keras.
        assertThat(new CategoricalCrossentropy().call(Tensor.of(y), l.softmax(-1).mul(3)).item())
                .isCloseTo(expected, within(1e-12));
        assertThatThrownBy(() -> new CategoricalCrossentropy().call(Tensor.of(new double[] {1, 0}), l))
                .hasMessageContaining("SparseCategoricalCrossentropy");
    }

    @Test
    void sparseMatchesOneHotForEveryLabelForm() {
        Tensor logits = Tensor.of(new double[][] {{2, 1, 0.1}, {0.5, 2.5, -1}});
        double expected = new CategoricalCrossentropy(true).call(Tensor.of(new double[][] {{0, 0, 1}, {1, 0, 0}}), logits)
                .item();
        Loss sparse = new SparseCategoricalCrossentropy(true);
        assertThat(sparse.call(Tensor.of(new int[] {2, 0}), logits).item()).isCloseTo(expected, within(1e-12));
        assertThat(sparse.call(Tensor.of(new int[] {2, 0}, 2, 1), logits).item()).isCloseTo(expected, within(1e-12));
        assertThat(sparse.call(Tensor.of(new float[] {2, 0}), logits).item()).isCloseTo(expected, within(1e-12));
        assertThat(new SparseCategoricalCrossentropy().call(Tensor.of(new int[] {2, 0}), logits.softmax(-1)).item())
                .isCloseTo(expected, within(1e-12));
        assertThatThrownBy(() -> sparse.call(Tensor.of(new int[] {3, 0}), logits)).hasMessageContaining("3");
    }

    @Test
    void largeLogitsStayFiniteAndRight() {
        Tensor logits = Tensor.of(new float[] {1e4f, 0, -1e4f, 5e3f, 1e4f, 0}, 2, 3);
        Tensor ids = Tensor.of(new int[] {2, 0});
        float[] perSample = new SparseCategoricalCrossentropy(true, "s", Reduction.NONE).call(ids, logits).toFloatArray();
        assertThat(perSample[0]).isEqualTo(2e4f);
        assertThat(perSample[1]).isEqualTo(5e3f);
        Tensor bce = new BinaryCrossentropy(true, "b", Reduction.NONE)
                .call(Tensor.of(new float[][] {{0}, {1}, {1}, {0}}), Tensor.of(new float[][] {{1e4f}, {1e4f}, {-1e4f}, {-1e4f}}));
        assertThat(bce.toFloatArray()).containsExactly(1e4f, 0f, 1e4f, 0f);
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(logits);
            Tensor loss = new SparseCategoricalCrossentropy(true).call(ids, logits);
            Tensor g = tape.gradient(loss, logits).get(0);
            // d/dlogits = (softmax - onehot) / batch
            assertThat(g.toFloatArray()).containsExactly(0.5f, 0, -0.5f, -0.5f, 0.5f, 0);
        }
    }

    @Test
    void lossGradientsPassGradCheck() {
        Tensor y = Tensor.of(new double[][] {{0.2, 0.8, 0}, {1, 0, 0}});
        Tensor logits = Tensor.of(new double[][] {{0.3, -1.2, 2.0}, {1.0, -0.5, 0.1}});
        Tensor w = Tensor.of(new double[] {0.7, 1.3});
        List<Loss> losses = List.of(new MeanSquaredError(), new MeanAbsoluteError(), new Huber(0.5), new BinaryCrossentropy(true), new CategoricalCrossentropy(true));
        for (Loss l : losses) {
            GradCheck.check(in -> l.call(y, in.get(0), w), logits).assertPassed();
        }
        // MAPE with zero labels divides by 1e-7: values near 1e9 leave finite differences no precision, so non-zero labels.
        Tensor nonZero = Tensor.of(new double[][] {{0.2, 0.8, 0.5}, {1, 0.3, -0.4}});
        GradCheck.check(in -> new MeanAbsolutePercentageError().call(nonZero, in.get(0), w), logits).assertPassed();
        GradCheck.check(in -> new BinaryCrossentropy().call(y, in.get(0).sigmoid(), w), logits).assertPassed();
        GradCheck.check(in -> new CategoricalCrossentropy().call(y, in.get(0).softmax(-1), w), logits).assertPassed();
        GradCheck.check(in -> new SparseCategoricalCrossentropy(true).call(Tensor.of(new int[] {1, 2}), in.get(0), w),
                logits).assertPassed();
    }

    @Test
    void lookUpByKerasNames() {
        assertThat(Losses.get("mse")).isInstanceOf(MeanSquaredError.class);
        assertThat(Losses.get("mse").name()).isEqualTo("mse");
        assertThat(Losses.get("mean_absolute_error")).isInstanceOf(MeanAbsoluteError.class);
        assertThat(Losses.get("sparse_categorical_crossentropy")).isInstanceOf(SparseCategoricalCrossentropy.class);
        assertThat(Losses.get("binary_crossentropy")).isInstanceOf(BinaryCrossentropy.class);
        assertThat(Losses.get("huber")).isInstanceOf(Huber.class);
        assertThat(Losses.get("mape").getConfig()).containsEntry("reduction", "sum_over_batch_size");
        assertThatThrownBy(() -> Losses.get("hinje")).hasMessageContaining("hinje").hasMessageContaining("known: ");
        assertThatThrownBy(() -> new MeanSquaredError().call(Y, Tensor.of(new int[] {1, 2, 3, 4}, 2, 2)))
                .hasMessageContaining("floating");
        assertThat(new MeanSquaredError().call(Tensor.zeros(DType.F32, 0, 2), Tensor.zeros(DType.F32, 0, 2)).shape())
                .isEqualTo(Shape.SCALAR);
    }

    @Test
    void binaryCrossentropyRefusesLabelsThatWouldBroadcast() {
        Tensor y = Tensor.of(new double[] {0, 1, 1}, 3, 1);
        Tensor p = Tensor.of(new double[][] {{0.9, 0.05, 0.05}, {0.5, 0.89, 0.6}, {0.05, 0.01, 0.94}});
        assertThatThrownBy(() -> new BinaryCrossentropy().call(y, p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must have the same shape").hasMessageContaining("(3, 1)");
        // Labels (batch,) against predictions (batch, 1) still match by rank.
        assertThat(new BinaryCrossentropy().call(Tensor.of(new double[] {1, 0}), Tensor.of(new double[] {0.5, 0.5}, 2, 1))
                .item()).isCloseTo(Math.log(2), within(1e-6));
    }

    @Test
    void newLossesPassGradCheck() {
        Tensor y = Tensor.of(new double[][] {{0.2, 0.8, 0}, {1, 0, 0}});
        Tensor x = Tensor.of(new double[][] {{0.3, -1.2, 2.0}, {1.0, -0.5, 0.1}});
        Tensor w = Tensor.of(new double[] {0.7, 1.3});
        Tensor mask = Tensor.of(new double[] {1, 0});
        List<Loss> onLogits = List.of(new LogCosh(), new Hinge(), new SquaredHinge(), new CategoricalHinge(),
                new CosineSimilarity(), new BinaryFocalCrossentropy(2.0, true), new CategoricalFocalCrossentropy(true),
                new BinaryCrossentropy(true, 0.1, -1, "bce", Reduction.SUM),
                new CategoricalCrossentropy(true, 0.2, -1, "cce", Reduction.MEAN_WITH_SAMPLE_WEIGHT));
        for (Loss l : onLogits) {
            GradCheck.check(in -> l.call(y, in.get(0), w, mask), x).assertPassed();
        }
        List<Loss> onProbabilities = List.of(new MeanSquaredLogarithmicError(), new KLDivergence(), new Poisson(),
                new Dice(), new Tversky(0.3, 0.7, new int[] {1}, "t", Reduction.SUM_OVER_BATCH_SIZE),
                new BinaryFocalCrossentropy(false, 0.3, 1.5, false, 0, -1, "f", Reduction.SUM));
        for (Loss l : onProbabilities) {
            GradCheck.check(in -> l.call(y, in.get(0).sigmoid(), w), x).assertPassed();
        }
        GradCheck.check(in -> new CategoricalGeneralizedCrossEntropy().call(Tensor.of(new int[] {1, 2}),
                in.get(0).softmax(-1), w), x).assertPassed();
    }

    @Test
    void anIgnoredClassGetsNoLossNoGradientAndNoShareOfTheMean() {
        Tensor logits = Tensor.of(new double[][] {{0.854, 0.698, 0.598}, {0.088, 0.86, 0.018}, {2, -1, 0.5}});
        Tensor ids = Tensor.of(new int[] {-1, 2, 0});
        SparseCategoricalCrossentropy ignoring = new SparseCategoricalCrossentropy(true, -1, -1, "s",
                Reduction.SUM_OVER_BATCH_SIZE);
        double l1 = -Math.log(Math.exp(0.018) / (Math.exp(0.088) + Math.exp(0.86) + Math.exp(0.018)));
        double l2 = -Math.log(Math.exp(2) / (Math.exp(2) + Math.exp(-1) + Math.exp(0.5)));
        assertThat(ignoring.call(ids, logits).item()).isCloseTo((l1 + l2) / 2, within(1e-12));
        Variable v = new Variable("logits", logits, true);
        Tensor grad;
        try (GradientTape tape = GradientTape.open()) {
            grad = tape.gradient(ignoring.call(ids, v.value()), List.of(v)).get(0);
        }
        assertThat(grad.slice(0, 0, 1).toDoubleArray()).containsOnly(0.0);
        GradCheck.check(in -> ignoring.call(ids, in.get(0)), logits).assertPassed();
        assertThatThrownBy(() -> new SparseCategoricalCrossentropy().call(Tensor.of(new int[] {0, 3}), logits.slice(0, 0,
                2))).hasMessageContaining("3");
    }

    @Test
    void aMaskKeepsTheMeanOverValidEntriesAndOtherReductionsWeighByIt() {
        Tensor y = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2, 1);
        Tensor p = Tensor.of(new double[] {2, 2, 5, 0}, 2, 2, 1);
        Tensor steps = Tensor.of(new double[] {1, 1, 1, 0}, 2, 2);  // the last step of sample 2 is padding
        // Squared errors 1, 0, 4 (and 16, masked): the mean runs over the three valid steps.
        assertThat(new MeanSquaredError().call(y, p, null, steps).item()).isCloseTo(5.0 / 3, within(1e-12));
        assertThat(new MeanSquaredError("m", Reduction.SUM).call(y, p, null, steps).item()).isCloseTo(5, within(1e-12));
        assertThat(new MeanSquaredError("m", Reduction.MEAN_WITH_SAMPLE_WEIGHT).call(y, p, Tensor.of(new double[] {2, 1}),
                steps).item()).isCloseTo((2 * 1 + 2 * 0 + 1 * 4) / (2.0 + 2 + 1), within(1e-12));
        assertThat(new MeanSquaredError("m", Reduction.NONE).call(y, p, null, steps).toDoubleArray())
                .containsExactly(1, 0, 4, 0);
        assertThatThrownBy(() -> new MeanSquaredError().call(y, p, null, Tensor.of(new double[] {1, 0, 1})))
                .hasMessageContaining("mask");
    }

    @Test
    void reductionsByKerasName() {
        assertThat(Reduction.of("mean")).isEqualTo(Reduction.SUM_OVER_BATCH_SIZE);
        assertThat(Reduction.of(null)).isEqualTo(Reduction.NONE);
        assertThat(Reduction.of("Mean_With_Sample_Weight")).isEqualTo(Reduction.MEAN_WITH_SAMPLE_WEIGHT);
        assertThat(Losses.fromConfig("MeanSquaredError", new java.util.HashMap<>(java.util.Map.of("reduction", "sum")))
                .reduction()).isEqualTo(Reduction.SUM);
        assertThatThrownBy(() -> Reduction.of("avg")).hasMessageContaining("avg").hasMessageContaining("sum_over_batch_size");
    }
}
