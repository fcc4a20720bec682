package dev.vecgrad.train.layers;

import static dev.vecgrad.train.layers.CoreLayersTest.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.autodiff.GradCheck;
import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.train.initializers.Orthogonal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SimpleRNN, LSTM and GRU against a plain loop over doubles, their masks, states and gradients. */
class RecurrentLayersTest {
    private static final int B = 2;
    private static final int T = 4;
    private static final int F = 3;
    private static final int U = 3;

    /** Row 0 has every step; row 1 is padded at steps 1 and 3. */
    private static final double[][] MASK = {{1, 1, 1, 1}, {1, 0, 1, 0}};

    private static Tensor maskTensor() {
        return Tensor.of(new double[] {1, 1, 1, 1, 1, 0, 1, 0}, B, T);
    }

    // ---------------------------------------------------------------------------------------
    // The reference: one cell at a time over doubles, written from the formulas.

    private interface Cell {
        /** New states (h first) from input row x and states. */
        double[][] step(double[] x, double[][] states);
    }

    private static double[] row(double[] a, int off, int n) {
        return java.util.Arrays.copyOfRange(a, off, off + n);
    }

    /** y[j] = Σ_i v[i]·m[i][j] over m given row-major (rows × cols). */
    private static double[] vecMat(double[] v, double[] m, int cols) {
        double[] y = new double[cols];
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < cols; j++) {
                y[j] += v[i] * m[i * cols + j];
            }
        }
        return y;
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    /** Runs cell over x (B, T, F); returns (outputs per batch row per step, final states). */
    private static double[][][] reference(Tensor x, Cell cell, int states, double[][] mask, boolean backwards) {
        double[] xs = x.contiguousCopy().toDoubleArray();
        double[][][] out = new double[B][T + states][];
        for (int b = 0; b < B; b++) {
            double[][] s = new double[states][U];
            for (int k = 0; k < T; k++) {
                int t = backwards ? T - 1 - k : k;
                double[][] next = cell.step(row(xs, (b * T + t) * F, F), s);
                if (mask == null || mask[b][t] != 0) {
                    s = next;
                }
                out[b][k] = s[0];
            }
            for (int i = 0; i < states; i++) {
                out[b][T + i] = s[i];
            }
        }
        return out;
    }

    private static Cell lstmCell(RecurrentLayer l) {
        return lstmCell(l, RecurrentLayersTest::sigmoid, Math::tanh);
    }

    private static Cell lstmCell(RecurrentLayer l, java.util.function.DoubleUnaryOperator gate,
            java.util.function.DoubleUnaryOperator act) {
        double[] w = l.kernel().peek().toDoubleArray();
        double[] u = l.recurrentKernel().peek().toDoubleArray();
        double[] bias = l.bias().peek().toDoubleArray();
        return (x, s) -> {
            double[] zx = vecMat(x, w, 4 * U);
            double[] zh = vecMat(s[0], u, 4 * U);
            double[] h = new double[U];
            double[] c = new double[U];
            for (int j = 0; j < U; j++) {
                double i = gate.applyAsDouble(zx[j] + zh[j] + bias[j]);
                double f = gate.applyAsDouble(zx[U + j] + zh[U + j] + bias[U + j]);
                double g = act.applyAsDouble(zx[2 * U + j] + zh[2 * U + j] + bias[2 * U + j]);
                double o = gate.applyAsDouble(zx[3 * U + j] + zh[3 * U + j] + bias[3 * U + j]);
                c[j] = f * s[1][j] + i * g;
                h[j] = o * act.applyAsDouble(c[j]);
            }
            return new double[][] {h, c};
        };
    }

    private static Cell gruCell(RecurrentLayer l, boolean resetAfter) {
        double[] w = l.kernel().peek().toDoubleArray();
        double[] u = l.recurrentKernel().peek().toDoubleArray();
        double[] bias = l.bias().peek().toDoubleArray();
        return (x, s) -> {
            double[] h = s[0];
            double[] zx = vecMat(x, w, 3 * U);
            double[] zh = vecMat(h, u, 3 * U);
            double[] out = new double[U];
            double[] rh = new double[U];
            double[] r = new double[U];
            double[] z = new double[U];
            for (int j = 0; j < U; j++) {
                double bz = resetAfter ? bias[j] + bias[3 * U + j] : bias[j];
                double br = resetAfter ? bias[U + j] + bias[4 * U + j] : bias[U + j];
                z[j] = sigmoid(zx[j] + zh[j] + bz);
                r[j] = sigmoid(zx[U + j] + zh[U + j] + br);
                rh[j] = r[j] * h[j];
            }
            for (int j = 0; j < U; j++) {
                double cand;
                if (resetAfter) {
                    cand = Math.tanh(zx[2 * U + j] + bias[2 * U + j] + r[j] * (zh[2 * U + j] + bias[5 * U + j]));
                } else {
                    double p = 0;
                    for (int i = 0; i < U; i++) {
                        p += rh[i] * u[i * 3 * U + 2 * U + j];
                    }
                    cand = Math.tanh(zx[2 * U + j] + p + bias[2 * U + j]);
                }
                out[j] = z[j] * h[j] + (1 - z[j]) * cand;
            }
            return new double[][] {out};
        };
    }

    private static Cell simpleCell(RecurrentLayer l) {
        double[] w = l.kernel().peek().toDoubleArray();
        double[] u = l.recurrentKernel().peek().toDoubleArray();
        double[] bias = l.bias().peek().toDoubleArray();
        return (x, s) -> {
            double[] zx = vecMat(x, w, U);
            double[] zh = vecMat(s[0], u, U);
            double[] h = new double[U];
            for (int j = 0; j < U; j++) {
                h[j] = Math.tanh(zx[j] + zh[j] + bias[j]);
            }
            return new double[][] {h};
        };
    }

    /** Builds l on x, replaces the (zero) bias by random values so that every bias term is tested. */
    private static void buildWithRandomBias(RecurrentLayer l, Tensor x) {
        l.maybeBuild(x.shape(), x.dtype());
        l.bias().assign(random(99, l.bias().shape().toArray()));
    }

    private static void assertMatches(RecurrentLayer l, Tensor x, Tensor mask, Cell cell, int states) {
        double[][][] ref = reference(x, cell, states, mask == null ? null : MASK, l.goBackwards());
        RecurrentLayer.Output out = l.run(x, mask, null, false);
        for (int b = 0; b < B; b++) {
            for (int j = 0; j < U; j++) {
                if (l.returnSequences()) {
                    for (int k = 0; k < T; k++) {
                        assertThat(out.output().get(b, k, j)).as("output[%d, %d, %d]", b, k, j)
                                .isCloseTo(ref[b][k][j], within(1e-12));
                    }
                } else {
                    assertThat(out.output().get(b, j)).isCloseTo(ref[b][T - 1][j], within(1e-12));
                }
                for (int i = 0; i < states; i++) {
                    assertThat(out.states().get(i).get(b, j)).as("state %d", i).isCloseTo(ref[b][T + i][j],
                            within(1e-12));
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Values.

    @Test
    void lstmMatchesTheFormulasForwardBackwardAndMasked() {
        Tensor x = random(1, B, T, F);
        for (boolean backwards : new boolean[] {false, true}) {
            for (Tensor mask : new Tensor[] {null, maskTensor()}) {
                LSTM l = LSTM.builder(U).returnSequences(true).goBackwards(backwards).build();
                buildWithRandomBias(l, x);
                assertMatches(l, x, mask, lstmCell(l), 2);
            }
        }
        LSTM last = new LSTM(U);
        buildWithRandomBias(last, x);
        assertMatches(last, x, maskTensor(), lstmCell(last), 2);
        assertThat(last.call(x).shape()).isEqualTo(Shape.of(B, U));
        // Other activations run step by step rather than as one sequence op.
        LSTM softplus = LSTM.builder(U).activation("softplus").recurrentActivation("sigmoid").returnSequences(true)
                .goBackwards(true).build();
        buildWithRandomBias(softplus, x);
        assertMatches(softplus, x, maskTensor(), lstmCell(softplus, RecurrentLayersTest::sigmoid,
                v -> Math.log1p(Math.exp(v))), 2);
    }

    @Test
    void gruMatchesTheFormulasInBothResetModes() {
        Tensor x = random(2, B, T, F);
        for (boolean resetAfter : new boolean[] {true, false}) {
            for (Tensor mask : new Tensor[] {null, maskTensor()}) {
                GRU g = GRU.builder(U).resetAfter(resetAfter).returnSequences(true).goBackwards(mask != null).build();
                buildWithRandomBias(g, x);
                assertThat(g.bias().shape()).isEqualTo(resetAfter ? Shape.of(2, 3 * U) : Shape.of(3 * U));
                assertMatches(g, x, mask, gruCell(g, resetAfter), 1);
            }
        }
    }

    @Test
    void simpleRnnMatchesTheFormula() {
        Tensor x = random(3, B, T, F);
        for (Tensor mask : new Tensor[] {null, maskTensor()}) {
            SimpleRNN r = SimpleRNN.builder(U).returnSequences(mask == null).build();
            buildWithRandomBias(r, x);
            assertMatches(r, x, mask, simpleCell(r), 1);
        }
    }

    @Test
    void lstmStartsItsForgetGateBiasAtOneAndItsRecurrentKernelOrthogonal() {
        LSTM l = new LSTM(4);
        l.maybeBuild(Shape.of(1, 2, 3), DType.F64);
        double[] b = l.bias().peek().toDoubleArray();
        for (int j = 0; j < 16; j++) {
            assertThat(b[j]).isEqualTo(j >= 4 && j < 8 ? 1.0 : 0.0);
        }
        // (4, 16): four rows of length 16, orthonormal.
        Tensor u = l.recurrentKernel().peek();
        Tensor gram = u.matmul(u, false, true);
        assertThat(Tensor.allClose(gram, Tensor.eye(4).cast(DType.F64), 0, 1e-12)).isTrue();
        LSTM plain = LSTM.builder(4).unitForgetBias(false).build();
        plain.maybeBuild(Shape.of(1, 2, 3), DType.F64);
        assertThat(plain.bias().peek().toDoubleArray()).containsOnly(0.0);
    }

    @Test
    void orthogonalInitializerGivesOrthonormalColumnsOrRows() {
        Tensor tall = new Orthogonal(2.0, 5L).initialize(Shape.of(2, 3, 4), DType.F64, null).reshape(6, 4);
        Tensor g = tall.matmul(tall, true, false).div(4.0);   // gain² = 4
        assertThat(Tensor.allClose(g, Tensor.eye(4).cast(DType.F64), 0, 1e-12)).isTrue();
        Tensor wide = new Orthogonal(1.0, 5L).initialize(Shape.of(3, 7), DType.F32, null);
        Tensor gw = wide.matmul(wide, false, true);
        assertThat(Tensor.allClose(gw, Tensor.eye(3), 0, 1e-5)).isTrue();
    }

    @Test
    void initialStatesAreUsedAndFinalStatesReturned() {
        Tensor x = random(4, B, T, F);
        LSTM l = LSTM.builder(U).build();
        buildWithRandomBias(l, x);
        Tensor h0 = random(5, B, U);
        Tensor c0 = random(6, B, U);
        double[] hs = h0.toDoubleArray();
        double[] cs = c0.toDoubleArray();
        Cell cell = lstmCell(l);
        RecurrentLayer.Output out = l.run(x, null, List.of(h0, c0), false);
        double[] xs = x.toDoubleArray();
        for (int b = 0; b < B; b++) {
            double[][] s = {row(hs, b * U, U), row(cs, b * U, U)};
            for (int t = 0; t < T; t++) {
                s = cell.step(row(xs, (b * T + t) * F, F), s);
            }
            for (int j = 0; j < U; j++) {
                assertThat(out.output().get(b, j)).isCloseTo(s[0][j], within(1e-12));
                assertThat(out.states().get(1).get(b, j)).isCloseTo(s[1][j], within(1e-12));
            }
        }
        assertThatThrownBy(() -> l.run(x, null, List.of(h0), false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has 2 state(s), got 1");
        assertThatThrownBy(() -> l.run(x, null, List.of(h0, random(7, B, U + 1)), false))
                .hasMessageContaining("initial state 1 must be F64 (2, 3)");
    }

    @Test
    void masksPassOnOnlyWithSequences() {
        Tensor x = random(8, B, T, F);
        Tensor mask = maskTensor();
        assertThat(LSTM.builder(U).returnSequences(true).build().callMasked(x, mask, false).mask()).isSameAs(mask);
        assertThat(new LSTM(U).callMasked(x, mask, false).mask()).isNull();
    }

    @Test
    void badInputsAreNamed() {
        LSTM l = new LSTM(U);
        assertThatThrownBy(() -> l.call(random(9, B, F))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs inputs (batch, steps, features), got (2, 3)");
        l.call(random(9, B, T, F));
        assertThatThrownBy(() -> l.call(random(9, B, T, F + 1))).hasMessageContaining("inputs are (batch, steps, 3)");
        assertThatThrownBy(() -> l.call(random(9, B, T, F), Tensor.ones(DType.F64, B, T + 1), false))
                .hasMessageContaining("does not cover the leading axes");
        assertThatThrownBy(() -> new GRU(0)).hasMessageContaining("units must be positive");
    }

    // ---------------------------------------------------------------------------------------
    // Gradients in F64, through a stack of layers, with and without a mask.

    private static void checkStack(List<Layer> stack, Tensor x, Tensor mask) {
        java.util.function.Function<Tensor, Tensor> model = in -> {
            Masked h = new Masked(in, mask);
            for (Layer l : stack) {
                h = l.callMasked(h.value(), h.mask(), true);
            }
            return h.value();
        };
        model.apply(x);
        GradCheck.check(in -> model.apply(in.get(0)), x).assertPassed();
        List<Variable> weights = new ArrayList<>();
        stack.forEach(l -> weights.addAll(l.trainableWeights()));
        assertThat(WeightGradCheck.check(() -> model.apply(x), weights)).isPositive();
    }

    @Test
    void lstmGradients() {
        checkStack(List.of(LSTM.builder(U).returnSequences(true).build(), new LSTM(2)), random(10, B, T, F),
                maskTensor());
        checkStack(List.of(LSTM.builder(U).goBackwards(true).build(), new Dense(2)), random(11, B, T, F), null);
        checkStack(List.of(LSTM.builder(U).activation("softplus").returnSequences(true).build()), random(14, B, T, F),
                maskTensor());
    }

    @Test
    void gruGradients() {
        checkStack(List.of(GRU.builder(U).returnSequences(true).build(), GRU.builder(2).resetAfter(false).build()),
                random(12, B, T, F), maskTensor());
    }

    @Test
    void simpleRnnGradients() {
        checkStack(List.of(SimpleRNN.builder(U).returnSequences(true).goBackwards(true).build(), new Dense(2)),
                random(13, B, T, F), maskTensor());
    }
}
