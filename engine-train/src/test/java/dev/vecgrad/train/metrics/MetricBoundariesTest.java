package dev.vecgrad.train.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Metrics where a comparison decides: predictions exactly at a threshold (not above it, so
 * negative, as Keras), and rows after the first; expected values counted by hand.
 */
class MetricBoundariesTest {

    @Test
    void binaryAccuracyCountsOnlyPredictionsAboveItsThreshold() {
        Tensor labels = Tensor.of(new float[] {1, 0, 1, 0, 1}, 5, 1);
        Tensor p = Tensor.of(new float[] {0.5f, 0.5f, 0.7f, 0.3f, 0.71f}, 5, 1);
        BinaryAccuracy half = new BinaryAccuracy();
        half.update(labels, p, null);
        assertThat(half.result()).isCloseTo(4.0 / 5, within(1e-7));   // 0.5 is not above 0.5: wrong, right, right, right, right
        BinaryAccuracy high = new BinaryAccuracy("binary_accuracy", 0.7);
        high.update(labels, p, null);
        assertThat(high.result()).isCloseTo(3.0 / 5, within(1e-7));   // only 0.71 is above 0.7
        BinaryAccuracy low = new BinaryAccuracy("binary_accuracy", 0.2);
        low.update(labels, p, null);
        assertThat(low.result()).isCloseTo(3.0 / 5, within(1e-7));    // every prediction is above 0.2
    }

    @Test
    void topKLooksAtEveryRow() {
        // k = 2. Row 0: class 2 scores highest (hit). Row 1: class 0 is third of four (miss).
        // Row 2: class 3 second (hit). Row 3: class 1 ties for second with one higher (hit, fewer than 2 higher).
        Tensor p = Tensor.of(new float[] {
                0.1f, 0.2f, 0.6f, 0.1f,
                0.2f, 0.3f, 0.4f, 0.1f,
                0.5f, 0.1f, 0.1f, 0.3f,
                0.4f, 0.3f, 0.3f, 0.0f}, 4, 4);
        Tensor ids = Tensor.of(new int[] {2, 0, 3, 1});
        TopKCategoricalAccuracy sparse = TopKCategoricalAccuracy.sparse(2);
        sparse.update(ids, p, null);
        assertThat(sparse.result()).isCloseTo(3.0 / 4, within(1e-7));
        Tensor oneHot = ids.oneHot(4);
        TopKCategoricalAccuracy dense = new TopKCategoricalAccuracy(2);
        dense.update(oneHot, p, null);
        assertThat(dense.result()).isCloseTo(3.0 / 4, within(1e-7));
        TopKCategoricalAccuracy top1 = TopKCategoricalAccuracy.sparse(1);
        top1.update(ids, p, null);
        assertThat(top1.result()).isCloseTo(1.0 / 4, within(1e-7));   // only row 0's class is the best
    }

    @Test
    void confusionCountsTreatAPredictionAtTheThresholdAsNegative() {
        Tensor labels = Tensor.of(new float[] {1, 1, 0, 0, 1, 0});
        double[] thresholds = {0.25, 0.5, 0.75};
        for (Tensor p : new Tensor[] {
                Tensor.of(new float[] {0.5f, 0.75f, 0.5f, 0.25f, 0.9f, 0.8f}),
                Tensor.of(new double[] {0.5, 0.75, 0.5, 0.25, 0.9, 0.8})}) {
            // above 0.25: all but p=0.25; above 0.5: 0.75, 0.9, 0.8; above 0.75: 0.9, 0.8
            assertThat(counts(new TruePositives("tp", thresholds), labels, p)).containsExactly(3, 2, 1);
            assertThat(counts(new FalsePositives("fp", thresholds), labels, p)).containsExactly(2, 1, 1);
            assertThat(counts(new TrueNegatives("tn", thresholds), labels, p)).containsExactly(1, 2, 2);
            assertThat(counts(new FalseNegatives("fn", thresholds), labels, p)).containsExactly(0, 1, 2);
            Precision precision = new Precision("precision", 0.5);
            precision.update(labels, p, null);
            assertThat(precision.result()).isCloseTo(2.0 / 3, within(1e-7));
            Recall recall = new Recall("recall", 0.75);
            recall.update(labels, p, null);
            assertThat(recall.result()).isCloseTo(1.0 / 3, within(1e-7));
        }
    }

    private static double[] counts(Metric m, Tensor labels, Tensor p) {
        m.update(labels, p, null);
        return m.results();
    }
}
