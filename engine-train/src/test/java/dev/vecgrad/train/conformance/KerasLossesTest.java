package dev.vecgrad.train.conformance;

import static dev.vecgrad.train.conformance.Keras.almost;
import static dev.vecgrad.train.conformance.Keras.close;
import static dev.vecgrad.train.conformance.Keras.raises;
import static dev.vecgrad.train.conformance.Keras.scalar;
import static dev.vecgrad.train.conformance.Keras.shaped;
import static dev.vecgrad.train.conformance.Keras.t;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.losses.BinaryCrossentropy;
import dev.vecgrad.train.losses.BinaryFocalCrossentropy;
import dev.vecgrad.train.losses.CategoricalCrossentropy;
import dev.vecgrad.train.losses.CategoricalFocalCrossentropy;
import dev.vecgrad.train.losses.CategoricalGeneralizedCrossEntropy;
import dev.vecgrad.train.losses.CategoricalHinge;
import dev.vecgrad.train.losses.CosineSimilarity;
import dev.vecgrad.train.losses.Dice;
import dev.vecgrad.train.losses.Hinge;
import dev.vecgrad.train.losses.Huber;
import dev.vecgrad.train.losses.KLDivergence;
import dev.vecgrad.train.losses.LogCosh;
import dev.vecgrad.train.losses.Loss;
import dev.vecgrad.train.losses.Losses;
import dev.vecgrad.train.losses.MeanAbsoluteError;
import dev.vecgrad.train.losses.MeanAbsolutePercentageError;
import dev.vecgrad.train.losses.MeanSquaredError;
import dev.vecgrad.train.losses.MeanSquaredLogarithmicError;
import dev.vecgrad.train.losses.Poisson;
import dev.vecgrad.train.losses.Reduction;
import dev.vecgrad.train.losses.SparseCategoricalCrossentropy;
import dev.vecgrad.train.losses.SquaredHinge;
import dev.vecgrad.train.losses.Tversky;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The literal expectations of Keras 3's {@code losses/losses_test.py}. Expected values written
 * as numbers come from the Keras file or, where Keras computes them with NumPy from a formula, from
 * that formula evaluated with NumPy in double precision.
 */
class KerasLossesTest {
    private static final Tensor Y = t(new double[][] {{1, 9, 2}, {-5, -2, 6}});
    private static final Tensor P = t(new double[][] {{4, 8, 12}, {8, 1, 3}});
    private static final Tensor TIMESTEP_WEIGHTS = shaped(new double[] {3, 6, 5, 0, 4, 2}, 2, 3);
    private static final Tensor ROW_WEIGHTS = t(new double[][] {{1.2}, {3.4}});
    private static final Reduction MEAN = Reduction.SUM_OVER_BATCH_SIZE;

    private static double v(Loss l, Tensor y, Tensor p) {
        return l.call(y, p).item();
    }

    private static double v(Loss l, Tensor y, Tensor p, Tensor w) {
        return l.call(y, p, w).item();
    }

    private static Tensor timesteps(Tensor t) {
        return t.reshape(2, 3, 1);
    }

    /** The config a loss saves rebuilds an equal loss through the registry. */
    private static void roundTrips(Loss l) {
        Loss back = Losses.fromConfig(l.className(), l.getConfig());
        assertThat(back.getClass()).isEqualTo(l.getClass());
        assertThat(back.getConfig()).isEqualTo(l.getConfig());
    }

    @Test
    void meanSquaredError() {
        roundTrips(new MeanSquaredError("mymse", MEAN));
        assertThat(new MeanSquaredError("m", Reduction.NONE).call(t(4, 8, 12), t(new double[][] {{3}, {0}, {1}}))
                .shape().toArray()).containsExactly(3);
        almost(v(new MeanSquaredError(), t(new double[][] {{4, 8, 12}, {8, 1, 3}}), t(new double[][] {{4, 8, 12},
                {8, 1, 3}})), 0.0);
        almost(v(new MeanSquaredError(), Y, P), 49.5);
        almost(v(new MeanSquaredError(), Y, P, scalar(2.3)), 113.85);
        almost(v(new MeanSquaredError(), Y, P, ROW_WEIGHTS), 767.8 / 6);
        almost(v(new MeanSquaredError(), timesteps(Y), timesteps(P), TIMESTEP_WEIGHTS), 97.833336);
        almost(v(new MeanSquaredError(), Y, P, scalar(0)), 0.0);
        almost(new MeanSquaredError("m", Reduction.NONE).call(Y, P, scalar(2.3)), 84.3333, 143.3666);
        almost(v(new MeanSquaredError("m", Reduction.SUM), Y, P, scalar(2.3)), 227.69998);
        almost(v(new MeanSquaredError("m", Reduction.MEAN_WITH_SAMPLE_WEIGHT), Y, P, ROW_WEIGHTS),
                (110.0 / 3 * 1.2 + 187.0 / 3 * 3.4) / (1.2 + 3.4));
    }

    @Test
    void meanAbsoluteError() {
        roundTrips(new MeanAbsoluteError("myname", MEAN));
        almost(v(new MeanAbsoluteError(), P, P), 0.0);
        almost(v(new MeanAbsoluteError(), Y, P), 5.5);
        almost(v(new MeanAbsoluteError(), Y, P, scalar(2.3)), 12.65);
        almost(v(new MeanAbsoluteError(), Y, P, ROW_WEIGHTS), 81.4 / 6);
        almost(v(new MeanAbsoluteError(), timesteps(Y), timesteps(P), TIMESTEP_WEIGHTS), 13.833333);
        almost(v(new MeanAbsoluteError(), Y, P, scalar(0)), 0.0);
        almost(new MeanAbsoluteError("m", Reduction.NONE).call(Y, P, scalar(2.3)), 10.7333, 14.5666);
        almost(v(new MeanAbsoluteError("m", Reduction.SUM), Y, P, scalar(2.3)), 25.29999);
        almost(v(new MeanAbsoluteError("m", Reduction.MEAN_WITH_SAMPLE_WEIGHT), Y, P, ROW_WEIGHTS),
                (14.0 / 3 * 1.2 + 19.0 / 3 * 3.4) / (1.2 + 3.4));
    }

    @Test
    void meanAbsolutePercentageError() {
        roundTrips(new MeanAbsolutePercentageError("mymape", MEAN));
        almost(v(new MeanAbsolutePercentageError(), P, P), 0.0);
        almost(v(new MeanAbsolutePercentageError(), Y, P), 211.8518, 3);
        almost(v(new MeanAbsolutePercentageError(), Y, P, scalar(2.3)), 487.259, 3);
        almost(v(new MeanAbsolutePercentageError(), Y, P, ROW_WEIGHTS), 422.8888, 3);
        almost(v(new MeanAbsolutePercentageError(), timesteps(Y), timesteps(P), TIMESTEP_WEIGHTS), 694.4444);
        almost(v(new MeanAbsolutePercentageError(), Y, P, scalar(0)), 0.0, 3);
        almost(new MeanAbsolutePercentageError("m", Reduction.NONE).call(Y, P, scalar(2.3)), 621.8518, 352.6666);
        almost(v(new MeanAbsolutePercentageError("m", Reduction.MEAN_WITH_SAMPLE_WEIGHT), Y, P, ROW_WEIGHTS), 183.865);
    }

    @Test
    void meanSquaredLogarithmicError() {
        roundTrips(new MeanSquaredLogarithmicError("mysloge", MEAN));
        almost(v(new MeanSquaredLogarithmicError(), Y, P), 1.4370, 3);
        almost(v(new MeanSquaredLogarithmicError(), Y, P, scalar(2.3)), 3.3051, 3);
        almost(v(new MeanSquaredLogarithmicError(), Y, P, ROW_WEIGHTS), 3.7856, 3);
        almost(v(new MeanSquaredLogarithmicError(), timesteps(Y), timesteps(P), TIMESTEP_WEIGHTS), 2.647374);
        almost(v(new MeanSquaredLogarithmicError(), Y, P, scalar(0)), 0.0, 3);
        almost(v(new MeanSquaredLogarithmicError("m", Reduction.MEAN_WITH_SAMPLE_WEIGHT), Y, P, ROW_WEIGHTS), 1.646);
    }

    private static final Tensor HY = t(new double[][] {{0, 1}, {0, 0}});
    private static final Tensor HP = t(new double[][] {{0.6, 0.4}, {0.4, 0.6}});

    /** Keras's three hinge tests: each reduction unweighted, with weights [1, 0], and with weight 0. */
    private static void hingeFamily(BiFunction<String, Reduction, Loss> make, double mean, double sum, double[] none) {
        almost(v(make.apply("h", MEAN), HY, HP), mean, 3);
        almost(v(make.apply("h", Reduction.SUM), HY, HP), sum, 3);
        close(make.apply("h", Reduction.NONE).call(HY, HP), none);
        raises(() -> Reduction.of("abc"), "Invalid value for argument");
        Tensor w = t(1, 0);
        almost(v(make.apply("h", MEAN), HY, HP, w), none[0] / 2, 3);
        almost(v(make.apply("h", Reduction.SUM), HY, HP, w), none[0], 3);
        almost(make.apply("h", Reduction.NONE).call(HY, HP, w), none[0], 0.0);
        close(v(make.apply("h", MEAN), HY, HP, scalar(0)), 0.0, 0, 0);
    }

    @Test
    void hinges() {
        hingeFamily(Hinge::new, 1.3, 2.6, new double[] {1.1, 1.5});
        hingeFamily(SquaredHinge::new, 1.86, 3.72, new double[] {1.46, 2.26});
        hingeFamily(CategoricalHinge::new, 1.4, 2.8, new double[] {1.2, 1.6});
    }

    @Test
    void cosineSimilarity() {
        CosineSimilarity cfg = new CosineSimilarity(2, "cosine_loss", Reduction.SUM);
        assertThat(cfg.getConfig()).containsEntry("name", "cosine_loss").containsEntry("reduction", "sum")
                .containsEntry("axis", 2).hasSize(3);
        roundTrips(cfg);
        almost(v(new CosineSimilarity(), Y, P), -0.1872190708466051, 3);
        almost(v(new CosineSimilarity(), Y, P, scalar(2.3)), -0.43060386294719166, 3);
        almost(v(new CosineSimilarity(), Y, P, t(1.2, 3.4)), 0.1559919834648657, 3);
        almost(v(new CosineSimilarity(), timesteps(Y), timesteps(P), TIMESTEP_WEIGHTS), -2.0, 3);
        almost(v(new CosineSimilarity(), Y, P, scalar(0)), 0.0, 3);
        almost(v(new CosineSimilarity(1, "c", MEAN), Y, P), -0.1872190708466051, 3);
    }

    private static final Tensor HUBER_Y = t(new double[][] {{1, 0, 1}, {1, 0, 0}});
    private static final Tensor HUBER_P = t(new double[][] {{0.9, 0.2, 0.2}, {0.8, 0.4, 0.6}});

    @Test
    void huber() {
        Huber cfg = new Huber(2.0, "huber", Reduction.SUM);
        assertThat(cfg.getConfig()).containsEntry("name", "huber").containsEntry("reduction", "sum")
                .containsEntry("delta", 2.0).hasSize(3);
        roundTrips(cfg);
        almost(v(new Huber(), HUBER_Y, HUBER_Y), 0.0, 3);
        almost(v(new Huber(), HUBER_Y, HUBER_P), 0.10416666666666669, 3);
        almost(v(new Huber(), HUBER_Y, HUBER_P, scalar(2.3)), 0.23958333333333337, 3);
        almost(v(new Huber(), HUBER_Y, HUBER_P, scalar(2.3)), v(new Huber(), HUBER_Y, HUBER_P, scalar(2.3)), 3);
        almost(v(new Huber(), HUBER_Y, HUBER_P, ROW_WEIGHTS), 0.22766666666666668, 3);
        almost(v(new Huber(), timesteps(HUBER_Y), timesteps(HUBER_P), timesteps(TIMESTEP_WEIGHTS)), 0.4025, 3);
        almost(v(new Huber(), HUBER_Y, HUBER_P, scalar(0)), 0.0, 3);
        almost(v(new Huber(0.8), HUBER_Y, HUBER_P, scalar(2.3)), 0.23958333333333337, 3);
    }

    @Test
    void logCosh() {
        LogCosh cfg = new LogCosh("logcosh_loss", Reduction.SUM);
        assertThat(cfg.getConfig()).containsEntry("name", "logcosh_loss").containsEntry("reduction", "sum").hasSize(2);
        almost(v(new LogCosh(), Y, P), 4.829245330860459, 3);
        almost(v(new LogCosh(), Y, P, scalar(2.3)), 11.107264260979056, 3);
        almost(v(new LogCosh(), Y, P, scalar(2.3)), v(new LogCosh(), Y, P, scalar(2.3)), 3);
        almost(v(new LogCosh(), Y, P, t(1.2, 3.4)), 12.001114667519486, 3);
        almost(v(new LogCosh(), timesteps(Y), timesteps(P), timesteps(TIMESTEP_WEIGHTS)), 11.653484271934046, 3);
        almost(v(new LogCosh(), Y, P, scalar(0)), 0.0, 3);
    }

    private static final Tensor KL_P = shaped(new double[] {0.4, 0.9, 0.12, 0.36, 0.3, 0.4}, 2, 3);
    private static final Tensor KL_Y = shaped(new double[] {0.5, 0.8, 0.12, 0.7, 0.43, 0.8}, 2, 3);

    @Test
    void klDivergence() {
        KLDivergence cfg = new KLDivergence("kld", Reduction.SUM);
        assertThat(cfg.name()).isEqualTo("kld");
        assertThat(cfg.reduction()).isEqualTo(Reduction.SUM);
        almost(v(new KLDivergence(), KL_Y, KL_P), 0.5960738398643668, 3);
        almost(v(new KLDivergence(), KL_Y, KL_P, scalar(2.3)), 1.3709698316880434, 3);
        almost(v(new KLDivergence(), KL_Y, KL_P, scalar(2.3)), v(new KLDivergence(), KL_Y, KL_P, scalar(2.3)), 3);
        almost(v(new KLDivergence(), KL_Y, KL_P, ROW_WEIGHTS), 2.0075711736936492, 3);
        almost(v(new KLDivergence(), timesteps(KL_Y), timesteps(KL_P), TIMESTEP_WEIGHTS), 0.2495994912084345, 3);
        almost(v(new KLDivergence(), KL_Y, KL_P, scalar(0)), 0.0, 3);
    }

    private static final Tensor PO_P = shaped(new double[] {1, 9, 2, 5, 2, 6}, 2, 3);
    private static final Tensor PO_Y = shaped(new double[] {4, 8, 12, 8, 1, 3}, 2, 3);

    @Test
    void poisson() {
        Poisson cfg = new Poisson("poisson", Reduction.SUM);
        assertThat(cfg.name()).isEqualTo("poisson");
        assertThat(cfg.reduction()).isEqualTo(Reduction.SUM);
        almost(v(new Poisson(), PO_Y, PO_P), -3.306581945521002, 3);
        almost(v(new Poisson(), PO_Y, PO_P, scalar(2.3)), -7.605138474698304, 3);
        almost(v(new Poisson(), PO_Y, PO_P, scalar(2.3)), v(new Poisson(), PO_Y, PO_P, scalar(2.3)), 3);
        almost(v(new Poisson(), PO_Y, PO_P, ROW_WEIGHTS), -6.147338926788071, 3);
        almost(v(new Poisson(), timesteps(PO_Y), timesteps(PO_P), TIMESTEP_WEIGHTS), -12.263126013890561, 3);
        almost(v(new Poisson(), PO_Y, PO_P, scalar(0)), 0.0, 3);
    }

    private static final Tensor EYE3 = t(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
    private static final Tensor BCE_P = t(new double[][] {{0.9, 0.1, 0.2}, {0.3, 0.8, 0.1}, {0.1, 0.2, 0.7}});
    private static final Tensor Y22 = shaped(new double[] {1, 0, 1, 0}, 2, 2);
    /** Float32 as in Keras: the clipped 1 - 1e-7 is then 1 - 1.19e-7, which decides log(1 - p). */
    private static final Tensor P22 = Tensor.of(new float[] {1, 1, 1, 0}, 2, 2);
    private static final Tensor LOGIT_Y = t(new double[][] {{1, 0, 1}, {0, 1, 1}});
    private static final Tensor LOGITS = t(new double[][] {{10, -10, 10}, {10, 10, -10}});

    @Test
    void binaryCrossentropy() {
        roundTrips(new BinaryCrossentropy(false, 0, -1, "bce", MEAN));
        almost(v(new BinaryCrossentropy(), EYE3, EYE3), 0.0);
        almost(v(new BinaryCrossentropy(true), EYE3, t(new double[][] {{10, -10, -10}, {-10, 10, -10},
                {-10, -10, 10}})), 0.0);
        close(v(new BinaryCrossentropy(), EYE3, BCE_P), 0.20046903);
        almost(v(new BinaryCrossentropy(), Y22, P22), 3.98559);
        almost(v(new BinaryCrossentropy(true), LOGIT_Y, LOGITS), 3.3333);
        almost(v(new BinaryCrossentropy(), Y22, P22, scalar(2.3)), 9.1668);
        almost(v(new BinaryCrossentropy(true), LOGIT_Y, LOGITS, scalar(2.3)), 7.666);
        almost(v(new BinaryCrossentropy(), Y22, P22, ROW_WEIGHTS), 4.7827);
        almost(v(new BinaryCrossentropy(true), LOGIT_Y, LOGITS, t(4, 3)), 10.0);
        close(new BinaryCrossentropy(true, "b", Reduction.NONE).call(LOGIT_Y, LOGITS), new double[] {0.0, 6.666}, 0,
                1e-3);
        almost(v(new BinaryCrossentropy(true, 0.1, -1, "b", MEAN), t(new double[][] {{1, 0, 1}}),
                t(new double[][] {{10, -10, -10}})), (10.0 + 5.0 * 0.1) / 3.0);
        raises(() -> new BinaryCrossentropy().call(t(new double[][] {{0}, {1}, {2}}),
                t(new double[][] {{0.9, 0.05, 0.05}, {0.5, 0.89, 0.6}, {0.05, 0.01, 0.94}})), "must have the same shape");
    }

    private static final Tensor CCE_P = t(new double[][] {{0.9, 0.05, 0.05}, {0.5, 0.89, 0.6}, {0.05, 0.01, 0.94}});
    private static final Tensor CCE_LOGITS = t(new double[][] {{8, 1, 1}, {0, 9, 1}, {2, 3, 5}});
    private static final Tensor CCE_W = t(new double[][] {{1.2}, {3.4}, {5.6}});

    /** Labels (2, 3, 2) and probabilities with the classes on axis 1, as Keras's label-smoothing-with-axis tests. */
    private static final Tensor AXIS_Y = t(new double[][][] {{{1, 0}, {0, 1}, {0, 0}}, {{0, 1}, {1, 0}, {0, 0}}});
    private static final Tensor AXIS_P = t(new double[][][] {{{0.8, 0.1}, {0.1, 0.8}, {0.1, 0.1}},
        {{0.1, 0.8}, {0.8, 0.1}, {0.1, 0.1}}});

    @Test
    void categoricalCrossentropy() {
        roundTrips(new CategoricalCrossentropy(false, 0, -1, "cce", MEAN));
        almost(v(new CategoricalCrossentropy(), EYE3, EYE3), 0.0);
        almost(v(new CategoricalCrossentropy(true), EYE3, t(new double[][] {{10, 0, 0}, {0, 10, 0}, {0, 0, 10}})), 0.0);
        almost(v(new CategoricalCrossentropy(), EYE3, CCE_P), 0.3239);
        almost(v(new CategoricalCrossentropy(true), EYE3, CCE_LOGITS), 0.0573);
        almost(v(new CategoricalCrossentropy(), EYE3, CCE_P, scalar(2.3)), 0.7449);
        almost(v(new CategoricalCrossentropy(true), EYE3, CCE_LOGITS, scalar(2.3)), 0.1317);
        almost(v(new CategoricalCrossentropy(), EYE3, CCE_P, CCE_W), 1.0696);
        almost(v(new CategoricalCrossentropy(true), EYE3, CCE_LOGITS, CCE_W), 0.31829);
        close(new CategoricalCrossentropy(true, "c", Reduction.NONE).call(EYE3, CCE_LOGITS), 0.001822, 0.000459,
                0.169846);
        CategoricalCrossentropy smoothed = new CategoricalCrossentropy(true, 0.1, -1, "c", MEAN);
        almost(v(smoothed, t(new double[][] {{1, 0, 0}}), t(new double[][] {{100, -100, -100}})), 400.0 * 0.1 / 3.0);
        almost(v(new CategoricalCrossentropy(false, 0.1, 1, "c", MEAN), AXIS_Y, AXIS_P), 0.36177298742619873, 5);
        raises(() -> new CategoricalCrossentropy().call(t(new double[][] {{0}, {1}, {2}}), CCE_P),
                "must have the same shape");
    }

    private static final Tensor SEG_Y = t(new double[][] {{0, 1, 1, 0}, {1, 0, 1, 0}, {0, 0, 1, 1}, {1, 1, 0, 1}});
    private static final Tensor SEG_MULTI_Y = t(new double[][] {{0, 1, 2, 0}, {1, 0, 1, 0}, {0, 0, 1, 1},
        {1, 1, 0, 1}});

    /** Probabilities (4, 4, classes): one-hot of {@code labels} except where {@code rows} override a pixel. */
    private static Tensor segmentation(Tensor labels, int classes, double[][] overrides) {
        double[] ids = labels.toDoubleArray();
        double[] p = new double[ids.length * classes];
        for (int i = 0; i < ids.length; i++) {
            p[i * classes + (int) ids[i]] = 1;
        }
        for (double[] o : overrides) {
            System.arraycopy(o, 1, p, (int) o[0] * classes, classes);
        }
        return shaped(p, 4, 4, classes);
    }

    /** Keras's wrong binary pixels: (0, 3) predicted [0.2, 0.8] and (3, 3) [0.6, 0.4]. */
    private static final double[][] SEG_WRONG = {{3, 0.2, 0.8}, {15, 0.6, 0.4}};
    /** Keras's wrong multi-class pixels: (0, 3), (1, 0) and (3, 2). */
    private static final double[][] SEG_MULTI_WRONG = {{3, 0.2, 0, 0.8}, {4, 0.7, 0.3, 0}, {14, 0.5, 0.5, 0}};

    /** {@code t} with axis 2 moved to the front, Keras's {@code np.moveaxis(y_pred, 2, 0)}. */
    private static Tensor channelsFirst(Tensor t) {
        return t.permute(2, 0, 1).contiguous();
    }

    /** Three copies of {@code t} stacked on a new first axis. */
    private static Tensor three(Tensor t) {
        int[] reps = new int[t.rank() + 1];
        java.util.Arrays.fill(reps, 1);
        reps[0] = 3;
        return t.unsqueeze(0).tile(reps);
    }

    @Test
    void sparseCategoricalCrossentropy() {
        SparseCategoricalCrossentropy configured = new SparseCategoricalCrossentropy(true, 3, 0, "scce", MEAN);
        assertThat(configured.getConfig()).containsEntry("from_logits", true).containsEntry("ignore_class", 3)
                .containsEntry("axis", 0);
        roundTrips(configured);
        Tensor ids = t(new double[][] {{0}, {1}, {2}});
        almost(v(new SparseCategoricalCrossentropy(), ids, EYE3), 0.0, 3);
        almost(v(new SparseCategoricalCrossentropy(true), ids, t(new double[][] {{10, 0, 0}, {0, 10, 0}, {0, 0, 10}})),
                0.0, 3);
        almost(v(new SparseCategoricalCrossentropy(), t(0, 1, 2), CCE_P), 0.3239, 3);
        almost(v(new SparseCategoricalCrossentropy(true), t(0, 1, 2), CCE_LOGITS), 0.0573, 3);
        almost(v(new SparseCategoricalCrossentropy(), ids, CCE_P, scalar(2.3)), 0.7449, 3);
        almost(v(new SparseCategoricalCrossentropy(true), ids, CCE_LOGITS, scalar(2.3)), 0.1317, 3);
        almost(v(new SparseCategoricalCrossentropy(), ids, CCE_P, CCE_W), 1.0696, 3);
        almost(v(new SparseCategoricalCrossentropy(true), ids, CCE_LOGITS, CCE_W), 0.31829, 3);
        close(new SparseCategoricalCrossentropy(true, "s", Reduction.NONE).call(ids, CCE_LOGITS), 0.001822, 0.000459,
                0.169846);
        Tensor logits = t(new double[][][] {{{0.854, 0.698, 0.598}, {0.088, 0.86, 0.018}}});
        SparseCategoricalCrossentropy ignoring = new SparseCategoricalCrossentropy(true, -1, -1, "s", Reduction.NONE);
        close(ignoring.call(t(new double[][] {{-1, 2}}), logits), 0.0, 1.480129);
        close(ignoring.call(t(new double[][][] {{{-1}, {2}}}), logits), 0.0, 1.480129);

        SparseCategoricalCrossentropy scce = new SparseCategoricalCrossentropy();
        close(scce.call(SEG_Y, segmentation(SEG_Y, 2, new double[0][])), 0.0);
        close(scce.call(SEG_Y, segmentation(SEG_Y, 2, SEG_WRONG)), 0.15785804026926595);
        close(scce.call(SEG_MULTI_Y, segmentation(SEG_MULTI_Y, 3, new double[0][])), 0.0);
        close(scce.call(SEG_MULTI_Y, segmentation(SEG_MULTI_Y, 3, SEG_MULTI_WRONG)), 0.21915986858249886);
        // The class axis first, as Keras allows on backends with channels-first sparse cross-entropy.
        SparseCategoricalCrossentropy first = new SparseCategoricalCrossentropy(false, null, 0, "s", MEAN);
        close(first.call(SEG_Y, channelsFirst(segmentation(SEG_Y, 2, new double[0][]))), 0.0);
        close(first.call(SEG_Y, channelsFirst(segmentation(SEG_Y, 2, SEG_WRONG))), 0.15785804026926595);
        close(first.call(SEG_MULTI_Y, channelsFirst(segmentation(SEG_MULTI_Y, 3, new double[0][]))), 0.0);
        close(first.call(SEG_MULTI_Y, channelsFirst(segmentation(SEG_MULTI_Y, 3, SEG_MULTI_WRONG))),
                0.21915986858249886);
        SparseCategoricalCrossentropy second = new SparseCategoricalCrossentropy(false, null, 1, "s", MEAN);
        close(second.call(three(SEG_Y), three(channelsFirst(segmentation(SEG_Y, 2, SEG_WRONG)))),
                0.15785804026926595);
        close(second.call(three(SEG_MULTI_Y), three(channelsFirst(segmentation(SEG_MULTI_Y, 3, SEG_MULTI_WRONG)))),
                0.21915986858249886);
        // Labels (2, 1, 4, 4) against class axis 1 of (2, 2, 4, 4): the singleton class axis is squeezed.
        assertThat(new SparseCategoricalCrossentropy(false, null, 1, "s", Reduction.NONE).call(
                Tensor.zeros(2, 1, 4, 4), Tensor.full(0.5, dev.vecgrad.core.DType.F64, 2, 2, 4, 4)).shape().toArray())
                .containsExactly(2, 4, 4);
    }

    private static final Tensor FOCAL_P = shaped(new double[] {0.9, 0.8, 0.7, 0.2}, 2, 2);
    private static final Tensor FOCAL_LY = t(new double[][] {{1, 1, 0}, {0, 1, 0}});
    private static final Tensor FOCAL_LOGITS = t(new double[][] {{1.5, -2.7, 2.9}, {-3.8, 1.2, -4.5}});

    @Test
    void binaryFocalCrossentropy() {
        roundTrips(new BinaryFocalCrossentropy(false, 0.25, 2, false, 0, -1, "bfce", MEAN));
        almost(v(new BinaryFocalCrossentropy(1.5, false), EYE3, EYE3), 0.0, 3);
        almost(v(new BinaryFocalCrossentropy(2.0, true), EYE3, t(new double[][] {{100, -100, -100}, {-100, 100, -100},
                {-100, -100, 100}})), 0.0, 3);
        almost(v(new BinaryFocalCrossentropy(2.0, false), Y22, FOCAL_P), 0.268, 3);
        almost(v(new BinaryFocalCrossentropy(3.0, true), FOCAL_LY, FOCAL_LOGITS), 0.799, 3);
        almost(v(new BinaryFocalCrossentropy(2.0, false), Y22, FOCAL_P, scalar(1.23)), 0.3296, 3);
        almost(v(new BinaryFocalCrossentropy(3.0, true), FOCAL_LY, FOCAL_LOGITS, scalar(3.21)), 2.565, 3);
        almost(v(new BinaryFocalCrossentropy(2.0, false), Y22, FOCAL_P, ROW_WEIGHTS), 0.34415, 3);
        almost(v(new BinaryFocalCrossentropy(3.0, true), FOCAL_LY, FOCAL_LOGITS, ROW_WEIGHTS), 0.95977, 3);
        close(new BinaryFocalCrossentropy(false, 0.25, 2.0, false, 0, -1, "b", Reduction.NONE).call(Y22, FOCAL_P),
                0.515547, 0.020513);
    }

    @Test
    void categoricalFocalCrossentropy() {
        roundTrips(new CategoricalFocalCrossentropy(0.25, 2, false, 0, -1, "cfce", MEAN));
        almost(v(new CategoricalFocalCrossentropy(), EYE3, EYE3), 0.0, 3);
        almost(v(new CategoricalFocalCrossentropy(true), EYE3, t(new double[][] {{10, 0, 0}, {0, 10, 0},
                {0, 0, 10}})), 0.0, 3);
        almost(v(new CategoricalFocalCrossentropy(), EYE3, CCE_P), 0.02059, 3);
        almost(v(new CategoricalFocalCrossentropy(true), EYE3, CCE_LOGITS), 0.000345, 3);
        almost(v(new CategoricalFocalCrossentropy(), EYE3, CCE_P, scalar(2.3)), 0.047368, 3);
        almost(v(new CategoricalFocalCrossentropy(true), EYE3, CCE_LOGITS, scalar(2.3)), 0.000794, 4);
        almost(v(new CategoricalFocalCrossentropy(), EYE3, CCE_P, CCE_W), 0.06987, 3);
        almost(v(new CategoricalFocalCrossentropy(true), EYE3, CCE_LOGITS, CCE_W), 0.001933, 3);
        close(new CategoricalFocalCrossentropy(0.25, 2, true, 0, -1, "c", Reduction.NONE).call(EYE3, CCE_LOGITS),
                1.5096224e-09, 2.4136547e-11, 1.0360638e-03);
        almost(v(new CategoricalFocalCrossentropy(0.25, 2, true, 0.1, -1, "c", MEAN), t(new double[][] {{1, 0, 0}}),
                t(new double[][] {{4.9, -0.5, 2.05}})), 0.06685, 3);
        almost(v(new CategoricalFocalCrossentropy(0.25, 2, false, 0.1, 1, "c", MEAN), AXIS_Y, AXIS_P),
                0.033167571901018905, 5);
    }

    private static final Tensor DICE_Y = t(new double[][] {{1, 2}, {1, 2}});
    private static final Tensor DICE_P = t(new double[][] {{4, 1}, {6, 1}});
    private static final Tensor BIN_SEG_Y = t(new double[][] {{1, 0, 1, 0}, {0, 1, 0, 1}, {1, 0, 1, 0}, {0, 1, 0, 1}});
    private static final Tensor BIN_SEG_P = t(new double[][] {{0, 1, 0, 1}, {1, 0, 1, 1}, {0, 1, 0, 1}, {1, 0, 1, 1}});
    private static final Tensor AXES_Y = shaped(new double[] {1, 1, 0, 0, 1, 1, 0, 0}, 2, 2, 2, 1);
    private static final Tensor AXES_P = shaped(new double[] {0, 1, 0, 1, 0.4, 0, 0, 0.9}, 2, 2, 2, 1);
    private static final int[] AXES = {1, 2, 3};

    @Test
    void dice() {
        roundTrips(new Dice(null, "mydice", MEAN));
        close(v(new Dice(), DICE_Y, DICE_P), -0.55555546);
        close(v(new Dice(), BIN_SEG_Y, BIN_SEG_P), 0.77777773);
        close(new Dice(AXES, "d", Reduction.NONE).call(AXES_Y, AXES_P), 0.5, 0.75757575);
    }

    @Test
    void tversky() {
        roundTrips(new Tversky(0.5, 0.5, null, "mytversky", MEAN));
        close(v(new Tversky(), DICE_Y, DICE_P), -0.55555558);
        close(v(new Tversky(0.2, 0.8, null, "t", MEAN), DICE_Y, DICE_P), -0.94444442);
        close(v(new Tversky(), BIN_SEG_Y, BIN_SEG_P), 0.77777779);
        close(new Tversky(0.5, 0.5, AXES, "t", Reduction.NONE).call(AXES_Y, AXES_P), 0.5, 0.75757575);
        close(v(new Tversky(0.2, 0.8, null, "t", MEAN), BIN_SEG_Y, BIN_SEG_P), 0.76190472);
        close(new Tversky(0.2, 0.8, AXES, "t", Reduction.NONE).call(AXES_Y, AXES_P), 0.5, 0.78494626);
    }

    @Test
    void categoricalGeneralizedCrossEntropy() {
        roundTrips(new CategoricalGeneralizedCrossEntropy(0.5, "gce", MEAN));
        roundTrips(new CategoricalGeneralizedCrossEntropy(0.1, "gce", MEAN));
        Tensor y = t(0, 1, 0, 1);
        Tensor binary = t(new double[][] {{0.7, 0.3}, {0.2, 0.8}, {0.6, 0.4}, {0.4, 0.6}});
        close(v(new CategoricalGeneralizedCrossEntropy(), y, binary), 0.3598597219915209);
        close(v(new CategoricalGeneralizedCrossEntropy(0.8, "g", MEAN), y, binary), 0.3383281560559337);
        Tensor multi = t(new double[][] {{0.7, 0.3, 0}, {0.2, 0.2, 0.6}, {0.6, 0.4, 0}, {0.2, 0.2, 0.6}});
        close(v(new CategoricalGeneralizedCrossEntropy(), y, multi), 0.7471580566122626);
        close(v(new CategoricalGeneralizedCrossEntropy(0.8, "g", MEAN), y, multi), 0.6349405258801546);
        CategoricalGeneralizedCrossEntropy gce = new CategoricalGeneralizedCrossEntropy();
        close(v(gce, SEG_Y, segmentation(SEG_Y, 2, new double[0][])), 0.0);
        close(v(gce, SEG_Y, segmentation(SEG_Y, 2, SEG_WRONG)), 0.11504135905829578);
        close(v(gce, SEG_MULTI_Y, segmentation(SEG_MULTI_Y, 3, new double[0][])), 0.0);
        // Keras's second multi-class case also predicts pixel (1, 0) as class 0 with certainty.
        double[][] wrong = {{3, 0.2, 0, 0.8}, {4, 1, 0, 0}, {14, 0.5, 0.5, 0}};
        close(v(gce, SEG_MULTI_Y, segmentation(SEG_MULTI_Y, 3, wrong)), 0.23070995291418683);
    }

    @Test
    void lookUpByName() {
        for (String name : List.of("mse", "mae", "mape", "msle", "huber", "log_cosh", "hinge", "squared_hinge",
                "categorical_hinge", "kld", "kl_divergence", "poisson", "cosine_similarity", "binary_crossentropy",
                "categorical_crossentropy", "sparse_categorical_crossentropy", "binary_focal_crossentropy",
                "categorical_focal_crossentropy", "dice", "tversky", "categorical_generalized_cross_entropy")) {
            assertThat(Losses.get(name).name()).isEqualTo(name);
        }
        raises(() -> Losses.get("typo"), "unknown loss");
    }
}
