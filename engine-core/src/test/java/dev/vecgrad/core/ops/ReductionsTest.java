package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Engine;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import org.junit.jupiter.api.Test;

class ReductionsTest {
    /** Sum over the given axes by brute force over every element, in double. */
    private static double[] bruteSum(Tensor x, boolean[] reduced) {
        int rank = x.rank();
        int outSize = 1;
        int[] outDims = new int[rank];
        for (int i = 0; i < rank; i++) {
            outDims[i] = reduced[i] ? 1 : x.shape().dim(i);
            outSize *= outDims[i];
        }
        double[] out = new double[outSize];
        int[] idx = new int[rank];
        for (int flat = 0; flat < x.size(); flat++) {
            int rem = flat;
            for (int i = rank - 1; i >= 0; i--) {
                idx[i] = rem % x.shape().dim(i);
                rem /= x.shape().dim(i);
            }
            int o = 0;
            for (int i = 0; i < rank; i++) {
                o = o * outDims[i] + (reduced[i] ? 0 : idx[i]);
            }
            out[o] += x.get(idx);
        }
        return out;
    }

    /**
     * Many rows of a few columns (a bias gradient's shape) are folded a band of rows at a time,
     * with the band's partial rows folded last: sums within float rounding of the f64 brute force,
     * max and min exactly, and the same bits on one thread or two.
     */
    @Test
    void manyRowsOfFewColumnsFoldInBands() {
        for (int channels : new int[] {1, 3, 17, 32, 64, 100}) {
            int rows = 3 * (Reduce.NARROW_BAND / channels) + 7; // three whole bands and part of one
            Tensor x64 = Tensor.randomNormal(new Rng(channels), 0, 1, rows, 1, 1, channels).cast(DType.F64)
                    .reshape(rows, 1, 1, channels);
            boolean[] reduced = {true, true, true, false};
            double[] expected = bruteSum(x64, reduced);
            double[] absSum = bruteSum(x64.abs(), reduced);
            for (DType dtype : new DType[] {DType.F32, DType.F64}) {
                Tensor x = x64.cast(dtype);
                double[] sum = x.sum(new int[] {0, 1, 2}, false).toDoubleArray();
                double tol = dtype == DType.F32 ? 1e-5 : 1e-12;
                for (int c = 0; c < channels; c++) {
                    assertThat(sum[c]).as("%s sum, %d channels, channel %d", dtype, channels, c)
                            .isCloseTo(expected[c], within(tol * absSum[c]));
                }
                double[] max = Reductions.max(x, new int[] {0, 1, 2}, false).toDoubleArray();
                double[] min = Reductions.min(x, new int[] {0, 1, 2}, false).toDoubleArray();
                double[] values = x.toDoubleArray();
                for (int c = 0; c < channels; c++) {
                    double hi = Double.NEGATIVE_INFINITY;
                    double lo = Double.POSITIVE_INFINITY;
                    for (int r = 0; r < rows; r++) {
                        hi = Math.max(hi, values[r * channels + c]);
                        lo = Math.min(lo, values[r * channels + c]);
                    }
                    assertThat(max[c]).as("%s max, channel %d", dtype, c).isEqualTo(hi);
                    assertThat(min[c]).as("%s min, channel %d", dtype, c).isEqualTo(lo);
                }
                int before = Engine.get().parallel().threads();
                try {
                    Engine.setThreads(1);
                    double[] one = x.sum(new int[] {0, 1, 2}, false).toDoubleArray();
                    Engine.setThreads(2);
                    assertThat(x.sum(new int[] {0, 1, 2}, false).toDoubleArray()).isEqualTo(one);
                } finally {
                    Engine.setThreads(before);
                }
            }
        }
    }

    @Test
    void sumOverEverySubsetOfAxes() {
        Tensor x = Tensor.randomNormal(new Rng(5), 0, 1, 3, 4, 5, 2).cast(DType.F64);
        for (int mask = 0; mask < 16; mask++) {
            boolean[] reduced = new boolean[4];
            int n = Integer.bitCount(mask);
            int[] axes = new int[n];
            for (int i = 0, j = 0; i < 4; i++) {
                if ((mask >> i & 1) != 0) {
                    reduced[i] = true;
                    axes[j++] = i - 4; // negative axes
                }
            }
            Tensor kept = x.sum(axes, true);
            double[] expected = bruteSum(x, reduced);
            double[] actual = kept.toDoubleArray();
            assertThat(actual).hasSize(expected.length);
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).as("mask %d element %d", mask, i).isCloseTo(expected[i], within(1e-12));
            }
            assertThat(x.sum(axes, false).size()).isEqualTo(expected.length);
        }
    }

    /**
     * Axes of size 1 (where reducing is a copy of the kept elements, and a mean divides by one) on a
     * strided view: every subset of axes against brute force.
     */
    @Test
    void sizeOneAxesOnAViewSumAndAverageEveryElement() {
        Tensor base = Tensor.randomNormal(new Rng(9), 0, 1, 4, 1, 6, 1).cast(DType.F64);
        Tensor x = base.permute(2, 1, 0, 3).slice(0, 1, 6, 2); // (3, 1, 4, 1), not contiguous
        assertThat(x.isContiguous()).isFalse();
        for (int mask = 0; mask < 16; mask++) {
            boolean[] reduced = new boolean[4];
            int[] axes = new int[Integer.bitCount(mask)];
            int count = 1;
            for (int i = 0, j = 0; i < 4; i++) {
                if ((mask >> i & 1) != 0) {
                    reduced[i] = true;
                    axes[j++] = i;
                    count *= x.shape().dim(i);
                }
            }
            double[] expected = bruteSum(x, reduced);
            double[] sum = x.sum(axes, false).toDoubleArray();
            double[] mean = x.mean(axes, true).toDoubleArray();
            for (int i = 0; i < expected.length; i++) {
                assertThat(sum[i]).as("sum, mask %d element %d", mask, i).isCloseTo(expected[i], within(1e-12));
                assertThat(mean[i]).as("mean, mask %d element %d", mask, i)
                        .isCloseTo(expected[i] / count, within(1e-12));
            }
        }
    }

    @Test
    void reductionsOnViewsAndOtherOps() {
        Tensor x = Tensor.of(new float[][] {{1, 5, 3}, {4, 2, 6}}).transpose();
        assertThat(x.max(new int[] {1}, false).toFloatArray()).containsExactly(4, 5, 6);
        assertThat(x.min(new int[] {0}, true).shape()).isEqualTo(Shape.of(1, 2));
        assertThat(x.min(new int[] {0}, true).toFloatArray()).containsExactly(1, 2);
        assertThat(x.prod().item()).isEqualTo(720.0);
        assertThat(x.mean().item()).isEqualTo(3.5);
        assertThat(x.variance(null, false).item()).isCloseTo(35.0 / 12, within(1e-6));
        assertThat(x.argmax(0).toIntArray()).containsExactly(1, 2);
        assertThat(x.argmin(1).toIntArray()).containsExactly(0, 1, 0);
        assertThat(Tensor.of(new float[] {1, 3, 3}).argmax(0).item()).isEqualTo(1.0);
        assertThat(Tensor.of(new int[] {1, 2, 3}, 3).sum().dtype()).isEqualTo(DType.I32);
        assertThat(Tensor.of(new int[] {1, 2, 3}, 3).sum().item()).isEqualTo(6.0);
        assertThat(Tensor.zeros(0, 3).sum(new int[] {0}, false).toFloatArray()).containsExactly(0, 0, 0);
        assertThat(Tensor.of(new float[] {1, Float.NaN}).max().item()).isNaN();
    }

    @Test
    void largeReductionsAreAccurateAndIndependentOfChunking() {
        int n = 3_000_017;
        float[] v = new float[n];
        double exact = 0;
        Rng rng = new Rng(9);
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextDouble();
            exact += v[i];
        }
        Tensor x = Tensor.of(v);
        assertThat(x.sum().item()).isCloseTo(exact, within(exact * 1e-5));
        Tensor m = x.slice(0, 0, 3_000_000).reshape(3000, 1000);
        double[] cols = new double[1000];
        for (int i = 0; i < 3000; i++) {
            for (int j = 0; j < 1000; j++) {
                cols[j] += v[i * 1000 + j];
            }
        }
        float[] got = m.sum(new int[] {0}, false).toFloatArray();
        for (int j = 0; j < 1000; j++) {
            // float accumulation over 3000 rows of ~0.5: error well under 0.02; a lost row would be ~0.5
            assertThat((double) got[j]).isCloseTo(cols[j], within(0.02));
        }
    }

    @Test
    void sumToShapeUndoesBroadcasting() {
        Tensor g = Tensor.ones(4, 2, 3);
        assertThat(g.sumToShape(Shape.of(2, 1)).toFloatArray()).containsExactly(12, 12);
        assertThat(g.sumToShape(Shape.of(3)).toFloatArray()).containsExactly(8, 8, 8);
        assertThatThrownBy(() -> g.sumToShape(Shape.of(5))).hasMessageContaining("(4, 2, 3)");
    }

    @Test
    void errors() {
        Tensor x = Tensor.zeros(2, 3);
        assertThatThrownBy(() -> x.sum(new int[] {2}, false)).hasMessageContaining("sum").hasMessageContaining("axis 2");
        assertThatThrownBy(() -> x.sum(new int[] {1, -1}, false)).hasMessageContaining("twice");
        assertThatThrownBy(() -> Tensor.zeros(0).max()).hasMessageContaining("no identity");
        assertThatThrownBy(() -> Tensor.zeros(2, 0).argmax(1)).hasMessageContaining("empty");
    }
}
