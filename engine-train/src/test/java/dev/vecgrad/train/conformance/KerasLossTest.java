package dev.vecgrad.train.conformance;

import static dev.vecgrad.train.conformance.Keras.close;
import static dev.vecgrad.train.conformance.Keras.raises;
import static dev.vecgrad.train.conformance.Keras.t;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.losses.Loss;
import dev.vecgrad.train.losses.Losses;
import dev.vecgrad.train.losses.MeanSquaredError;
import dev.vecgrad.train.losses.Reduction;
import org.junit.jupiter.api.Test;

/** The literal expectations of Keras 3's {@code losses/loss_test.py}: reductions, masks and weights. */
class KerasLossTest {
    /** Keras's {@code ExampleLoss}: the squared error of each element, not averaged over any axis. */
    private static final class Squared extends Loss {
        Squared(Reduction reduction) {
            super("example", reduction);
        }

        @Override
        protected Tensor values(Tensor yTrue, Tensor yPred) {
            return yTrue.sub(yPred).square();
        }
    }

    private static final Tensor Y = t(1, 0, 1, 0);
    private static final Tensor P = t(0.1, 0.2, 0.3, 0.4);
    private static final Tensor MASK = t(1, 0, 1, 1);
    private static final Tensor W = t(0.4, 0.3, 0.2, 0.1);
    private static final Reduction MEAN = Reduction.SUM_OVER_BATCH_SIZE;

    @Test
    void squeezeOrExpand() {
        Tensor[] a = Loss.matchRank(Tensor.ones(3), Tensor.ones(3, 1));
        assertThat(a[0].shape().toArray()).containsExactly(3, 1);
        assertThat(a[1].shape().toArray()).containsExactly(3, 1);
        Tensor[] b = Loss.matchRank(Tensor.ones(3, 2), Tensor.ones(3, 2, 1));
        assertThat(b[0].shape().toArray()).containsExactly(3, 2);
        assertThat(b[1].shape().toArray()).containsExactly(3, 2);
        Tensor[] c = Loss.matchRank(Tensor.ones(3, 1), Tensor.ones(3));
        assertThat(c[0].shape().toArray()).containsExactly(3, 1);
        assertThat(c[1].shape().toArray()).containsExactly(3, 1);
        Tensor[] d = Loss.matchRank(Tensor.ones(3, 2, 1), Tensor.ones(3, 2));
        assertThat(d[0].shape().toArray()).containsExactly(3, 2);
        assertThat(d[1].shape().toArray()).containsExactly(3, 2);
    }

    @Test
    void reduction() {
        close(new Squared(Reduction.NONE).call(Y, P), 0.81, 0.04, 0.49, 0.16);
        close(new Squared(Reduction.SUM).call(Y, P).item(), 1.5);
        close(new Squared(MEAN).call(Y, P).item(), 0.375);
        raises(() -> Reduction.of("abc"), "Invalid value for argument");
    }

    @Test
    void mask() {
        close(new Squared(MEAN).call(Y, P, null, MASK).item(), 0.48666666666666664);
        // Everything masked: 0, not NaN.
        close(new Squared(MEAN).call(Y, P, null, t(0, 0, 0, 0)).item(), 0.0);
    }

    @Test
    void sampleWeight() {
        close(new Squared(MEAN).call(Y, P, W).item(), 0.1125);
        close(new Squared(MEAN).call(Y, P, t(0, 0, 0, 0)).item(), 0.0);
    }

    @Test
    void maskAndSampleWeight() {
        close(new Squared(MEAN).call(Y, P, W, MASK).item(), 0.146);
    }

    @Test
    void maskAndSampleWeightRank2() {
        double rank1 = new Squared(MEAN).call(Y, P, W, MASK).item();
        double rank2 = new Squared(MEAN).call(twice(Y), twice(P), twice(W), twice(MASK)).item();
        close(rank2, rank1);
    }

    private static Tensor twice(Tensor t) {
        return t.unsqueeze(0).tile(2, 1);
    }

    @Test
    void rankAdjustment() {
        Loss loss = new Squared(MEAN);
        close(loss.call(Y, P, W, MASK.unsqueeze(1)).item(), 0.146);
        close(loss.call(Y, P, W.unsqueeze(1), MASK).item(), 0.146);
        close(loss.call(Y.unsqueeze(1), P.unsqueeze(1), W, MASK).item(), 0.146);
    }

    @Test
    void mixedDtypes() {
        Tensor y = Tensor.of(new int[] {1, 0, 1, 0});
        Tensor p = Tensor.of(new float[] {0.1f, 0.2f, 0.3f, 0.4f});
        Tensor loss = new Squared(MEAN).call(y, p, W);
        assertThat(loss.dtype()).isEqualTo(DType.F32);
        close(loss.item(), 0.1125);
    }

    @Test
    void getMethod() {
        assertThat(Losses.get("mse")).isInstanceOf(MeanSquaredError.class);
        raises(() -> Losses.get("typo"), "unknown loss");
    }
}
