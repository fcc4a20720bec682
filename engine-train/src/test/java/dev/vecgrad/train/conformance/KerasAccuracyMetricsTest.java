package dev.vecgrad.train.conformance;

import static dev.vecgrad.train.conformance.Keras.close;
import static dev.vecgrad.train.conformance.Keras.t;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.metrics.Accuracy;
import dev.vecgrad.train.metrics.BinaryAccuracy;
import dev.vecgrad.train.metrics.CategoricalAccuracy;
import dev.vecgrad.train.metrics.Metric;
import dev.vecgrad.train.metrics.SparseCategoricalAccuracy;
import dev.vecgrad.train.metrics.TopKCategoricalAccuracy;
import org.junit.jupiter.api.Test;

/** The literal expectations of Keras 3's {@code metrics/accuracy_metrics_test.py}. */
class KerasAccuracyMetricsTest {

    private static double run(Metric m, Tensor y, Tensor p, Tensor w) {
        m.update(y, p, w);
        return m.result();
    }

    private static Tensor col(double... v) {
        return Tensor.of(v, v.length, 1);
    }

    @Test
    void accuracy() {
        close(run(new Accuracy(), col(1, 2, 3, 4), col(0, 2, 3, 4), null), 0.75, 0, 1e-3);
        close(run(new Accuracy(), col(1, 2, 3, 4), col(0, 2, 3, 4), t(1, 1, 0, 0)), 0.5, 0, 1e-3);
        close(run(new Accuracy(), t(1, 2, 3, 4), t(0, 2, 3, 4), t(1, 1, 0, 0)), 0.5, 0, 1e-3);
        Tensor y = t(new double[][] {{1, 2}, {3, 4}});
        Tensor p = t(new double[][] {{0, 2}, {3, 4}});
        close(run(new Accuracy(), y, p, t(new double[][] {{1, 0}, {0, 1}})), 0.5, 0, 1e-3);
        close(run(new Accuracy(), y, p, t(new double[][] {{1, 0}})), 0.5, 0, 1e-3);
    }

    @Test
    void binaryAccuracy() {
        close(run(new BinaryAccuracy(), col(1, 1, 0, 0), col(0.98, 1, 0, 0.6), null), 0.75, 0, 1e-3);
        close(run(new BinaryAccuracy(), t(1, 1, 0, 0), col(0.98, 1, 0, 0.6), null), 0.75, 0, 1e-3);
        close(run(new BinaryAccuracy(), col(1, 1, 0, 0), col(0.98, 1, 0, 0.6), t(1, 0, 0, 1)), 0.5, 0, 1e-3);
        close(run(new BinaryAccuracy(), t(1, 1, 0, 0), t(0.98, 1, 0, 0.6), t(1, 0, 0, 1)), 0.5, 0, 1e-3);
        Tensor y = t(new double[][] {{1, 1}, {0, 0}});
        Tensor p = t(new double[][] {{0.98, 1}, {0, 0.6}});
        close(run(new BinaryAccuracy(), y, p, t(new double[][] {{1, 0}, {0, 1}})), 0.5, 0, 1e-3);
        close(run(new BinaryAccuracy(), y, p, t(new double[][] {{1, 0}})), 1.0, 0, 1e-3);
        Tensor yt = col(1, 1, 0, 0);
        Tensor pt = col(0.98, 0.5, 0.1, 0.2);
        close(run(new BinaryAccuracy("binary_accuracy", 0.3), yt, pt, null), 1.0);
        close(run(new BinaryAccuracy("binary_accuracy", 0.9), yt, pt, null), 0.75);
    }

    @Test
    void categoricalAccuracy() {
        Tensor y = t(new double[][] {{0, 0, 1}, {0, 1, 0}});
        Tensor p = t(new double[][] {{0.1, 0.9, 0.8}, {0.05, 0.95, 0}});
        close(run(new CategoricalAccuracy(), y, p, null), 0.5, 0, 1e-3);
        close(run(new CategoricalAccuracy(), y, p, t(0.7, 0.3)), 0.3, 0, 1e-3);
    }

    @Test
    void sparseCategoricalAccuracy() {
        Tensor p = t(new double[][] {{0.1, 0.6, 0.3}, {0.05, 0.95, 0}});
        close(run(new SparseCategoricalAccuracy(), col(2, 1), p, null), 0.5, 0, 1e-3);
        close(run(new SparseCategoricalAccuracy(), col(2, 1), p, t(0.7, 0.3)), 0.3, 0, 1e-3);
        Tensor diag = t(new double[][] {{0.9, 0.05, 0.05}, {0.05, 0.9, 0.05}, {0.05, 0.05, 0.9}});
        close(run(new SparseCategoricalAccuracy(), col(0, 1, 2), diag, null), 1.0, 0, 1e-4);
        close(run(new SparseCategoricalAccuracy(), Tensor.of(new int[] {0, 1}),
                Tensor.of(new float[][] {{0.9f, 0.1f}, {0.1f, 0.9f}}), null), 1.0, 0, 1e-4);
        // Labels (2, 1) against predictions (1, 2, 3): the matches broadcast to (2, 2), all right.
        close(run(new SparseCategoricalAccuracy(), Tensor.of(new int[] {0, 0}, 2, 1),
                Tensor.of(new float[] {0.9f, 0.1f, 0f, 0.8f, 0.15f, 0.05f}, 1, 2, 3), null), 1.0);
        close(run(new SparseCategoricalAccuracy(), col(0, 1, 2), t(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}),
                null), 1.0, 0, 1e-4);
        close(run(new SparseCategoricalAccuracy(), Tensor.of(new int[] {0, 1, 2}),
                t(new double[][] {{0.9, 0.1, 0}, {0, 0.9, 0.1}, {0.1, 0, 0.9}}), null), 1.0, 0, 1e-4);
        close(run(new SparseCategoricalAccuracy(), col(0, 1), t(new double[][] {{0.9, 0.1}, {0.1, 0.9}}), null), 1.0,
                0, 1e-4);
        close(run(new SparseCategoricalAccuracy(), Tensor.of(new int[] {2, 1, 0}),
                Tensor.of(new float[][] {{0, 0, 1}, {0, 1, 0}, {1, 0, 0}}), null), 1.0, 0, 1e-4);
    }

    @Test
    void topKCategoricalAccuracy() {
        Tensor y = t(new double[][] {{0, 0, 1}, {0, 1, 0}});
        Tensor p = Tensor.of(new float[][] {{0.1f, 0.9f, 0.8f}, {0.05f, 0.95f, 0}});
        close(run(new TopKCategoricalAccuracy(1), y, p, null), 0.5, 0, 1e-3);
        close(run(new TopKCategoricalAccuracy(1), y, p, t(0.7, 0.3)), 0.3, 0, 1e-3);
    }

    @Test
    void sparseTopKCategoricalAccuracy() {
        Tensor y = t(2, 1);
        Tensor p = Tensor.of(new float[][] {{0.1f, 0.9f, 0.8f}, {0.05f, 0.95f, 0}});
        close(run(TopKCategoricalAccuracy.sparse(1), y, p, null), 0.5, 0, 1e-3);
        close(run(TopKCategoricalAccuracy.sparse(1), y, p, t(0.7, 0.3)), 0.3, 0, 1e-3);
        Tensor sortedIds = Tensor.of(new int[] {1, 0, 3, 1, 2, 3}, 2, 3);
        close(run(TopKCategoricalAccuracy.sparse(1, true), y, sortedIds, null), 0.5, 0, 1e-3);
        close(run(TopKCategoricalAccuracy.sparse(1, true), y, sortedIds, t(0.7, 0.3)), 0.3, 0, 1e-3);
    }
}
