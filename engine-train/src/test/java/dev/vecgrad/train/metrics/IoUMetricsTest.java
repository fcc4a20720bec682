package dev.vecgrad.train.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The IoU family against confusion matrices worked out by hand in the comments: each class's IoU
 * is {@code cm[c][c] / (row c + column c - cm[c][c])}, rows the true class, columns the predicted.
 */
class IoUMetricsTest {
    private static final double TOL = 1e-6;

    /** Labels and predictions of three classes, seven elements. */
    private static final float[] LABELS = {0, 0, 1, 2, 2, 2, 1};
    private static final float[] PREDICTED = {0, 1, 1, 2, 0, 2, 2};
    // cm = [[1, 1, 0],     rows (true):    2, 2, 3
    //       [0, 1, 1],     columns (pred): 2, 2, 3
    //       [1, 0, 2]]     diagonal:       1, 1, 2
    // IoU = 1 / (2 + 2 - 1), 1 / (2 + 2 - 1), 2 / (3 + 3 - 2) = 1/3, 1/3, 1/2

    private static Tensor t(float... v) {
        return Tensor.of(v);
    }

    @Test
    void iouAveragesTheTargetClassesOfTheConfusionMatrix() {
        IoU iou = new IoU(3, new int[] {0, 2});
        iou.update(t(LABELS), t(PREDICTED), null);
        assertThat(iou.state()).containsExactly(1, 1, 0, 0, 1, 1, 1, 0, 2);
        assertThat(iou.classIoUs()).containsExactly(new double[] {1 / 3.0, 1 / 3.0, 0.5}, within(1e-12));
        assertThat(iou.result()).isCloseTo((1 / 3.0 + 0.5) / 2, within(TOL));
        assertThat(new IoU(3, new int[] {1}).name()).isEqualTo("io_u");

        MeanIoU miou = new MeanIoU(3);
        miou.update(t(LABELS), t(PREDICTED), null);
        assertThat(miou.result()).isCloseTo((1 / 3.0 + 1 / 3.0 + 0.5) / 3, within(TOL));
        assertThat(miou.direction()).isEqualTo(Metric.Direction.UP);
    }

    @Test
    void weightsScaleEachEntry() {
        MeanIoU miou = new MeanIoU(3);
        miou.update(t(LABELS), t(PREDICTED), t(1, 2, 1, 1, 0.5f, 1, 3));
        // cm = [[1,   2, 0],   rows 3, 4, 2.5; columns 1.5, 3, 5; diagonal 1, 1, 2
        //       [0,   1, 3],   IoU = 1 / 3.5, 1 / 6, 2 / 5.5
        //       [0.5, 0, 2]]
        assertThat(miou.state()).containsExactly(1, 2, 0, 0, 1, 3, 0.5, 0, 2);
        assertThat(miou.result()).isCloseTo((1 / 3.5 + 1 / 6.0 + 2 / 5.5) / 3, within(TOL));
    }

    @Test
    void aClassThatNeitherOccursNorIsPredictedIsLeftOutOfTheMean() {
        MeanIoU miou = new MeanIoU(3);
        miou.update(t(0, 1, 1), t(0, 1, 0), null);
        // cm = [[1, 0, 0], [1, 1, 0], [0, 0, 0]]: IoU 1 / (1 + 2 - 1), 1 / (2 + 1 - 1), class 2 none
        assertThat(miou.result()).isCloseTo((0.5 + 0.5) / 2, within(TOL));
        assertThat(new MeanIoU(2).result()).isZero();
    }

    @Test
    void theIgnoredClassCountsForNothingAndRanksAreFlattened() {
        MeanIoU miou = new MeanIoU("m", 2, 255, true, true, -1);
        miou.update(Tensor.of(new float[][] {{0, 255}, {1, 1}}), Tensor.of(new float[][] {{0, 1}, {1, 0}}), null);
        // without the 255: cm = [[1, 0], [1, 1]], IoU 1 / (1 + 2 - 1), 1 / (2 + 1 - 1)
        assertThat(miou.state()).containsExactly(1, 0, 1, 1);
        assertThat(miou.result()).isCloseTo(0.5, within(TOL));
    }

    @Test
    void perSampleWeightsCoverEveryElementOfTheirSample() {
        MeanIoU miou = new MeanIoU(2);
        miou.update(Tensor.of(new float[][] {{0, 1}, {1, 1}}), Tensor.of(new float[][] {{0, 1}, {0, 1}}), t(2, 1));
        // sample 0 weighs 2: cm[0][0] += 2, cm[1][1] += 2; sample 1: cm[1][0] += 1, cm[1][1] += 1
        assertThat(miou.state()).containsExactly(2, 0, 1, 3);
        assertThat(miou.result()).isCloseTo((2 / 3.0 + 3 / 4.0) / 2, within(TOL));
        assertThatThrownBy(() -> miou.update(t(0, 1, 1), t(0, 1, 1), t(1, 2)))
                .hasMessageContaining("sample weights (2,) do not fit labels (3,)");
    }

    @Test
    void binaryIoUThresholdsThePredictionsAtOrAboveAsClassOne() {
        BinaryIoU iou = new BinaryIoU(new int[] {0, 1}, 0.3);
        iou.update(t(0, 1, 0, 1), t(0.1f, 0.2f, 0.4f, 0.7f), t(0.2f, 0.3f, 0.4f, 0.1f));
        // predicted 0, 0, 1, 1: cm = [[0.2, 0.4], [0.3, 0.1]], IoU 0.2 / 0.9, 0.1 / 0.8
        assertThat(iou.state()).containsExactly(new double[] {0.2, 0.4, 0.3, 0.1}, within(1e-7));
        assertThat(iou.result()).isCloseTo((0.2 / 0.9 + 0.1 / 0.8) / 2, within(TOL));

        BinaryIoU ones = new BinaryIoU(new int[] {1}, 0.5);
        ones.update(t(1, 1, 0), t(0.5f, 0.49f, 0.5f), null);
        // 0.5 is class 1: cm = [[0, 1], [1, 1]], IoU of class 1: 1 / (2 + 2 - 1)
        assertThat(ones.result()).isCloseTo(1 / 3.0, within(TOL));
        assertThat(new BinaryIoU().name()).isEqualTo("binary_io_u");
    }

    @Test
    void oneHotLabelsAreReadByTheirArgmax() {
        Tensor labels = Tensor.of(new float[][] {{0, 0, 1}, {1, 0, 0}, {0, 1, 0}, {1, 0, 0}});
        Tensor scores = Tensor.of(new float[][] {{0.2f, 0.3f, 0.5f}, {0.1f, 0.2f, 0.7f}, {0.5f, 0.3f, 0.1f},
            {0.1f, 0.4f, 0.5f}});
        // labels 2, 0, 1, 0; predictions 2, 2, 0, 2
        // cm = [[0, 0, 2], [1, 0, 0], [0, 0, 1]]: rows 2, 1, 1; columns 1, 0, 3; IoU 0, 0, 1 / (1 + 3 - 1)
        OneHotIoU iou = new OneHotIoU(3, new int[] {0, 2});
        iou.update(labels, scores, null);
        assertThat(iou.state()).containsExactly(0, 0, 2, 1, 0, 0, 0, 0, 1);
        assertThat(iou.result()).isCloseTo((0 + 1 / 3.0) / 2, within(TOL));

        OneHotMeanIoU miou = new OneHotMeanIoU(3);
        miou.update(labels, scores, null);
        assertThat(miou.result()).isCloseTo(1 / 9.0, within(TOL));

        OneHotMeanIoU sparsePredictions = new OneHotMeanIoU("m", 3, null, true, -1);
        sparsePredictions.update(labels, t(2, 2, 0, 2), null);
        assertThat(sparsePredictions.state()).containsExactly(miou.state());
    }

    @Test
    void mergedReplicasGiveTheWholeMatrix() {
        MeanIoU whole = new MeanIoU(3);
        whole.update(t(LABELS), t(PREDICTED), null);
        MeanIoU a = new MeanIoU(3);
        MeanIoU b = new MeanIoU(3);
        a.update(t(0, 0, 1), t(0, 1, 1), null);
        b.update(t(2, 2, 2, 1), t(2, 0, 2, 2), null);
        a.mergeState(b.state());
        assertThat(a.state()).containsExactly(whole.state());
        assertThat(a.result()).isEqualTo(whole.result());
        a.reset();
        assertThat(a.state()).containsOnly(0);
        assertThatThrownBy(() -> a.mergeState(new double[4])).hasMessageContaining("has 9 accumulators");
    }

    @Test
    void badInputIsAClearError() {
        assertThatThrownBy(() -> new IoU(3, new int[] {3})).hasMessageContaining("target class id 3 is out of range");
        assertThatThrownBy(() -> new IoU(3, new int[0])).hasMessageContaining("at least one class");
        assertThatThrownBy(() -> new MeanIoU(0)).hasMessageContaining("num_classes must be positive");
        MeanIoU miou = new MeanIoU(2);
        assertThatThrownBy(() -> miou.update(t(0, 2), t(0, 1), null)).hasMessageContaining("label 2 is outside [0, 2)");
        assertThatThrownBy(() -> miou.update(t(0, 1), t(0, -1), null))
                .hasMessageContaining("predicted class -1 is outside [0, 2)");
        assertThatThrownBy(() -> miou.update(t(0, 1, 1), t(0, 1), null)).hasMessageContaining("3 labels");
        assertThatThrownBy(() -> miou.update(t(0, Float.NaN), t(0, 1), null)).hasMessageContaining("not a class id");
        assertThat(miou.state()).containsOnly(0);
    }

    @Test
    void configsAreKerasAndComeBackThroughTheRegistry() {
        IoU iou = new IoU("i", 4, new int[] {1, 3}, 255, false, true, 1);
        assertThat(iou.getConfig()).containsEntry("num_classes", 4).containsEntry("target_class_ids", List.of(1, 3))
                .containsEntry("ignore_class", 255).containsEntry("sparse_y_true", false).containsEntry("axis", 1);
        List<Metric> all = List.of(iou, new MeanIoU("m", 3, null, true, false, -1), new BinaryIoU("b", new int[] {1}, 0.7),
                new OneHotIoU("o", 3, new int[] {2}, null, true, -1), new OneHotMeanIoU("om", 5, 0, false, -1));
        for (Metric m : all) {
            Metric back = Metrics.fromConfig(m.className(), m.getConfig());
            assertThat(back).isInstanceOf(m.getClass());
            assertThat(back.getConfig()).as(m.className()).isEqualTo(m.getConfig());
        }
        assertThat(new MeanIoU(3).getConfig()).doesNotContainKey("target_class_ids");
        assertThat(new OneHotMeanIoU(3).getConfig()).doesNotContainKey("sparse_y_true");
        assertThat(new BinaryIoU().getConfig()).containsOnlyKeys("target_class_ids", "threshold", "name");
        assertThat(Metrics.get("binary_io_u")).isInstanceOf(BinaryIoU.class);
        assertThat(Metrics.fromConfig("MeanIoU", Map.of("num_classes", 2))).isInstanceOf(MeanIoU.class);
        assertThatThrownBy(() -> Metrics.fromConfig("MeanIoU", Map.of())).hasMessageContaining("num_classes");
        assertThatThrownBy(() -> Metrics.fromConfig("IoU", Map.of("num_classes", 2)))
                .hasMessageContaining("target_class_ids");
    }
}
