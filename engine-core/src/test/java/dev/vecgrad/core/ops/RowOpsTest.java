package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The row ops of {@link NNOps} (masked softmax, layer normalisation and their backward ops)
 * against loops over each row in f64: broadcast masks, rows with nothing allowed, strided inputs,
 * rows longer than a vector and with a tail, both dtypes.
 */
class RowOpsTest {

    /** softmax(scale·x) over the allowed entries of one row, 0 elsewhere; all 0 if none is allowed. */
    private static double[] expected(double[] x, boolean[] allowed, double scale) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < x.length; j++) {
            if (allowed[j]) {
                max = Math.max(max, scale * x[j]);
            }
        }
        double[] y = new double[x.length];
        double sum = 0;
        for (int j = 0; j < x.length; j++) {
            if (allowed[j]) {
                y[j] = Math.exp(scale * x[j] - max);
                sum += y[j];
            }
        }
        for (int j = 0; j < x.length; j++) {
            y[j] = sum == 0 ? 0 : y[j] / sum;
        }
        return y;
    }

    @Test
    void causalMaskBroadcastOverBatchAndHeads() {
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            int b = 2;
            int h = 3;
            int t = 37;   // rows longer than one vector, with a tail
            Tensor x = Tensor.randomNormal(new Rng(1), 0, 3, b, h, t, t).cast(dtype);
            double[] m = new double[t * t];
            for (int i = 0; i < t; i++) {
                for (int j = 0; j <= i; j++) {
                    m[i * t + j] = 1;
                }
            }
            Tensor mask = Tensor.of(m, 1, 1, t, t).cast(dtype);
            double scale = 1 / Math.sqrt(8);
            Tensor y = NNOps.maskedSoftmax(x, mask, scale);
            double tol = dtype == DType.F32 ? 1e-6 : 1e-14;
            for (int n = 0; n < b; n++) {
                for (int k = 0; k < h; k++) {
                    for (int i = 0; i < t; i++) {
                        double[] row = new double[t];
                        boolean[] allowed = new boolean[t];
                        for (int j = 0; j < t; j++) {
                            row[j] = x.get(n, k, i, j);
                            allowed[j] = j <= i;
                        }
                        double[] e = expected(row, allowed, scale);
                        for (int j = 0; j < t; j++) {
                            assertThat(y.get(n, k, i, j)).as("%s y[%d,%d,%d,%d]", dtype, n, k, i, j)
                                    .isCloseTo(e[j], within(tol));
                        }
                    }
                }
            }
        }
    }

    @Test
    void rowsWithNothingAllowedAreZerosAndAStridedInputIsRead() {
        // Per-batch key mask (2, 1, 5): the second batch entry allows nothing.
        Tensor x = Tensor.randomNormal(new Rng(2), 0, 2, 5, 3, 2).cast(DType.F64).transpose(0, 2);   // (2, 3, 5) view
        Tensor mask = Tensor.of(new double[] {1, 0, 1, 1, 0, 0, 0, 0, 0, 0}, 2, 1, 5);
        Tensor y = NNOps.maskedSoftmax(x, mask, 2.0);
        for (int i = 0; i < 3; i++) {
            double[] row = new double[5];
            for (int j = 0; j < 5; j++) {
                row[j] = x.get(0, i, j);
            }
            double[] e = expected(row, new boolean[] {true, false, true, true, false}, 2.0);
            for (int j = 0; j < 5; j++) {
                assertThat(y.get(0, i, j)).isCloseTo(e[j], within(1e-14));
                assertThat(y.get(1, i, j)).isEqualTo(0.0);
            }
        }
    }

    @Test
    void withoutAMaskItIsTheSoftmaxOfTheScaledInput() {
        Tensor x = Tensor.randomNormal(new Rng(3), 0, 1, 6, 21);
        float[] got = NNOps.maskedSoftmax(x, null, 0.25).toFloatArray();
        float[] want = x.mul(0.25).softmax(-1).toFloatArray();
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i]).isCloseTo(want[i], within(1e-7f));
        }
    }

    @Test
    void backwardIsScaleTimesYTimesGMinusItsWeightedMean() {
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            Rng rng = new Rng(4);
            int cols = 19;
            Tensor y = Tensor.randomNormal(rng, 0, 1, 3, 4, cols).softmax(-1).cast(dtype);
            Tensor g = Tensor.randomNormal(rng, 0, 1, 3, cols, 4).cast(dtype).transpose(1, 2);   // strided
            Tensor z = NNOps.softmaxBackward(y, g, 0.5);
            double tol = dtype == DType.F32 ? 1e-6 : 1e-14;
            for (int a = 0; a < 3; a++) {
                for (int r = 0; r < 4; r++) {
                    double dot = 0;
                    for (int j = 0; j < cols; j++) {
                        dot += g.get(a, r, j) * y.get(a, r, j);
                    }
                    for (int j = 0; j < cols; j++) {
                        double want = 0.5 * y.get(a, r, j) * (g.get(a, r, j) - dot);
                        assertThat(z.get(a, r, j)).isCloseTo(want, within(tol));
                    }
                }
            }
        }
    }

    @Test
    void badInputIsRefusedWithItsShape() {
        Tensor x = Tensor.zeros(2, 3, 4);
        assertThatThrownBy(() -> NNOps.maskedSoftmax(x, Tensor.zeros(3, 3), 1)).hasMessageContaining("(3, 3)")
                .hasMessageContaining("broadcast");
        assertThatThrownBy(() -> NNOps.maskedSoftmax(x, Tensor.zeros(DType.F64, 4), 1)).hasMessageContaining("F64");
        assertThatThrownBy(() -> NNOps.maskedSoftmax(x, null, Double.NaN)).hasMessageContaining("scale");
        assertThatThrownBy(() -> NNOps.maskedSoftmax(Tensor.zeros(DType.I32, 4), null, 1)).hasMessageContaining("I32");
        assertThatThrownBy(() -> NNOps.softmaxBackward(x, Tensor.zeros(2, 4, 3), 1)).hasMessageContaining("(2, 4, 3)");
    }

    @Test
    void normalizeAndItsBackwardMatchTheRowFormulas() {
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            int cols = 131;   // several vectors and a tail
            Tensor x = Tensor.randomNormal(new Rng(5), 2, 3, 4, cols).cast(dtype);
            Tensor g = Tensor.randomNormal(new Rng(6), 0, 1, cols, 4).cast(dtype).transpose();   // strided
            double eps = 1e-3;
            Tensor y = NNOps.normalize(x, eps);
            Tensor z = NNOps.normalizeBackward(x, g, eps);
            double tol = dtype == DType.F32 ? 2e-5 : 1e-12;
            for (int r = 0; r < 4; r++) {
                double mean = 0;
                for (int j = 0; j < cols; j++) {
                    mean += x.get(r, j) / cols;
                }
                double var = 0;
                for (int j = 0; j < cols; j++) {
                    var += (x.get(r, j) - mean) * (x.get(r, j) - mean) / cols;
                }
                double inv = 1 / Math.sqrt(var + eps);
                double meanG = 0;
                double meanGx = 0;
                for (int j = 0; j < cols; j++) {
                    meanG += g.get(r, j) / cols;
                    meanGx += g.get(r, j) * (x.get(r, j) - mean) * inv / cols;
                }
                for (int j = 0; j < cols; j++) {
                    double xhat = (x.get(r, j) - mean) * inv;
                    assertThat(y.get(r, j)).as("%s y[%d,%d]", dtype, r, j).isCloseTo(xhat, within(tol));
                    assertThat(z.get(r, j)).as("%s z[%d,%d]", dtype, r, j)
                            .isCloseTo(inv * (g.get(r, j) - meanG - xhat * meanGx), within(tol));
                }
            }
        }
        assertThatThrownBy(() -> NNOps.normalize(Tensor.zeros(3), -1)).hasMessageContaining("epsilon");
        assertThatThrownBy(() -> NNOps.normalizeBackward(Tensor.zeros(2, 3), Tensor.zeros(3, 2), 0))
                .hasMessageContaining("(3, 2)");
    }
}
