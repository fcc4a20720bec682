package dev.vecgrad.train.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Gradient accumulation against the step it stands for: k micro-batches of equal size, accumulated,
 * update the weights as one step on all their rows does, since the mean loss over the k·b rows is
 * the mean of the micro-batches' mean losses, and so is its gradient.
 */
class GradientAccumulationTest {
    private static final int K = 3;
    private static final int ROWS = 4;
    private static final int IN = 5;
    private static final int OUT = 3;

    /**
     * A one-layer tanh regression trained for four big steps, each both ways: once on the K·ROWS
     * rows, once as K micro-batches through {@code setGradientAccumulationSteps(K)}; the weights
     * stay put until the K-th micro-batch and then agree to f32 rounding (to f64 rounding in f64),
     * with momentum, Adam's moments, decoupled weight decay and clipping by norm (applied to the
     * mean, so the big batch's gradient norm decides).
     */
    @Test
    void kMicroBatchesUpdateAsOneStepOnAllTheirRows() {
        List<Supplier<Optimizer>> optimizers = List.of(() -> new SGD(0.1, 0.9, false), () -> new Adam(0.05),
                () -> new AdamW(0.05, 0.1), () -> new SGD(0.5).setClipnorm(0.05));
        for (DType dtype : List.of(DType.F32, DType.F64)) {
            double tolerance = dtype == DType.F32 ? 2e-6 : 1e-13;
            for (Supplier<Optimizer> make : optimizers) {
                Rng rng = new Rng(17);
                Tensor w0 = Tensor.randomNormal(rng, 0, 0.5f, IN, OUT).cast(dtype);
                Tensor b0 = Tensor.randomNormal(rng, 0, 0.5f, OUT).cast(dtype);
                List<Variable> big = List.of(new Variable("w", w0, true), new Variable("b", b0, true));
                List<Variable> micro = List.of(new Variable("w", w0, true), new Variable("b", b0, true));
                Optimizer whole = make.get();
                Optimizer accumulated = make.get().setGradientAccumulationSteps(K);
                for (int step = 0; step < 4; step++) {
                    Tensor x = Tensor.randomNormal(rng, 0, 1, K * ROWS, IN).cast(dtype);
                    Tensor y = Tensor.randomNormal(rng, 0, 1, K * ROWS, OUT).cast(dtype);
                    whole.applyGradients(gradients(big, x, y), big);
                    for (int m = 0; m < K; m++) {
                        double[] before = micro.get(0).peek().toDoubleArray();
                        accumulated.applyGradients(gradients(micro, x.slice(0, m * ROWS, (m + 1) * ROWS),
                                y.slice(0, m * ROWS, (m + 1) * ROWS)), micro);
                        if (m < K - 1) {
                            assertThat(micro.get(0).peek().toDoubleArray()).as("accumulating only").isEqualTo(before);
                        }
                    }
                    for (int v = 0; v < big.size(); v++) {
                        double[] expected = big.get(v).peek().toDoubleArray();
                        double[] got = micro.get(v).peek().toDoubleArray();
                        for (int i = 0; i < expected.length; i++) {
                            assertThat(got[i]).as("%s %s, step %d, %s[%d]", whole.name(), dtype, step,
                                    big.get(v).name(), i).isCloseTo(expected[i], within(tolerance));
                        }
                    }
                    assertThat(big.get(0).peek().toDoubleArray()).as("the weights moved")
                            .isNotEqualTo(w0.toDoubleArray());
                }
            }
        }
    }

    /**
     * Gradients that are views (a row slice, at an offset into its array, and a transpose) are read
     * where they are: SGD with rate 1 over two accumulated steps moves w by the mean of the two
     * gradients, values a float holds exactly.
     */
    @Test
    void gradientsThatAreViewsAccumulateAsTheirValues() {
        for (DType dtype : List.of(DType.F32, DType.F64)) {
            Variable w = new Variable("w", Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).cast(dtype), true);
            Tensor rows = Tensor.of(new double[] {9, 9, 9, 0.5, -1, 2, 4, 0, -3}, 3, 3).cast(dtype);
            Tensor columns = Tensor.of(new double[] {1, -2, 0.25, 3, 6, -1}, 3, 2).cast(dtype);
            Optimizer sgd = new SGD(1.0).setGradientAccumulationSteps(2);
            sgd.applyGradients(List.of(rows.slice(0, 1, 3)), List.of(w)); // {{0.5, -1, 2}, {4, 0, -3}}
            sgd.applyGradients(List.of(columns.transpose()), List.of(w)); // {{1, 0.25, 6}, {-2, 3, -1}}
            assertThat(w.peek().toDoubleArray()).as("%s", dtype)
                    .containsExactly(1 - 0.75, 2 + 0.375, 3 - 4, 4 - 1, 5 - 1.5, 6 + 2);
            assertThat(sgd.accumulatedGradient(w).toDoubleArray()).as("cleared after the update")
                    .containsOnly(0.0);
        }
    }

    /** The gradients of the mean squared error of {@code tanh(x·w + b)} against y. */
    private static List<Tensor> gradients(List<Variable> wb, Tensor x, Tensor y) {
        try (GradientTape tape = GradientTape.open()) {
            Tensor prediction = x.matmul(wb.get(0).value()).add(wb.get(1).value()).tanh();
            return tape.gradient(prediction.sub(y).square().mean(), wb);
        }
    }
}
