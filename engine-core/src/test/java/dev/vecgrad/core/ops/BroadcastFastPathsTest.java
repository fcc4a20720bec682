package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The allocation-free paths of binary ops against a per-row column and of {@code where} and
 * {@code cast} on dense operands give what the general strided path gives: the same op on the
 * column broadcast explicitly (a copy, so the strided path cannot take the shortcut), element by
 * element from a plain loop.
 */
class BroadcastFastPathsTest {

    @Test
    void anOpAgainstAPerRowColumnEqualsTheOpAgainstTheExpandedColumn() {
        Rng rng = new Rng(3);
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            Tensor x = Tensor.randomUniform(rng, -2, 2, 7, 3, 10).cast(dtype);
            Tensor col = Tensor.randomUniform(rng, 0.5f, 2, 7, 3, 1).cast(dtype);
            Tensor expanded = col.broadcastTo(7, 3, 10).contiguousCopy();
            Tensor view = col.broadcastTo(7, 3, 10); // the column as a stride-0 view of the full shape
            for (int c = 0; c < 4; c++) {
                boolean columnFirst = c % 2 == 1;
                Tensor column = c < 2 ? col : view;
                Tensor viaColumn = columnFirst ? column.sub(x) : x.div(column);
                Tensor viaExpanded = columnFirst ? expanded.sub(x) : x.div(expanded);
                assertThat(viaColumn.shape()).isEqualTo(viaExpanded.shape());
                if (dtype == DType.F32) {
                    assertThat(viaColumn.toFloatArray()).as("%s column first %s", dtype, columnFirst)
                            .isEqualTo(viaExpanded.toFloatArray());
                } else {
                    assertThat(viaColumn.toDoubleArray()).as("%s column first %s", dtype, columnFirst)
                            .isEqualTo(viaExpanded.toDoubleArray());
                }
            }
        }
    }

    @Test
    void integerOpsOnDenseOperandsMatchAPlainLoop() {
        int[] a = {3, -7, 0, 12, 5, -1};
        int[] b = {3, 2, 0, -5, 4, -1};
        Tensor eq = Tensor.of(a, 2, 3).eq(Tensor.of(b, 2, 3));
        assertThat(eq.toIntArray()).containsExactly(1, 0, 1, 0, 0, 1);
        Tensor sum = Tensor.of(a, 2, 3).add(Tensor.of(new int[] {10}));
        assertThat(sum.toIntArray()).containsExactly(13, 3, 10, 22, 15, 9);
        Tensor strided = Tensor.of(a, 3, 2).transpose().sub(Tensor.of(b, 2, 3));
        assertThat(strided.toIntArray()).containsExactly(3 - 3, 0 - 2, 5 - 0, -7 + 5, 12 - 4, -1 + 1);
    }

    @Test
    void whereOnDenseOperandsReadsTheMaskInItsOwnDtype() {
        float[] a = {1, 2, 3, 4, 5, 6};
        float[] b = {-1, -2, -3, -4, -5, -6};
        Tensor mask32 = Tensor.of(new float[] {0, Float.NaN, -0f, 2, 0, 1e-30f}, 2, 3);
        Tensor maskI = Tensor.of(new int[] {0, 1, 0, -4, 0, 7}, 2, 3);
        Tensor maskD = Tensor.of(new double[] {0, Double.NaN, -0.0, 2, 0, 1e-300}, 2, 3);
        float[] expected = {-1, 2, -3, 4, -5, 6};
        for (Tensor mask : new Tensor[] {mask32, maskI, maskD}) {
            Tensor got = Tensor.where(mask, Tensor.of(a, 2, 3), Tensor.of(b, 2, 3));
            assertThat(got.toFloatArray()).as("mask %s", mask.dtype()).containsExactly(expected);
        }
        // A single value broadcast against dense operands, and a strided (transposed) mask.
        Tensor scalarB = Tensor.where(mask32, Tensor.of(a, 2, 3), Tensor.of(new float[] {9}));
        assertThat(scalarB.toFloatArray()).containsExactly(9, 2, 9, 4, 9, 6);
        Tensor transposed = Tensor.where(Tensor.of(new float[] {0, 2, 1, 0, 0, 3}, 3, 2).transpose(),
                Tensor.of(a, 2, 3), Tensor.of(b, 2, 3));
        assertThat(transposed.toFloatArray()).containsExactly(-1, 2, -3, 4, -5, 6);
    }

    @Test
    void aUnaryOpOnOneBroadcastValueFillsTheOutputWithItsResult() {
        Tensor one = Tensor.of(new float[] {-2.5f}).broadcastTo(4, 3);
        assertThat(one.neg().toFloatArray()).containsOnly(2.5f).hasSize(12);
        Tensor one64 = Tensor.of(new double[] {0.7}).broadcastTo(5);
        assertThat(one64.exp().toDoubleArray()).containsOnly(Tensor.of(new double[] {0.7}).exp().toDoubleArray()[0])
                .hasSize(5);
    }

    @Test
    void castOfADenseTensorConvertsEachElement() {
        Tensor x = Tensor.of(new float[] {1.5f, -2.7f, Float.NaN, 3e9f, -0f, 7}, 2, 3);
        assertThat(x.cast(DType.I32).toIntArray()).containsExactly(1, -2, 0, Integer.MAX_VALUE, 0, 7);
        assertThat(x.cast(DType.F64).toDoubleArray()).containsExactly(1.5f, -2.7f, Double.NaN, 3e9f, -0.0, 7);
        assertThat(x.transpose().cast(DType.F64).toDoubleArray()).containsExactly(1.5f, 3e9f, -2.7f, -0.0, Double.NaN, 7);
    }
}
