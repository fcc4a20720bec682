package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Engine;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.kernel.Kernels;
import org.junit.jupiter.api.Test;

/**
 * {@link Reduce} promises the same bits on any thread count because it splits work only by
 * shape and combines partial results in a documented order. These tests write that order out
 * with plain loops (and, where a piece is one kernel call, that call on the piece) and compare
 * bits, so a change to how the pieces are cut or combined fails here even when the result stays
 * within rounding of the exact sum.
 */
class ReductionOrderTest {
    private static final Kernels KERNELS = Engine.get().kernels();

    private static float[] randomFloats(int n, long seed) {
        Rng rng = new Rng(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            // Mixed magnitudes and signs, so that a different association changes the rounding.
            v[i] = (float) ((rng.nextDouble() - 0.4) * Math.pow(10, 4 * rng.nextDouble()));
        }
        return v;
    }

    private static double[] widen(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i] * (1 + 1e-9 * i);
        }
        return d;
    }

    /** One long run is cut into pieces of {@code Reduce.CHUNK} elements from the start, each reduced alone, then the pieces' results in order. */
    @Test
    void aWholeArraySumIsTheSumOfItsFixedChunksInOrder() {
        for (int n : new int[] {Reduce.CHUNK, Reduce.CHUNK + 1, 3 * Reduce.CHUNK - 5, 4 * Reduce.CHUNK + 1234}) {
            float[] v = randomFloats(n, n);
            int chunks = (n + Reduce.CHUNK - 1) / Reduce.CHUNK;
            float[] partial = new float[chunks];
            double[] v64 = widen(v);
            double[] partial64 = new double[chunks];
            double exact = 0;
            for (int ch = 0; ch < chunks; ch++) {
                int from = ch * Reduce.CHUNK;
                int len = Math.min(n, from + Reduce.CHUNK) - from;
                partial[ch] = KERNELS.reduce(Primitives.SUM, v, from, len);
                partial64[ch] = KERNELS.reduce(Primitives.SUM, v64, from, len);
            }
            for (double x : v64) {
                exact += x;
            }
            float got = Tensor.of(v).sum().toFloatArray()[0];
            assertThat(got).as("F32 sum of %d", n).isEqualTo(KERNELS.reduce(Primitives.SUM, partial, 0, chunks));
            double got64 = Tensor.of(v64, new int[] {n}).sum().toDoubleArray()[0];
            assertThat(got64).as("F64 sum of %d", n).isEqualTo(KERNELS.reduce(Primitives.SUM, partial64, 0, chunks));
            // The reference itself is a sum: within rounding of the plain double loop.
            assertThat(Math.abs(got64 - exact)).isLessThan(1e-9 * Math.abs(exact) + 1e-6);
            // The same elements as a contiguous slice starting 3 elements into a longer array.
            float[] padded = new float[n + 5];
            System.arraycopy(v, 0, padded, 3, n);
            Tensor slice = Tensor.of(padded).slice(0, 3, n + 3, 1);
            assertThat(slice.isContiguous()).isTrue();
            assertThat(slice.sum().toFloatArray()[0]).as("offset slice of %d", n).isEqualTo(got);
        }
    }

    /** A view that is not contiguous is reduced as the copy of its elements in order. */
    @Test
    void aStridedViewSumsItsOwnElementsInTheSameOrder() {
        int n = 2 * Reduce.CHUNK + 77;
        float[] v = randomFloats(3 * n, 5);
        Tensor every3rd = Tensor.of(v).reshape(n, 3).slice(1, 1, 2, 1).reshape(n);
        float[] picked = new float[n];
        for (int i = 0; i < n; i++) {
            picked[i] = v[3 * i + 1];
        }
        assertThat(every3rd.sum().toFloatArray()[0]).isEqualTo(Tensor.of(picked).sum().toFloatArray()[0]);
    }

    /**
     * A trailing reduction reduces each row with one kernel call, whichever rows share a thread;
     * a leading one adds the rows into the outputs elementwise in row order.
     */
    @Test
    void rowsReduceAloneAndColumnsAddTheirRowsInOrder() {
        int rows = 70;
        int cols = 2 * Reduce.CHUNK / 64 + 3; // wider than one column piece of a 70-row block
        float[] v = randomFloats(rows * cols, 11);
        Tensor m = Tensor.of(v).reshape(rows, cols);

        float[] byRow = m.sum(1).toFloatArray();
        for (int i = 0; i < rows; i++) {
            assertThat(byRow[i]).as("row %d", i).isEqualTo(KERNELS.reduce(Primitives.SUM, v, i * cols, cols));
        }

        float[] byColumn = m.sum(0).toFloatArray();
        float[] expected = new float[cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                expected[j] += v[i * cols + j];
            }
        }
        assertThat(byColumn).containsExactly(expected);

        // The middle axis of [k1, r, k2]: each of the k1 blocks is its own column reduction.
        Tensor cube = Tensor.of(v).reshape(2, rows / 2, cols);
        float[] middle = cube.sum(1).toFloatArray();
        float[] expectedMiddle = new float[2 * cols];
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < rows / 2; i++) {
                for (int j = 0; j < cols; j++) {
                    expectedMiddle[b * cols + j] += v[(b * rows / 2 + i) * cols + j];
                }
            }
        }
        assertThat(middle).containsExactly(expectedMiddle);
    }

    /**
     * Many rows of few columns: with {@code band = NARROW_BAND / k2} (when k2 is at most half the
     * band and there are more rows than the band), row j is added into accumulator row j mod band,
     * in row order, and the accumulator rows are then added into the outputs in order.
     */
    @Test
    void narrowColumnsFoldInBandsOfRowsInTheDocumentedOrder() {
        int[][] shapes = {
            {5, Reduce.NARROW_BAND / 2},          // the widest block folded in bands: band 2
            {3 * (Reduce.NARROW_BAND / 3) + 7, 3}, // three whole bands and part of one
            {Reduce.NARROW_BAND / 17 + 1, 17},     // one band and one row
            {2 * (Reduce.NARROW_BAND / 64) + 5, 64},
        };
        for (int[] s : shapes) {
            int rows = s[0];
            int k2 = s[1];
            float[] v = randomFloats(rows * k2, rows + k2);
            int band = Reduce.NARROW_BAND / k2;
            float[] acc = new float[band * k2];
            for (int j = 0; j < rows; j++) {
                for (int c = 0; c < k2; c++) {
                    acc[(j % band) * k2 + c] += v[j * k2 + c];
                }
            }
            float[] expected = new float[k2];
            for (int q = 0; q < band; q++) {
                for (int c = 0; c < k2; c++) {
                    expected[c] += acc[q * k2 + c];
                }
            }
            Tensor m = Tensor.of(v).reshape(rows, k2);
            assertThat(m.sum(0).toFloatArray()).as("%d x %d", rows, k2).containsExactly(expected);

            double[] v64 = widen(v);
            double[] acc64 = new double[band * k2];
            for (int j = 0; j < rows; j++) {
                for (int c = 0; c < k2; c++) {
                    acc64[(j % band) * k2 + c] += v64[j * k2 + c];
                }
            }
            double[] expected64 = new double[k2];
            for (int q = 0; q < band; q++) {
                for (int c = 0; c < k2; c++) {
                    expected64[c] += acc64[q * k2 + c];
                }
            }
            Tensor m64 = Tensor.of(v64, new int[] {rows, k2});
            assertThat(m64.sum(0).toDoubleArray()).as("F64 %d x %d", rows, k2).containsExactly(expected64);
        }
    }

    /**
     * The middle axis of {@code [k1, r, k2]} with few columns: each of the k1 blocks folds in
     * bands on its own, read from where the input starts in its array (here a slice that is
     * contiguous but does not start at 0).
     */
    @Test
    void eachBlockOfAMiddleAxisReductionFoldsInBandsFromWhereTheInputStarts() {
        int k1 = 3;
        int k2 = 5;
        int band = Reduce.NARROW_BAND / k2;
        int r = band + 3;
        float[] v = randomFloats((k1 + 1) * r * k2, 77);
        Tensor x = Tensor.of(v).reshape(k1 + 1, r, k2).slice(0, 1, k1 + 1, 1);
        assertThat(x.isContiguous()).isTrue();
        float[] got = x.sum(1).toFloatArray();
        for (int i = 0; i < k1; i++) {
            int base = (i + 1) * r * k2;
            float[] acc = new float[band * k2];
            for (int j = 0; j < r; j++) {
                for (int c = 0; c < k2; c++) {
                    acc[(j % band) * k2 + c] += v[base + j * k2 + c];
                }
            }
            for (int c = 0; c < k2; c++) {
                float expected = 0;
                for (int q = 0; q < band; q++) {
                    expected += acc[q * k2 + c];
                }
                assertThat(got[i * k2 + c]).as("block %d column %d", i, c).isEqualTo(expected);
            }
        }
        // The wide-column path from the same offset: plain row order per block.
        int wide = Reduce.NARROW_BAND;
        float[] w = randomFloats(3 * 4 * wide, 78);
        float[] gotWide = Tensor.of(w).reshape(3, 4, wide).slice(0, 1, 3, 1).sum(1).toFloatArray();
        for (int i = 0; i < 2; i++) {
            for (int c = 0; c < wide; c++) {
                float expected = 0;
                for (int j = 0; j < 4; j++) {
                    expected += w[((i + 1) * 4 + j) * wide + c];
                }
                assertThat(gotWide[i * wide + c]).as("wide block %d column %d", i, c).isEqualTo(expected);
            }
        }
    }

    /** An axis list that is not a set of the tensor's axes is refused by the primitive itself. */
    @Test
    void thePrimitiveRefusesAxesOutsideTheTensorOrRepeated() {
        Tensor x = Tensor.zeros(2, 3);
        for (int[] axes : new int[][] {{2}, {-1}, {0, 0}}) {
            assertThatThrownBy(() -> Dispatcher.call(Primitives.SUM, new Attrs.Reduce(axes, false), x))
                    .hasMessageContaining("are not distinct axes of (2, 3)");
        }
        assertThat(Dispatcher.call(Primitives.SUM, new Attrs.Reduce(new int[] {1}, false), x).shape().toArray())
                .containsExactly(2);
        assertThatThrownBy(() -> Dispatcher.call(Primitives.MAX, new Attrs.Reduce(new int[] {0}, false),
                Tensor.zeros(0, 3))).hasMessageContaining("covers no elements");
        assertThat(Dispatcher.call(Primitives.SUM, new Attrs.Reduce(new int[] {0}, false), Tensor.zeros(0, 3))
                .toFloatArray()).containsExactly(0, 0, 0);
    }

    /** Just wider than half a band, or no more rows than one band: plain row order. */
    @Test
    void blocksOutsideTheBandRuleAddRowsInPlainOrder() {
        int[][] shapes = {
            {7, Reduce.NARROW_BAND / 2 + 1},
            {Reduce.NARROW_BAND / 16, 16}, // exactly one band of rows
        };
        for (int[] s : shapes) {
            int rows = s[0];
            int k2 = s[1];
            float[] v = randomFloats(rows * k2, 3 * rows + k2);
            float[] expected = new float[k2];
            for (int j = 0; j < rows; j++) {
                for (int c = 0; c < k2; c++) {
                    expected[c] += v[j * k2 + c];
                }
            }
            assertThat(Tensor.of(v).reshape(rows, k2).sum(0).toFloatArray()).as("%d x %d", rows, k2)
                    .containsExactly(expected);
        }
    }

    /** Max and prod fill from their own identities and fold the same way. */
    @Test
    void otherReductionsFoldFromTheirIdentity() {
        int rows = 3 * (Reduce.NARROW_BAND / 8) + 1;
        float[] v = randomFloats(rows * 8, 8);
        for (int i = 0; i < v.length; i++) {
            v[i] = -Math.abs(v[i]) - 1; // all negative: a max that started from 0 would say 0
        }
        float[] max = Tensor.of(v).reshape(rows, 8).max(0).toFloatArray();
        double[] max64 = Tensor.of(v).reshape(rows, 8).cast(DType.F64).max(0).toDoubleArray();
        float[] prodOfSigns = Tensor.of(v).reshape(rows, 8).sign().prod(0).toFloatArray();
        for (int c = 0; c < 8; c++) {
            float hi = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < rows; j++) {
                hi = Math.max(hi, v[j * 8 + c]);
            }
            assertThat(max[c]).isEqualTo(hi);
            assertThat(max64[c]).isEqualTo(hi);
            assertThat(prodOfSigns[c]).isEqualTo(rows % 2 == 0 ? 1f : -1f);
        }
        assertThat(Tensor.of(v).max().toFloatArray()[0]).isEqualTo(
                Tensor.of(v).reshape(rows, 8).max(0).max().toFloatArray()[0]);
    }
}
