package dev.vecgrad.train.conformance;

import static dev.vecgrad.train.conformance.Keras.almost;
import static dev.vecgrad.train.conformance.Keras.t;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.metrics.BinaryIoU;
import dev.vecgrad.train.metrics.IoU;
import dev.vecgrad.train.metrics.MeanIoU;
import dev.vecgrad.train.metrics.Metric;
import dev.vecgrad.train.metrics.Metrics;
import dev.vecgrad.train.metrics.OneHotIoU;
import dev.vecgrad.train.metrics.OneHotMeanIoU;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The literal expectations of Keras 3's {@code metrics/iou_metrics_test.py}. Every expected value
 * is worked out here from the confusion matrix {@code cm} (rows: true class, columns: predicted
 * class; a class's IoU is {@code cm[c][c] / (row c + column c - cm[c][c])}), and the result is the
 * mean over the target classes whose denominator is not zero.
 */
class KerasIoUMetricsTest {

    /** Keras's {@code assertAllClose(result, expected, atol=1e-3)}. */
    private static void close(double actual, double expected) {
        Keras.close(actual, expected, 1e-6, 1e-3);
    }

    /** The metric called once, as Keras's {@code metric(y_true, y_pred, sample_weight)}: update, then the result. */
    private static double call(Metric m, Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        m.update(yTrue, yPred, sampleWeight);
        return m.result();
    }

    private static Metric fromConfig(Metric m) {
        return Metrics.fromConfig(m.className(), m.getConfig());
    }

    // Labels and predictions shared by several tests.
    private static final Tensor TRUE_0011 = t(0, 0, 1, 1);
    private static final Tensor PRED_0101 = t(0, 1, 0, 1);
    private static final Tensor WEIGHTS = t(0.2, 0.3, 0.4, 0.1);
    // unweighted: cm = [[1, 1], [1, 1]]: rows 2, 2, columns 2, 2: IoU 1/3, 1/3
    private static final double UNWEIGHTED = (1 / 3.0 + 1 / 3.0) / 2;
    // weighted: cm = [[0.2, 0.3], [0.4, 0.1]]: rows 0.5, 0.5, columns 0.6, 0.4
    // IoU 0.2 / (0.5 + 0.6 - 0.2), 0.1 / (0.5 + 0.4 - 0.1)
    private static final double WEIGHTED = (0.2 / 0.9 + 0.1 / 0.8) / 2;

    // ---- IoUTest

    @Test
    void iouConfig() {
        IoU obj = new IoU("iou_class_1_0", 2, new int[] {1, 0}, null, true, true, -1);
        assertThat(obj.name()).isEqualTo("iou_class_1_0");
        assertThat(obj.numClasses()).isEqualTo(2);
        assertThat(obj.targetClassIds()).containsExactly(1, 0);

        IoU obj2 = (IoU) fromConfig(obj);
        assertThat(obj2.name()).isEqualTo("iou_class_1_0");
        assertThat(obj2.numClasses()).isEqualTo(2);
        assertThat(obj2.targetClassIds()).containsExactly(1, 0);
    }

    @Test
    void iouUnweighted() {
        close(call(new IoU(2, new int[] {0, 1}), TRUE_0011, PRED_0101, null), UNWEIGHTED);
    }

    @Test
    void iouWeighted() {
        close(call(new IoU(2, new int[] {1, 0}), TRUE_0011, PRED_0101, WEIGHTS), WEIGHTED);
    }

    @Test
    void iouMultiDimInput() {
        Tensor yPred = t(new double[][] {{0, 1}, {0, 1}});
        Tensor yTrue = t(new double[][] {{0, 0}, {1, 1}});
        Tensor w = t(new double[][] {{0.2, 0.3}, {0.4, 0.1}});
        close(call(new IoU(2, new int[] {0, 1}), yTrue, yPred, w), WEIGHTED);
    }

    @Test
    void iouZeroValidEntries() {
        close(new IoU(2, new int[] {0, 1}).result(), 0);
    }

    @Test
    void iouZeroAndNonZeroEntries() {
        // cm = [[0, 0], [0, 1]]: class 0 has no IoU (0 / 0) and is left out; class 1: 1 / (1 + 1 - 1)
        close(call(new IoU(2, new int[] {0, 1}), t(1), t(1), null), 1.0);
    }

    // ---- BinaryIoUTest

    @Test
    void binaryIoUConfig() {
        BinaryIoU obj = new BinaryIoU("iou_class_1_0", new int[] {1, 0}, 0.1);
        assertThat(obj.name()).isEqualTo("iou_class_1_0");
        almost(obj.threshold(), 0.1);
        assertThat(obj.targetClassIds()).containsExactly(1, 0);

        BinaryIoU obj2 = (BinaryIoU) fromConfig(obj);
        assertThat(obj2.name()).isEqualTo("iou_class_1_0");
        almost(obj2.threshold(), 0.1);
        assertThat(obj2.targetClassIds()).containsExactly(1, 0);
    }

    private static final Tensor BINARY_TRUE = t(0, 1, 0, 1);
    private static final Tensor BINARY_PRED = t(0.1, 0.2, 0.4, 0.7);

    @Test
    void binaryIoUDifferentThresholdsWeighted() {
        // threshold 0.3: predicted [0, 0, 1, 1]; cm = [[0.2, 0.4], [0.3, 0.1]]: rows 0.6, 0.4, columns 0.5, 0.5
        double expected = (0.2 / (0.6 + 0.5 - 0.2) + 0.1 / (0.4 + 0.5 - 0.1)) / 2;
        close(call(new BinaryIoU(new int[] {0, 1}, 0.3), BINARY_TRUE, BINARY_PRED, WEIGHTS), expected);

        // threshold 0.5: predicted [0, 0, 0, 1]; weights 0.1, 0.2, 0.4, 0.3
        // cm = [[0.1 + 0.4, 0], [0.2, 0.3]]: rows 0.5, 0.5, columns 0.7, 0.3
        expected = (0.5 / (0.5 + 0.7 - 0.5) + 0.3 / (0.5 + 0.3 - 0.3)) / 2;
        close(call(new BinaryIoU(new int[] {0, 1}, 0.5), BINARY_TRUE, BINARY_PRED, t(0.1, 0.2, 0.4, 0.3)), expected);
    }

    @Test
    void binaryIoUDifferentThresholdsUnweighted() {
        // threshold 0.3: predicted [0, 0, 1, 1]; cm = [[1, 1], [1, 1]]
        close(call(new BinaryIoU(new int[] {0, 1}, 0.3), BINARY_TRUE, BINARY_PRED, null), UNWEIGHTED);

        // threshold 0.5: predicted [0, 0, 0, 1]; cm = [[2, 0], [1, 1]]: rows 2, 2, columns 3, 1
        double expected = (2 / (2 + 3 - 2.0) + 1 / (2 + 1 - 1.0)) / 2;
        close(call(new BinaryIoU(new int[] {0, 1}, 0.5), BINARY_TRUE, BINARY_PRED, null), expected);
    }

    @Test
    void binaryIoUMultiDimInput() {
        Tensor yTrue = t(new double[][] {{0, 1}, {0, 1}});
        Tensor yPred = t(new double[][] {{0.1, 0.7}, {0.9, 0.3}});
        Tensor w = t(new double[][] {{0.2, 0.3}, {0.4, 0.1}});
        // threshold 0.4: predicted [[0, 1], [1, 0]]; cm = [[0.2, 0.4], [0.1, 0.3]]: rows 0.6, 0.4, columns 0.3, 0.7
        double expected = (0.2 / (0.6 + 0.3 - 0.2) + 0.3 / (0.4 + 0.7 - 0.3)) / 2;
        close(call(new BinaryIoU(new int[] {0, 1}, 0.4), yTrue, yPred, w), expected);
    }

    @Test
    void binaryIoUZeroValidEntries() {
        close(new BinaryIoU(new int[] {0, 1}, 0.5).result(), 0);
    }

    @Test
    void binaryIoUZeroAndNonZeroEntries() {
        // 0.6 >= 0.5 is class 1: cm = [[0, 0], [0, 1]]
        close(call(new BinaryIoU(new int[] {0, 1}, 0.5), t(1), t(0.6), null), 1.0);
    }

    // ---- MeanIoUTest

    @Test
    void meanIoUConfig() {
        MeanIoU m = new MeanIoU("mean_iou", 2, null, true, true, -1);
        assertThat(m.name()).isEqualTo("mean_iou");
        assertThat(m.numClasses()).isEqualTo(2);

        MeanIoU m2 = (MeanIoU) fromConfig(m);
        assertThat(m2.name()).isEqualTo("mean_iou");
        assertThat(m2.numClasses()).isEqualTo(2);
    }

    @Test
    void meanIoUUnweighted() {
        close(call(new MeanIoU(2), TRUE_0011, PRED_0101, null), UNWEIGHTED);
    }

    @Test
    void meanIoUUnweightedIgnoringAClass() {
        // The last label is ignored: cm = [[1, 0, 0], [0, 1, 0], [0, 1, 0]]: rows 1, 1, 1, columns 1, 2, 0
        // IoU 1 / (1 + 1 - 1), 1 / (1 + 2 - 1), 0 / (1 + 0 - 0)
        double expected = (1.0 + 0.5 + 0.0) / 3;
        Tensor yPred = t(0, 1, 1, 1);
        close(call(new MeanIoU("mean_io_u", 3, 255, true, true, -1), t(0, 1, 2, 255), yPred, null), expected);
        close(call(new MeanIoU("mean_io_u", 3, -1, true, true, -1), t(0, 1, 2, -1), yPred, null), expected);
    }

    @Test
    void meanIoUWeighted() {
        close(call(new MeanIoU(2), TRUE_0011, PRED_0101, WEIGHTS), WEIGHTED);
    }

    @Test
    void meanIoUWeightedIgnoringAClass() {
        // The last label (-1, weight 0.1) is ignored: cm = [[0.2, 0.3], [0.4, 0]]: rows 0.5, 0.4, columns 0.6, 0.3
        double expected = (0.2 / (0.5 + 0.6 - 0.2) + 0 / (0.4 + 0.3 - 0)) / 2;
        close(call(new MeanIoU("mean_io_u", 2, -1, true, true, -1), t(0, 0, 1, -1), PRED_0101, WEIGHTS), expected);
    }

    @Test
    void meanIoUMultiDimInput() {
        Tensor yPred = t(new double[][] {{0, 1}, {0, 1}});
        Tensor yTrue = t(new double[][] {{0, 0}, {1, 1}});
        Tensor w = t(new double[][] {{0.2, 0.3}, {0.4, 0.1}});
        close(call(new MeanIoU(2), yTrue, yPred, w), WEIGHTED);
    }

    @Test
    void meanIoUZeroValidEntries() {
        close(new MeanIoU(2).result(), 0);
    }

    @Test
    void meanIoUZeroAndNonZeroEntries() {
        close(call(new MeanIoU(2), t(1), t(1), null), 1.0);
    }

    /**
     * Keras's "big chunk": 10 x 530 x 530 random labels and argmax predictions of three classes,
     * added to a confusion matrix that already holds about 18.7 million in each cell. Every count
     * stays exact: the matrix equals the pairs counted here plus the starting point.
     */
    @Test
    void meanIoUCountsABigChunkExactly() {
        int n = 10 * 530 * 530;
        SplittableRandom rnd = new SplittableRandom(14);
        double[] labels = new double[n];
        double[] predicted = new double[n];
        long[] counted = {18729664, 18728760, 18731196, 18727297, 18726105, 18728071, 18727917, 18717835, 18723155};
        double[] start = new double[9];
        for (int i = 0; i < 9; i++) {
            start[i] = counted[i];
        }
        for (int i = 0; i < n; i++) {
            int label = rnd.nextInt(3);
            // the argmax of three random probabilities
            double p0 = rnd.nextDouble();
            double p1 = rnd.nextDouble();
            double p2 = rnd.nextDouble();
            int argmax = p0 >= p1 && p0 >= p2 ? 0 : p1 >= p2 ? 1 : 2;
            labels[i] = label;
            predicted[i] = argmax;
            counted[label * 3 + argmax]++;
        }
        MeanIoU m = new MeanIoU(3);
        m.mergeState(start);
        m.update(Tensor.of(labels, 10, 530, 530), Tensor.of(predicted, 10, 530, 530), null);
        double[] cm = m.state();
        for (int i = 0; i < 9; i++) {
            assertThat(cm[i]).as("cell %d", i).isEqualTo((double) counted[i]);
        }
    }

    // ---- OneHotIoUTest and OneHotMeanIoUTest

    // labels [2, 0, 1, 0]; predicted (the argmax of each row) [2, 2, 0, 2]
    private static final Tensor ONE_HOT_TRUE = t(new double[][] {{0, 0, 1}, {1, 0, 0}, {0, 1, 0}, {1, 0, 0}});
    private static final Tensor ONE_HOT_PRED = t(new double[][] {{0.2, 0.3, 0.5}, {0.1, 0.2, 0.7}, {0.5, 0.3, 0.1},
        {0.1, 0.4, 0.5}});

    @Test
    void oneHotIoUUnweighted() {
        // cm = [[0, 0, 2], [1, 0, 0], [0, 0, 1]]: rows 2, 1, 1, columns 1, 0, 3
        // IoU class 0: 0 / (2 + 1 - 0), class 2: 1 / (1 + 3 - 1)
        double expected = (0 + 1 / 3.0) / 2;
        close(call(new OneHotIoU(3, new int[] {0, 2}), ONE_HOT_TRUE, ONE_HOT_PRED, null), expected);
    }

    @Test
    void oneHotIoUWeighted() {
        // weights 0.1, 0.2, 0.3, 0.4: cm = [[0, 0, 0.2 + 0.4], [0.3, 0, 0], [0, 0, 0.1]]
        // rows 0.6, 0.3, 0.1, columns 0.3, 0, 0.7; IoU class 0: 0, class 2: 0.1 / (0.1 + 0.7 - 0.1)
        double expected = (0 + 0.1 / 0.7) / 2;
        close(call(new OneHotIoU(3, new int[] {0, 2}), ONE_HOT_TRUE, ONE_HOT_PRED, t(0.1, 0.2, 0.3, 0.4)), expected);
    }

    @Test
    void oneHotMeanIoUUnweighted() {
        // the matrix of oneHotIoUUnweighted; class 1: 0 / (1 + 0 - 0)
        double expected = (0 + 0 + 1 / 3.0) / 3;
        close(call(new OneHotMeanIoU(3), ONE_HOT_TRUE, ONE_HOT_PRED, null), expected);
    }

    @Test
    void oneHotMeanIoUWeighted() {
        // labels [2, 0, 1, 0, 0]; predicted [2, 2, 0, 2, 0]; weights 0.1, 0.2, 0.3, 0.3, 0.1
        // cm = [[0.1, 0, 0.2 + 0.3], [0.3, 0, 0], [0, 0, 0.1]]: rows 0.6, 0.3, 0.1, columns 0.4, 0, 0.6
        // IoU 0.1 / (0.6 + 0.4 - 0.1), 0 / (0.3 + 0 - 0), 0.1 / (0.1 + 0.6 - 0.1)
        Tensor yTrue = t(new double[][] {{0, 0, 1}, {1, 0, 0}, {0, 1, 0}, {1, 0, 0}, {1, 0, 0}});
        Tensor yPred = t(new double[][] {{0.2, 0.3, 0.5}, {0.1, 0.2, 0.7}, {0.5, 0.3, 0.1}, {0.1, 0.4, 0.5},
            {0.6, 0.2, 0.2}});
        double expected = (0.1 / 0.9 + 0 + 0.1 / 0.6) / 3;
        close(call(new OneHotMeanIoU(3), yTrue, yPred, t(0.1, 0.2, 0.3, 0.3, 0.1)), expected);
        // whole-number weights ten times larger: the same IoUs
        close(call(new OneHotMeanIoU(3), yTrue, yPred, t(1, 2, 3, 3, 1)), expected);
    }
}
