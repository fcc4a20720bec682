package dev.vecgrad.train.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Metric configs with non-default arguments, written out here and read back through
 * {@link Metrics#fromConfig}; argument checks at their limits; and the accumulators: the state a
 * metric keeps (Keras's sums, not only their ratio), merging, weights of every rank, and the
 * scores that follow from them, computed in plain double loops.
 */
class MetricConfigAndLimitsTest {

    private static void roundTrips(Metric m, Map<String, Object> own) {
        Map<String, Object> config = m.getConfig();
        assertThat(config).as(m.className()).containsAllEntriesOf(own);
        Metric back = Metrics.fromConfig(m.className(), config);
        assertThat(back).isInstanceOf(m.getClass());
        assertThat(back.getConfig()).as(m.className()).isEqualTo(config);
    }

    @Test
    void configsCarryEveryNonDefaultArgumentThroughFromConfig() {
        roundTrips(new BinaryCrossentropy("bce", true, 0.2),
                Map.of("name", "bce", "from_logits", true, "label_smoothing", 0.2));
        roundTrips(new SparseCategoricalCrossentropy("s", true, 2, 0),
                Map.of("name", "s", "from_logits", true, "ignore_class", 2, "axis", 0));
        roundTrips(new FBetaScore("fb", FBetaScore.Average.MACRO, 2.0, 0.4),
                Map.of("name", "fb", "average", "macro", "beta", 2.0, "threshold", 0.4));
        roundTrips(new F1Score("f1", FBetaScore.Average.WEIGHTED, 0.3),
                Map.of("name", "f1", "average", "weighted", "threshold", 0.3));
        roundTrips(new R2Score("r2", R2Score.Aggregation.VARIANCE_WEIGHTED_AVERAGE, 2),
                Map.of("name", "r2", "class_aggregation", "variance_weighted_average", "num_regressors", 2));
        roundTrips(new PearsonCorrelation("pc", 0), Map.of("name", "pc", "axis", 0));
        roundTrips(new TopKCategoricalAccuracy("tk", 3, false), Map.of("name", "tk", "k", 3));

        Precision p = new Precision("p", new double[] {0.3, 0.6}, 2, 1);
        roundTrips(p, Map.of("name", "p", "top_k", 2, "class_id", 1, "thresholds", List.of(0.3, 0.6)));
        Precision back = (Precision) Metrics.fromConfig("Precision", p.getConfig());
        assertThat(back.topK()).isEqualTo(2);
        assertThat(back.classId()).isEqualTo(1);
        // Keras's Precision and Recall write top_k and class_id even when unset; the confusion counts do not.
        assertThat(new Recall("r", new double[] {0.5}, null, null).getConfig()).containsEntry("top_k", null)
                .containsEntry("class_id", null);
        assertThat(new TruePositives("tp", new double[] {0.5}).getConfig()).doesNotContainKeys("top_k", "class_id");
        Map<String, Object> bare = new LinkedHashMap<>();
        bare.put("name", "r");
        assertThat(((Recall) Metrics.fromConfig("Recall", bare)).thresholds()).containsExactly(0.5);

        assertThat(new AUC().getConfig()).containsEntry("label_weights", null);
        TruePositives one = new TruePositives("tp", new double[] {0.3});
        roundTrips(one, Map.of("thresholds", 0.3));
        assertThat(((TruePositives) Metrics.fromConfig("TruePositives", one.getConfig())).thresholds())
                .containsExactly(0.3);
    }

    @Test
    void aggregationAndAverageNamesAreKeras() {
        assertThat(R2Score.Aggregation.of(null)).isEqualTo(R2Score.Aggregation.NONE);
        assertThat(R2Score.Aggregation.of("uniform_average")).isEqualTo(R2Score.Aggregation.UNIFORM_AVERAGE);
        assertThat(R2Score.Aggregation.of("Variance_Weighted_Average"))
                .isEqualTo(R2Score.Aggregation.VARIANCE_WEIGHTED_AVERAGE);
        assertThatThrownBy(() -> R2Score.Aggregation.of("none")).hasMessageContaining("class_aggregation=none");
        assertThat(FBetaScore.Average.of(null)).isEqualTo(FBetaScore.Average.NONE);
        assertThat(FBetaScore.Average.of("MICRO")).isEqualTo(FBetaScore.Average.MICRO);
        assertThat(FBetaScore.Average.of("weighted")).isEqualTo(FBetaScore.Average.WEIGHTED);
        assertThatThrownBy(() -> FBetaScore.Average.of("none")).hasMessageContaining("Invalid `average`");
    }

    @Test
    void argumentChecksAtTheirLimits() {
        assertThatCode(() -> new Precision("p", new double[] {0, 1}, 1, null)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new Precision("p", new double[] {0.5}, 0, null))
                .hasMessage("p: topK must be positive, got 0");
        assertThatThrownBy(() -> new Recall("r", new double[] {-1e-9, 0.5, 1 + 1e-9}, null, null))
                .hasMessage("Threshold values must be in [0, 1]. Received: [-1.0E-9, 1.000000001]");

        assertThat(new SensitivityAtSpecificity("s", 0, 1, null).thresholds()).containsExactly(0.5);
        assertThat(new SensitivityAtSpecificity("s", 1, 5, null).thresholds())
                .containsExactly(0, 0.25, 0.5, 0.75, 1);
        assertThatThrownBy(() -> new SensitivityAtSpecificity("s", 0.5, 0, null))
                .hasMessageContaining("num_thresholds=0");
        for (double v : new double[] {-1e-9, 1 + 1e-9}) {
            assertThatThrownBy(() -> new SensitivityAtSpecificity("s", v, 10, null))
                    .hasMessageContaining("must be in the range [0, 1]").hasMessageContaining("=" + v);
        }

        assertThatCode(() -> new TopKCategoricalAccuracy("tk", 1, false)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new TopKCategoricalAccuracy("tk", 0, false)).hasMessage("tk: k must be positive, got 0");

        assertThatCode(() -> new FBetaScore("fb", FBetaScore.Average.NONE, Double.MIN_VALUE, 1.0))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> new FBetaScore("fb", FBetaScore.Average.NONE, 1, 0.0))
                .hasMessageContaining("threshold=0.0");
        assertThatThrownBy(() -> new FBetaScore("fb", FBetaScore.Average.NONE, 0, null))
                .hasMessageContaining("beta=0.0");
    }

    @Test
    void aClassIdPicksOneColumnAndMustBeOneOfTheClasses() {
        Tensor labels = Tensor.of(new float[] {1, 0, 0, 1, 1, 0}, 3, 2);
        Tensor preds = Tensor.of(new float[] {0.8f, 0.9f, 0.7f, 0.2f, 0.1f, 0.6f}, 3, 2);
        Precision first = new Precision("p", new double[] {0.5}, null, 0);
        first.update(labels, preds, null);
        // Column 0: predictions 0.8, 0.7, 0.1 above 0.5 → rows 0, 1; labels 1, 0 → precision 1/2.
        assertThat(first.result()).isCloseTo(0.5, within(1e-7));
        Recall second = new Recall("r", new double[] {0.5}, null, 1);
        second.update(labels, preds, null);
        // Column 1: labels 0, 1, 0 → the one positive (0.2) is missed.
        assertThat(second.result()).isZero();
        for (int id : new int[] {-1, 2}) {
            Precision p = new Precision("p", new double[] {0.5}, null, id);
            assertThatThrownBy(() -> p.update(labels, preds, null))
                    .hasMessage("p: class_id " + id + " is outside [0, 2)");
        }
    }

    @Test
    void thresholdsCompareInThePredictionsPrecision() {
        // 0.3f is slightly above the double 0.3 but equal to it in float: F32 predictions compare in float.
        TruePositives f32 = new TruePositives("tp", new double[] {0.3});
        f32.update(Tensor.of(new float[] {1, 1}), Tensor.of(new float[] {0.3f, 0.31f}), null);
        assertThat(f32.result()).isEqualTo(1);
        // 0.5 + 1e-12 is above 0.5 in double, not in float: F64 predictions compare in double.
        TruePositives f64 = new TruePositives("tp", new double[] {0.5});
        f64.update(Tensor.of(new double[] {1, 1}), Tensor.of(new double[] {0.5 + 1e-12, 0.5}), null);
        assertThat(f64.result()).isEqualTo(1);
    }

    @Test
    void aucSortsTheThresholdsItIsGiven() {
        Tensor labels = Tensor.of(new float[] {0, 0, 1, 1, 0, 1});
        Tensor preds = Tensor.of(new float[] {0.1f, 0.4f, 0.35f, 0.8f, 0.65f, 0.9f});
        AUC unsorted = AUC.builder().thresholds(0.7, 0.3, 0.5).build();
        AUC sorted = AUC.builder().thresholds(0.3, 0.5, 0.7).build();
        unsorted.update(labels, preds, null);
        sorted.update(labels, preds, null);
        double[] t = unsorted.thresholds();
        for (int i = 1; i < t.length; i++) {
            assertThat(t[i]).isGreaterThan(t[i - 1]);
        }
        assertThat(unsorted.result()).isEqualTo(sorted.result()).isGreaterThan(0.5);
    }

    @Test
    void mergingAStateOfAnotherSizeIsRefused() {
        List<Supplier<Metric>> metrics = List.of(() -> new Mean("m"), () -> new R2Score(),
                () -> new FBetaScore(), () -> new Precision());
        Tensor y = Tensor.of(new float[] {1, 0, 1, 1, 0, 0}, 3, 2);
        Tensor p = Tensor.of(new float[] {0.9f, 0.2f, 0.4f, 0.6f, 0.3f, 0.1f}, 3, 2);
        for (Supplier<Metric> make : metrics) {
            Metric m = make.get();
            if (m instanceof Mean mean) {
                mean.update(p, null);
            } else {
                m.update(y, p, null);
            }
            double[] state = m.state();
            double[] longer = java.util.Arrays.copyOf(state, state.length + 1);
            assertThatThrownBy(() -> m.mergeState(longer)).as(m.className())
                    .hasMessageContaining("has " + state.length + " accumulators, cannot merge " + longer.length);
        }
    }

    @Test
    void meanAveragesEachSampleOverItsPositionsWithWeightsOfAnyRank() {
        double[] v = new double[12];   // values (2, 2, 3)
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 5 % 7) - 2.5;
        }
        Tensor values = Tensor.of(v, 2, 2, 3);

        Mean plain = new Mean("m");
        plain.update(values, null);
        double total = 0;
        for (int b = 0; b < 2; b++) {
            double s = 0;
            for (int j = 0; j < 6; j++) {
                s += v[b * 6 + j];
            }
            total += s / 6;
        }
        assertThat(plain.state()).containsExactly(new double[] {total, 2}, within(1e-12));

        // Weights (2, 2): one per position; each position's value is the mean over its last axis.
        double[] w = {1, 3, 0.5, 2};
        Mean byPosition = new Mean("m");
        byPosition.update(values, Tensor.of(w, 2, 2));
        double weighted = 0;
        double count = 0;
        for (int b = 0; b < 2; b++) {
            double sampleValue = 0;
            double sampleWeight = 0;
            for (int t = 0; t < 2; t++) {
                double position = (v[(b * 2 + t) * 3] + v[(b * 2 + t) * 3 + 1] + v[(b * 2 + t) * 3 + 2]) / 3;
                sampleValue += w[b * 2 + t] * position / 2;
                sampleWeight += w[b * 2 + t] / 2;
            }
            weighted += sampleValue;
            count += sampleWeight;
        }
        assertThat(byPosition.state()).containsExactly(new double[] {weighted, count}, within(1e-12));
        assertThat(byPosition.result()).isCloseTo(weighted / count, within(1e-12));

        // Weights as the values' shape: Keras sums each sample's mean of value·weight and mean weight.
        double[] u = {1, 2, 3, 4, 5, 6};
        double[] x = {0.5, -1, 2, 4, 0, 1};
        Mean elementwise = new Mean("m");
        elementwise.update(Tensor.of(x, 2, 3), Tensor.of(u, 2, 3));
        double t0 = (0.5 * 1 - 1 * 2 + 2 * 3) / 3 + (4 * 4 + 0 * 5 + 1 * 6) / 3.0;
        double c0 = (1 + 2 + 3) / 3.0 + (4 + 5 + 6) / 3.0;
        assertThat(elementwise.state()).containsExactly(new double[] {t0, c0}, within(1e-12));
    }

    @Test
    void r2ScoreKeepsKerasSumsMergesThemAndAdjustsForRegressors() {
        double[] y = {1, 2, 3, 5, 4, 7, 2, 2, 6, 1, 0, 3};   // 6 samples, 2 outputs
        double[] p = {1.5, 2, 2, 4, 4.5, 6, 2.5, 3, 5, 2, 1, 2};
        double[] w = {1, 2, 0.5, 1, 3, 1};
        R2Score whole = new R2Score("r2", R2Score.Aggregation.NONE, 0);
        whole.update(Tensor.of(y, 6, 2), Tensor.of(p, 6, 2), Tensor.of(w));

        double[] expectedState = new double[9];
        expectedState[0] = 6;
        double[] r2 = new double[2];
        for (int c = 0; c < 2; c++) {
            double sw = 0;
            double swy = 0;
            double swyy = 0;
            double sse = 0;
            for (int r = 0; r < 6; r++) {
                double yi = y[r * 2 + c];
                sw += w[r];
                swy += w[r] * yi;
                swyy += w[r] * yi * yi;
                sse += w[r] * (yi - p[r * 2 + c]) * (yi - p[r * 2 + c]);
            }
            expectedState[1 + c * 4] = swy;
            expectedState[2 + c * 4] = swyy;
            expectedState[3 + c * 4] = sse;
            expectedState[4 + c * 4] = sw;
            double mean = swy / sw;
            double sst = 0;
            for (int r = 0; r < 6; r++) {
                sst += w[r] * (y[r * 2 + c] - mean) * (y[r * 2 + c] - mean);
            }
            r2[c] = 1 - sse / sst;
        }
        assertThat(whole.state()).containsExactly(expectedState, within(1e-12));
        assertThat(whole.results()).containsExactly(r2, within(1e-12));

        // Two halves merged into a metric that has seen the first: the same sums.
        R2Score first = new R2Score("r2", R2Score.Aggregation.NONE, 0);
        R2Score second = new R2Score("r2", R2Score.Aggregation.NONE, 0);
        first.update(Tensor.of(y, 6, 2).slice(0, 0, 4), Tensor.of(p, 6, 2).slice(0, 0, 4),
                Tensor.of(w).slice(0, 0, 4));
        second.update(Tensor.of(y, 6, 2).slice(0, 4, 6), Tensor.of(p, 6, 2).slice(0, 4, 6),
                Tensor.of(w).slice(0, 4, 6));
        first.mergeState(second.state());
        assertThat(first.state()).containsExactly(expectedState, within(1e-12));

        // Adjusted for 2 regressors: 1 - (1 - R²)(n - 1)/(n - p - 1) with n = 6 samples.
        R2Score adjusted = new R2Score("r2", R2Score.Aggregation.UNIFORM_AVERAGE, 2);
        adjusted.update(Tensor.of(y, 6, 2), Tensor.of(p, 6, 2), Tensor.of(w));
        double uniform = (r2[0] + r2[1]) / 2;
        assertThat(adjusted.result()).isCloseTo(1 - (1 - uniform) * 5 / 3, within(1e-12));
    }

    @Test
    void fBetaScoreFollowsKerasFormulaAndCountsAPredictionAtTheThresholdAsNegative() {
        double[] y = {1, 0, 1, 1, 0, 0, 0, 1, 1, 1, 1, 0};   // 4 samples, 3 classes
        double[] p = {0.9, 0.5, 0.3, 0.5, 0.2, 0.6, 0.1, 0.7, 0.8, 0.4, 0.55, 0.5};
        double beta = 2;
        double eps = 1e-7;
        FBetaScore f = new FBetaScore("fb", FBetaScore.Average.NONE, beta, 0.5);
        f.update(Tensor.of(y, 4, 3), Tensor.of(p, 4, 3), null);
        double[] expected = new double[3];
        double[] state = new double[12];
        for (int c = 0; c < 3; c++) {
            double tp = 0;
            double fp = 0;
            double fn = 0;
            double positives = 0;
            for (int r = 0; r < 4; r++) {
                boolean predicted = p[r * 3 + c] > 0.5;
                boolean actual = y[r * 3 + c] == 1;
                tp += predicted && actual ? 1 : 0;
                fp += predicted && !actual ? 1 : 0;
                fn += !predicted && actual ? 1 : 0;
                positives += actual ? 1 : 0;
            }
            state[c * 4] = tp;
            state[c * 4 + 1] = fp;
            state[c * 4 + 2] = fn;
            state[c * 4 + 3] = positives;
            // Keras: precision = tp / (tp + fp + ε), recall = tp / (tp + fn + ε),
            // f = (1 + β²)·precision·recall / (β²·precision + recall + ε).
            double precision = tp / (tp + fp + eps);
            double recall = tp / (tp + fn + eps);
            expected[c] = (1 + beta * beta) * precision * recall / (beta * beta * precision + recall + eps);
        }
        assertThat(f.state()).containsExactly(state);
        assertThat(f.results()).containsExactly(expected, within(1e-15));

        FBetaScore weighted = new FBetaScore("fb", FBetaScore.Average.WEIGHTED, beta, 0.5);
        weighted.update(Tensor.of(y, 4, 3), Tensor.of(p, 4, 3), null);
        double all = state[3] + state[7] + state[11];
        double expectedWeighted = 0;
        for (int c = 0; c < 3; c++) {
            expectedWeighted += expected[c] * state[c * 4 + 3] / (all + eps);
        }
        assertThat(weighted.result()).isCloseTo(expectedWeighted, within(1e-15));
    }

    @Test
    void pearsonCorrelationAlongTheFirstAxisAndAxesOutOfBounds() {
        double[] y = {1, 2, 2, 1, 3, 5, 4, 0};   // (4, 2): correlate each column over the 4 rows
        double[] p = {1.5, 1, 2, 2, 2.5, 4, 5, 1};
        PearsonCorrelation byColumn = new PearsonCorrelation("pc", 0);
        byColumn.update(Tensor.of(y, 4, 2), Tensor.of(p, 4, 2), null);
        double sum = 0;
        for (int c = 0; c < 2; c++) {
            double my = 0;
            double mp = 0;
            for (int r = 0; r < 4; r++) {
                my += y[r * 2 + c] / 4;
                mp += p[r * 2 + c] / 4;
            }
            double cov = 0;
            double vy = 0;
            double vp = 0;
            for (int r = 0; r < 4; r++) {
                cov += (y[r * 2 + c] - my) * (p[r * 2 + c] - mp);
                vy += (y[r * 2 + c] - my) * (y[r * 2 + c] - my);
                vp += (p[r * 2 + c] - mp) * (p[r * 2 + c] - mp);
            }
            sum += cov / Math.sqrt(vy * vp);
        }
        assertThat(byColumn.result()).isCloseTo(sum / 2, within(1e-6));
        for (int axis : new int[] {2, -3}) {
            PearsonCorrelation bad = new PearsonCorrelation("pc", axis);
            assertThatThrownBy(() -> bad.update(Tensor.of(y, 4, 2), Tensor.of(p, 4, 2), null))
                    .hasMessageContaining("pc: axis " + axis + " is out of bounds");
        }
    }

    @Test
    void topKFromSortedIdsLooksAtTheFirstKIdsOfEveryRow() {
        // Each row lists 4 class ids, best first. k = 2.
        Tensor sortedIds = Tensor.of(new float[] {
                3, 1, 0, 2,
                0, 2, 1, 3,
                2, 3, 1, 0}, 3, 4);
        TopKCategoricalAccuracy m = TopKCategoricalAccuracy.sparse(2, true);
        m.update(Tensor.of(new int[] {1, 1, 3}), sortedIds, null);
        // Row 0: 1 is second (hit). Row 1: 1 is third, just outside (miss). Row 2: 3 is second (hit).
        assertThat(m.result()).isCloseTo(2.0 / 3, within(1e-7));
        TopKCategoricalAccuracy top1 = TopKCategoricalAccuracy.sparse(1, true);
        top1.update(Tensor.of(new int[] {3, 2, 2}), sortedIds, null);
        assertThat(top1.result()).isCloseTo(2.0 / 3, within(1e-7));

        Tensor scores = Tensor.of(new float[] {0.1f, 0.2f, 0.7f, 0.5f, 0.4f, 0.1f}, 2, 3);
        TopKCategoricalAccuracy scored = TopKCategoricalAccuracy.sparse(1);
        assertThatThrownBy(() -> scored.update(Tensor.of(new int[] {2, 3}), scores, null))
                .hasMessageContaining("class id 3 at row 1 is outside [0, 3)");
    }

    @Test
    void accuracyPicksTheCategoricalFormWhenLabelsAndPredictionsHaveTheSameRank() {
        assertThat(Metrics.get("accuracy", Shape.of(4, 3), Shape.of(4, 3))).isInstanceOf(CategoricalAccuracy.class);
        assertThat(Metrics.get("acc", Shape.of(4), Shape.of(4, 3))).isInstanceOf(SparseCategoricalAccuracy.class);
        assertThat(Metrics.get("accuracy", Shape.of(4, 1), Shape.of(4, 3)))
                .isInstanceOf(SparseCategoricalAccuracy.class);
        assertThat(Metrics.get("accuracy", Shape.of(4, 1), Shape.of(4, 1))).isInstanceOf(BinaryAccuracy.class);
    }
}
