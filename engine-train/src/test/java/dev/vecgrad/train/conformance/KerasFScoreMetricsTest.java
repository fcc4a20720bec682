package dev.vecgrad.train.conformance;

import static dev.vecgrad.train.conformance.KerasProbabilisticAndHingeMetricsTest.roundTrips;
import static dev.vecgrad.train.conformance.Keras.close;
import static dev.vecgrad.train.conformance.Keras.raises;
import static dev.vecgrad.train.conformance.Keras.t;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.metrics.F1Score;
import dev.vecgrad.train.metrics.FBetaScore;
import dev.vecgrad.train.metrics.FBetaScore.Average;
import org.junit.jupiter.api.Test;

/** The literal expectations of Keras 3's {@code metrics/f_score_metrics_test.py}. */
class KerasFScoreMetricsTest {
    private static final Average[] AVERAGES = {Average.MICRO, Average.MACRO, Average.WEIGHTED};
    private static final double[] BETAS = {0.5, 1.0, 2.0};

    private static void expect(Tensor y, Tensor p, Tensor w, Average average, double beta, Double threshold,
            double... expected) {
        FBetaScore f = new FBetaScore(average, beta, threshold);
        f.update(y, p, w);
        close(f.results(), expected, 0, 1e-6);
    }

    @Test
    void config() {
        FBetaScore f = new FBetaScore(Average.NONE, 0.5, 0.3);
        assertThat(f.beta()).isEqualTo(0.5);
        assertThat(f.average()).isEqualTo(Average.NONE);
        assertThat(f.threshold()).isEqualTo(0.3);
        roundTrips(f);
        F1Score f1 = new F1Score();
        assertThat(f1.getConfig()).doesNotContainKey("beta");
        roundTrips(f1);
    }

    private static final Tensor P3 = t(new double[][] {{0.7, 0.7, 0.7}, {1, 0, 0}, {0.9, 0.8, 0}});

    @Test
    void perfectAndWorstScores() {
        for (Average a : AVERAGES) {
            for (double beta : BETAS) {
                expect(t(new double[][] {{1, 1, 1}, {1, 0, 0}, {1, 1, 0}}), P3, null, a, beta, 0.66, 1.0);
                expect(t(new double[][] {{0, 0, 0}, {0, 1, 0}, {0, 0, 1}}), P3, null, a, beta, 0.66, 0.0);
            }
        }
    }

    @Test
    void randomScore() {
        Tensor y = t(new double[][] {{0, 0, 1}, {1, 1, 0}, {1, 1, 1}});
        expect(y, P3, null, Average.NONE, 0.5, 0.66, 0.71428573, 0.5, 0.833334);
        expect(y, P3, null, Average.NONE, 1.0, 0.66, 0.8, 0.5, 0.6666667);
        expect(y, P3, null, Average.NONE, 2.0, 0.66, 0.9090904, 0.5, 0.555556);
        for (double beta : BETAS) {
            expect(y, P3, null, Average.MICRO, beta, 0.66, 0.6666667);
        }
        expect(y, P3, null, Average.MACRO, 0.5, 0.66, 0.6825397);
        expect(y, P3, null, Average.MACRO, 1.0, 0.66, 0.6555555);
        expect(y, P3, null, Average.MACRO, 2.0, 0.66, 0.6548822);
        expect(y, P3, null, Average.WEIGHTED, 0.5, 0.66, 0.6825397);
        expect(y, P3, null, Average.WEIGHTED, 1.0, 0.66, 0.6555555);
        expect(y, P3, null, Average.WEIGHTED, 2.0, 0.66, 0.6548822);
    }

    private static final Tensor Y6 = t(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 0}, {1, 0, 0},
        {0, 0, 1}});
    private static final Tensor P6 = t(new double[][] {{0.9, 0.1, 0}, {0.2, 0.6, 0.2}, {0, 0, 1}, {0.4, 0.3, 0.3},
        {0, 0.9, 0.1}, {0, 0, 1}});

    @Test
    void randomScoreWithRowMaxima() {
        expect(Y6, P6, null, Average.NONE, 0.5, null, 0.9090904, 0.555556, 1.0);
        expect(Y6, P6, null, Average.NONE, 1.0, null, 0.8, 0.6666667, 1.0);
        expect(Y6, P6, null, Average.NONE, 2.0, null, 0.71428573, 0.833334, 1.0);
        for (double beta : BETAS) {
            expect(Y6, P6, null, Average.MICRO, beta, null, 0.833334);
        }
        expect(Y6, P6, null, Average.MACRO, 0.5, null, 0.821549);
        expect(Y6, P6, null, Average.MACRO, 1.0, null, 0.822222);
        expect(Y6, P6, null, Average.MACRO, 2.0, null, 0.849206);
        expect(Y6, P6, null, Average.WEIGHTED, 0.5, null, 0.880471);
        expect(Y6, P6, null, Average.WEIGHTED, 1.0, null, 0.844445);
        expect(Y6, P6, null, Average.WEIGHTED, 2.0, null, 0.829365);
    }

    @Test
    void weightedRandomScoreWithRowMaxima() {
        Tensor ones = t(1, 1, 1, 1, 1, 1);
        Tensor holes = t(1, 0, 1, 1, 0, 1);
        Tensor halves = t(0.5, 1, 1, 1, 0.5, 1);
        expect(Y6, P6, ones, Average.NONE, 0.5, null, 0.909091, 0.555556, 1.0);
        expect(Y6, P6, holes, Average.NONE, 0.5, null, 1.0, 0.0, 1.0);
        expect(Y6, P6, halves, Average.NONE, 0.5, null, 0.9375, 0.714286, 1.0);
        expect(Y6, P6, ones, Average.NONE, 1.0, null, 0.8, 0.666667, 1.0);
        expect(Y6, P6, holes, Average.NONE, 1.0, null, 1.0, 0.0, 1.0);
        expect(Y6, P6, halves, Average.NONE, 1.0, null, 0.857143, 0.8, 1.0);
        expect(Y6, P6, ones, Average.NONE, 2.0, null, 0.714286, 0.833333, 1.0);
        expect(Y6, P6, holes, Average.NONE, 2.0, null, 1.0, 0.0, 1.0);
        expect(Y6, P6, halves, Average.NONE, 2.0, null, 0.789474, 0.909091, 1.0);
        for (double beta : BETAS) {
            expect(Y6, P6, ones, Average.MICRO, beta, null, 0.833333);
            expect(Y6, P6, holes, Average.MICRO, beta, null, 1.0);
            expect(Y6, P6, halves, Average.MICRO, beta, null, 0.9);
        }
        expect(Y6, P6, ones, Average.MACRO, 0.5, null, 0.821549);
        expect(Y6, P6, holes, Average.MACRO, 0.5, null, 0.666667);
        expect(Y6, P6, halves, Average.MACRO, 0.5, null, 0.883929);
        expect(Y6, P6, ones, Average.MACRO, 1.0, null, 0.822222);
        expect(Y6, P6, holes, Average.MACRO, 1.0, null, 0.666667);
        expect(Y6, P6, halves, Average.MACRO, 1.0, null, 0.885714);
        expect(Y6, P6, ones, Average.MACRO, 2.0, null, 0.849206);
        expect(Y6, P6, holes, Average.MACRO, 2.0, null, 0.666667);
        expect(Y6, P6, halves, Average.MACRO, 2.0, null, 0.899522);
        expect(Y6, P6, ones, Average.WEIGHTED, 0.5, null, 0.880471);
        expect(Y6, P6, holes, Average.WEIGHTED, 0.5, null, 1.0);
        expect(Y6, P6, halves, Average.WEIGHTED, 0.5, null, 0.917857);
        expect(Y6, P6, ones, Average.WEIGHTED, 1.0, null, 0.844444);
        expect(Y6, P6, holes, Average.WEIGHTED, 1.0, null, 1.0);
        expect(Y6, P6, halves, Average.WEIGHTED, 1.0, null, 0.902857);
        expect(Y6, P6, ones, Average.WEIGHTED, 2.0, null, 0.829365);
        expect(Y6, P6, holes, Average.WEIGHTED, 2.0, null, 1.0);
        expect(Y6, P6, halves, Average.WEIGHTED, 2.0, null, 0.897608);
    }

    @Test
    void invalidArguments() {
        raises(() -> Average.of("invalid_average"), "Invalid `average` argument value. Expected one of: {None, 'micro',"
                + " 'macro', 'weighted'}. Received: average=invalid_average");
        raises(() -> new FBetaScore(Average.MACRO, 0.0, null), "Invalid `beta` argument value. It should be > 0."
                + " Received: beta=0.0");
        raises(() -> new FBetaScore(Average.MACRO, -1.0, null), "It should be > 0. Received: beta=-1.0");
        raises(() -> new FBetaScore(Average.MACRO, -0.5, null), "It should be > 0. Received: beta=-0.5");
        raises(() -> new FBetaScore(Average.MACRO, 1.0, 1.1), "Invalid `threshold` argument value. It should verify"
                + " 0 < threshold <= 1. Received: threshold=1.1");
        raises(() -> new FBetaScore(Average.MACRO, 1.0, 0.0), "Received: threshold=0.0");
        raises(() -> new FBetaScore(Average.MACRO, 1.0, -0.5), "Received: threshold=-0.5");
        raises(() -> new FBetaScore().update(Tensor.zeros(2, 3, 4), Tensor.zeros(2, 3, 4), null),
                "FBetaScore expects 2D inputs with shape (batch_size, output_dim). Received input shapes:"
                        + " y_pred.shape=(2, 3, 4) and y_true.shape=(2, 3, 4).");
    }

    @Test
    void weights() {
        Tensor y = Tensor.of(new int[] {1, 1, 1, 0}, 2, 2);
        Tensor p = Tensor.of(new float[] {0.2f, 0.6f, 0.2f, 0.6f}, 2, 2);
        FBetaScore scalar = new FBetaScore(Average.NONE, 1.0, 0.5);
        scalar.update(y, p, Keras.scalar(0.5));
        close(scalar.results(), new double[] {0.0, 0.6666665}, 0, 1e-5);
        FBetaScore grid = new FBetaScore(Average.NONE, 1.0, 0.5);
        grid.update(y, p, Tensor.of(new float[] {0.5f, 0.2f, 0.3f, 0.8f}, 2, 2));
        close(grid.results(), new double[] {0.0, 0.333333}, 0, 1e-5);
    }

    @Test
    void f1IsFBetaWithBetaOne() {
        F1Score f1 = new F1Score();
        FBetaScore fbeta = new FBetaScore(Average.NONE, 1.0, null);
        f1.update(Y6, P6, null);
        fbeta.update(Y6, P6, null);
        close(f1.results(), fbeta.results(), 0, 1e-6);
    }
}
