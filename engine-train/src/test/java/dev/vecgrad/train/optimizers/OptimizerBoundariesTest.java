package dev.vecgrad.train.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.train.optimizers.schedules.CosineDecay;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Optimizer paths short tests miss, against Keras's update formulas evaluated in plain double
 * arithmetic: variables longer than one SIMD vector (so the vector kernels and their tails both
 * run) with an epsilon large enough to matter, clipping below its limit, warm-up from a non-zero
 * rate, and gradients that are views of other tensors.
 */
class OptimizerBoundariesTest {
    /** Longer than two vectors of 16 floats, with a tail. */
    private static final int N = 37;

    private static float[] ramp(double start, double step) {
        float[] v = new float[N];
        for (int i = 0; i < N; i++) {
            v[i] = (float) (start + step * i);
        }
        return v;
    }

    private static void assertClose(float[] actual, double[] expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("element %s", i).isCloseTo(expected[i], within(1e-5 * (1 + Math.abs(expected[i]))));
        }
    }

    @Test
    void rmspropUsesItsEpsilonInEveryLaneAndTheTail() {
        double lr = 0.1;
        double rho = 0.9;
        double eps = 0.5;
        float[] w0 = ramp(1, 0.25);
        float[][] grads = {ramp(-2, 0.125), ramp(0.5, -0.05)};
        Variable w = new Variable("w", Tensor.of(w0), true);
        RMSprop opt = new RMSprop(lr, rho, 0, eps, false);
        double[] expected = new double[N];
        double[] velocity = new double[N];
        for (int i = 0; i < N; i++) {
            expected[i] = w0[i];
        }
        for (float[] g : grads) {
            opt.applyGradients(List.of(Tensor.of(g)), List.of(w));
            for (int i = 0; i < N; i++) {
                velocity[i] = rho * velocity[i] + (1 - rho) * g[i] * g[i];
                expected[i] -= lr * g[i] / Math.sqrt(velocity[i] + eps);
            }
        }
        assertClose(w.peek().toFloatArray(), expected);
    }

    @Test
    void adagradUsesItsEpsilonInEveryLaneAndTheTail() {
        double lr = 0.2;
        double initial = 0.1;
        double eps = 0.75;
        float[] w0 = ramp(-1, 0.1);
        float[][] grads = {ramp(1, -0.06), ramp(-0.3, 0.02)};
        Variable w = new Variable("w", Tensor.of(w0), true);
        Adagrad opt = new Adagrad(lr, initial, eps);
        double[] expected = new double[N];
        double[] acc = new double[N];
        for (int i = 0; i < N; i++) {
            expected[i] = w0[i];
            acc[i] = initial;
        }
        for (float[] g : grads) {
            opt.applyGradients(List.of(Tensor.of(g)), List.of(w));
            for (int i = 0; i < N; i++) {
                acc[i] += (double) g[i] * g[i];
                expected[i] -= lr * g[i] / Math.sqrt(acc[i] + eps);
            }
        }
        assertClose(w.peek().toFloatArray(), expected);
    }

    @Test
    void globalClipnormLeavesGradientsBelowItsLimitAlone() {
        // Joint norm of (3, 4) and (12): 13.
        Variable a = new Variable("a", Tensor.of(new float[] {0, 0}), true);
        Variable b = new Variable("b", Tensor.of(new float[] {0}), true);
        List<Tensor> grads = List.of(Tensor.of(new float[] {3, 4}), Tensor.of(new float[] {12}));
        SGD below = new SGD(1);
        below.setGlobalClipnorm(13.5);
        below.applyGradients(grads, List.of(a, b));
        assertThat(a.peek().toFloatArray()).containsExactly(-3, -4);
        assertThat(b.peek().toFloatArray()).containsExactly(-12);

        Variable c = new Variable("c", Tensor.of(new float[] {0, 0}), true);
        Variable d = new Variable("d", Tensor.of(new float[] {0}), true);
        SGD above = new SGD(1);
        above.setGlobalClipnorm(6.5);                                   // half the joint norm
        above.applyGradients(grads, List.of(c, d));
        assertThat(c.peek().toFloatArray()).containsExactly(new float[] {-1.5f, -2}, within(1e-6f));
        assertThat(d.peek().toFloatArray()).containsExactly(new float[] {-6}, within(1e-6f));
    }

    @Test
    void cosineDecayWarmsUpLinearlyFromANonZeroRate() {
        double initial = 0.1;
        double target = 1.0;
        long warmup = 10;
        long decay = 20;
        double alpha = 0.05;
        CosineDecay s = new CosineDecay(initial, decay, alpha, target, warmup);
        for (long step = 0; step < warmup; step++) {
            assertThat(s.rate(step)).as("warm-up step %s", step)
                    .isCloseTo(initial + (target - initial) * step / warmup, within(1e-12));
        }
        for (long step = warmup; step <= warmup + decay + 3; step++) {
            double t = Math.min(step - warmup, decay);
            double cosine = 0.5 * (1 + Math.cos(Math.PI * t / decay));
            assertThat(s.rate(step)).as("decay step %s", step).isCloseTo(target * ((1 - alpha) * cosine + alpha), within(1e-12));
        }
        assertThat(s.rate(5)).isCloseTo(0.55, within(1e-12));
    }

    @Test
    void gradientsThatAreViewsUpdateTheRightElements() {
        float[] big = new float[3 * N];
        for (int i = 0; i < big.length; i++) {
            big[i] = (float) Math.sin(i);
        }
        Tensor rows = Tensor.of(big, 3, N);
        Tensor offsetRow = rows.slice(0, 1, 2).reshape(N);           // contiguous, starting at N
        Tensor column = Tensor.of(big, N, 3).slice(1, 2, 3).reshape(N); // stride 3: not contiguous
        for (Tensor g : List.of(offsetRow, column)) {
            float[] expectedG = g.toFloatArray();
            Variable sgdW = new Variable("w", Tensor.of(ramp(0, 1)), true);
            new SGD(0.5).applyGradients(List.of(g), List.of(sgdW));
            double[] expected = new double[N];
            for (int i = 0; i < N; i++) {
                expected[i] = i - 0.5 * expectedG[i];
            }
            assertClose(sgdW.peek().toFloatArray(), expected);

            Variable adamW = new Variable("w", Tensor.of(ramp(0, 1)), true);
            new Adam(0.01).applyGradients(List.of(g), List.of(adamW));
            double alpha = 0.01 * Math.sqrt(1 - 0.999) / (1 - 0.9);   // Keras's bias-corrected rate at step 1
            for (int i = 0; i < N; i++) {
                double m = (1 - 0.9) * expectedG[i];
                double v = (1 - 0.999) * expectedG[i] * expectedG[i];
                expected[i] = i - alpha * m / (Math.sqrt(v) + 1e-7);
            }
            assertClose(adamW.peek().toFloatArray(), expected);
        }
    }
}
