package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class BinaryOpsTest {
    @Test
    void broadcastingMatchesAnExplicitLoop() {
        Rng rng = new Rng(3);
        Tensor a = Tensor.randomNormal(rng, 0, 1, 4, 1, 5);
        Tensor b = Tensor.randomNormal(rng, 0, 1, 3, 1);
        Tensor y = a.mul(b).add(a);
        assertThat(y.shape().toArray()).containsExactly(4, 3, 5);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 5; k++) {
                    double expected = (float) ((float) (a.get(i, 0, k) * b.get(j, 0)) + a.get(i, 0, k));
                    assertThat(y.get(i, j, k)).isEqualTo(expected);
                }
            }
        }
    }

    /**
     * A short row repeated down a contiguous operand (a bias over a batch) runs in blocks of rows
     * against a repeated copy of the row: every element must still pair with the right one, on
     * either side, at row counts that do not fill the last block, in both dtypes, and in parallel
     * chunks for big outputs.
     */
    @Test
    void rowsRepeatedDownAContiguousOperand() {
        int[][][] cases = {
            {{7, 5, 3}, {3}}, {{7, 5, 3}, {1, 3}}, {{7, 5, 3}, {5, 3}}, {{1000, 7}, {7}}, {{600, 300}, {300}},
            {{2, 26, 26, 32}, {32}}};
        Binary[] ops = {Primitives.ADD, Primitives.SUB, Primitives.MUL, Primitives.DIV, Primitives.MAXIMUM, Primitives.RELU_GRAD};
        Rng rng = new Rng(11);
        for (int[][] c : cases) {
            for (DType dtype : new DType[] {DType.F32, DType.F64}) {
                Tensor full = Tensor.randomNormal(rng, 0, 1, c[0]).cast(dtype);
                Tensor row = Tensor.randomNormal(rng, 0, 1, c[1]).cast(dtype);
                double[] f = full.toDoubleArray();
                double[] r = row.toDoubleArray();
                for (Binary op : ops) {
                    for (boolean rowFirst : new boolean[] {false, true}) {
                        Tensor y = rowFirst ? op.apply(row, full) : op.apply(full, row);
                        assertThat(y.shape()).isEqualTo(full.shape());
                        double[] got = y.toDoubleArray();
                        for (int i = 0; i < f.length; i++) {
                            double a = rowFirst ? r[i % r.length] : f[i];
                            double b = rowFirst ? f[i] : r[i % r.length];
                            double want = op == Primitives.ADD ? a + b : op == Primitives.SUB ? a - b
                                    : op == Primitives.MUL ? a * b : op == Primitives.DIV ? a / b
                                    : op == Primitives.MAXIMUM ? Math.max(a, b) : b > 0 ? a : 0;
                            if (dtype == DType.F32) {
                                want = (float) want;
                            }
                            if (got[i] != want) {
                                throw new AssertionError(op + " " + dtype + " " + java.util.Arrays.toString(c[0]) + " and "
                                        + java.util.Arrays.toString(c[1]) + (rowFirst ? " (row first)" : "") + " at " + i
                                        + ": got " + got[i] + ", want " + want);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void stridedOperandsAndScalars() {
        Tensor x = Tensor.arange(0, 12, 1, DType.F64).reshape(3, 4);
        Tensor t = x.transpose();
        Tensor y = t.sub(x.slice(0, 0, 3).transpose().mul(2.0)).add(1.0);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat(y.get(i, j)).isEqualTo(x.get(j, i) - 2 * x.get(j, i) + 1);
            }
        }
        assertThat(x.div(Tensor.of(new double[] {1, 2, 4, 8})).get(2, 3)).isEqualTo(11 / 8.0);
        assertThat(x.pow(2.0).get(1, 1)).isEqualTo(25.0);
        assertThat(x.maximum(5.0).toDoubleArray()).startsWith(5, 5, 5, 5, 5, 5, 6);
        assertThat(x.minimum(1.0).toDoubleArray()).startsWith(0, 1, 1);
    }

    @Test
    void comparisonsGiveMasksInTheOperandDType() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, Float.NaN});
        Tensor b = Tensor.of(new float[] {2, 2, 2, 2});
        assertThat(a.lt(b).toFloatArray()).containsExactly(1, 0, 0, 0);
        assertThat(a.le(b).toFloatArray()).containsExactly(1, 1, 0, 0);
        assertThat(a.gt(b).toFloatArray()).containsExactly(0, 0, 1, 0);
        assertThat(a.ge(b).toFloatArray()).containsExactly(0, 1, 1, 0);
        assertThat(a.eq(b).toFloatArray()).containsExactly(0, 1, 0, 0);
        assertThat(a.ne(b).toFloatArray()).containsExactly(1, 0, 1, 1);
        assertThat(a.lt(b).dtype()).isEqualTo(DType.F32);
    }

    @Test
    void whereAndClip() {
        Tensor mask = Tensor.of(new int[] {1, 0, 1});
        Tensor a = Tensor.of(new float[] {1, 2, 3});
        Tensor b = Tensor.of(new float[][] {{10, 20, 30}, {40, 50, 60}});
        assertThat(Tensor.where(mask, a, b).toFloatArray()).containsExactly(1, 20, 3, 1, 50, 3);
        assertThat(Tensor.of(new float[] {-5, 0.5f, 5}).clip(-1, 1).toFloatArray()).containsExactly(-1, 0.5f, 1);
        assertThatThrownBy(() -> a.clip(1, 0)).hasMessageContaining("above");
    }

    @Test
    void integerArithmetic() {
        Tensor a = Tensor.of(new int[] {7, -7, 3});
        Tensor b = Tensor.of(new int[] {2, 2, 3});
        assertThat(a.div(b).toIntArray()).containsExactly(3, -3, 1);
        assertThat(a.mul(b).add(b).toIntArray()).containsExactly(16, -12, 12);
        assertThat(a.eq(b).toIntArray()).containsExactly(0, 0, 1);
        assertThatThrownBy(() -> a.div(Tensor.zeros(DType.I32, 3))).hasMessageContaining("division by zero");
    }

    @Test
    void errorsNameTheOpShapesAndDTypes() {
        Tensor f = Tensor.zeros(2, 3);
        assertThatThrownBy(() -> f.add(Tensor.zeros(DType.F64, 2, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("add").hasMessageContaining("F32").hasMessageContaining("F64").hasMessageContaining("cast");
        assertThatThrownBy(() -> f.mul(Tensor.zeros(3, 2)))
                .hasMessageContaining("mul").hasMessageContaining("(2, 3)").hasMessageContaining("(3, 2)");
        assertThatThrownBy(() -> Tensor.zeros(DType.I32, 2).exp()).hasMessageContaining("exp").hasMessageContaining("I32");
    }

    @Test
    void unaryOpsMatchMath() {
        double[] xs = {-3, -0.5, 0, 0.25, 2};
        Tensor x = Tensor.of(xs);
        assertThat(x.exp().toDoubleArray()[4]).isCloseTo(Math.exp(2), within(1e-15));
        assertThat(x.tanh().toDoubleArray()[0]).isCloseTo(Math.tanh(-3), within(1e-15));
        assertThat(x.sigmoid().toDoubleArray()[1]).isCloseTo(1 / (1 + Math.exp(0.5)), within(1e-15));
        assertThat(x.relu().toDoubleArray()).containsExactly(0, 0, 0, 0.25, 2);
        assertThat(x.abs().sqrt().toDoubleArray()[3]).isEqualTo(0.5);
        assertThat(x.softplus().toDoubleArray()[4]).isCloseTo(Math.log1p(Math.exp(2)), within(1e-15));
        // erf(0.5) and erf(2) from tables (Abramowitz & Stegun 7.1): 0.5204998778, 0.9953222650
        assertThat(x.erf().toDoubleArray()[1]).isCloseTo(-0.5204998778130465, within(1e-15));
        assertThat(x.erf().toDoubleArray()[4]).isCloseTo(0.9953222650189527, within(1e-15));
        assertThat(Tensor.of(new double[] {3.5}).erf().item()).isCloseTo(0.9999992569016276, within(1e-15));
        // GELU(1) exact = 0.8413447460685429 (Φ(1) = 0.8413447460685429); tanh approximation 0.8411919906082768.
        assertThat(Tensor.of(new double[] {1}).gelu(false).item()).isCloseTo(0.8413447460685429, within(1e-15));
        assertThat(Tensor.of(new double[] {1}).gelu(true).item()).isCloseTo(0.8411919906082768, within(1e-15));
        assertThat(Tensor.of(new double[] {0.5, 1.5, 2.5, -0.5}).round().toDoubleArray()).containsExactly(0, 2, 2, -0.0);
        assertThat(Tensor.of(new float[] {1e30f, -1e30f}).softplus().toFloatArray()).containsExactly(1e30f, 0f);
        assertThat(Tensor.of(new int[] {-2, 3}).square().neg().toIntArray()).containsExactly(-4, -9);
    }
}
