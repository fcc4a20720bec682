package dev.vecgrad.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.layers.BatchNormalization;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.layers.Embedding;
import dev.vecgrad.train.layers.LSTM;
import dev.vecgrad.train.layers.Masked;
import dev.vecgrad.train.layers.Masking;
import dev.vecgrad.train.losses.Loss;
import dev.vecgrad.train.losses.MeanSquaredError;
import dev.vecgrad.train.losses.Reduction;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Masks made by layers, carried through a model, and applied by the loss and the metrics. */
class MaskingTest {

    @Test
    void maskingMarksStepsWhoseFeaturesAllEqualTheValueAndZeroesThem() {
        Tensor x = Tensor.of(new double[] {1, 2, -1, -1, 0, -1, -1, -1, 3, 4, -1, -1}, 2, 3, 2);
        Masking m = new Masking(-1);
        Masked out = m.callMasked(x, null, false);
        assertThat(out.mask().toDoubleArray()).containsExactly(1, 0, 1, 0, 1, 0);
        // Masked steps become zeros (-1 · 0 is -0.0, equal in value).
        assertThat(out.value().toDoubleArray()).containsExactly(new double[] {1, 2, 0, 0, 0, -1, 0, 0, 3, 4, 0, 0},
                within(0.0));
    }

    @Test
    void embeddingWithMaskZeroMasksPaddingIds() {
        Embedding e = Embedding.maskingZero(5, 2);
        Tensor ids = Tensor.of(new int[] {3, 1, 0, 0, 2, 4}, 2, 3);
        Masked out = e.callMasked(ids, null, false);
        assertThat(out.mask().toIntArray()).containsExactly(1, 1, 0, 0, 1, 1);
        assertThat(new Embedding(5, 2).callMasked(ids, null, false).mask()).isNull();
    }

    @Test
    void layersWithoutMaskSupportStopTheMaskAndPerPositionLayersPassIt() {
        Tensor x = Tensor.ones(DType.F32, 2, 3, 4);
        Tensor mask = Tensor.of(new float[] {1, 1, 0, 1, 0, 0}, 2, 3);
        assertThat(new Dense(2).callMasked(x, mask, false).mask()).isSameAs(mask);
        assertThat(new dev.vecgrad.train.layers.Flatten().callMasked(x, mask, false).mask()).isNull();
    }

    @Test
    void applyMaskScalesForTheMeanOverUnmaskedPositions() {
        Tensor mask = Tensor.of(new double[] {1, 1, 0, 1}, 2, 2);
        Tensor w = Loss.applyMask(null, mask, DType.F64, Reduction.SUM_OVER_BATCH_SIZE);
        // total 4, valid 3: each kept position weighs 4/3.
        assertThat(w.toDoubleArray()).containsExactly(new double[] {4 / 3.0, 4 / 3.0, 0, 4 / 3.0},
                within(1e-6));
        Tensor sw = Tensor.of(new double[] {2, 3}, 2);
        assertThat(Loss.applyMask(sw, mask, DType.F64, Reduction.SUM).toDoubleArray()).containsExactly(2, 2, 0, 3);
        assertThat(Loss.applyMask(sw, null, DType.F64, Reduction.SUM)).isSameAs(sw);
        assertThatThrownBy(() -> Loss.applyMask(Tensor.ones(DType.F64, 3), mask, DType.F64, Reduction.SUM))
                .hasMessageContaining("do not fit a mask of shape (2, 2)");

        // A masked MSE is the plain mean over kept positions.
        Tensor yTrue = Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2);
        Tensor yPred = Tensor.zeros(DType.F64, 2, 2, 2);
        double masked = new MeanSquaredError().call(yTrue, yPred, null, mask).item();
        assertThat(masked).isCloseTo(((1 + 4) / 2.0 + (9 + 16) / 2.0 + (49 + 64) / 2.0) / 3, within(1e-6));
    }

    @Test
    void batchNormalizationTakesItsStatisticsOverUnmaskedStepsOnly() {
        Tensor x = Tensor.of(new double[] {1, 3, 100, 5}, 1, 4, 1);
        Tensor mask = Tensor.of(new double[] {1, 1, 0, 1}, 1, 4);
        BatchNormalization bn = new BatchNormalization(null, -1, 0.0, 1e-12, false, false);
        double[] y = bn.call(x, mask, true).toDoubleArray();
        // Mean 3 and variance 8/3 of {1, 3, 5}.
        double sd = Math.sqrt(8 / 3.0);
        assertThat(y[0]).isCloseTo(-2 / sd, within(1e-9));
        assertThat(y[3]).isCloseTo(2 / sd, within(1e-9));
        assertThat(bn.nonTrainableWeights().get(0).peek().item()).isCloseTo(3, within(1e-9));
    }

    /**
     * A padded batch through Embedding(maskZero) → LSTM → Dense: evaluate's loss is the
     * cross-entropy averaged over the unpadded positions only, and accuracy counts only them.
     */
    @Test
    void theLossAndMetricsOfAModelSkipPaddedSteps() {
        int vocab = 5;
        Sequential m = new Sequential(Embedding.maskingZero(vocab, 4), LSTM.builder(6).returnSequences(true).build(),
                Dense.builder(vocab).activation("softmax").build());
        m.compile("adam", "sparse_categorical_crossentropy", "accuracy");
        Tensor x = Tensor.of(new int[] {1, 2, 3, 0, 0, 4, 4, 0, 2, 3, 1, 1}, 3, 4);
        Tensor y = Tensor.of(new int[] {2, 3, 4, 1, 0, 1, 2, 4, 3, 1, 1, 2}, 3, 4);
        Map<String, Double> r = m.evaluate(x, y, 3);
        double[] p = m.predict(x, 3).toDoubleArray();
        int[] ids = x.toIntArray();
        int[] labels = y.toIntArray();
        double ce = 0;
        int kept = 0;
        int right = 0;
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == 0) {
                continue;
            }
            kept++;
            ce -= Math.log(p[i * vocab + labels[i]]);
            int best = 0;
            for (int k = 1; k < vocab; k++) {
                best = p[i * vocab + k] > p[i * vocab + best] ? k : best;
            }
            right += best == labels[i] ? 1 : 0;
        }
        assertThat(kept).isEqualTo(9);
        assertThat(r.get("loss")).isCloseTo(ce / kept, within(1e-5));
        assertThat(r.get("accuracy")).isCloseTo(right / (double) kept, within(1e-6));
        // Training on the padded batch changes the loss: the mask's gradient path is live.
        m.fit(x, y, 3, 3);
        assertThat(m.evaluate(x, y, 3).get("loss")).isLessThan(r.get("loss"));
    }
}
