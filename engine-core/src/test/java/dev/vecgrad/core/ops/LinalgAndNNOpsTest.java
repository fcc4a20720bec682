package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class LinalgAndNNOpsTest {
    private static double naive(Tensor a, Tensor b, int i, int j, boolean ta, boolean tb) {
        int k = ta ? a.shape().dim(0) : a.shape().dim(1);
        double s = 0;
        for (int p = 0; p < k; p++) {
            s += (ta ? a.get(p, i) : a.get(i, p)) * (tb ? b.get(j, p) : b.get(p, j));
        }
        return s;
    }

    @Test
    void matmulAllTransposesAndViews() {
        Rng rng = new Rng(11);
        Tensor a = Tensor.randomNormal(rng, 0, 1, 5, 7).cast(DType.F64);
        Tensor b = Tensor.randomNormal(rng, 0, 1, 7, 3).cast(DType.F64);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Tensor aa = ta ? a.transpose().contiguous() : a;
                Tensor bb = tb ? b.transpose().contiguous() : b;
                Tensor y = aa.matmul(bb, ta, tb);
                assertThat(y.shape()).isEqualTo(Shape.of(5, 3));
                for (int i = 0; i < 5; i++) {
                    for (int j = 0; j < 3; j++) {
                        assertThat(y.get(i, j)).isCloseTo(naive(aa, bb, i, j, ta, tb), within(1e-12));
                    }
                }
            }
        }
        // a transposed view and a sliced view go through without copies of the transpose
        Tensor at = a.transpose().contiguous().transpose();
        assertThat(Tensor.allClose(at.matmul(b), a.matmul(b), 1e-12, 1e-12)).isTrue();
        Tensor wide = Tensor.randomNormal(rng, 0, 1, 7, 10).cast(DType.F64);
        Tensor cols = wide.slice(1, 2, 5);
        Tensor y = a.matmul(cols);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat(y.get(i, j)).isCloseTo(naive(a, cols, i, j, false, false), within(1e-12));
            }
        }
    }

    @Test
    void batchedMatmulBroadcastsBatchDimensions() {
        Rng rng = new Rng(12);
        Tensor a = Tensor.randomNormal(rng, 0, 1, 2, 1, 3, 4);
        Tensor b = Tensor.randomNormal(rng, 0, 1, 5, 4, 2);
        Tensor y = a.matmul(b);
        assertThat(y.shape()).isEqualTo(Shape.of(2, 5, 3, 2));
        for (int p = 0; p < 2; p++) {
            for (int q = 0; q < 5; q++) {
                Tensor ap = a.slice(0, p, p + 1).reshape(3, 4);
                Tensor bq = b.slice(0, q, q + 1).reshape(4, 2);
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 2; j++) {
                        assertThat(y.get(p, q, i, j)).isCloseTo(naive(ap, bq, i, j, false, false), within(1e-5));
                    }
                }
            }
        }
        assertThatThrownBy(() -> a.matmul(Tensor.zeros(3, 2))).hasMessageContaining("inner dimensions")
                .hasMessageContaining("(2, 1, 3, 4)").hasMessageContaining("(3, 2)");
        assertThatThrownBy(() -> Tensor.zeros(3).matmul(Tensor.zeros(3, 2))).hasMessageContaining("rank 2");
        assertThatThrownBy(() -> Tensor.zeros(2, 2).matmul(Tensor.zeros(DType.I32, 2, 2))).hasMessageContaining("I32");
    }

    @Test
    void softmaxFamilyIsStable() {
        Tensor big = Tensor.of(new float[] {1000, 1001});
        float[] s = big.softmax(0).toFloatArray();
        double e = Math.exp(-1);
        assertThat((double) s[0]).isCloseTo(e / (1 + e), within(1e-7));
        assertThat((double) s[1]).isCloseTo(1 / (1 + e), within(1e-7));
        assertThat(big.logSoftmax(0).toFloatArray()[1]).isCloseTo((float) -Math.log1p(e), within(1e-6f));
        assertThat(big.logSumExp(null, false).item()).isCloseTo(1001 + Math.log1p(e), within(1e-3));
        Tensor neg = Tensor.of(new double[][] {{-1e4, 0, 3}, {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, 0}});
        double[] ls = neg.logSoftmax(1).toDoubleArray();
        double lse0 = 3 + Math.log(Math.exp(-3) + 1 + Math.exp(-1e4 - 3));
        assertThat(ls[1]).isCloseTo(-lse0, within(1e-12));
        assertThat(ls[5]).isEqualTo(0.0);
        Tensor allNegInf = Tensor.full(Double.NEGATIVE_INFINITY, DType.F64, 2);
        assertThat(allNegInf.logSumExp(null, false).item()).isEqualTo(Double.NEGATIVE_INFINITY);
        Tensor rows = Tensor.randomNormal(new Rng(1), 0, 3, 4, 6);
        float[] r = rows.softmax(-1).sum(new int[] {1}, false).toFloatArray();
        for (float v : r) {
            assertThat(v).isCloseTo(1f, within(1e-6f));
        }
        assertThat(rows.logSumExp(new int[] {1}, true).shape()).isEqualTo(Shape.of(4, 1));
    }
}
