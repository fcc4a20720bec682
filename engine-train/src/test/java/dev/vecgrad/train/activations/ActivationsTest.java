package dev.vecgrad.train.activations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.Tensor;
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
        assertThatThrownBy(() -> Activations.get("relu6")).hasMessageContaining("relu6").hasMessageContaining("known");
    }
}
