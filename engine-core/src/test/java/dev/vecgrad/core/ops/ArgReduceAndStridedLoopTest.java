package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.kernel.parallel.Parallel;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Arg-max and arg-min's tie-breaking and NaN rule, and the strided elementwise loop's parallel
 * chunks, each against a plain loop over Java arrays.
 */
class ArgReduceAndStridedLoopTest {

    @Test
    void argmaxAndArgminPickTheFirstOfTiedElements() {
        Tensor x = Tensor.of(new float[] {1, 3, 3, 2, 0, 0, 5, 5});
        assertThat(x.argmax(0).item()).isEqualTo(6);
        assertThat(x.argmin(0).item()).isEqualTo(4);
        Tensor rows = Tensor.of(new double[] {
                2, 2, 1,
                0, 4, 4,
                2, 4, 0}, 3, 3);
        assertThat(rows.argmax(1).toIntArray()).containsExactly(0, 1, 1);
        assertThat(rows.argmin(1).toIntArray()).containsExactly(2, 0, 2);
        assertThat(rows.argmax(0).toIntArray()).containsExactly(0, 1, 1);   // columns: {2,0,2}, {2,4,4}, {1,4,0}
        assertThat(rows.argmin(0).toIntArray()).containsExactly(1, 0, 2);
        assertThat(Tensor.of(new int[] {4, 9, 9, 4}).argmax(0).item()).isEqualTo(1);
        assertThat(Tensor.of(new int[] {4, 9, 9, 4}).argmin(0).item()).isEqualTo(0);
    }

    @Test
    void aNaNWinsBothAndTheFirstNaNIsTaken() {
        Tensor x = Tensor.of(new double[] {1, Double.NaN, 9, Double.NaN, -9});
        assertThat(x.argmax(0).item()).isEqualTo(1);
        assertThat(x.argmin(0).item()).isEqualTo(1);
        Tensor first = Tensor.of(new double[] {Double.NaN, 9, -9});
        assertThat(first.argmax(0).item()).isZero();
        assertThat(first.argmin(0).item()).isZero();
    }

    @Test
    void tiesAcrossALongRowOfAView() {
        int n = 67;
        double[] v = new double[2 * n];
        for (int i = 0; i < n; i++) {
            v[i] = i % 7;                 // row 0: the maximum 6 first at 6, the minimum 0 first at 0
            v[n + i] = -(i % 5);          // row 1: the maximum 0 first at 0, the minimum -4 first at 4
        }
        Tensor t = Tensor.of(v, 2, n).transpose();   // (n, 2), reduced along axis 0: a strided view
        assertThat(t.argmax(0).toIntArray()).containsExactly(6, 0);
        assertThat(t.argmin(0).toIntArray()).containsExactly(0, 4);
    }

    @Test
    void everyAxisOfAPermutedRankThreeViewMatchesAPlainLoop() {
        // (3, 5, 4) with few distinct values (many ties), viewed as (4, 3, 5): no axis is contiguous.
        int[] dims = {4, 3, 5};
        float[] v = new float[60];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 7) % 5;
        }
        Tensor t = Tensor.of(v, 3, 5, 4).permute(2, 0, 1);
        for (Tensor x : new Tensor[] {t, t.cast(dev.vecgrad.core.DType.F64), t.cast(dev.vecgrad.core.DType.I32)}) {
            for (int axis = 0; axis < 3; axis++) {
                for (boolean max : new boolean[] {true, false}) {
                    int[] got = (max ? x.argmax(axis) : x.argmin(axis)).toIntArray();
                    int[] want = new int[got.length];
                    int[] kept = new int[2];
                    for (int k = 0, o = 0; k < 3; k++) {
                        if (k != axis) {
                            kept[o++] = k;
                        }
                    }
                    for (int a = 0; a < dims[kept[0]]; a++) {
                        for (int b = 0; b < dims[kept[1]]; b++) {
                            int[] index = new int[3];
                            index[kept[0]] = a;
                            index[kept[1]] = b;
                            int best = 0;
                            double bv = Double.NaN;
                            for (int i = 0; i < dims[axis]; i++) {
                                index[axis] = i;
                                // t[p, q, r] = v[(q * 5 + r) * 4 + p]: read from the array, not the view.
                                double e = v[(index[1] * 5 + index[2]) * 4 + index[0]];
                                if (i == 0 || (max ? e > bv : e < bv)) {
                                    best = i;
                                    bv = e;
                                }
                            }
                            want[a * dims[kept[1]] + b] = best;
                        }
                    }
                    assertThat(got).as("%s arg%s along %d", x.dtype(), max ? "max" : "min", axis).containsExactly(want);
                }
            }
        }
    }

    @Test
    void parallelChunksOfAStridedLoopStartWhereTheyShould() {
        // (4, 256, 256) = 262,144 elements: worth splitting, so the output is cut into CHUNK-sized
        // pieces, each starting at a multi-dimensional index. A permuted input keeps the three
        // dimensions from merging, so every chunk's start index is computed digit by digit.
        int a = 4;
        int b = 256;
        int c = 256;
        assertThat(Parallel.worthSplitting(a * b * c)).isTrue();
        assertThat(b * c % StridedLoop.CHUNK).isZero();
        float[] src = new float[a * b * c];
        for (int i = 0; i < src.length; i++) {
            src[i] = i;
        }
        Tensor x = Tensor.of(src, a, c, b).permute(0, 2, 1);   // x[i, j, k] = src[i, k, j]
        float[] y = x.neg().toFloatArray();
        float[] expected = new float[a * b * c];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                for (int k = 0; k < c; k++) {
                    expected[(i * b + j) * c + k] = -src[(i * c + k) * b + j];
                }
            }
        }
        assertSame(y, expected);

        // A broadcast sum of (a, b, 1) and (1, 1, c): stride-0 dimensions never merge either.
        float[] rows = new float[a * b];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = 1000 * i;
        }
        float[] cols = new float[c];
        for (int k = 0; k < c; k++) {
            cols[k] = k;
        }
        float[] sum = Tensor.of(rows, a, b, 1).add(Tensor.of(cols, 1, 1, c)).toFloatArray();
        float[] expectedSum = new float[a * b * c];
        for (int ij = 0; ij < a * b; ij++) {
            for (int k = 0; k < c; k++) {
                expectedSum[ij * c + k] = rows[ij] + cols[k];
            }
        }
        assertSame(sum, expectedSum);
    }

    /** Equal arrays, or a failure naming the first element that differs (cheaper than comparing 262,144 elements one by one in AssertJ). */
    private static void assertSame(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        int first = Arrays.mismatch(actual, expected);
        if (first >= 0) {
            assertThat(actual[first]).as("element %s", first).isEqualTo(expected[first]);
        }
    }
}
