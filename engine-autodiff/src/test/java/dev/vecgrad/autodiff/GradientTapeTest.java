package dev.vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientTapeTest {

    @Test
    void productRuleByHand() {
        Tensor x = Tensor.of(new float[] {1, 2, 3});
        Tensor y = Tensor.of(new float[] {4, 5, 6});
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(x);
            tape.watch(y);
            Tensor loss = x.mul(y).add(x).sum();   // Σ x·y + x
            List<Tensor> g = tape.gradient(loss, x, y);
            assertThat(g.get(0).toFloatArray()).containsExactly(5, 6, 7);   // y + 1
            assertThat(g.get(1).toFloatArray()).containsExactly(1, 2, 3);   // x
        }
    }

    @Test
    void trainableVariablesAreWatchedAutomatically() {
        Variable w = new Variable("w", Tensor.of(new float[][] {{1, 2}, {3, 4}}), true);
        Variable frozen = new Variable("frozen", Tensor.of(new float[] {1, 1}), false);
        Tensor x = Tensor.of(new float[][] {{1, -1}});
        try (GradientTape tape = GradientTape.open()) {
            Tensor loss = x.matmul(w.value()).add(frozen.value()).relu().mean();
            List<Tensor> g = tape.gradient(loss, List.of(w, frozen));
            // x·w = [1-3, 2-4] + 1 = [-1, -1] -> relu kills both: zero gradient through relu, by the [x > 0] rule
            assertThat(g.get(0).toFloatArray()).containsExactly(0, 0, 0, 0);
            assertThat(g.get(1)).isNull();   // not trainable, so not watched
        }
    }

    @Test
    void matmulGradientByHand() {
        Variable w = new Variable("w", Tensor.of(new float[][] {{1, 2}, {3, 4}}), true);
        Tensor x = Tensor.of(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        try (GradientTape tape = GradientTape.open()) {
            Tensor loss = x.matmul(w.value()).sum();
            Tensor g = tape.gradient(loss, List.of(w)).get(0);
            // d/dw Σ x·w = xᵀ·1 = column sums of x repeated: [[9, 9], [12, 12]]
            assertThat(g.toFloatArray()).containsExactly(9, 9, 12, 12);
        }
    }

    @Test
    void logSoftmaxCrossEntropyGradientIsSoftmaxMinusOneHot() {
        Tensor logits = Tensor.of(new double[][] {{1, 2, 3}, {0, 0, 5}});
        Tensor labels = Tensor.of(new int[] {2, 0});
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(logits);
            Tensor loss = logits.logSoftmax(-1).mul(labels.oneHot(3).cast(DType.F64)).sum().neg();
            double[] g = tape.gradient(loss, logits).get(0).toDoubleArray();
            double[][] z = {{1, 2, 3}, {0, 0, 5}};
            int[] lab = {2, 0};
            for (int r = 0; r < 2; r++) {
                double s = 0;
                for (double v : z[r]) {
                    s += Math.exp(v);
                }
                for (int c = 0; c < 3; c++) {
                    double expected = Math.exp(z[r][c]) / s - (c == lab[r] ? 1 : 0);
                    assertThat(g[r * 3 + c]).isCloseTo(expected, within(1e-12));
                }
            }
        }
    }

    @Test
    void nonPersistentTapeUsedTwiceIsAClearError() {
        Tensor x = Tensor.of(new float[] {1});
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(x);
            Tensor y = x.square();
            tape.gradient(y, x);
            assertThatThrownBy(() -> tape.gradient(y, x)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("openPersistent");
        }
    }
}
