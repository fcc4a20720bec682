package dev.vecgrad.train.activations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.autodiff.GradCheck;
import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class ActivationsTest {
    private static final double[] XS = {-30, -3, -1, -0.25, 0, 0.5, 2, 30};

    private static void assertElementwise(ActivationFunction f, DoubleUnaryOperator expected) {
        double[] y = f.apply(Tensor.of(XS)).toDoubleArray();
        for (int i = 0; i < XS.length; i++) {
            assertThat(y[i]).as("%s(%s)", f.name(), XS[i]).isCloseTo(expected.applyAsDouble(XS[i]), within(1e-9));
        }
    }

    private static double phi(double x) {
        // Standard normal CDF through erf by its series (accurate to ~1e-15 for |x| < 6, and the tail is 0 or 1 beyond).
        if (x < -8) {
            return 0;
        }
        if (x > 8) {
            return 1;
        }
        double z = x / Math.sqrt(2);
        double sum = 0;
        double term = z;
        for (int n = 0; n < 200; n++) {
            sum += term / (2 * n + 1);
            term *= -z * z / (n + 1);
        }
        return 0.5 * (1 + 2 / Math.sqrt(Math.PI) * sum);
    }

    @Test
    void valuesMatchTheirFormulas() {
        assertElementwise(Activations.get("relu"), x -> Math.max(0, x));
        assertElementwise(Activations.get("sigmoid"), x -> 1 / (1 + Math.exp(-x)));
        assertElementwise(Activations.get("tanh"), Math::tanh);
        assertElementwise(Activations.get("silu"), x -> x / (1 + Math.exp(-x)));
        assertElementwise(Activations.get("swish"), x -> x / (1 + Math.exp(-x)));
        assertElementwise(Activations.get("elu"), x -> x > 0 ? x : Math.expm1(x));
        assertElementwise(Activations.elu(0.5), x -> x > 0 ? x : 0.5 * Math.expm1(x));
        assertElementwise(Activations.get("leaky_relu"), x -> x >= 0 ? x : 0.2 * x);
        assertElementwise(Activations.leakyRelu(0.01), x -> x >= 0 ? x : 0.01 * x);
        assertElementwise(Activations.get("softplus"), x -> Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))));
        assertElementwise(Activations.get("linear"), x -> x);
        assertElementwise(Activations.get("gelu"), x -> x * phi(x));
        assertElementwise(Activations.get("gelu_approximate"),
                x -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))));
    }

    @Test
    void softmaxIsOverTheLastAxis() {
        Tensor x = Tensor.of(new double[][] {{1, 2, 3}, {1000, 1000, 1000}});
        double[] y = Activations.softmax().apply(x).toDoubleArray();
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertThat(y[0]).isCloseTo(Math.exp(1) / z, within(1e-12));
        assertThat(y[2]).isCloseTo(Math.exp(3) / z, within(1e-12));
        assertThat(y[4]).isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void eluGradientStaysFiniteForLargeInputs() {
        Tensor x = Tensor.of(new double[] {-800, -1, 1, 800});
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(x);
            Tensor g = tape.gradient(Activations.elu().apply(x).sum(), x).get(0);
            assertThat(g.toDoubleArray()).containsExactly(0, Math.exp(-1), 1, 1);
        }
    }

    @Test
    void serializeRoundTripsParametersAndUnknownNamesAreErrors() {
        assertThat(Activations.serialize(Activations.relu())).isEqualTo("relu");
        Object s = Activations.serialize(Activations.leakyRelu(0.1));
        assertThat(s).isEqualTo(Map.of("name", "leaky_relu", "negative_slope", 0.1));
        ActivationFunction back = Activations.deserialize(s);
        assertThat(back.apply(Tensor.of(new double[] {-10})).item()).isCloseTo(-1, within(1e-12));
        assertThat(Activations.deserialize(null).name()).isEqualTo("linear");
        assertThatThrownBy(() -> Activations.get("relu7")).hasMessageContaining("relu7").hasMessageContaining("known");
    }

    /** Points away from every activation's kinks (0, ±0.5, ±1, ±3, 6), in F64 for the gradient check. */
    private static final Tensor OFF_KINKS = Tensor.of(new double[] {-7.3, -2.6, -1.4, -0.8, -0.3, 0.2, 0.7, 1.6, 4.1,
        6.5, -0.05, 2.2}, 3, 4);

    @Test
    void everyActivationPassesTheGradientCheck() {
        for (String name : Activations.REGISTRY.knownNames()) {
            ActivationFunction f = name.equals("threshold") ? Activations.threshold(0.1, -2) : Activations.get(name);
            GradCheck.check(in -> f.apply(in.get(0)), OFF_KINKS).assertPassed();
        }
        List<ActivationFunction> parametrised = List.of(Activations.relu(0.3, 5, 0.4), Activations.relu(0.3, 5, 0),
                Activations.relu(0, 5, 1.2), Activations.celu(0.5), Activations.softmax(0, 1),
                Activations.logSoftmax(0, 1), Activations.softmax(0), Activations.sparsemax(0), Activations.glu(1),
                Activations.squareplus(1.5), Activations.softShrink(0.25), Activations.hardShrink(0.25));
        for (ActivationFunction f : parametrised) {
            GradCheck.check(in -> f.apply(in.get(0)), OFF_KINKS).assertPassed();
        }
    }

    @Test
    void sparsemaxProjectsOntoTheSimplex() {
        // Worked by hand: for (0.1, 1.1, 0.4) the support is {1.1, 0.4}, tau = (1.5 - 1) / 2 = 0.25.
        double[] y = Activations.sparsemax(-1).apply(Tensor.of(new double[] {0.1, 1.1, 0.4})).toDoubleArray();
        assertThat(y[0]).isEqualTo(0);
        assertThat(y[1]).isCloseTo(0.85, within(1e-12));
        assertThat(y[2]).isCloseTo(0.15, within(1e-12));
    }

    @Test
    void parametersRoundTripAndBadArgumentsAreRefused() {
        for (ActivationFunction f : List.of(Activations.relu(0.1, 6, 0.5), Activations.softmax(1, 2),
                Activations.glu(1), Activations.threshold(0.5, -1), Activations.celu(2), Activations.squareplus(1))) {
            Object saved = Activations.serialize(f);
            ActivationFunction back = Activations.deserialize(saved);
            assertThat(back.parameters()).as("%s", saved).isEqualTo(f.parameters());
            Tensor x = Tensor.of(new double[] {-2, -0.7, 0.3, 1.2, 3, 8}, 1, 2, 3);
            assertThat(back.apply(x).toDoubleArray()).containsExactly(f.apply(x).toDoubleArray());
        }
        assertThat(Activations.serialize(Activations.relu(0, Double.POSITIVE_INFINITY, 0))).isEqualTo("relu");
        assertThat(Activations.get("hard_swish").name()).isEqualTo("hard_silu");
        assertThat(Activations.deserialize(Map.of("name", "gelu", "approximate", true)).name())
                .isEqualTo("gelu_approximate");
        assertThatThrownBy(() -> Activations.relu(0, -1, 0)).hasMessageContaining("max_value");
        assertThatThrownBy(() -> Activations.get("threshold")).hasMessageContaining("needs a number 'threshold'");
        assertThatThrownBy(() -> Activations.glu().apply(Tensor.zeros(2, 3))).hasMessageContaining("even size");
        assertThatThrownBy(() -> Activations.sparsemax(2).apply(Tensor.zeros(2, 3)))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> Activations.deserialize(Map.of("name", "softmax", "axis", "last")))
                .hasMessageContaining("axis must be an integer");
    }
}
