package dev.vecgrad.train.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every optimizer's config with arguments that differ from Keras's defaults, written out here and
 * read back through {@link Optimizers#fromConfig}; every argument check at its limit, just inside
 * and just outside; the options every optimizer has (clipping, weight decay, accumulation, moving
 * averages) at their limits.
 */
class OptimizerConfigAndLimitsTest {

    /** The options every optimizer has, each away from its default. */
    private static Map<String, Object> baseOptions(Optimizer o) {
        o.setClipnorm(1.5).setWeightDecay(0.02).setGradientAccumulationSteps(4).setEma(0.9, 3);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("clipnorm", 1.5);
        c.put("clipvalue", null);
        c.put("global_clipnorm", null);
        c.put("weight_decay", 0.02);
        c.put("use_ema", true);
        c.put("ema_momentum", 0.9);
        c.put("ema_overwrite_frequency", 3);
        c.put("gradient_accumulation_steps", 4);
        return c;
    }

    private static void roundTrips(Optimizer o, Map<String, Object> own) {
        Map<String, Object> expected = new LinkedHashMap<>(baseOptions(o));
        expected.putAll(own);
        Map<String, Object> config = o.getConfig();
        assertThat(config).as(o.className()).containsAllEntriesOf(expected);
        Optimizer back = Optimizers.fromConfig(o.className(), config);
        assertThat(back).isInstanceOf(o.getClass());
        assertThat(back.getConfig()).as(o.className()).isEqualTo(config);
        assertThat(back.learningRate()).isEqualTo(o.learningRate());
    }

    @Test
    void everyOptimizersConfigCarriesItsOwnArgumentsThroughFromConfig() {
        roundTrips(new SGD(0.03, 0.7, true), Map.of("learning_rate", 0.03, "momentum", 0.7, "nesterov", true));
        roundTrips(new RMSprop(0.02, 0.8, 0.25, 1e-4, true),
                Map.of("learning_rate", 0.02, "rho", 0.8, "momentum", 0.25, "epsilon", 1e-4, "centered", true));
        roundTrips(new Adam(0.004, 0.8, 0.99, 1e-5, true),
                Map.of("beta_1", 0.8, "beta_2", 0.99, "epsilon", 1e-5, "amsgrad", true));
        roundTrips(new AdamW(0.004, 0.03, 0.7, 0.98, 1e-6, true),
                Map.of("beta_1", 0.7, "beta_2", 0.98, "epsilon", 1e-6, "amsgrad", true));
        roundTrips(new Adagrad(0.05, 0.3, 1e-3),
                Map.of("learning_rate", 0.05, "initial_accumulator_value", 0.3, "epsilon", 1e-3));
        roundTrips(new Nadam(0.006, 0.85, 0.995, 1e-6), Map.of("beta_1", 0.85, "beta_2", 0.995, "epsilon", 1e-6));
        roundTrips(new Adamax(0.007, 0.75, 0.97, 1e-5), Map.of("beta_1", 0.75, "beta_2", 0.97, "epsilon", 1e-5));
        roundTrips(new Lion(0.0003, 0.8, 0.95), Map.of("learning_rate", 0.0003, "beta_1", 0.8, "beta_2", 0.95));
    }

    @Test
    void rmspropAcceptsRhoAndMomentumFromZeroToOneAndAnEpsilonOfZero() {
        for (double x : new double[] {0, 1e-9, 1 - 1e-9, 1}) {
            assertThatCode(() -> new RMSprop(0.1, x, 0.5, 1e-7, false)).as("rho %s", x).doesNotThrowAnyException();
            assertThatCode(() -> new RMSprop(0.1, 0.9, x, 1e-7, false)).as("momentum %s", x)
                    .doesNotThrowAnyException();
        }
        assertThatCode(() -> new RMSprop(0.1, 0.9, 0, 0, false)).doesNotThrowAnyException();
        for (double x : new double[] {-1e-9, 1 + 1e-9, Double.NaN}) {
            assertThatThrownBy(() -> new RMSprop(0.1, x, 0, 1e-7, false)).as("rho %s", x)
                    .hasMessageContaining("rho=" + x);
            assertThatThrownBy(() -> new RMSprop(0.1, 0.9, x, 1e-7, false)).as("momentum %s", x)
                    .hasMessageContaining("momentum=" + x);
        }
        assertThatThrownBy(() -> new RMSprop(0.1, 0.9, 0, -1e-12, false)).hasMessageContaining("epsilon=-1.0E-12");
    }

    @Test
    void adagradAcceptsZeroAndRefusesNegativeAccumulatorAndEpsilon() {
        assertThatCode(() -> new Adagrad(0.1, 0, 0)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new Adagrad(0.1, -1e-12, 0)).hasMessageContaining("-1.0E-12 and 0.0");
        assertThatThrownBy(() -> new Adagrad(0.1, 0, -1e-12)).hasMessageContaining("0.0 and -1.0E-12");
    }

    @Test
    void lionTakesBeta1InZeroExclusiveToOneAndBeta2InZeroToOne() {
        for (double b : new double[] {1e-9, 1}) {
            assertThatCode(() -> new Lion(0.1, b, 0.99)).as("beta1 %s", b).doesNotThrowAnyException();
        }
        for (double b : new double[] {0, 1 + 1e-9}) {
            assertThatThrownBy(() -> new Lion(0.1, b, 0.99)).as("beta1 %s", b).hasMessageContaining("beta_1=" + b);
        }
        for (double b : new double[] {0, 1}) {
            assertThatCode(() -> new Lion(0.1, 0.9, b)).as("beta2 %s", b).doesNotThrowAnyException();
        }
        for (double b : new double[] {-1e-9, 1 + 1e-9}) {
            assertThatThrownBy(() -> new Lion(0.1, 0.9, b)).as("beta2 %s", b).hasMessageContaining("got " + b);
        }
    }

    @Test
    void adamNadamAndAdamaxTakeBetasInZeroToOneExclusiveAndEpsilonFromZero() {
        List<Supplier<Optimizer>> accepted = new ArrayList<>();
        for (double b : new double[] {0, 1 - 1e-9}) {
            accepted.add(() -> new Adam(0.1, b, 0.999, 1e-7));
            accepted.add(() -> new Nadam(0.1, 0.9, b, 1e-7));
            accepted.add(() -> new Adamax(0.1, b, b, 0));
        }
        for (Supplier<Optimizer> s : accepted) {
            assertThatCode(s::get).doesNotThrowAnyException();
        }
        for (double b : new double[] {-1e-9, 1}) {
            assertThatThrownBy(() -> new Adam(0.1, b, 0.999, 1e-7)).hasMessageContaining("beta1=" + b);
            assertThatThrownBy(() -> new Adam(0.1, 0.9, b, 1e-7)).hasMessageContaining("beta2=" + b);
        }
        assertThatThrownBy(() -> new Nadam(0.1, 0.9, 0.999, -1e-12)).hasMessageContaining("epsilon=-1.0E-12");
    }

    @Test
    void sgdTakesMomentumFromZeroToOneAndKeepsAMomentumSlotOnlyAboveZero() {
        assertThatCode(() -> new SGD(0.1, 1, false)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new SGD(0.1, -1e-9, false)).hasMessageContaining("got -1.0E-9");
        assertThatThrownBy(() -> new SGD(0.1, 1 + 1e-9, false)).hasMessageContaining("[0, 1]");

        Variable v = new Variable("v", Tensor.of(new float[] {1, 2}), true);
        SGD plain = new SGD(0.5, 0, false);
        plain.applyGradients(List.of(Tensor.of(new float[] {1, 1})), List.of(v));
        assertThat(plain.state()).containsOnlyKeys("iterations");
        assertThat(plain.slot(v, "momentum")).isNull();
        SGD withMomentum = new SGD(0.5, 1e-9, false);
        withMomentum.applyGradients(List.of(Tensor.of(new float[] {1, 1})), List.of(v));
        assertThat(withMomentum.state()).containsOnlyKeys("iterations", "v/momentum");
    }

    @Test
    void rmspropKeepsAMomentumSlotOnlyWithMomentumAndAnAverageOnlyWhenCentered() {
        Variable v = new Variable("w", Tensor.of(new float[] {1, 2}), true);
        RMSprop plain = new RMSprop(0.1, 0.9, 0, 1e-7, false);
        plain.applyGradients(List.of(Tensor.of(new float[] {1, 1})), List.of(v));
        assertThat(plain.state()).containsOnlyKeys("iterations", "w/velocity");
        assertThat(plain.slot(v, "momentum")).isNull();
        RMSprop all = new RMSprop(0.1, 0.9, 0.5, 1e-7, true);
        all.applyGradients(List.of(Tensor.of(new float[] {1, 1})), List.of(v));
        assertThat(all.state()).containsOnlyKeys("iterations", "w/velocity", "w/average_gradient", "w/momentum");
    }

    @Test
    void nadamRestoredToAnEarlierStepRecomputesItsMomentumProduct() {
        float[][] grads = {{0.5f, -1}, {0.25f, 2}, {-1.5f, 0.75f}, {1, -0.5f}};
        Variable w = new Variable("w", Tensor.of(new float[] {1, -2}), true);
        Nadam opt = new Nadam(0.1);
        opt.applyGradients(List.of(Tensor.of(grads[0])), List.of(w));
        Map<String, Tensor> afterOne = opt.state();
        float[] valueAfterOne = w.peek().toFloatArray();
        opt.applyGradients(List.of(Tensor.of(grads[1])), List.of(w));
        opt.applyGradients(List.of(Tensor.of(grads[2])), List.of(w));

        Variable fresh = new Variable("w", Tensor.of(valueAfterOne), true);
        Nadam restored = new Nadam(0.1);
        restored.loadState(afterOne);
        restored.applyGradients(List.of(Tensor.of(grads[3])), List.of(fresh));
        // The optimizer that went on to step 3, restored to step 1: its cached product is for step 3.
        w.assign(Tensor.of(valueAfterOne));
        opt.loadState(afterOne);
        opt.applyGradients(List.of(Tensor.of(grads[3])), List.of(w));
        assertThat(w.peek().toFloatArray()).containsExactly(fresh.peek().toFloatArray());
        assertThat(w.peek().toFloatArray()).isNotEqualTo(valueAfterOne);
    }

    @Test
    void clippingLeavesAGradientExactlyAtItsLimitAsItIs() {
        Tensor g = Tensor.of(new float[] {3, 4});   // norm 5
        Tensor h = Tensor.of(new float[] {0, 0});
        assertThat(new SGD().setClipnorm(5.0).clipGradients(List.of(g)).get(0)).isSameAs(g);
        assertThat(new SGD().setGlobalClipnorm(5.0).clipGradients(List.of(g, h)).get(0)).isSameAs(g);
        Tensor clipped = new SGD().setClipnorm(4.0).clipGradients(List.of(g)).get(0);
        assertThat(clipped.toFloatArray()).containsExactly(new float[] {2.4f, 3.2f}, within(1e-6f));
        List<Tensor> global = new SGD().setGlobalClipnorm(2.5).clipGradients(List.of(g, h));
        assertThat(global.get(0).toFloatArray()).containsExactly(new float[] {1.5f, 2}, within(1e-6f));
    }

    @Test
    void clippingLimitsMustBePositiveAndOnlyOneKindMaySet() {
        for (String kind : List.of("clipnorm", "clipvalue", "globalClipnorm")) {
            assertThatThrownBy(() -> clip(new SGD(), kind, 0.0)).as(kind)
                    .hasMessageContaining(kind + " must be positive, got 0.0");
            assertThatCode(() -> clip(new SGD(), kind, Double.MIN_VALUE)).as(kind).doesNotThrowAnyException();
            for (String other : List.of("clipnorm", "clipvalue", "globalClipnorm")) {
                if (!other.equals(kind)) {
                    Optimizer o = clip(new SGD(), other, 1.0);
                    assertThatThrownBy(() -> clip(o, kind, 1.0)).as(other + " then " + kind)
                            .hasMessageContaining("only one of");
                }
            }
        }
    }

    private static Optimizer clip(Optimizer o, String kind, double limit) {
        return switch (kind) {
            case "clipnorm" -> o.setClipnorm(limit);
            case "clipvalue" -> o.setClipvalue(limit);
            default -> o.setGlobalClipnorm(limit);
        };
    }

    @Test
    void learningRateWeightDecayAccumulationAndEmaAtTheirLimits() {
        SGD sgd = new SGD(0.1);
        sgd.setLearningRate(0);
        assertThat(sgd.learningRate()).isZero();
        assertThatThrownBy(() -> sgd.setLearningRate(-1e-12)).hasMessageContaining("got -1.0E-12");
        assertThatThrownBy(() -> sgd.setLearningRate(Double.POSITIVE_INFINITY)).hasMessageContaining("finite");

        assertThat(new SGD().setWeightDecay(0.0).weightDecay()).isZero();
        assertThatThrownBy(() -> new SGD().setWeightDecay(Double.POSITIVE_INFINITY)).hasMessageContaining("finite");

        assertThat(new SGD().setGradientAccumulationSteps(2).gradientAccumulationSteps()).isEqualTo(2);
        assertThatThrownBy(() -> new SGD().setGradientAccumulationSteps(1)).hasMessageContaining("got 1");

        for (double m : new double[] {0, 1}) {
            assertThat(new SGD().setEma(m, 1).getConfig()).containsEntry("ema_momentum", m)
                    .containsEntry("ema_overwrite_frequency", 1);
        }
        for (double m : new double[] {-1e-9, 1 + 1e-9}) {
            assertThatThrownBy(() -> new SGD().setEma(m, null)).hasMessageContaining("got " + m);
        }
        assertThat(new SGD().useEma()).isFalse();
        assertThat(new SGD().setEma(0.5, null).useEma()).isTrue();
        assertThatThrownBy(() -> new SGD().setEma(0.5, 0)).hasMessageContaining("emaOverwriteFrequency")
                .hasMessageContaining("got 0");
    }

    @Test
    void emaAndWeightDecayExclusionsAreFixedOnceTheOptimizerHasUpdated() {
        Variable v = new Variable("v", Tensor.of(new float[] {1}), true);
        SGD sgd = new SGD(0.1);
        sgd.applyGradients(List.of(Tensor.of(new float[] {1})), List.of(v));
        assertThatThrownBy(() -> sgd.setEma(0.9, null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("useEma");
        assertThat(sgd.useEma()).isFalse();
    }

    @Test
    void excludingFromWeightDecayAgainReplacesTheEarlierExclusions() {
        Variable a = new Variable("a", Tensor.of(new float[] {2}), true);
        Variable b = new Variable("b", Tensor.of(new float[] {2}), true);
        Optimizer sgd = new SGD(0.5).setWeightDecay(0.1);
        sgd.excludeFromWeightDecay(List.of(a), List.of());
        sgd.excludeFromWeightDecay(List.of(b), List.of());
        sgd.applyGradients(List.of(Tensor.of(new float[] {1}), Tensor.of(new float[] {1})), List.of(a, b));
        // a decays (2 · (1 - 0.5 · 0.1) = 1.9) before the step of 0.5; b only steps.
        assertThat(a.value().item()).isCloseTo(1.4, within(1e-6));
        assertThat(b.value().item()).isCloseTo(1.5, within(1e-6));
    }

    @Test
    void aSavedSlotOfTheWrongShapeIsRefusedWhenItsVariableArrives() {
        Variable v = new Variable("w", Tensor.of(new float[] {1, 2, 3}), true);
        Adam adam = new Adam(0.1);
        adam.loadState(Map.of("iterations", Tensor.scalar(1.0), "w/m", Tensor.of(new float[] {0, 0}),
                "w/v", Tensor.of(new float[] {0, 0, 0})));
        assertThatThrownBy(() -> adam.applyGradients(List.of(Tensor.of(new float[] {1, 1, 1})), List.of(v)))
                .hasMessageContaining("saved slot w/m has shape (2,), the variable (3,)");
    }

    @Test
    void aStateLoadedAfterTheFirstUpdateIsCheckedAndSlotsOfOtherVariablesWait() {
        Variable w = new Variable("w", Tensor.of(new float[] {1, 2}), true);
        Adam adam = new Adam(0.1);
        adam.applyGradients(List.of(Tensor.of(new float[] {1, 1})), List.of(w));
        assertThatThrownBy(() -> adam.loadState(Map.of("w/m", Tensor.of(new float[] {0, 0, 0}))))
                .hasMessageContaining("saved slot w/m has shape (3,), the variable (2,)");
        adam.loadState(Map.of("u/m", Tensor.of(new float[] {0.5f}), "u/v", Tensor.of(new float[] {0.25f})));
        assertThat(adam.state()).containsKeys("w/m", "w/v", "u/m", "u/v");
        Variable u = new Variable("u", Tensor.of(new float[] {3}), true);
        adam.applyGradients(List.of(Tensor.of(new float[] {1})), List.of(u));
        // m = β1·0.5 + (1 - β1)·1 from the loaded first moment.
        assertThat(adam.slot(u, "m").item()).isCloseTo(0.9 * 0.5 + 0.1, within(1e-7));
    }

    @Test
    void noGradientsNamesTheFirstFiveVariablesAndCountsTheRest() {
        for (int n : new int[] {5, 6, 8}) {
            List<Variable> vars = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                vars.add(new Variable("var" + i, Tensor.of(new float[] {1}), true));
            }
            Tensor[] none = new Tensor[n];
            String listed = "[var0, var1, var2, var3, var4]";
            var thrown = assertThatThrownBy(() -> new SGD().applyGradients(Arrays.asList(none), vars))
                    .hasMessageContaining("the loss does not depend on " + listed);
            if (n == 5) {
                thrown.hasMessageEndingWith(listed + ")");
            } else {
                thrown.hasMessageContaining(listed + " and " + (n - 5) + " more)").hasMessageNotContaining("var5");
            }
        }
    }
}
