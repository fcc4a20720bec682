package dev.vecgrad.train.initializers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class InitializersTest {

    private static double[] stats(Tensor t) {
        double[] a = t.toDoubleArray();
        double mean = 0;
        for (double v : a) {
            mean += v / a.length;
        }
        double var = 0;
        double maxAbs = 0;
        for (double v : a) {
            var += (v - mean) * (v - mean) / a.length;
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        return new double[] {mean, var, maxAbs};
    }

    @Test
    void fansAsKerasComputesThem() {
        assertThat(VarianceScaling.fans(Shape.of())).containsExactly(1, 1);
        assertThat(VarianceScaling.fans(Shape.of(7))).containsExactly(7, 7);
        assertThat(VarianceScaling.fans(Shape.of(3, 5))).containsExactly(3, 5);
        assertThat(VarianceScaling.fans(Shape.of(3, 3, 8, 16))).containsExactly(72, 144);
    }

    @Test
    void glorotAndHeHaveTheirVariancesAndBounds() {
        Shape s = Shape.of(400, 600);
        Rng rng = new Rng(1);
        double[] gu = stats(Initializers.glorotUniform().initialize(s, DType.F32, rng));
        double glorotVar = 2.0 / 1000;
        assertThat(gu[0]).isCloseTo(0, within(0.002));
        assertThat(gu[1]).isCloseTo(glorotVar, within(glorotVar * 0.02));
        assertThat(gu[2]).isLessThanOrEqualTo(Math.sqrt(3 * glorotVar) + 1e-7);
        double[] gn = stats(Initializers.glorotNormal().initialize(s, DType.F64, rng));
        assertThat(gn[1]).isCloseTo(glorotVar, within(glorotVar * 0.02));
        double std = Math.sqrt(glorotVar) / 0.87962566103423978;
        assertThat(gn[2]).isLessThanOrEqualTo(2 * std + 1e-12);
        double heVar = 2.0 / 400;
        double[] hn = stats(Initializers.heNormal().initialize(s, DType.F64, rng));
        assertThat(hn[1]).isCloseTo(heVar, within(heVar * 0.02));
        double[] hu = stats(Initializers.heUniform().initialize(s, DType.F32, rng));
        assertThat(hu[1]).isCloseTo(heVar, within(heVar * 0.02));
        assertThat(hu[2]).isLessThanOrEqualTo(Math.sqrt(6.0 / 400) + 1e-7);
    }

    @Test
    void constantsAndRandomNormal() {
        assertThat(Initializers.zeros().initialize(Shape.of(2, 2), DType.F32, new Rng(0)).toFloatArray()).containsOnly(0f);
        assertThat(Initializers.ones().initialize(Shape.of(3), DType.F64, new Rng(0)).toDoubleArray()).containsOnly(1);
        assertThat(Initializers.constant(2.5).initialize(Shape.of(2), DType.F64, new Rng(0)).toDoubleArray())
                .containsOnly(2.5);
        double[] rn = stats(Initializers.randomNormal(1, 0.5, null).initialize(Shape.of(200, 200), DType.F64, new Rng(3)));
        assertThat(rn[0]).isCloseTo(1, within(0.01));
        assertThat(rn[1]).isCloseTo(0.25, within(0.01));
    }

    @Test
    void anInitializerSeedWinsOverTheLayersGenerator() {
        Initializer seeded = Initializers.randomNormal(0, 1, 42L);
        Tensor a = seeded.initialize(Shape.of(10), DType.F64, new Rng(1));
        Tensor b = seeded.initialize(Shape.of(10), DType.F64, new Rng(2));
        assertThat(a.toDoubleArray()).containsExactly(b.toDoubleArray());
        Initializer free = Initializers.glorotUniform();
        Tensor c = free.initialize(Shape.of(10), DType.F64, new Rng(1));
        Tensor d = free.initialize(Shape.of(10), DType.F64, new Rng(2));
        Tensor e = free.initialize(Shape.of(10), DType.F64, new Rng(1));
        assertThat(c.toDoubleArray()).isNotEqualTo(d.toDoubleArray()).containsExactly(e.toDoubleArray());
    }

    @Test
    void lookUpAndConfigRoundTrip() {
        for (String n : new String[] {"glorot_uniform", "glorot_normal", "he_normal", "he_uniform", "zeros", "ones",
                "random_normal", "random_uniform", "orthogonal"}) {
            Initializer i = Initializers.get(n);
            Initializer back = Initializers.fromConfig(i.className(), i.getConfig());
            assertThat(back.className()).isEqualTo(i.className());
            assertThat(back.initialize(Shape.of(4, 3), DType.F64, new Rng(5)).toDoubleArray())
                    .containsExactly(i.initialize(Shape.of(4, 3), DType.F64, new Rng(5)).toDoubleArray());
        }
        assertThatThrownBy(() -> Initializers.get("identity")).hasMessageContaining("orthogonal");
        assertThatThrownBy(() -> Initializers.zeros().initialize(Shape.of(2), DType.I32, new Rng(0)))
                .hasMessageContaining("I32");
    }
}
