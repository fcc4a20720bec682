package dev.vecgrad.train.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.layers.Dense;
import java.util.Map;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void meanWeighsEachUpdate() {
        Mean loss = new Mean("loss");
        assertThat(loss.result()).isZero();
        loss.update(0.5, 32);
        loss.update(0.2, 8);
        assertThat(loss.result()).isCloseTo((0.5 * 32 + 0.2 * 8) / 40, within(1e-12));
        loss.reset();
        assertThat(loss.result()).isZero();
        // Tensor values: per-sample means of trailing axes, each sample counting 1.
        loss.update(Tensor.of(new double[][] {{1, 3}, {5, 7}}), null);
        assertThat(loss.result()).isCloseTo(4, within(1e-12));
        assertThat(loss.state()).containsExactly(8, 2);
        assertThatThrownBy(() -> loss.update(Tensor.of(new double[] {1}), Tensor.of(new double[] {1}), null))
                .hasMessageContaining("update(values");
    }

    @Test
    void sumAddsWeightedValues() {
        Sum s = new Sum();
        s.update(Tensor.of(new double[] {1, 2, 3}), Tensor.of(new double[] {1, 0, 2}));
        s.update(4, 0.5);
        assertThat(s.result()).isCloseTo(1 + 6 + 2, within(1e-12));
    }

    @Test
    void regressionMetricsAcrossWeightedAndUnweightedBatches() {
        Tensor y = Tensor.of(new double[][] {{1, 2}, {3, 4}});
        Tensor p = Tensor.of(new double[][] {{1.5, 1}, {2, 6}});
        MeanSquaredError mse = new MeanSquaredError();
        mse.update(y, p, Tensor.of(new double[] {2, 0.5}));      // per-sample 0.625, 2.5 -> total 2.5, count 2.5
        mse.update(Tensor.of(new double[][] {{0, 0}}), Tensor.of(new double[][] {{2, 2}}), null);   // 4, count 1
        assertThat(mse.result()).isCloseTo((2.5 + 4) / 3.5, within(1e-12));
        MeanAbsoluteError mae = new MeanAbsoluteError();
        mae.update(y, p, null);
        assertThat(mae.result()).isCloseTo((0.75 + 1.5) / 2, within(1e-12));
        MeanAbsolutePercentageError mape = new MeanAbsolutePercentageError();
        mape.update(y, p, null);
        assertThat(mape.result()).isCloseTo((50 + 100 * (1.0 / 3 + 0.5) / 2) / 2, within(1e-9));
        assertThat(mse.name()).isEqualTo("mean_squared_error");
        assertThat(mape.name()).isEqualTo("mean_absolute_percentage_error");
    }

    @Test
    void aShortLastBatchCountsByItsSize() {
        SparseCategoricalAccuracy acc = new SparseCategoricalAccuracy();
        Tensor probs4 = Tensor.of(new float[][] {{0.9f, 0.1f}, {0.2f, 0.8f}, {0.6f, 0.4f}, {0.3f, 0.7f}});
        acc.update(Tensor.of(new int[] {0, 1, 0, 0}), probs4, null);    // 3 of 4
        acc.update(Tensor.of(new int[] {1}), Tensor.of(new float[][] {{0.9f, 0.1f}}), null);   // 0 of 1
        assertThat(acc.result()).isCloseTo(3.0 / 5, within(1e-12));
    }

    @Test
    void accuracies() {
        Accuracy exact = new Accuracy();
        exact.update(Tensor.of(new int[] {1, 2, 3, 4}), Tensor.of(new float[] {1, 2, 0, 4}), null);
        assertThat(exact.result()).isCloseTo(0.75, within(1e-12));

        BinaryAccuracy bin = new BinaryAccuracy();
        bin.update(Tensor.of(new float[] {1, 0, 1, 0}, 4, 1), Tensor.of(new float[] {0.6f, 0.4f, 0.5f, 0.7f}, 4, 1), null);
        assertThat(bin.result()).isCloseTo(0.5, within(1e-12));
        BinaryAccuracy low = new BinaryAccuracy("binary_accuracy", 0.45);
        low.update(Tensor.of(new float[] {1, 0, 1, 0}), Tensor.of(new float[] {0.6f, 0.4f, 0.5f, 0.7f}), null);
        assertThat(low.result()).isCloseTo(0.75, within(1e-12));

        CategoricalAccuracy cat = new CategoricalAccuracy();
        cat.update(Tensor.of(new float[][] {{0, 1, 0}, {1, 0, 0}, {0, 0, 1}}),
                Tensor.of(new float[][] {{0.1f, 0.7f, 0.2f}, {0.3f, 0.4f, 0.3f}, {0.2f, 0.2f, 0.6f}}),
                Tensor.of(new float[] {1, 2, 1}));
        assertThat(cat.result()).isCloseTo(2.0 / 4, within(1e-12));

        SparseCategoricalAccuracy sparse = new SparseCategoricalAccuracy();
        Tensor probs = Tensor.of(new float[][] {{0.1f, 0.7f, 0.2f}, {0.3f, 0.4f, 0.3f}});
        sparse.update(Tensor.of(new int[] {1, 0}, 2, 1), probs, null);
        sparse.update(Tensor.of(new float[] {1, 1}), probs, null);
        assertThat(sparse.result()).isCloseTo(3.0 / 4, within(1e-12));
    }

    @Test
    void topKCountsTiesAsInTopK() {
        TopKCategoricalAccuracy top2 = new TopKCategoricalAccuracy(2);
        top2.update(Tensor.of(new float[][] {{0, 0, 1}, {1, 0, 0}}),
                Tensor.of(new float[][] {{0.1f, 0.5f, 0.4f}, {0.1f, 0.5f, 0.4f}}), null);
        assertThat(top2.result()).isCloseTo(0.5, within(1e-12));
        TopKCategoricalAccuracy top1 = TopKCategoricalAccuracy.sparse(1);
        top1.update(Tensor.of(new int[] {2}), Tensor.of(new float[][] {{0.3f, 0.3f, 0.3f, 0.1f}}), null);
        assertThat(top1.result()).isEqualTo(1);
        assertThat(top1.name()).isEqualTo("sparse_top_k_categorical_accuracy");
    }

    @Test
    void precisionAndRecallWithAndWithoutWeights() {
        Tensor y = Tensor.of(new float[] {1, 0, 1, 1, 0});
        Tensor p = Tensor.of(new float[] {0.9f, 0.8f, 0.3f, 0.6f, 0.1f});
        Precision pr = new Precision();
        Recall re = new Recall();
        pr.update(y, p, null);
        re.update(y, p, null);
        assertThat(pr.result()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(re.result()).isCloseTo(2.0 / 3, within(1e-12));
        Tensor w = Tensor.of(new float[] {1, 2, 3, 1, 1});
        pr.reset();
        re.reset();
        pr.update(y, p, w);
        re.update(y, p, w);
        assertThat(pr.result()).isCloseTo(2.0 / 4, within(1e-12));
        assertThat(re.result()).isCloseTo(2.0 / 5, within(1e-12));
        Precision none = new Precision();
        none.update(Tensor.of(new float[] {1}), Tensor.of(new float[] {0.2f}), null);
        assertThat(none.result()).isZero();
        assertThatThrownBy(() -> none.update(Tensor.of(new float[] {1}), Tensor.of(new float[] {1.5f}), null))
                .hasMessageContaining("[0, 1]").hasMessageContaining("1.5");
    }

    /** AUC as the weighted probability that a positive outscores a negative, from all pairs. */
    private static double pairwiseAuc(double[] labels, double[] scores, double[] weights) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < labels.length; i++) {
            for (int j = 0; j < labels.length; j++) {
                if (labels[i] == 1 && labels[j] == 0) {
                    double w = weights[i] * weights[j];
                    den += w;
                    num += scores[i] > scores[j] ? w : 0;
                }
            }
        }
        return num / den;
    }

    @Test
    void aucMatchesThePairwiseDefinitionWhenScoresFallInDistinctBuckets() {
        double[] labels = {0, 0, 1, 1, 0, 1, 1, 0};
        double[] scores = {0.1, 0.35, 0.4, 0.8, 0.65, 0.2, 0.97, 0.02};
        double[] weights = {1, 2, 0.5, 1, 3, 1, 2, 1};
        AUC auc = new AUC();
        auc.update(Tensor.of(labels), Tensor.of(scores), null);
        assertThat(auc.result()).isCloseTo(pairwiseAuc(labels, scores, new double[] {1, 1, 1, 1, 1, 1, 1, 1}), within(1e-9));
        AUC weighted = new AUC();
        weighted.update(Tensor.of(labels), Tensor.of(scores), Tensor.of(weights));
        assertThat(weighted.result()).isCloseTo(pairwiseAuc(labels, scores, weights), within(1e-9));
        // Two replicas on halves, merged, equal one metric on everything.
        AUC a = new AUC();
        AUC b = new AUC();
        a.update(Tensor.of(labels).slice(0, 0, 4), Tensor.of(scores).slice(0, 0, 4), null);
        b.update(Tensor.of(labels).slice(0, 4, 8), Tensor.of(scores).slice(0, 4, 8), null);
        a.mergeState(b.state());
        assertThat(a.result()).isCloseTo(auc.result(), within(1e-12));
        assertThat(auc.thresholds()[0]).isEqualTo(-1e-7);
        assertThat(auc.thresholds()[199]).isEqualTo(1 + 1e-7);
        assertThat(auc.thresholds()[1]).isEqualTo(1.0 / 199);
    }

    @Test
    void accuracyIsResolvedFromShapesAndKeepsItsName() {
        assertThat(Metrics.get("accuracy", Shape.of(32), Shape.of(32, 10))).isInstanceOf(SparseCategoricalAccuracy.class);
        assertThat(Metrics.get("accuracy", Shape.of(32, 1), Shape.of(32, 10))).isInstanceOf(SparseCategoricalAccuracy.class);
        assertThat(Metrics.get("acc", Shape.of(32, 10), Shape.of(32, 10))).isInstanceOf(CategoricalAccuracy.class);
        Metric bin = Metrics.get("accuracy", Shape.of(32, 1), Shape.of(32, 1));
        assertThat(bin).isInstanceOf(BinaryAccuracy.class);
        assertThat(bin.name()).isEqualTo("accuracy");
        assertThat(Metrics.get("mae").name()).isEqualTo("mae");
        assertThat(Metrics.get("mae")).isInstanceOf(MeanAbsoluteError.class);
        assertThat(Metrics.get("auc", Shape.of(1), Shape.of(1))).isInstanceOf(AUC.class);
        assertThatThrownBy(() -> Metrics.get("f1")).hasMessageContaining("f1");
    }

    @Test
    void updatesAreNotRecordedOnATape() {
        try (GradientTape tape = GradientTape.open()) {
            Tensor p = Tensor.of(new float[][] {{0.1f, 0.9f}});
            tape.watch(p);
            int before = tape.size();
            new SparseCategoricalAccuracy().update(Tensor.of(new int[] {1}), p, null);
            new MeanSquaredError().update(Tensor.of(new float[][] {{0, 1}}), p, null);
            new AUC().update(Tensor.of(new float[][] {{0, 1}}), p, null);
            assertThat(tape.size()).isEqualTo(before);
        }
    }

    @Test
    void accuracyCountsEveryElementAcrossBatches() {
        // Keras 3: one value per element, so 4 right then 1 wrong reads 4/5, not the mean of 1 and 0.
        for (Metric m : List.of(new Accuracy(), new BinaryAccuracy())) {
            boolean binary = m instanceof BinaryAccuracy;
            m.update(Tensor.of(new float[] {1, 0, 1, 1}), Tensor.of(binary ? new float[] {0.9f, 0.2f, 0.7f, 0.6f}
                    : new float[] {1, 0, 1, 1}), null);
            m.update(Tensor.of(new float[] {1}), Tensor.of(binary ? new float[] {0.1f} : new float[] {0}), null);
            assertThat(m.result()).as(m.className()).isCloseTo(0.8, within(1e-12));
        }
    }

    @Test
    void accuracySampleWeightsMayHaveTheElementsShape() {
        Tensor y = Tensor.of(new float[] {1, 2, 3, 4});
        Tensor p = Tensor.of(new float[] {1, 0, 3, 0});
        Accuracy flat = new Accuracy();
        flat.update(y, p, Tensor.of(new float[] {3, 1, 1, 0}));
        assertThat(flat.result()).isCloseTo(4.0 / 5, within(1e-12));
        // (2, 2) weights: per row, the mean of value times weight over the mean of the weights.
        Accuracy grid = new Accuracy();
        grid.update(y.reshape(2, 2), p.reshape(2, 2), Tensor.of(new float[] {1, 3, 2, 2}, 2, 2));
        assertThat(grid.result()).isCloseTo((0.5 + 1.0) / (2 + 2), within(1e-12));
        // (1, 2) weights broadcast over the rows.
        BinaryAccuracy rows = new BinaryAccuracy();
        rows.update(Tensor.of(new float[] {1, 1, 0, 0}, 2, 2), Tensor.of(new float[] {0.9f, 0.1f, 0.2f, 0.7f}, 2, 2),
                Tensor.of(new float[] {1, 0}, 1, 2));
        assertThat(rows.result()).isCloseTo(1.0, within(1e-12));
        assertThatThrownBy(() -> new Accuracy().update(y, p, Tensor.of(new float[] {1, 2, 3})))
                .hasMessageContaining("sample weights");
    }

    @Test
    void metricsWithSeveralValuesLogOneEntryEach() {
        Sequential m = new Sequential().add(new Dense(1, dev.vecgrad.train.activations.Activations.sigmoid()));
        m.setSeed(3);
        m.build(4, 2);
        m.compile(CompileOptions.of("sgd", "binary_crossentropy").metrics(
                new TruePositives("tp", new double[] {0.2, 0.5, 0.8}), new AUC(), new F1Score(FBetaScore.Average.NONE,
                        0.5)));
        Tensor x = Tensor.of(new float[] {1, 2, -1, 0.5f, 3, -2, 0, 1}, 4, 2);
        Tensor y = Tensor.of(new float[] {1, 0, 1, 0}, 4, 1);
        Map<String, Double> logs = m.evaluate(x, y, 4);
        assertThat(logs).containsKeys("loss", "tp_0", "tp_1", "tp_2", "auc", "f1_score").doesNotContainKey("tp");
        // Counts of positives at rising thresholds cannot grow.
        assertThat(logs.get("tp_0")).isGreaterThanOrEqualTo(logs.get("tp_1"));
        assertThat(logs.get("tp_1")).isGreaterThanOrEqualTo(logs.get("tp_2"));
        TruePositives tp = new TruePositives("tp", new double[] {0.2, 0.5});
        assertThatThrownBy(tp::result).isInstanceOf(IllegalStateException.class).hasMessageContaining("results()");
        assertThat(tp.logEntries("out/tp")).containsOnlyKeys("out/tp_0", "out/tp_1");
    }

    @Test
    void replicaStatesMergeIntoTheWholeBatchResult() {
        Tensor y = Tensor.of(new float[][] {{1, 0}, {0, 1}, {1, 1}, {0, 0}});
        Tensor p = Tensor.of(new float[][] {{0.9f, 0.2f}, {0.4f, 0.7f}, {0.6f, 0.3f}, {0.1f, 0.8f}});
        Tensor w = Tensor.of(new float[] {1, 2, 0.5f, 3});
        List<java.util.function.Supplier<Metric>> kinds = List.of(
                () -> AUC.builder().multiLabel(true).numThresholds(7).build(),
                () -> AUC.builder().curve("PR").numThresholds(9).labelWeights(0.3, 0.7).build(),
                () -> new Precision("p", new double[] {0.3, 0.6}, 1, null),
                () -> new RecallAtPrecision("r", 0.5, 20, 1),
                () -> new FBetaScore(FBetaScore.Average.WEIGHTED, 2.0, 0.5),
                () -> new R2Score("r2", R2Score.Aggregation.NONE, 0),
                () -> new SparseCategoricalCrossentropy("s", false, 0, -1));
        for (java.util.function.Supplier<Metric> kind : kinds) {
            Metric whole = kind.get();
            Tensor labels = whole instanceof SparseCategoricalCrossentropy ? Tensor.of(new int[] {0, 1, 1, 0}) : y;
            whole.update(labels, p, w);
            Metric a = kind.get();
            Metric b = kind.get();
            a.update(labels.slice(0, 0, 2), p.slice(0, 0, 2), w.slice(0, 0, 2));
            b.update(labels.slice(0, 2, 4), p.slice(0, 2, 4), w.slice(0, 2, 4));
            Metric merged = kind.get();
            merged.mergeState(a.state());
            merged.mergeState(b.state());
            assertThat(merged.results()).as(whole.className()).containsExactly(whole.results(), within(1e-12));
            merged.reset();
            assertThat(merged.state()).as(whole.className()).containsOnly(0.0);
        }
    }
}
