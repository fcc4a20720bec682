package dev.vecgrad.train.conformance;

import static dev.vecgrad.train.conformance.Keras.close;
import static dev.vecgrad.train.conformance.Keras.t;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.metrics.Accuracy;
import dev.vecgrad.train.metrics.BinaryAccuracy;
import dev.vecgrad.train.metrics.CategoricalAccuracy;
import dev.vecgrad.train.metrics.Metric;
import dev.vecgrad.train.metrics.Metrics;
import dev.vecgrad.train.metrics.SparseCategoricalAccuracy;
import dev.vecgrad.train.metrics.TopKCategoricalAccuracy;
import java.util.Map;
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

    /**
     * Keras's {@code test_config} without its dtype asserts (vecgrad metrics have no dtype policy):
     * the name, two accumulators (Keras's two variables), the config's name and {@code extra}
     * entries, and all of these again after {@code from_config}.
     */
    private static void config(Metric m, String name, Map<String, Object> extra) {
        assertThat(m.name()).isEqualTo(name);
        assertThat(m.state()).hasSize(2);
        assertThat(m.getConfig()).containsEntry("name", name).containsAllEntriesOf(extra);
        Metric back = Metrics.fromConfig(m.className(), m.getConfig());
        assertThat(back.name()).isEqualTo(name);
        assertThat(back.state()).hasSize(2);
        assertThat(back.getConfig()).containsAllEntriesOf(extra);
    }

    @Test
    void configs() {
        config(new Accuracy("accuracy"), "accuracy", Map.of());
        config(new BinaryAccuracy("binary_accuracy", 0.5), "binary_accuracy", Map.of());
        config(new CategoricalAccuracy("categorical_accuracy"), "categorical_accuracy", Map.of());
        config(new SparseCategoricalAccuracy("sparse_categorical_accuracy"), "sparse_categorical_accuracy", Map.of());
        config(new TopKCategoricalAccuracy("top_k_categorical_accuracy", 1, false), "top_k_categorical_accuracy",
                Map.of("k", 1));
        config(new TopKCategoricalAccuracy("sparse_top_k_categorical_accuracy", 1, true, false),
                "sparse_top_k_categorical_accuracy", Map.of("k", 1, "from_sorted_ids", false));
        config(new TopKCategoricalAccuracy("sparse_top_k_categorical_accuracy", 1, true, true),
                "sparse_top_k_categorical_accuracy", Map.of("from_sorted_ids", true));
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
