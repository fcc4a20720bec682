package dev.vecgrad.train.conformance;

import static dev.vecgrad.train.conformance.KerasProbabilisticAndHingeMetricsTest.roundTrips;
import static dev.vecgrad.train.conformance.Keras.almost;
import static dev.vecgrad.train.conformance.Keras.close;
import static dev.vecgrad.train.conformance.Keras.raises;
import static dev.vecgrad.train.conformance.Keras.t;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.metrics.AUC;
import dev.vecgrad.train.metrics.ConfusionCount;
import dev.vecgrad.train.metrics.FalseNegatives;
import dev.vecgrad.train.metrics.FalsePositives;
import dev.vecgrad.train.metrics.Metric;
import dev.vecgrad.train.metrics.Precision;
import dev.vecgrad.train.metrics.PrecisionAtRecall;
import dev.vecgrad.train.metrics.Recall;
import dev.vecgrad.train.metrics.RecallAtPrecision;
import dev.vecgrad.train.metrics.SensitivityAtSpecificity;
import dev.vecgrad.train.metrics.SpecificityAtSensitivity;
import dev.vecgrad.train.metrics.TrueNegatives;
import dev.vecgrad.train.metrics.TruePositives;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** The literal expectations of Keras 3's {@code metrics/confusion_metrics_test.py}. */
class KerasConfusionMetricsTest {
    private static final double[] THREE = {0.15, 0.5, 0.85};
    private static final Tensor Y5 = t(new double[][] {{0, 1, 0, 1, 0}, {0, 0, 1, 1, 1}, {1, 1, 1, 1, 0},
        {0, 0, 0, 0, 1}});
    private static final Tensor P5 = t(new double[][] {{0, 0, 1, 1, 0}, {1, 1, 1, 1, 1}, {0, 1, 0, 1, 0},
        {1, 1, 1, 1, 1}});
    private static final Tensor W4 = t(1.0, 1.5, 2.0, 2.5);
    private static final Tensor PT = t(new double[][] {{0.9, 0.2, 0.8, 0.1}, {0.2, 0.9, 0.7, 0.6}, {0.1, 0.2, 0.4, 0.3},
        {0, 1, 0.7, 0.3}});
    private static final Tensor YT = t(new double[][] {{0, 1, 1, 0}, {1, 0, 0, 0}, {0, 0, 0, 0}, {1, 1, 1, 1}});

    private static double[] run(Metric m, Tensor y, Tensor p, Tensor w) {
        m.update(y, p, w);
        return m.results();
    }

    private static double one(Metric m, Tensor y, Tensor p, Tensor w) {
        m.update(y, p, w);
        return m.result();
    }

    /** Keras's four tests of one count: unweighted, weighted, and both with three thresholds, plus the range check. */
    private static void count(BiFunction<String, double[], ConfusionCount> make, double unweighted, double weighted,
            double[] byThreshold, Tensor weights, double[] weightedByThreshold) {
        ConfusionCount cfg = make.apply("my", new double[] {0.4, 0.9});
        roundTrips(cfg, 2);
        assertThat(cfg.thresholds()).containsExactly(0.4, 0.9);
        close(one(make.apply("m", null), Y5, P5, null), unweighted);
        close(one(make.apply("m", null), Y5, P5, W4), weighted);
        close(run(make.apply("m", THREE), YT, PT, null), byThreshold, 1e-6, 1e-6);
        close(run(make.apply("m", THREE), YT, PT, weights), weightedByThreshold, 1e-6, 1e-6);
        raises(() -> make.apply("m", new double[] {-1, 0.5, 2}), "Threshold values must be in [0, 1]. Received: [-1.0, 2.0]");
        raises(() -> make.apply("m", new double[] {Double.NaN}), "Threshold values must be in [0, 1]");
    }

    @Test
    void falsePositives() {
        count(FalsePositives::new, 7, 14, new double[] {7, 4, 2}, t(new double[][] {{1, 2, 3, 5}, {7, 11, 13, 17},
            {19, 23, 29, 31}, {5, 15, 10, 0}}), new double[] {125, 42, 12});
    }

    @Test
    void falseNegatives() {
        count(FalseNegatives::new, 3, 5, new double[] {1, 4, 6}, t(new double[][] {{3}, {5}, {7}, {4}}),
                new double[] {4, 16, 23});
    }

    @Test
    void trueNegatives() {
        count(TrueNegatives::new, 3, 4, new double[] {2, 5, 7}, t(new double[][] {{0, 2, 3, 5}}),
                new double[] {5, 15, 23});
    }

    @Test
    void truePositives() {
        count(TruePositives::new, 7, 12, new double[] {6, 3, 1}, Keras.scalar(37), new double[] {222, 111, 37});
    }

    /** Keras's "all incorrect" input: 100 random 0/1 predictions and the opposite labels. */
    private static Tensor[] allIncorrect() {
        Random r = new Random(7);
        double[] in = new double[100];
        double[] out = new double[100];
        for (int i = 0; i < 100; i++) {
            in[i] = r.nextInt(2);
            out[i] = 1 - in[i];
        }
        return new Tensor[] {Tensor.of(out, 100, 1), Tensor.of(in, 100, 1)};
    }

    private static final Tensor MULTI_P = t(new double[][] {{0.1, 0.2, 0.7}, {0.5, 0.3, 0.2}, {0.2, 0.6, 0.2},
        {0.7, 0.2, 0.1}, {0.1, 0.1, 0.8}});
    private static final Tensor MULTI_Y = t(new double[][] {{0, 0, 1}, {1, 0, 0}, {0, 1, 0}, {1, 0, 0}, {0, 0, 1}});

    @Test
    void precision() {
        Precision cfg = new Precision("my_precision", new double[] {0.4, 0.9}, 15, 12);
        roundTrips(cfg, 4);
        assertThat(cfg.truePositives()).hasSize(2);
        assertThat(cfg.falsePositives()).hasSize(2);
        assertThat(cfg.topK()).isEqualTo(15);
        assertThat(cfg.classId()).isEqualTo(12);
        almost(one(new Precision(), t(0, 1, 1, 0), t(1, 0, 1, 0), null), 0.5);
        Tensor[] wrong = allIncorrect();
        almost(one(new Precision("p", new double[] {0.5}, null, null), wrong[0], wrong[1], null), 0);
        almost(one(new Precision(), t(new double[][] {{0, 1, 1, 0}, {1, 0, 0, 1}}),
                t(new double[][] {{1, 0, 1, 0}, {1, 0, 1, 0}}), t(new double[][] {{1, 2, 3, 4}, {4, 3, 2, 1}})),
                (3.0 + 4.0) / ((1.0 + 3.0) + (4.0 + 2.0)));
        close(one(new Precision(), t(0, 0, 0, 0), t(0, 0, 0, 0), null), 0, 0, 0);
        almost(Tensor.of(run(new Precision("p", new double[] {0.5, 0.7}, null, null), t(0, 1, 1, 0),
                t(1, 0, 0.6, 0), null)), 0.5, 0.0);
        Tensor y2 = t(new double[][] {{0, 1}, {1, 0}});
        Tensor p2 = Tensor.of(new float[][] {{1, 0}, {0.6f, 0}});
        Tensor w2 = Tensor.of(new float[][] {{4, 0}, {3, 1}});
        almost(Tensor.of(run(new Precision("p", new double[] {0.5, 1.0}, null, null), y2, p2, w2)), 3.0 / 7, 0);
        Precision twice = new Precision("p", new double[] {0.5, 1.0}, null, null);
        twice.update(y2, p2, w2);
        twice.update(y2, p2, w2);
        almost(Tensor.of(twice.results()), 6.0 / 14, 0);
        almost(one(new Precision("p", null, 3, null), t(0, 1, 1, 0, 0), t(0.2, 0.1, 0.5, 0, 0.2), null), 1.0 / 3);
        Precision topK = new Precision("p", null, 3, null);
        topK.update(t(new double[][] {{0, 1, 1, 0, 1}}), t(new double[][] {{0.2, 0.1, 0.4, 0, 0.2}}),
                t(new double[][] {{1, 4, 2, 3, 5}}));
        almost(one(topK, t(1, 0, 1, 1, 1), t(0.2, 0.6, 0.4, 0.2, 0.2), Keras.scalar(3)),
                ((2.0 + 5) + (3 + 3)) / ((1.0 + 2 + 5) + (3 + 3 + 3)));
        raises(() -> new Precision("p", null, null, 2).update(t(0, 1, 1, 0, 0), t(0.2, 0.1, 0.6, 0, 0.2), null),
                "When class_id is provided, y_pred must be a 2D array with shape (num_samples, num_classes), found"
                        + " shape:");
        Precision byClass = new Precision("p", null, null, 1);
        almost(one(byClass, MULTI_Y, MULTI_P, null), 1.0);
        almost(byClass.truePositives()[0], 1.0);
        almost(byClass.falsePositives()[0], 0.0);
        Precision both = new Precision("p", new double[] {0.7}, 2, null);
        almost(one(both, t(0, 1, 1, 0, 1), t(0.2, 0.8, 0.6, 0, 0.2), null), 1);
        almost(both.truePositives()[0], 1);
        almost(both.falsePositives()[0], 0);
    }

    @Test
    void recall() {
        Recall cfg = new Recall("my_recall", new double[] {0.4, 0.9}, 15, 12);
        roundTrips(cfg, 4);
        assertThat(cfg.truePositives()).hasSize(2);
        assertThat(cfg.falseNegatives()).hasSize(2);
        assertThat(cfg.topK()).isEqualTo(15);
        almost(one(new Recall(), t(0, 1, 1, 0), t(1, 0, 1, 0), null), 0.5);
        Tensor[] wrong = allIncorrect();
        almost(one(new Recall("r", new double[] {0.5}, null, null), wrong[0], wrong[1], null), 0);
        almost(one(new Recall(), t(new double[][] {{0, 1, 1, 0}, {1, 0, 0, 1}}),
                t(new double[][] {{1, 0, 1, 0}, {0, 1, 0, 1}}), t(new double[][] {{1, 2, 3, 4}, {4, 3, 2, 1}})),
                (3.0 + 1.0) / ((2.0 + 3.0) + (4.0 + 1.0)));
        close(one(new Recall(), t(0, 0, 0, 0), t(0, 0, 0, 0), null), 0, 0, 0);
        close(run(new Recall("r", new double[] {0.5, 0.7}, null, null), t(0, 1, 1, 0), t(1, 0, 0.6, 0), null),
                new double[] {0.5, 0.0}, 0, 0.5);
        Tensor y2 = t(new double[][] {{0, 1}, {1, 0}});
        Tensor p2 = Tensor.of(new float[][] {{1, 0}, {0.6f, 0}});
        Tensor w2 = Tensor.of(new float[][] {{1, 4}, {3, 2}});
        close(run(new Recall("r", new double[] {0.5, 1.0}, null, null), y2, p2, w2), new double[] {3.0 / 7, 0}, 1e-3,
                1e-6);
        Recall twice = new Recall("r", new double[] {0.5, 1.0}, null, null);
        twice.update(y2, p2, w2);
        twice.update(y2, p2, w2);
        close(twice.results(), new double[] {6.0 / 14, 0}, 1e-3, 1e-6);
        almost(one(new Recall("r", null, 3, null), t(0, 1, 1, 0, 0), t(0.2, 0.1, 0.5, 0, 0.2), null), 0.5);
        Recall topK = new Recall("r", null, 3, null);
        topK.update(t(new double[][] {{0, 1, 1, 0, 1}}), t(new double[][] {{0.2, 0.1, 0.4, 0, 0.2}}),
                t(new double[][] {{1, 4, 2, 3, 5}}));
        almost(one(topK, t(1, 0, 1, 1, 1), t(0.2, 0.6, 0.4, 0.2, 0.2), Keras.scalar(3)),
                ((2.0 + 5) + (3 + 3)) / ((4.0 + 2 + 5) + (3 + 3 + 3 + 3)));
        raises(() -> new Recall("r", null, null, 2).update(t(0, 1, 1, 0, 0), t(0.2, 0.1, 0.6, 0, 0.2), null),
                "When class_id is provided, y_pred must be a 2D array");
        Recall byClass = new Recall("r", null, null, 1);
        almost(one(byClass, MULTI_Y, MULTI_P, null), 1.0);
        almost(byClass.truePositives()[0], 1.0);
        almost(byClass.falseNegatives()[0], 0.0);
        Recall both = new Recall("r", new double[] {0.7}, 2, null);
        almost(one(both, t(1, 1, 1, 0, 1), t(0.2, 0.8, 0.6, 0, 0.2), null), 0.25);
        almost(both.truePositives()[0], 1);
        almost(both.falseNegatives()[0], 3);
    }

    /** Keras's "all correct" input: 100 random 0/1 labels predicted exactly. */
    private static Tensor allCorrect() {
        Random r = new Random(11);
        double[] v = new double[100];
        for (int i = 0; i < 100; i++) {
            v[i] = r.nextInt(2);
        }
        return Tensor.of(v, 100, 1);
    }

    private static final Tensor SS_P = Tensor.of(new float[] {0, 0.1f, 0.2f, 0.3f, 0.4f, 0.01f, 0.02f, 0.25f, 0.26f,
        0.26f});
    private static final Tensor SS_Y = t(0, 0, 0, 0, 0, 1, 1, 1, 1, 1);
    private static final Tensor SS_W = t(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);

    /** {@code p} as three identical columns (Keras's {@code transpose([p] * 3)}). */
    private static Tensor threeColumns(Tensor p) {
        return p.cast(DType.F64).unsqueeze(1).tile(1, 3);
    }

    /** One-hot rows of {@code ids} over three classes. */
    private static Tensor oneHot3(Tensor ids) {
        return ids.cast(DType.I32).oneHot(3).cast(DType.F64);
    }

    @Test
    void sensitivityAtSpecificity() {
        SensitivityAtSpecificity cfg = new SensitivityAtSpecificity("sensitivity_at_specificity_1", 0.4, 100, 12);
        roundTrips(cfg, 4 * 100);
        assertThat(cfg.numThresholds()).isEqualTo(100);
        Tensor all = allCorrect();
        almost(one(new SensitivityAtSpecificity(0.7), all, all.cast(DType.F32), null), 1);
        almost(one(new SensitivityAtSpecificity(0.8), SS_Y,
                Tensor.of(new float[] {0, 0.1f, 0.2f, 0.3f, 0.4f, 0.1f, 0.45f, 0.5f, 0.8f, 0.9f}), null), 0.8);
        almost(one(new SensitivityAtSpecificity(0.4), SS_Y, SS_P, null), 0.6);
        almost(one(new SpecificityAtSensitivity("s", 0.4, 200, 2), oneHot3(SS_Y.mul(2)), threeColumns(SS_P), null),
                0.6);
        almost(one(new SensitivityAtSpecificity(0.4), SS_Y, SS_P, SS_W), 0.675);
        almost(one(new SensitivityAtSpecificity(0.4), SS_Y.cast(DType.I32), SS_P, SS_W), 0.675);
        raises(() -> new SensitivityAtSpecificity(-1), "`specificity` must be in the range [0, 1].");
        raises(() -> new SensitivityAtSpecificity("s", 0.4, -1, null), "Argument `num_thresholds` must be an integer > 0");
    }

    @Test
    void specificityAtSensitivity() {
        roundTrips(new SpecificityAtSensitivity("specificity_at_sensitivity_1", 0.4, 100, 12),
                4 * 100);
        Tensor all = allCorrect();
        almost(one(new SpecificityAtSensitivity(0.7), all, all.cast(DType.F32), null), 1);
        almost(one(new SpecificityAtSensitivity(1.0), SS_Y, SS_P, null), 0.2);
        almost(one(new SpecificityAtSensitivity(0.4), SS_Y, SS_P, null), 0.6);
        almost(one(new SpecificityAtSensitivity("s", 0.4, 200, 2), oneHot3(SS_Y.mul(2)), threeColumns(SS_P), null),
                0.6);
        almost(one(new SpecificityAtSensitivity(0.4), SS_Y, SS_P, SS_W), 0.4);
        almost(one(new SpecificityAtSensitivity(0.4), SS_Y.cast(DType.I32), SS_P, SS_W), 0.4);
        raises(() -> new SpecificityAtSensitivity(-1), "`sensitivity` must be in the range [0, 1].");
        raises(() -> new SpecificityAtSensitivity("s", 0.4, -1, null), "Argument `num_thresholds` must be an integer > 0");
    }

    private static final Tensor PR_P = Tensor.of(new float[] {0, 0.1f, 0.2f, 0.5f, 0.6f, 0.2f, 0.5f, 0.6f, 0.8f, 0.9f});

    @Test
    void precisionAtRecall() {
        roundTrips(new PrecisionAtRecall("precision_at_recall_1", 0.4, 100, 12),
                4 * 100);
        Tensor all = allCorrect();
        almost(one(new PrecisionAtRecall(0.7), all, all.cast(DType.F32), null), 1);
        almost(one(new PrecisionAtRecall(0.8), SS_Y, PR_P, null), 2.0 / 3);
        almost(one(new PrecisionAtRecall(0.6), SS_Y, PR_P, null), 0.75);
        almost(one(new PrecisionAtRecall("p", 0.6, 200, 2), oneHot3(SS_Y.mul(2)), threeColumns(PR_P), null), 0.75);
        Tensor w = t(2, 1, 2, 1, 2, 1, 2, 2, 1, 2);
        almost(one(new PrecisionAtRecall(7.0 / 8), SS_Y, PR_P, w), 0.7);
        almost(one(new PrecisionAtRecall(7.0 / 8), SS_Y.cast(DType.I32), PR_P, w), 0.7);
        raises(() -> new PrecisionAtRecall(-1), "`recall` must be in the range [0, 1].");
        raises(() -> new PrecisionAtRecall("p", 0.4, -1, null), "Argument `num_thresholds` must be an integer > 0");
    }

    private static final Tensor RP_P = Tensor.of(new float[] {0.05f, 0.1f, 0.2f, 0.3f, 0.3f, 0.35f, 0.4f, 0.45f, 0.5f,
        0.6f, 0.9f, 0.95f});
    private static final Tensor RP_Y = t(0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 0, 1);

    @Test
    void recallAtPrecision() {
        roundTrips(new RecallAtPrecision("recall_at_precision_1", 0.4, 100, 12),
                4 * 100);
        Tensor all = allCorrect();
        almost(one(new RecallAtPrecision(0.7), all, all.cast(DType.F32), null), 1);
        almost(one(new RecallAtPrecision(0.75), RP_Y, RP_P, null), 0.5);
        almost(one(new RecallAtPrecision(2.0 / 3), RP_Y, RP_P, null), 5.0 / 6);
        almost(one(new RecallAtPrecision("r", 2.0 / 3, 200, 2), oneHot3(RP_Y.mul(2)), threeColumns(RP_P), null),
                5.0 / 6);
        Tensor p = Tensor.of(new float[] {0.1f, 0.2f, 0.3f, 0.5f, 0.6f, 0.9f, 0.9f});
        Tensor y = t(0, 1, 0, 0, 0, 1, 1);
        Tensor w = t(1, 2, 1, 2, 1, 2, 1);
        almost(one(new RecallAtPrecision(0.75), y, p, w), 0.6);
        almost(one(new RecallAtPrecision(0.75), y.cast(DType.I32), p, w), 0.6);
        almost(one(new RecallAtPrecision(2.0 / 3), t(1, 1, 0, 0), Tensor.of(new float[] {0.1f, 0.2f, 0.3f, 0.9f}),
                null), 0);
        raises(() -> new RecallAtPrecision(-1), "`precision` must be in the range [0, 1].");
        raises(() -> new RecallAtPrecision("r", 0.4, -1, null), "Argument `num_thresholds` must be an integer > 0");
    }

    private static final Tensor AUC_P = Tensor.of(new float[] {0, 0.5f, 0.3f, 0.9f});
    private static final Tensor AUC_Y = t(0, 0, 1, 1);
    private static final Tensor AUC_W = t(1, 2, 3, 4);

    /** Keras's logits for {@code p}: {@code -log(1 / (p + 1e-12) - 1)}, in p's float32 as Keras computes them. */
    private static Tensor logits(Tensor p) {
        return p.add(1e-12).reciprocal().sub(1).log().neg();
    }

    private static double auc(AUC.Builder b, Tensor y, Tensor p, Tensor w) {
        return one(b.build(), y, p, w);
    }

    @Test
    void auc() {
        Tensor multiY = t(new double[][] {{0, 0}, {1, 1}, {1, 1}, {1, 0}});
        Tensor multiP = Tensor.of(new float[][] {{0, 0.4f}, {0.5f, 0.7f}, {0.3f, 0.2f}, {0.9f, 0.3f}});
        AUC cfg = AUC.builder().numThresholds(100).curve("PR").summation("majoring").name("auc_1").multiLabel(true)
                .numLabels(2).fromLogits(true).build();
        cfg.update(multiY, multiP, null);
        roundTrips(cfg, 4 * 100 * 2);
        assertThat(cfg.getConfig()).doesNotContainKey("thresholds");
        assertThat(cfg.numThresholds()).isEqualTo(100);
        assertThat(cfg.curve()).isEqualTo(AUC.Curve.PR);
        assertThat(cfg.summation()).isEqualTo(AUC.Summation.MAJORING);
        AUC manual = AUC.builder().curve("PR").summation("majoring").name("auc_1").thresholds(0.3, 0.5).build();
        manual.update(AUC_Y, AUC_P, null);
        roundTrips(manual, 4 * 4);
        assertThat(manual.numThresholds()).isEqualTo(4);
        close(Tensor.of(manual.thresholds()), new double[] {0, 0.3, 0.5, 1}, 1e-6, 1e-6);

        close(one(new AUC(), AUC_Y, AUC_Y, null), 1, 0, 0);
        close(auc(AUC.builder().numThresholds(3), AUC_Y, AUC_P, null), 0.75, 1e-3, 1e-6);
        close(auc(AUC.builder().numThresholds(3).fromLogits(true), AUC_Y, logits(AUC_P), null), 0.75, 1e-3, 1e-6);
        AUC given = AUC.builder().numThresholds(2).thresholds(0.5).build();
        assertThat(given.numThresholds()).isEqualTo(3);
        close(Tensor.of(given.thresholds()), new double[] {0, 0.5, 1}, 1e-6, 1e-6);
        close(one(given, AUC_Y, AUC_P, null), 0.75, 1e-3, 1e-6);
        close(auc(AUC.builder().numThresholds(3), AUC_Y, AUC_P, AUC_W), 0.7855, 1e-3, 1e-6);
        close(auc(AUC.builder().numThresholds(3).summation("majoring"), AUC_Y, AUC_P, AUC_W), 1, 1e-3, 1e-6);
        close(auc(AUC.builder().numThresholds(3).summation("minoring"), AUC_Y, AUC_P, AUC_W), 0.571, 1e-3, 1e-6);
        close(auc(AUC.builder().numThresholds(3).curve("PR").summation("majoring"), AUC_Y, AUC_P, AUC_W),
                0.429 + 0.571, 1e-3, 1e-6);
        close(auc(AUC.builder().numThresholds(3).curve("PR").summation("minoring"), AUC_Y, AUC_P, AUC_W),
                0.7 * 0.429, 1e-3, 1e-6);
        close(auc(AUC.builder().numThresholds(3).curve("PR"), AUC_Y, AUC_P, AUC_W), 2.416 / 7 + 4.0 / 7, 1e-3, 1e-6);
        close(auc(AUC.builder().numThresholds(3).curve("PR"), AUC_Y, AUC_P, t(-1, -2, -3, -4)), 0, 1e-3, 1e-6);
        close(auc(AUC.builder().numThresholds(3).curve("PRGAIN").summation("majoring"), AUC_Y, AUC_P, AUC_W), 1, 1e-3,
                1e-6);
        close(auc(AUC.builder().numThresholds(3).curve("PRGAIN").summation("minoring"), AUC_Y, AUC_P, AUC_W), 0, 1e-3,
                1e-6);
        close(auc(AUC.builder().numThresholds(3).curve("PRGAIN"), AUC_Y, AUC_P, AUC_W), 0.5, 1e-3, 1e-6);
        close(auc(AUC.builder().numThresholds(3).curve("PRGAIN"), t(0, 0, 0, 1, 0, 1, 0, 1, 1, 1),
                t(0.1, 0.2, 0.3, 0.3, 0.4, 0.4, 0.6, 0.6, 0.8, 0.9), null), 0.666666 * 0.333333 + 0.333333 * 0.833333,
                1e-3, 1e-6);
        raises(() -> AUC.builder().numThresholds(-1).build(), "Argument `num_thresholds` must be an integer > 1");
        raises(() -> AUC.builder().numThresholds(1).build(), "Argument `num_thresholds` must be an integer > 1.");
        raises(() -> AUC.builder().curve("Invalid"), "Invalid AUC curve value: \"Invalid\".");
        raises(() -> AUC.builder().summation("Invalid"), "Invalid AUC summation method value: \"Invalid\".");
        // Probabilities of sigmoid(-x) for logits x of +-10 and +-12 over labels of rank 3.
        double[] x = {-10, 10, -10, 10, -10, 10, -12, 12, -12, 12, -12, 12};
        double[] probs = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            probs[i] = (float) (1 / (1 + Math.exp(x[i])));
        }
        Tensor labels = Tensor.of(new double[] {1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1, 1}, 2, 2, 3);
        close(one(new AUC(), labels, Tensor.of(probs, 2, 2, 3).cast(DType.F32), null), 0.5, 0, 0);
    }

    private static final Tensor M_P = Tensor.of(new float[] {0, 0.1f, 0.5f, 0.2f, 0.3f, 0.3f, 0.9f, 0.4f}, 4, 2);
    private static final Tensor M_GOOD = t(new double[][] {{0, 0}, {0, 0}, {1, 1}, {1, 1}});
    private static final Tensor M_BAD = t(new double[][] {{0, 1}, {0, 1}, {1, 0}, {1, 0}});

    @Test
    void multiLabelAuc() {
        close(one(AUC.builder().multiLabel(true).build(), M_GOOD, M_GOOD, null), 1, 0, 0);
        close(one(AUC.builder().multiLabel(false).build(), M_GOOD, M_GOOD, null), 1, 0, 0);
        AUC.Builder five = AUC.builder().numThresholds(5);
        close(auc(five.multiLabel(true), M_GOOD, M_P, null), (0.875 + 1.0) / 2.0, 1e-3, 1e-6);
        close(auc(AUC.builder().numThresholds(5).multiLabel(true).fromLogits(true), M_GOOD, logits(M_P), null),
                (0.875 + 1.0) / 2.0, 1e-3, 1e-6);
        close(auc(AUC.builder().numThresholds(5), M_GOOD, M_P, t(1, 2, 3, 4)), 1.0 - (0.3333 * (1.0 - 0.2857) / 2.0),
                1e-3, 1e-6);
        Tensor full = Tensor.of(new double[] {0, 1, 2, 3, 4, 5, 6, 7}, 4, 2);
        close(auc(AUC.builder().numThresholds(5), M_GOOD, M_P, full), 1.0 - (0.3333 * (1.0 - 0.2727) / 2.0), 1e-3,
                1e-6);
        close(auc(AUC.builder().numThresholds(5).multiLabel(true).labelWeights(0.75, 0.25), M_GOOD, M_P, null),
                (0.875 * 0.75 + 1.0 * 0.25) / (0.75 + 0.25), 1e-3, 1e-6);
        close(auc(AUC.builder().numThresholds(5).labelWeights(0.75, 0.25), M_GOOD, M_P, null),
                1.0 - ((1.0 - 0.375) * 0.375 / 2.0), 1e-2, 1e-6);
        close(auc(AUC.builder().numThresholds(5), M_GOOD, M_P, null), 1.0 - (3.0 / 32.0), 1e-3, 1e-6);
        close(auc(AUC.builder().numThresholds(5).fromLogits(true), M_GOOD, logits(M_P), null), 1.0 - (3.0 / 32.0),
                1e-3, 1e-6);
        AUC given = AUC.builder().numThresholds(2).thresholds(0.5).multiLabel(true).build();
        assertThat(given.numThresholds()).isEqualTo(3);
        close(Tensor.of(given.thresholds()), new double[] {0, 0.5, 1}, 1e-6, 1e-6);
        close(one(given, M_GOOD, M_P, null), (0.75 + 0.5) / 2.0, 1e-3, 1e-6);
        close(auc(AUC.builder().numThresholds(5).multiLabel(true), M_GOOD, M_P, t(1, 2, 3, 4)), 1.0 - 0.5 * 0.43 * 0.67,
                1e-1, 1e-6);
        AUC pr = AUC.builder().numThresholds(5).curve("PR").multiLabel(true).build();
        close(one(pr, M_GOOD, M_P, null), (0.91667 + 1.0) / 2.0, 1e-1, 1e-6);
        // As in Keras, the same metric: the bad labels' counts add to the good ones'.
        close(one(pr, M_BAD, M_P, null), (0.91667 + 0.5) / 2.0, 1e-1, 1e-6);
        close(auc(AUC.builder().numThresholds(5).curve("PR").multiLabel(true), M_GOOD, M_P, t(1, 2, 3, 4)),
                (0.939 + 1.0) / 2.0, 1e-1, 1e-6);
        AUC reset = AUC.builder().numThresholds(5).multiLabel(true).build();
        reset.update(M_GOOD, M_P, null);
        reset.reset();
        assertThat(reset.state()).hasSize(4 * 5 * 2).containsOnly(0.0);
    }
}
