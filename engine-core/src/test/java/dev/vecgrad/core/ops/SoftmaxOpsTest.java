package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/** Softmax, log-softmax and log-sum-exp along any axis, of views and of many rows, against double loops. */
class SoftmaxOpsTest {
    private static final int[] DIMS = {3, 4, 5};

    private static double[] random(int n, long seed) {
        Rng rng = new Rng(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 6 * rng.nextDouble() - 3;
        }
        return v;
    }

    /** exp(x - max) / Σ exp(x - max) along {@code axis} of a (3, 4, 5) array, or its log when {@code log}. */
    private static double[] reference(double[] x, int axis, boolean log) {
        int[] strides = {20, 5, 1};
        double[] out = new double[x.length];
        for (int flat = 0; flat < x.length; flat++) {
            int[] pos = {flat / 20, flat / 5 % 4, flat % 5};
            int start = flat - pos[axis] * strides[axis];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < DIMS[axis]; j++) {
                max = Math.max(max, x[start + j * strides[axis]]);
            }
            double sum = 0;
            for (int j = 0; j < DIMS[axis]; j++) {
                sum += Math.exp(x[start + j * strides[axis]] - max);
            }
            out[flat] = log ? x[flat] - max - Math.log(sum) : Math.exp(x[flat] - max) / sum;
        }
        return out;
    }

    @Test
    void softmaxAndLogSoftmaxAlongEveryAxisOfDenseTensorsAndViews() {
        double[] x = random(60, 3);
        for (int axis = 0; axis < 3; axis++) {
            double[] soft = reference(x, axis, false);
            double[] logSoft = reference(x, axis, true);
            for (DType dtype : new DType[] {DType.F64, DType.F32}) {
                Tensor dense = Tensor.of(x, DIMS).cast(dtype);
                Tensor view = dense.transpose(0, 2).contiguous().transpose(0, 2);
                double tol = dtype == DType.F64 ? 1e-14 : 1e-6;
                for (Tensor t : new Tensor[] {dense, view}) {
                    double[] s = NNOps.softmax(t, axis - 3).toDoubleArray();
                    double[] ls = NNOps.logSoftmax(t, axis).toDoubleArray();
                    for (int i = 0; i < 60; i++) {
                        assertThat(s[i]).as("softmax axis %d %s %d", axis, dtype, i).isCloseTo(soft[i], within(tol));
                        assertThat(ls[i]).as("logSoftmax axis %d %s %d", axis, dtype, i)
                                .isCloseTo(logSoft[i], within(10 * tol));
                    }
                }
            }
        }
    }

    /** Enough short rows to be split over several pieces: every row is its own softmax. */
    @Test
    void manyShortRowsAreEachNormalisedWhereverThePiecesSplit() {
        int cols = 17;
        int rows = 3 * (StridedLoop.CHUNK / cols) + 5;
        double[] x = random(rows * cols, 8);
        float[] got = NNOps.softmax(Tensor.of(x, rows, cols).cast(DType.F32), 1).toFloatArray();
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, (float) x[r * cols + c]);
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += Math.exp((float) x[r * cols + c] - max);
            }
            for (int c = 0; c < cols; c++) {
                assertThat((double) got[r * cols + c]).as("row %d col %d", r, c)
                        .isCloseTo(Math.exp((float) x[r * cols + c] - max) / sum, within(1e-6));
            }
        }
        assertThat(NNOps.softmax(Tensor.zeros(0, 4), 1).shape()).isEqualTo(Shape.of(0, 4));
    }

    @Test
    void logSumExpOverAxesWithAndWithoutKeptDimensions() {
        double[] x = random(60, 4);
        x[7] = 700; // large enough that exp overflows without the shift
        Tensor t = Tensor.of(x, DIMS);
        double[] over02 = new double[4];
        for (int j = 0; j < 4; j++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < 3; i++) {
                for (int k = 0; k < 5; k++) {
                    max = Math.max(max, x[i * 20 + j * 5 + k]);
                }
            }
            double sum = 0;
            for (int i = 0; i < 3; i++) {
                for (int k = 0; k < 5; k++) {
                    sum += Math.exp(x[i * 20 + j * 5 + k] - max);
                }
            }
            over02[j] = max + Math.log(sum);
        }
        Tensor dropped = NNOps.logSumExp(t, new int[] {0, -1}, false);
        Tensor kept = NNOps.logSumExp(t, new int[] {2, 0}, true);
        assertThat(dropped.shape()).isEqualTo(Shape.of(4));
        assertThat(kept.shape()).isEqualTo(Shape.of(1, 4, 1));
        double[] d = dropped.toDoubleArray();
        double[] k = kept.toDoubleArray();
        for (int j = 0; j < 4; j++) {
            assertThat(d[j]).isCloseTo(over02[j], within(1e-12));
            assertThat(k[j]).isEqualTo(d[j]);
        }
        assertThat(Double.isFinite(d[1])).isTrue();
        assertThat(NNOps.logSumExp(t, null, false).shape()).isEqualTo(Shape.SCALAR);
    }

    @Test
    void integerInputsAndAxesOutsideTheTensorAreRefused() {
        Tensor ints = Tensor.of(new int[] {1, 2});
        assertThatThrownBy(() -> NNOps.softmax(ints, 0)).hasMessageContaining("softmax");
        assertThatThrownBy(() -> NNOps.logSoftmax(ints, 0)).hasMessageContaining("softmax");
        assertThatThrownBy(() -> NNOps.softmax(Tensor.zeros(2, 2), 2)).hasMessageContaining("softmax");
    }
}
