package dev.vecgrad.train.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.train.optimizers.schedules.ExponentialDecay;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each optimizer against its published update rule, evaluated in the test with plain double
 * arithmetic over three steps, for F32 variables (SIMD or scalar kernels) and F64 variables.
 */
class OptimizersTest {
    private static final double[] W0 = {1.0, -2.0, 0.5, 3.0, -0.75};
    private static final double[][] GRADS = {
        {0.5, 0.25, -1.0, 2.0, 0.0},
        {-0.3, 0.8, 0.1, -1.5, 0.4},
        {0.9, -0.6, 0.05, 0.7, -2.0},
    };

    /** The expected weights after the three steps, from the formula. */
    interface Rule {
        void step(double[] w, double[] g, int t);
    }

    private static double[] expected(Rule rule) {
        double[] w = W0.clone();
        for (int t = 1; t <= GRADS.length; t++) {
            rule.step(w, GRADS[t - 1], t);
        }
        return w;
    }

    private static void assertFollows(java.util.function.Supplier<Optimizer> make, Rule rule) {
        double[] want = expected(rule);
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            Optimizer opt = make.get();
            Variable v = new Variable("v", Tensor.of(W0).cast(dtype), true);
            for (double[] g : GRADS) {
                opt.applyGradients(List.of(Tensor.of(g).cast(dtype)), List.of(v));
            }
            assertThat(opt.iterations()).isEqualTo(3);
            double[] got = v.peek().toDoubleArray();
            double tol = dtype == DType.F32 ? 2e-6 : 1e-12;
            for (int i = 0; i < want.length; i++) {
                assertThat(got[i]).as("%s %s element %d", opt.className(), dtype, i)
                        .isCloseTo(want[i], within(tol * Math.max(1, Math.abs(want[i]))));
            }
        }
    }

    @Test
    void sgd() {
        assertFollows(() -> new SGD(0.1), (w, g, t) -> {
            for (int i = 0; i < w.length; i++) {
                w[i] -= 0.1 * g[i];
            }
        });
    }

    @Test
    void sgdWithMomentumAndNesterov() {
        for (boolean nesterov : new boolean[] {false, true}) {
            double[] m = new double[W0.length];
            assertFollows(() -> new SGD(0.1, 0.9, nesterov), (w, g, t) -> {
                for (int i = 0; i < w.length; i++) {
                    m[i] = 0.9 * m[i] - 0.1 * g[i];
                    w[i] += nesterov ? 0.9 * m[i] - 0.1 * g[i] : m[i];
                }
            });
        }
    }

    @Test
    void rmspropPlainCenteredAndWithMomentum() {
        double lr = 0.01;
        double rho = 0.8;
        double eps = 0.05;   // large, so that where epsilon sits (inside the root, as Keras) matters
        for (boolean centered : new boolean[] {false, true}) {
            for (double momentum : new double[] {0, 0.7}) {
                assertFollows(() -> new RMSprop(lr, rho, momentum, eps, centered), new Rule() {
                    final double[] v = new double[W0.length];
                    final double[] mg = new double[W0.length];
                    final double[] mom = new double[W0.length];

                    @Override
                    public void step(double[] w, double[] g, int t) {
                        for (int i = 0; i < w.length; i++) {
                            v[i] = rho * v[i] + (1 - rho) * g[i] * g[i];
                            double denom = v[i] + eps;
                            if (centered) {
                                mg[i] = rho * mg[i] + (1 - rho) * g[i];
                                denom -= mg[i] * mg[i];
                            }
                            double inc = lr * g[i] / Math.sqrt(denom);
                            if (momentum > 0) {
                                mom[i] = momentum * mom[i] + inc;
                                w[i] -= mom[i];
                            } else {
                                w[i] -= inc;
                            }
                        }
                    }
                });
            }
        }
    }

    /** Kingma and Ba, Algorithm 1 in its efficient form (section 2): epsilon-hat outside the root. */
    private static Rule adamRule(double lr, double b1, double b2, double epsHat, double weightDecay) {
        return new Rule() {
            final double[] m = new double[W0.length];
            final double[] v = new double[W0.length];

            @Override
            public void step(double[] w, double[] g, int t) {
                double alphaT = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
                for (int i = 0; i < w.length; i++) {
                    w[i] -= lr * weightDecay * w[i];
                    m[i] = b1 * m[i] + (1 - b1) * g[i];
                    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                    w[i] -= alphaT * m[i] / (Math.sqrt(v[i]) + epsHat);
                }
            }
        };
    }

    @Test
    void adam() {
        assertFollows(() -> new Adam(0.01, 0.8, 0.9, 0.1), adamRule(0.01, 0.8, 0.9, 0.1, 0));
        assertFollows(Adam::new, adamRule(0.001, 0.9, 0.999, 1e-7, 0));
    }

    @Test
    void adamW() {
        assertFollows(() -> new AdamW(0.05, 0.1, 0.8, 0.9, 0.1), adamRule(0.05, 0.8, 0.9, 0.1, 0.1));
        assertThat(new AdamW().weightDecay()).isEqualTo(0.004);
    }

    @Test
    void adagrad() {
        double lr = 0.1;
        double eps = 0.01;
        assertFollows(() -> new Adagrad(lr, 0.2, eps), new Rule() {
            final double[] acc = {0.2, 0.2, 0.2, 0.2, 0.2};

            @Override
            public void step(double[] w, double[] g, int t) {
                for (int i = 0; i < w.length; i++) {
                    acc[i] += g[i] * g[i];
                    w[i] -= lr * g[i] / Math.sqrt(acc[i] + eps);
                }
            }
        });
    }

    @Test
    void nullGradientsAreSkipped() {
        Variable a = new Variable("a", Tensor.of(new float[] {1, 2}), true);
        Variable b = new Variable("b", Tensor.of(new float[] {3}), true);
        Adam opt = new Adam(0.1);
        opt.applyGradients(Arrays.asList(null, Tensor.of(new float[] {1})), List.of(a, b));
        assertThat(a.peek().toFloatArray()).containsExactly(1, 2);
        assertThat(b.peek().toFloatArray()[0]).isCloseTo(3 - 0.1f, within(1e-5f));
        assertThat(opt.slot(a, "m")).isNull();
        assertThat(opt.iterations()).isEqualTo(1);
    }

    @Test
    void clipping() {
        Variable v = new Variable("v", Tensor.of(new float[] {0, 0}), true);
        new SGD(1).setClipnorm(1.0).applyGradients(List.of(Tensor.of(new float[] {3, 4})), List.of(v));
        assertThat(v.peek().toFloatArray()).containsExactly(-0.6f, -0.8f);
        // Below the norm nothing changes.
        Variable small = new Variable("s", Tensor.of(new float[] {0, 0}), true);
        new SGD(1).setClipnorm(10.0).applyGradients(List.of(Tensor.of(new float[] {3, 4})), List.of(small));
        assertThat(small.peek().toFloatArray()).containsExactly(-3f, -4f);

        Variable a = new Variable("a", Tensor.of(new float[] {0, 0}), true);
        Variable b = new Variable("b", Tensor.of(new float[] {0}), true);
        new SGD(1).setGlobalClipnorm(1.0).applyGradients(
                List.of(Tensor.of(new float[] {3, 4}), Tensor.of(new float[] {12})), List.of(a, b));
        assertThat(a.peek().toFloatArray()[0]).isCloseTo(-3f / 13, within(1e-7f));
        assertThat(a.peek().toFloatArray()[1]).isCloseTo(-4f / 13, within(1e-7f));
        assertThat(b.peek().toFloatArray()[0]).isCloseTo(-12f / 13, within(1e-7f));

        Variable c = new Variable("c", Tensor.of(new float[] {0, 0, 0}), true);
        new SGD(1).setClipvalue(0.5).applyGradients(List.of(Tensor.of(new float[] {3, -0.2f, -4})), List.of(c));
        assertThat(c.peek().toFloatArray()).containsExactly(-0.5f, 0.2f, 0.5f);

        assertThatThrownBy(() -> new SGD().setClipnorm(1.0).setClipvalue(1.0)).hasMessageContaining("only one");
        assertThatThrownBy(() -> new SGD().setClipnorm(-1.0)).hasMessageContaining("-1");
    }

    @Test
    void scheduleDrivesTheStepsLearningRate() {
        Variable v = new Variable("v", Tensor.of(new double[] {0}), true);
        SGD opt = new SGD(new ExponentialDecay(0.1, 1, 0.5, false), 0, false);
        for (int i = 0; i < 3; i++) {
            opt.applyGradients(List.of(Tensor.of(new double[] {1})), List.of(v));
        }
        // Steps use rates for iterations 0, 1, 2: 0.1, 0.05, 0.025.
        assertThat(v.peek().item()).isCloseTo(-(0.1 + 0.05 + 0.025), within(1e-12));
        assertThat(opt.learningRate()).isCloseTo(0.0125, within(1e-15));
        assertThatThrownBy(() -> opt.setLearningRate(0.5)).isInstanceOf(IllegalStateException.class);
        SGD constant = new SGD(0.1);
        constant.setLearningRate(0.01);
        assertThat(constant.learningRate()).isEqualTo(0.01);
    }

    @Test
    void stateSavesAndRestoresSlotsAndSteps() {
        Variable a = new Variable("dense/kernel", Tensor.of(W0).cast(DType.F32), true);
        Adam first = new Adam(0.01);
        first.applyGradients(List.of(Tensor.of(GRADS[0]).cast(DType.F32)), List.of(a));
        first.applyGradients(List.of(Tensor.of(GRADS[1]).cast(DType.F32)), List.of(a));
        Map<String, Tensor> state = first.state();
        assertThat(state).containsOnlyKeys("iterations", "dense/kernel/m", "dense/kernel/v");
        assertThat(state.get("iterations").item()).isEqualTo(2);

        Variable b = new Variable("dense/kernel", a.peek(), true);
        Adam second = new Adam(0.01);
        second.loadState(state);   // before b has slots: they wait for it
        assertThat(second.iterations()).isEqualTo(2);
        // Saved again before b's first gradient, the restored optimizer gives back all it was given.
        Map<String, Tensor> again = second.state();
        assertThat(again).containsOnlyKeys("iterations", "dense/kernel/m", "dense/kernel/v");
        assertThat(again.get("dense/kernel/v").toFloatArray()).containsExactly(state.get("dense/kernel/v").toFloatArray());
        first.applyGradients(List.of(Tensor.of(GRADS[2]).cast(DType.F32)), List.of(a));
        second.applyGradients(List.of(Tensor.of(GRADS[2]).cast(DType.F32)), List.of(b));
        assertThat(b.peek().toFloatArray()).containsExactly(a.peek().toFloatArray());
        assertThat(second.slot(b, "v").toFloatArray()).containsExactly(first.slot(a, "v").toFloatArray());
    }

    @Test
    void mismatchedGradientsAreClearErrors() {
        Variable v = new Variable("w", Tensor.of(new float[] {1, 2}), true);
        assertThatThrownBy(() -> new SGD().applyGradients(List.of(Tensor.of(new float[] {1, 2, 3})), List.of(v)))
                .hasMessageContaining("w").hasMessageContaining("(3,)").hasMessageContaining("(2,)");
        assertThatThrownBy(() -> new SGD().applyGradients(List.of(Tensor.of(new double[] {1, 2})), List.of(v)))
                .hasMessageContaining("F64");
        assertThatThrownBy(() -> new SGD().applyGradients(List.of(), List.of(v))).hasMessageContaining("0 gradients");
        Variable frozen = new Variable("f", Tensor.of(new float[] {1}), false);
        assertThatThrownBy(() -> new SGD().applyGradients(List.of(Tensor.of(new float[] {1})), List.of(frozen)))
                .hasMessageContaining("not trainable");
    }

    @Test
    void anUpdateLeavesWhatALiveTapeHoldsAloneAndIsInPlaceOnceTheTapeIsDone() {
        Variable v = new Variable("v", Tensor.of(new float[] {1, 2}), true);
        try (GradientTape tape = GradientTape.openPersistent()) {
            Tensor seen = v.value();
            Tensor loss = seen.square().sum();
            new SGD(0.5).applyGradients(tape.gradient(loss, List.of(v)), List.of(v));   // w - 0.5·2w
            assertThat(v.peek().toFloatArray()).containsExactly(0, 0);
            assertThat(seen.toFloatArray()).as("the persistent tape still holds it").containsExactly(1, 2);
            assertThat(tape.gradient(loss, List.of(v)).get(0).toFloatArray()).containsExactly(2, 4);
        }
        Variable w = new Variable("w", Tensor.of(new float[] {1, 2}), true);
        Object storage = w.peek().array();
        try (GradientTape tape = GradientTape.open()) {
            Tensor loss = w.value().square().sum();
            new SGD(0.5).applyGradients(tape.gradient(loss, List.of(w)), List.of(w));
        }
        assertThat(w.peek().array()).as("the tape released its hold with its gradient").isSameAs(storage);
        assertThat(w.peek().toFloatArray()).containsExactly(0, 0);
    }

    @Test
    void lookUpAndConfigRoundTrip() {
        for (String n : List.of("sgd", "rmsprop", "adam", "adamw", "adagrad", "nadam", "adamax", "lion")) {
            Optimizer o = Optimizers.get(n);
            Optimizer back = Optimizers.fromConfig(o.className(), o.getConfig());
            assertThat(back.getConfig()).isEqualTo(o.getConfig());
        }
        Optimizer scheduled = new Adam(new ExponentialDecay(0.1, 100, 0.9, true), 0.9, 0.999, 1e-7).setClipnorm(2.0);
        Optimizer back = Optimizers.fromConfig("Adam", scheduled.getConfig());
        assertThat(back.getConfig()).isEqualTo(scheduled.getConfig());
        assertThat(Optimizers.get("sgd").learningRate()).isEqualTo(0.01);
        assertThatThrownBy(() -> Optimizers.get("lyon")).hasMessageContaining("lyon").hasMessageContaining("lion");
    }

    @Test
    void noGradientAtAllIsAnErrorAndDoesNotCountAStep() {
        Variable v = new Variable("v", Tensor.of(new float[] {3, 4}), true);
        Variable w = new Variable("w", Tensor.of(new float[] {1}), true);
        SGD sgd = new SGD(1.0);
        assertThatThrownBy(() -> sgd.applyGradients(Arrays.asList(null, null), List.of(v, w)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no gradients provided")
                .hasMessageContaining("v");
        assertThat(sgd.iterations()).isZero();
        assertThat(v.value().toFloatArray()).containsExactly(3, 4);
        // Null gradients beside a real one are skipped, and the step counts.
        sgd.applyGradients(Arrays.asList(null, Tensor.of(new float[] {1})), List.of(v, w));
        assertThat(sgd.iterations()).isEqualTo(1);
        assertThat(w.value().toFloatArray()).containsExactly(0);
    }

    /** Five steps of {@code opt} on a variable of {@code dtype}, from fixed start values and gradients. */
    private static double[] fiveSteps(Optimizer opt, DType dtype) {
        Variable v = new Variable("w", Tensor.of(new double[] {0.5, -1.5, 2.0, 0.25, -0.75}).cast(dtype), true);
        for (int s = 0; s < 5; s++) {
            Tensor g = Tensor.of(new double[] {0.3 - s * 0.1, 1.1, -0.4 + s * 0.2, 0.0, -2.5}).cast(dtype);
            opt.applyGradients(List.of(g), List.of(v));
        }
        return v.value().toDoubleArray();
    }

    @Test
    void theF64PathsFollowTheF32Kernels() {
        List<java.util.function.Supplier<Optimizer>> kinds = List.of(() -> new Nadam(0.05), () -> new Adamax(0.05),
                () -> new Lion(0.05), () -> new Adam(0.05, 0.9, 0.999, 1e-7, true).setWeightDecay(0.1),
                () -> new SGD(0.1, 0.9, true).setWeightDecay(0.2), () -> new RMSprop(0.01).setWeightDecay(0.3));
        for (java.util.function.Supplier<Optimizer> kind : kinds) {
            double[] f32 = fiveSteps(kind.get(), DType.F32);
            double[] f64 = fiveSteps(kind.get(), DType.F64);
            assertThat(f64).as(kind.get().className()).containsExactly(f32, within(2e-5));
        }
    }

    @Test
    void weightDecayShrinksBeforeTheUpdateAndExclusionsAreFixedOnceBuilt() {
        Variable kernel = new Variable("dense/kernel", Tensor.of(new float[] {2}), true);
        Variable bias = new Variable("dense/bias", Tensor.of(new float[] {2}), true);
        Optimizer sgd = new SGD(0.5).setWeightDecay(0.1);
        sgd.excludeFromWeightDecay(List.of(), List.of("bias$"));
        sgd.applyGradients(List.of(Tensor.of(new float[] {1}), Tensor.of(new float[] {1})), List.of(kernel, bias));
        // kernel: 2 - 0.5 * 0.1 * 2 = 1.9, then - 0.5 * 1; bias: no decay.
        assertThat(kernel.value().item()).isCloseTo(1.4, within(1e-6));
        assertThat(bias.value().item()).isCloseTo(1.5, within(1e-6));
        assertThatThrownBy(() -> sgd.excludeFromWeightDecay(List.of(kernel), List.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("before the optimizer is built");
        assertThatThrownBy(() -> sgd.setGradientAccumulationSteps(2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new SGD().setWeightDecay(-1.0)).hasMessageContaining("weightDecay");
        assertThatThrownBy(() -> new SGD().setGradientAccumulationSteps(1)).hasMessageContaining("at least 2");
        assertThatThrownBy(() -> new SGD().setEma(1.5, null)).hasMessageContaining("emaMomentum");
    }

    @Test
    void accumulatorsAndAveragesSurviveASaveAndLoad() {
        java.util.function.Supplier<Optimizer> make = () -> new Adam(0.1).setGradientAccumulationSteps(3)
                .setEma(0.8, null).setWeightDecay(0.05);
        Optimizer a = make.get();
        Variable va = new Variable("w", Tensor.of(new float[] {1, -2}), true);
        for (int s = 0; s < 4; s++) {
            a.applyGradients(List.of(Tensor.of(new float[] {0.5f * s, -1})), List.of(va));
        }
        Map<String, Tensor> state = a.state();
        assertThat(state).containsKeys("iterations", "w/m", "w/v", "w/accumulated_gradient", "w/average");
        assertThat(state.get("iterations").item()).isEqualTo(4);
        Optimizer b = make.get();
        b.loadState(state);
        Variable vb = new Variable("w", va.value(), true);
        assertThat(b.iterations()).isEqualTo(1);
        for (int s = 4; s < 7; s++) {
            Tensor g = Tensor.of(new float[] {0.5f * s, -1});
            a.applyGradients(List.of(g), List.of(va));
            b.applyGradients(List.of(g), List.of(vb));
        }
        assertThat(vb.value().toFloatArray()).containsExactly(va.value().toFloatArray());
        assertThat(b.movingAverage(vb).toFloatArray()).containsExactly(a.movingAverage(va).toFloatArray());
        assertThat(b.iterations()).isEqualTo(2);
    }

    @Test
    void aLambdaScheduleRunsButIsNotSaved() {
        SGD sgd = new SGD(step -> 0.5 / (1 + step), 0, false);
        Variable v = new Variable("v", Tensor.of(new float[] {1}), true);
        sgd.applyGradients(List.of(Tensor.of(new float[] {1})), List.of(v));
        sgd.applyGradients(List.of(Tensor.of(new float[] {1})), List.of(v));
        assertThat(v.value().item()).isCloseTo(1 - 0.5 - 0.25, within(1e-6));
        assertThat(sgd.schedule().className()).isEqualTo("lambda");
        assertThatThrownBy(() -> Optimizers.fromConfig("SGD", sgd.getConfig())).hasMessageContaining("lambda");
    }
}
