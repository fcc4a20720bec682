package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Matmul over every way an operand can be laid out (row-major, a transposed view, a stepped view
 * that must be copied, with one row or one column, broadcast over a batch) and both transpose
 * flags, against a triple loop in double.
 */
class MatmulLayoutsTest {

    /** A (batch, rows, cols) operand with the given values, in one of four layouts. */
    private static Tensor layout(double[] v, int batch, int rows, int cols, int kind) {
        Tensor dense = Tensor.of(v, batch, rows, cols);
        return switch (kind) {
            case 0 -> dense;
            // The transpose of a row-major (batch, cols, rows) block: column stride 1 is gone.
            case 1 -> dense.transpose(1, 2).contiguous().transpose(1, 2);
            // Every other element of a wider block: neither stride is 1, so GEMM needs a copy.
            case 2 -> {
                double[] wide = new double[batch * rows * cols * 2];
                for (int i = 0; i < v.length; i++) {
                    wide[2 * i] = v[i];
                }
                yield Tensor.of(wide, batch, rows, cols * 2).slice(2, 0, cols * 2, 2);
            }
            // An offset slice of a taller block.
            default -> {
                double[] tall = new double[batch * (rows + 1) * cols];
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(v, b * rows * cols, tall, (b * (rows + 1) + 1) * cols, rows * cols);
                }
                yield Tensor.of(tall, batch, rows + 1, cols).slice(1, 1, rows + 1, 1);
            }
        };
    }

    private static double[] random(Rng rng, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 2 * rng.nextDouble() - 1;
        }
        return v;
    }

    @Test
    void everyLayoutAndTransposeFlagGivesTheTripleLoop() {
        Rng rng = new Rng(17);
        int[] sizes = {1, 3};
        for (int m : sizes) {
            for (int k : sizes) {
                for (int n : sizes) {
                    for (int flags = 0; flags < 4; flags++) {
                        boolean ta = (flags & 1) != 0;
                        boolean tb = (flags & 2) != 0;
                        int batchA = (m + n) % 2 == 0 ? 3 : 1; // broadcast one side over the batch
                        int batchB = 3;
                        double[] a = random(rng, batchA * m * k);
                        double[] b = random(rng, batchB * k * n);
                        double[] expected = new double[3 * m * n];
                        for (int t = 0; t < 3; t++) {
                            int ta0 = batchA == 1 ? 0 : t;
                            for (int i = 0; i < m; i++) {
                                for (int j = 0; j < n; j++) {
                                    double s = 0;
                                    for (int q = 0; q < k; q++) {
                                        s += a[(ta0 * m + i) * k + q] * b[(t * k + q) * n + j];
                                    }
                                    expected[(t * m + i) * n + j] = s;
                                }
                            }
                        }
                        for (int kindA = 0; kindA < 4; kindA++) {
                            for (int kindB = 0; kindB < 4; kindB++) {
                                // Stored as the flags say: a transposed operand holds its transpose.
                                Tensor opA = ta ? layout(transpose(a, batchA, m, k), batchA, k, m, kindA)
                                        : layout(a, batchA, m, k, kindA);
                                Tensor opB = tb ? layout(transpose(b, batchB, k, n), batchB, n, k, kindB)
                                        : layout(b, batchB, k, n, kindB);
                                for (DType dtype : new DType[] {DType.F64, DType.F32}) {
                                    Tensor y = LinalgOps.matmul(opA.cast(dtype), opB.cast(dtype), ta, tb);
                                    assertThat(y.shape()).isEqualTo(Shape.of(3, m, n));
                                    double[] got = y.toDoubleArray();
                                    double tol = dtype == DType.F64 ? 1e-12 : 1e-5;
                                    for (int i = 0; i < got.length; i++) {
                                        assertThat(got[i]).as("m %d k %d n %d ta %s tb %s layouts %d/%d %s [%d]",
                                                m, k, n, ta, tb, kindA, kindB, dtype, i)
                                                .isCloseTo(expected[i], within(tol));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void aRightOperandSharedByTheWholeBatchGivesTheTripleLoop() {
        // B of batch 1 (or rank 2) against A of batch 4: one GEMM over A's stacked rows when A's
        // entries follow one another, else a copy or one GEMM per entry; every layout of A.
        Rng rng = new Rng(19);
        int batch = 4;
        for (int[] mkn : new int[][] {{2, 3, 5}, {5, 3, 2}, {1, 4, 1}}) {
            int m = mkn[0];
            int k = mkn[1];
            int n = mkn[2];
            for (int flags = 0; flags < 4; flags++) {
                boolean ta = (flags & 1) != 0;
                boolean tb = (flags & 2) != 0;
                double[] a = random(rng, batch * m * k);
                double[] b = random(rng, k * n);
                double[] expected = new double[batch * m * n];
                for (int t = 0; t < batch; t++) {
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double s = 0;
                            for (int q = 0; q < k; q++) {
                                s += a[(t * m + i) * k + q] * b[q * n + j];
                            }
                            expected[(t * m + i) * n + j] = s;
                        }
                    }
                }
                for (int kindA = 0; kindA < 4; kindA++) {
                    Tensor opA = ta ? layout(transpose(a, batch, m, k), batch, k, m, kindA) : layout(a, batch, m, k, kindA);
                    Tensor opB = tb ? layout(transpose(b, 1, k, n), 1, n, k, kindA) : layout(b, 1, k, n, kindA);
                    for (Tensor sharedB : new Tensor[] {opB, opB.reshape(tb ? new int[] {n, k} : new int[] {k, n})}) {
                        for (DType dtype : new DType[] {DType.F64, DType.F32}) {
                            double[] got = LinalgOps.matmul(opA.cast(dtype), sharedB.cast(dtype), ta, tb).toDoubleArray();
                            assertClose(got, expected, dtype, "m %d k %d n %d ta %s tb %s layout %d B rank %d %s",
                                    m, k, n, ta, tb, kindA, sharedB.rank(), dtype);
                        }
                    }
                }
                // A (2, 2, m, k) whose two batch axes are swapped: entries not in memory order.
                if (!ta) {
                    double[] swapped = new double[a.length];
                    for (int t = 0; t < batch; t++) {
                        int from = (t % 2) * 2 + t / 2;
                        System.arraycopy(a, t * m * k, swapped, from * m * k, m * k);
                    }
                    Tensor opA = Tensor.of(swapped, 2, 2, m, k).transpose(0, 1);
                    Tensor opB = tb ? Tensor.of(transpose(b, 1, k, n), n, k) : Tensor.of(b, k, n);
                    double[] got = LinalgOps.matmul(opA, opB, false, tb).toDoubleArray();
                    assertClose(got, expected, DType.F64, "swapped batch axes m %d k %d n %d tb %s", m, k, n, tb);
                }
            }
        }
    }

    private static void assertClose(double[] got, double[] expected, DType dtype, String what, Object... args) {
        double tol = dtype == DType.F64 ? 1e-12 : 1e-5;
        assertThat(got).hasSize(expected.length);
        for (int i = 0; i < got.length; i++) {
            if (Math.abs(got[i] - expected[i]) > tol) {
                assertThat(got[i]).as(String.format(what, args) + " [" + i + "]").isCloseTo(expected[i], within(tol));
            }
        }
    }

    private static double[] transpose(double[] v, int batch, int rows, int cols) {
        double[] t = new double[v.length];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    t[(b * cols + j) * rows + i] = v[(b * rows + i) * cols + j];
                }
            }
        }
        return t;
    }

    @Test
    void operandsThatCannotBeMultipliedAreRefusedWithTheirShapes() {
        Tensor a = Tensor.zeros(2, 3);
        assertThatThrownBy(() -> LinalgOps.matmul(a, Tensor.zeros(2, 3), false, false))
                .hasMessageContaining("inner dimensions differ: (2, 3) · (2, 3) (3 vs 2)");
        assertThatThrownBy(() -> LinalgOps.matmul(a, Tensor.zeros(2, 3), true, true))
                .hasMessageContaining("(2, 3)ᵀ · (2, 3)ᵀ (2 vs 3)");
        assertThat(LinalgOps.matmul(a, Tensor.zeros(2, 3), true, false).shape()).isEqualTo(Shape.of(3, 3));
        assertThat(LinalgOps.matmul(a, Tensor.zeros(2, 3), false, true).shape()).isEqualTo(Shape.of(2, 2));
        assertThatThrownBy(() -> LinalgOps.matmul(Tensor.zeros(3), Tensor.zeros(3, 1), false, false))
                .hasMessageContaining("rank 2 or more");
        assertThatThrownBy(() -> LinalgOps.matmul(a, Tensor.zeros(3), false, false))
                .hasMessageContaining("rank 2 or more");
        assertThatThrownBy(() -> LinalgOps.matmul(Tensor.zeros(2, 2, 3), Tensor.zeros(3, 3, 1), false, false))
                .hasMessageContaining("batch dimensions");
        assertThatThrownBy(() -> LinalgOps.matmul(a, Tensor.zeros(3, 2).cast(DType.F64), false, false))
                .hasMessageContaining("F64").hasMessageContaining("dtypes differ");
        assertThatThrownBy(() -> LinalgOps.matmul(Tensor.zeros(DType.I32, 2, 2), Tensor.zeros(DType.I32, 2, 2), false,
                false)).hasMessageContaining("matmul");
        assertThat(LinalgOps.matmul(Tensor.zeros(2, 0), Tensor.zeros(0, 4), false, false).toFloatArray())
                .containsExactly(new float[8]);
    }
}
