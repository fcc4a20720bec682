package dev.vecgrad.train.conformance;

import static dev.vecgrad.train.conformance.KerasProbabilisticAndHingeMetricsTest.roundTrips;
import static dev.vecgrad.train.conformance.Keras.almost;
import static dev.vecgrad.train.conformance.Keras.close;
import static dev.vecgrad.train.conformance.Keras.raises;
import static dev.vecgrad.train.conformance.Keras.t;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.metrics.ConcordanceCorrelation;
import dev.vecgrad.train.metrics.CosineSimilarity;
import dev.vecgrad.train.metrics.LogCoshError;
import dev.vecgrad.train.metrics.Mean;
import dev.vecgrad.train.metrics.MeanAbsoluteError;
import dev.vecgrad.train.metrics.MeanAbsolutePercentageError;
import dev.vecgrad.train.metrics.MeanSquaredError;
import dev.vecgrad.train.metrics.MeanSquaredLogarithmicError;
import dev.vecgrad.train.metrics.Metric;
import dev.vecgrad.train.metrics.PearsonCorrelation;
import dev.vecgrad.train.metrics.R2Score;
import dev.vecgrad.train.metrics.RootMeanSquaredError;
import dev.vecgrad.train.metrics.Sum;
import org.junit.jupiter.api.Test;

/**
 * The literal expectations of Keras 3's {@code metrics/regression_metrics_test.py},
 * {@code metrics/reduction_metrics_test.py} and {@code metrics/correlation_metrics_test.py}.
 * Values Keras computes with NumPy (or SciPy's {@code pearsonr}) from a formula are that formula
 * evaluated with NumPy in double precision.
 */
class KerasRegressionMetricsTest {
    private static final Tensor Y = t(new double[][] {{0, 1, 0, 1, 0}, {0, 0, 1, 1, 1}, {1, 1, 1, 1, 0},
        {0, 0, 0, 0, 1}});
    private static final Tensor P = t(new double[][] {{0, 0, 1, 1, 0}, {1, 1, 1, 1, 1}, {0, 1, 0, 1, 0},
        {1, 1, 1, 1, 1}});
    private static final Tensor W = t(1.0, 1.5, 2.0, 2.5);

    private static double run(Metric m, Tensor y, Tensor p, Tensor w) {
        m.update(y, p, w);
        return m.result();
    }

    @Test
    void regressionMetrics() {
        close(run(new MeanSquaredError(), Y, P, null), 0.5, 0, 1e-5);
        close(run(new MeanSquaredError(), Y, P, W), 0.54285, 0, 1e-5);
        roundTrips(new MeanAbsoluteError("my_mae"));
        close(run(new MeanAbsoluteError(), Y, P, null), 0.5, 0, 1e-5);
        close(run(new MeanAbsoluteError(), Y, P, W), 0.54285, 0, 1e-5);
        roundTrips(new MeanAbsolutePercentageError("my_mape"));
        Tensor p32 = P.cast(dev.vecgrad.core.DType.F32);
        close(run(new MeanAbsolutePercentageError(), Y, p32, null), 35e7, 0, 1e-5 + 35e7 * 1e-6);
        close(run(new MeanAbsolutePercentageError(), Y, p32, W), 40e7, 0, 1e-5 + 40e7 * 1e-6);
        roundTrips(new MeanSquaredLogarithmicError("my_msle"));
        close(run(new MeanSquaredLogarithmicError(), Y, P, null), 0.24022, 0, 1e-5);
        close(run(new MeanSquaredLogarithmicError(), Y, P, W), 0.26082, 0, 1e-5);
        roundTrips(new RootMeanSquaredError("rmse"));
        close(Math.sqrt(6), run(new RootMeanSquaredError(), t(2, 4, 6), t(1, 3, 2), null), 0, 1e-3);
        close(Math.sqrt(13), run(new RootMeanSquaredError(), t(2, 4, 6, 8), t(1, 3, 2, 3), t(0, 1, 0, 1)), 0, 1e-3);
    }

    private static final Tensor COS_Y = t(new double[][] {{1, 9, 2}, {-5, -2, 6}});
    private static final Tensor COS_P = t(new double[][] {{4, 8, 12}, {8, 1, 3}});

    @Test
    void cosineSimilarityAndLogCosh() {
        roundTrips(new CosineSimilarity("my_cos", 2));
        almost(run(new CosineSimilarity(), COS_Y, COS_P, null), 0.1872190708466051, 3);
        almost(run(new CosineSimilarity(), COS_Y, COS_P, t(1.2, 3.4)), -0.06782260150646335, 3);
        almost(run(new CosineSimilarity("c", 1), COS_Y, COS_P, null), 0.1872190708466051, 3);
        roundTrips(new LogCoshError("logcosh"));
        close(run(new LogCoshError(), COS_Y, COS_P, null), 4.829245330860459, 0, 1e-3);
        close(run(new LogCoshError(), COS_Y, COS_P, t(new double[][] {{1.2}, {3.4}})), 5.217875942399776, 0, 1e-3);
    }

    private static final Tensor R2_Y = t(new double[][] {{0, 0, 1}, {0, 1, 0}, {1, 0, 0}});

    private static double[] r2(R2Score.Aggregation aggregation, int regressors, Tensor p, Tensor w) {
        R2Score m = new R2Score("r2", aggregation, regressors);
        m.update(R2_Y, p, w);
        return m.results();
    }

    @Test
    void r2Score() {
        roundTrips(new R2Score("r2", R2Score.Aggregation.NONE, 2));
        Tensor p = t(new double[][] {{0.4, 0.5, 0.6}, {0.1, 0.2, 0.3}, {0.5, 0.8, 0.2}});
        close(r2(R2Score.Aggregation.NONE, 0, p, null), new double[] {0.37, -1.295, 0.565}, 0, 1e-6);
        close(r2(R2Score.Aggregation.NONE, 1, p, null), new double[] {-0.26, -3.59, 0.13}, 0, 1e-6);
        close(r2(R2Score.Aggregation.UNIFORM_AVERAGE, 0, p, null)[0], -0.12, 0, 1e-6);
        close(r2(R2Score.Aggregation.VARIANCE_WEIGHTED_AVERAGE, 0, p, null)[0], -0.12, 0, 1e-6);
        Tensor q = t(new double[][] {{0.4, 0.9, 1.6}, {0.1, 1.2, 0.6}, {1.5, 0.8, 0.6}});
        Tensor w = t(0.8, 0.1, 0.4);
        // Float32 as Keras computes: its expectations carry float32 rounding.
        double tol = 1e-5;
        close(r2(R2Score.Aggregation.NONE, 0, q, w), new double[] {0.17305559, -8.836666, -0.521}, 1e-5, tol);
        close(r2(R2Score.Aggregation.NONE, 1, q, w), new double[] {-0.65388882, -18.673332, -2.042}, 1e-5, tol);
        close(r2(R2Score.Aggregation.NONE, 2, q, w), new double[] {0.17305559, -8.836666, -0.521}, 1e-5, tol);
        close(r2(R2Score.Aggregation.UNIFORM_AVERAGE, 0, q, w)[0], -3.0615367889404297, 1e-5, tol);
        close(r2(R2Score.Aggregation.UNIFORM_AVERAGE, 1, q, w)[0], -7.123073577880859, 1e-5, tol);
        close(r2(R2Score.Aggregation.UNIFORM_AVERAGE, 2, q, w)[0], -3.0615367889404297, 1e-5, tol);
        close(r2(R2Score.Aggregation.VARIANCE_WEIGHTED_AVERAGE, 0, q, w)[0], -1.3710224628448486, 1e-5, tol);
        close(r2(R2Score.Aggregation.VARIANCE_WEIGHTED_AVERAGE, 1, q, w)[0], -3.742044448852539, 1e-5, tol);
        close(r2(R2Score.Aggregation.VARIANCE_WEIGHTED_AVERAGE, 2, q, w)[0], -1.3710224628448486, 1e-5, tol);
        raises(() -> R2Score.Aggregation.of("wrong"), "Invalid value for argument `class_aggregation`");
        raises(() -> new R2Score("r2", R2Score.Aggregation.NONE, -1), "Invalid value for argument `num_regressors`");
        raises(() -> new R2Score().update(t(0, 1), t(0, 1), null), "expects 2D inputs with shape");
    }

    @Test
    void sumAndMean() {
        roundTrips(new Sum("sum"), 1);
        Sum s1 = new Sum();
        s1.update(t(1, 3, 5, 7), null);
        close(s1.result(), 16.0, 0, 1e-3);
        Sum s2 = new Sum();
        s2.update(t(1, 3, 5, 7), t(1, 1, 0, 0));
        close(s2.result(), 4.0, 0, 1e-3);
        Sum s3 = new Sum();
        s3.update(t(new double[][] {{1, 3}, {5, 7}}), t(new double[][] {{1, 1}, {1, 0}}));
        close(s3.result(), 9.0, 0, 1e-3);
        Sum s4 = new Sum();
        s4.update(t(new double[][] {{1, 3}, {5, 7}}), t(new double[][] {{1, 0}}));
        close(s4.result(), 6.0, 0, 1e-3);
        roundTrips(new Mean("mean"), 2);
        Mean m1 = new Mean();
        m1.update(t(1, 3, 5, 7), null);
        close(m1.result(), 4.0, 0, 1e-3);
        Mean m2 = new Mean();
        m2.update(t(1, 3, 5, 7), t(1, 1, 0, 0));
        close(m2.result(), 2.0, 0, 1e-3);
        Mean m3 = new Mean();
        m3.update(t(1, 3, 5, 7), t(-1, -1, 0, 0));
        close(m3.result(), 2.0, 0, 1e-3);
        Mean m4 = new Mean();
        m4.update(t(new double[][] {{1, 3}, {5, 7}}), t(new double[][] {{1, 1}, {1, 0}}));
        close(m4.result(), 3.0, 0, 1e-3);
        Mean m5 = new Mean();
        m5.update(t(new double[][] {{1, 3}, {5, 7}}), t(new double[][] {{1, 0}}));
        close(m5.result(), 3.0, 0, 1e-3);
    }

    @Test
    void meanMetricWrapperOfAnElementwiseFunction() {
        // Keras's wrapper around (y - p)² without a mean over the last axis: a Mean of the elements.
        close(run(new SquaredErrorPerElement(), Y, P, null), 0.5, 0, 1e-5);
        close(run(new SquaredErrorPerElement(), Y, P, W), 0.54285, 0, 1e-5);
        close(run(new SquaredErrorPerElement(), Y, P, t(new double[][] {{1.0, 0.0, 0.5, 0.0, 1.0}})), 0.45, 0, 1e-5);
    }

    /** The custom metric of Keras's {@code MetricWrapperTest}. */
    private static final class SquaredErrorPerElement extends dev.vecgrad.train.metrics.MeanMetricWrapper {
        SquaredErrorPerElement() {
            super("mse");
        }

        @Override
        protected Tensor values(Tensor yTrue, Tensor yPred) {
            return yTrue.sub(yPred).square();
        }
    }

    private static final Tensor CORR_Y = Tensor.of(new float[][] {{0, 1, 0.5f}, {1, 1, 0.2f}, {1, 1, 0.1f},
        {0.1f, 0.7f, 0}});
    private static final Tensor CORR_P = Tensor.of(new float[][] {{0.1f, 0.9f, 0.5f}, {1, 0.9f, 0.2f}, {0.2f, 0.8f, 0},
        {0.3f, 0.3f, 0.9f}});
    private static final double[] PEARSON = {1.0, 0.99339926, 0.69337525, -0.60999428};
    private static final double[] CONCORDANCE = {0.97560976, 0.98765432, 0.46511628, -0.46376812};

    @Test
    void correlations() {
        PearsonCorrelation pearson = new PearsonCorrelation();
        pearson.update(CORR_Y.slice(0, 0, 2), CORR_P.slice(0, 0, 2), null);
        close(pearson.result(), (PEARSON[0] + PEARSON[1]) / 2, 1e-6, 1e-6);
        pearson.update(CORR_Y.slice(0, 2, 4), CORR_P.slice(0, 2, 4), null);
        close(pearson.result(), (PEARSON[0] + PEARSON[1] + PEARSON[2] + PEARSON[3]) / 4, 1e-6, 1e-6);
        ConcordanceCorrelation ccc = new ConcordanceCorrelation();
        ccc.update(CORR_Y.slice(0, 0, 2), CORR_P.slice(0, 0, 2), null);
        close(ccc.result(), (CONCORDANCE[0] + CONCORDANCE[1]) / 2, 1e-6, 1e-6);
        ccc.update(CORR_Y.slice(0, 2, 4), CORR_P.slice(0, 2, 4), null);
        close(ccc.result(), (CONCORDANCE[0] + CONCORDANCE[1] + CONCORDANCE[2] + CONCORDANCE[3]) / 4, 1e-6, 1e-6);
        roundTrips(new PearsonCorrelation("pearson_correlation", -1));
        roundTrips(new ConcordanceCorrelation("concordance_correlation", -1));
    }
}
