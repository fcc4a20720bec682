package dev.vecgrad.train.conformance;

import static dev.vecgrad.train.conformance.Keras.close;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.FitOptions;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.callbacks.History;
import dev.vecgrad.train.initializers.Constant;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.optimizers.Adam;
import dev.vecgrad.train.optimizers.schedules.CosineDecay;
import dev.vecgrad.train.optimizers.schedules.CosineDecayRestarts;
import dev.vecgrad.train.optimizers.schedules.ExponentialDecay;
import dev.vecgrad.train.optimizers.schedules.InverseTimeDecay;
import dev.vecgrad.train.optimizers.schedules.LearningRateSchedule;
import dev.vecgrad.train.optimizers.schedules.PiecewiseConstantDecay;
import dev.vecgrad.train.optimizers.schedules.PolynomialDecay;
import dev.vecgrad.train.optimizers.schedules.Schedules;
import org.junit.jupiter.api.Test;

/**
 * The literal expectations of Keras 3's
 * {@code optimizers/schedules/learning_rate_schedule_test.py}. Where Keras computes the expected
 * rate with a NumPy reference ({@code np_cosine_decay}, {@code np_cosine_decay_restarts},
 * {@code linear_warmup}), {@link #cosine} and {@link #restarts} are those references written out.
 */
class KerasSchedulesTest {
    private static void roundTrips(LearningRateSchedule s) {
        LearningRateSchedule back = Schedules.fromConfig(s.className(), s.getConfig());
        assertThat(back.getClass()).isEqualTo(s.getClass());
        assertThat(back.getConfig()).isEqualTo(s.getConfig());
    }

    @Test
    void fitFollowsTheSchedule() {
        Sequential m = new Sequential().add(Dense.builder(2).kernelInitializer(new Constant(1))
                .biasInitializer(new Constant(1)).build());
        Adam adam = new Adam(new ExponentialDecay(0.05, 1, 0.9, false), 0.9, 0.999, 1e-7);
        assertThat(adam.iterations()).isZero();
        m.build(4, 2);
        m.compile(CompileOptions.of(adam, "mse"));
        Tensor x = Tensor.arange(32).cast(DType.F32).reshape(16, 2);
        History h = m.fit(FitOptions.of(x, x).epochs(3).batchSize(4).shuffle(false).verbose(0));
        assertThat(adam.iterations()).isEqualTo(4 * 3);
        close(Tensor.of(h.history().get("loss").stream().mapToDouble(Double::doubleValue).toArray()),
                new double[] {230.79457092285156, 128.30319213867188, 79.33648681640625}, 5e-5, 0);
    }

    @Test
    void exponentialDecay() {
        roundTrips(new ExponentialDecay(0.05, 10, 0.96, true));
        close(new ExponentialDecay(0.05, 10, 0.96, false).rate(5), 0.05 * Math.pow(0.96, 5.0 / 10.0), 1e-6, 1e-6);
        ExponentialDecay stairs = new ExponentialDecay(0.1, 3, 0.96, true);
        close(stairs.rate(1), 0.1, 1e-6, 1e-6);
        close(stairs.rate(2), 0.1, 1e-6, 1e-6);
        close(stairs.rate(100), 0.1 * Math.pow(0.96, 100 / 3), 1e-6, 1e-6);
        close(stairs.rate(1), 0.1, 1e-6, 1e-6);
        close(stairs.rate(2), 0.1, 1e-6, 1e-6);
        close(stairs.rate(100), 0.1 * Math.pow(0.96, 100 / 3), 1e-6, 1e-6);
    }

    @Test
    void piecewiseConstantDecay() {
        roundTrips(new PiecewiseConstantDecay(new long[] {10, 20}, new double[] {1, 2, 3}));
        PiecewiseConstantDecay p = new PiecewiseConstantDecay(new long[] {100, 110, 120},
                new double[] {1.0, 0.1, 0.01, 0.001});
        close(p.rate(-999), 1.0, 1e-6, 1e-6);
        close(p.rate(100), 1.0, 1e-6, 1e-6);
        close(p.rate(105), 0.1, 1e-6, 1e-6);
        close(p.rate(110), 0.1, 1e-6, 1e-6);
        close(p.rate(120), 0.01, 1e-6, 1e-6);
        close(p.rate(999), 0.001, 1e-6, 1e-6);
        PiecewiseConstantDecay b = new PiecewiseConstantDecay(new long[] {1, 2, 3}, new double[] {0.4, 0.5, 0.6, 0.7});
        close(b.rate(0), 0.4, 1e-6, 1e-6);
        close(b.rate(1), 0.4, 1e-6, 1e-6);
        close(b.rate(2), 0.5, 1e-6, 1e-6);
        close(b.rate(3), 0.6, 1e-6, 1e-6);
        close(b.rate(4), 0.7, 1e-6, 1e-6);
    }

    @Test
    void polynomialDecay() {
        roundTrips(new PolynomialDecay(0.1, 100, 0.005, 1.0, false));
        double lr = 0.05;
        double end = 0.001;
        close(new PolynomialDecay(lr, 10, 0.0, 1, false).rate(5), lr * 0.5, 1e-6, 1e-6);
        close(new PolynomialDecay(lr, 10, end, 1, false).rate(10), end, 1e-6, 1e-6);
        close(new PolynomialDecay(lr, 10, end, 1, false).rate(5), (lr + end) * 0.5, 1e-6, 1e-6);
        close(new PolynomialDecay(lr, 10, end, 1, false).rate(15), end, 1e-6, 1e-6);
        close(new PolynomialDecay(lr, 10, end, 1, true).rate(15), (lr - end) * 0.25 + end, 1e-6, 1e-6);
        // Square-root decay.
        close(new PolynomialDecay(lr, 10, 0.0, 0.5, false).rate(5), lr * Math.pow(0.5, 0.5), 1e-6, 1e-6);
        close(new PolynomialDecay(lr, 10, end, 0.5, false).rate(10), end, 1e-6, 1e-6);
        close(new PolynomialDecay(lr, 10, end, 0.5, false).rate(5), (lr - end) * Math.pow(0.5, 0.5) + end, 1e-6,
                1e-6);
        close(new PolynomialDecay(lr, 10, end, 0.5, false).rate(15), end, 1e-6, 1e-6);
        close(new PolynomialDecay(lr, 10, end, 0.5, true).rate(15), (lr - end) * Math.pow(0.25, 0.5) + end, 1e-6,
                1e-6);
        close(new PolynomialDecay(0.001, 10, 1e-4, 1.0, true).rate(0), 0.001, 1e-6, 1e-6);
    }

    @Test
    void inverseTimeDecay() {
        roundTrips(new InverseTimeDecay(0.05, 10, 0.96, true));
        InverseTimeDecay smooth = new InverseTimeDecay(0.1, 10, 0.96, false);
        InverseTimeDecay stairs = new InverseTimeDecay(0.1, 10, 0.96, true);
        for (int i = 0; i <= 10; i++) {
            close(smooth.rate(i), 0.1 / (1 + i / 10.0 * 0.96), 1e-6, 1e-6);
            close(stairs.rate(i), 0.1 / (1 + 0.96 * (i / 10)), 1e-6, 1e-6);
        }
    }

    /** Keras's {@code np_cosine_decay}. */
    private static double cosine(long step, long decaySteps, double alpha) {
        double fraction = Math.min(step, decaySteps) / (double) decaySteps;
        return (1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * fraction)) + alpha;
    }

    @Test
    void cosineDecay() {
        roundTrips(new CosineDecay(0.05, 10, 0.1, 0.2, 2));
        for (long step = 0; step < 1500; step += 250) {
            close(new CosineDecay(1.0, 1000, 0).rate(step), cosine(step, 1000, 0), 1e-6, 1e-6);
            close(new CosineDecay(0.0, 10, 0, 10.0, 1500).rate(step), step / 1500.0 * 10.0);
            close(new CosineDecay(1.0, 1000, 0.1).rate(step), cosine(step, 1000, 0.1), 1e-6, 1e-6);
            close(new CosineDecay(1.0, 1000, 0).rate(step), cosine(step, 1000, 0), 1e-6, 1e-6);
        }
        for (long step = 0; step < 3000; step += 250) {
            double expected = step < 2001 ? step / 2000.0 * 10.0 : 10.0 * cosine(step - 2000, 1000, 0);
            close(new CosineDecay(0.0, 1000, 0, 10.0, 2000).rate(step), expected);
        }
    }

    /** Keras's {@code np_cosine_decay_restarts}. */
    private static double restarts(long step, double decaySteps, double tMul, double mMul, double alpha) {
        double s = step;
        double factor = 1;
        while (s >= decaySteps) {
            s -= decaySteps;
            decaySteps *= tMul;
            factor *= mMul;
        }
        return (1 - alpha) * factor * 0.5 * (1 + Math.cos(Math.PI * s / decaySteps)) + alpha;
    }

    @Test
    void cosineDecayRestarts() {
        roundTrips(new CosineDecayRestarts(0.05, 10, 3.0, 4.0, 0.1));
        for (long step = 0; step < 1500; step += 250) {
            close(new CosineDecayRestarts(1.0, 1000).rate(step), restarts(step, 1000, 2, 1, 0), 1e-6, 1e-6);
            close(new CosineDecayRestarts(1.0, 1000).rate(step), restarts(step, 1000, 2, 1, 0), 1e-6, 1e-6);
            close(new CosineDecayRestarts(1.0, 1000, 2, 1, 0.1).rate(step), restarts(step, 1000, 2, 1, 0.1), 1e-6,
                    1e-6);
            close(new CosineDecayRestarts(1.0, 1000, 2, 0.9, 0).rate(step), restarts(step, 1000, 2, 0.9, 0), 1e-6,
                    1e-6);
            close(new CosineDecayRestarts(1.0, 1000, 1, 1, 0).rate(step), restarts(step, 1000, 1, 1, 0), 1e-6, 1e-6);
        }
    }
}
