package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Masked softmax and its backward op over more rows than one parallel piece holds
 * ({@code StridedLoop.CHUNK / cols}), with masks broadcast along leading axes, along the row
 * (stride 0) and read through a transposed view, F32 rows with nothing allowed, the documented
 * summation orders of softmax's backward op and of layer normalisation bit for bit, softmax and
 * layer normalisation over many pieces and from strided views, and each input check's own message.
 */
class RowOpsChunksTest {
    private static final int COLS = 7;
    /** Rows of 7: several pieces of {@code CHUNK / 7} rows, the last one partial. */
    private static final int ROWS = 3 * (StridedLoop.CHUNK / COLS) + 5;

    private static void assertMaskedSoftmax(Tensor x, Tensor mask, double scale, Tensor y, double tol) {
        Tensor m = mask.broadcastTo(x.shape().toArray());
        double[] xv = x.toDoubleArray();
        double[] mv = m.toDoubleArray();
        double[] yv = y.toDoubleArray();
        for (int r = 0; r < xv.length / COLS; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < COLS; j++) {
                if (mv[r * COLS + j] != 0) {
                    max = Math.max(max, scale * xv[r * COLS + j]);
                }
            }
            double sum = 0;
            for (int j = 0; j < COLS; j++) {
                sum += mv[r * COLS + j] != 0 ? Math.exp(scale * xv[r * COLS + j] - max) : 0;
            }
            for (int j = 0; j < COLS; j++) {
                double want = mv[r * COLS + j] == 0 || sum == 0 ? 0 : Math.exp(scale * xv[r * COLS + j] - max) / sum;
                if (Math.abs(yv[r * COLS + j] - want) > tol) {
                    assertThat(yv[r * COLS + j]).as("row %d column %d", r, j).isCloseTo(want, within(tol));
                }
            }
        }
    }

    @Test
    void masksBroadcastAlongLeadingAxesAndAlongTheRowAcrossManyPieces() {
        Rng rng = new Rng(41);
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            double tol = dtype == DType.F32 ? 1e-6 : 1e-13;
            Tensor x = Tensor.randomNormal(rng, 0, 2, ROWS / 5 + 1, 5, COLS).cast(dtype);
            // (5, 7) mask read through a transposed view (last-axis stride 5); row 3 allows nothing.
            double[] m = new double[COLS * 5];
            for (int j = 0; j < COLS; j++) {
                for (int i = 0; i < 5; i++) {
                    m[j * 5 + i] = i == 3 ? 0 : (i + j) % 3 == 0 ? 0 : 1;
                }
            }
            Tensor transposed = Tensor.of(m, COLS, 5).cast(dtype).transpose(0, 1);
            assertMaskedSoftmax(x, transposed, 0.75, NNOps.maskedSoftmax(x, transposed, 0.75), tol);
            // One flag per row (last axis 1, stride 0 when broadcast): whole rows on or off.
            double[] perRow = new double[(ROWS / 5 + 1) * 5];
            for (int i = 0; i < perRow.length; i++) {
                perRow[i] = i % 4 == 1 ? 0 : 1;
            }
            Tensor rowMask = Tensor.of(perRow, ROWS / 5 + 1, 5, 1).cast(dtype);
            assertMaskedSoftmax(x, rowMask, 1.5, NNOps.maskedSoftmax(x, rowMask, 1.5), tol);
        }
    }

    @Test
    void theBackwardOpSumsInItsDocumentedOrderOverManyPieces() {
        Rng rng = new Rng(43);
        for (int cols : new int[] {8, 7}) {
            int rows = 2 * (StridedLoop.CHUNK / cols) + 3;
            Tensor y = Tensor.randomUniform(rng, 0, 1, rows, cols);
            Tensor g = Tensor.randomNormal(rng, 0, 1, rows, cols);
            float scale = 0.625f;
            float[] z = NNOps.softmaxBackward(y, g, scale).toFloatArray();
            float[] yv = y.toFloatArray();
            float[] gv = g.toFloatArray();
            for (int r = 0; r < rows; r++) {
                // Four interleaved partial sums over whole groups of four, the tail into the first.
                float[] s = new float[4];
                int groups = cols / 4 * 4;
                for (int j = 0; j < groups; j++) {
                    s[j % 4] += gv[r * cols + j] * yv[r * cols + j];
                }
                for (int j = groups; j < cols; j++) {
                    s[0] += gv[r * cols + j] * yv[r * cols + j];
                }
                float dot = (s[0] + s[1]) + (s[2] + s[3]);
                for (int j = 0; j < cols; j++) {
                    float want = scale * yv[r * cols + j] * (gv[r * cols + j] - dot);
                    if (z[r * cols + j] != want) {
                        assertThat(z[r * cols + j]).as("cols %d row %d column %d", cols, r, j).isEqualTo(want);
                    }
                }
            }
        }
    }

    /**
     * Interleaved partial sums of {@code v[o..o+n)} (squared distances from {@code shift} when
     * {@code square}): whole groups of {@code lanes}, the tail into lane 0, lanes added pairwise.
     */
    private static float sum(float[] v, int o, int n, int lanes, float shift, boolean square) {
        float[] s = new float[lanes];
        int groups = n / lanes * lanes;
        for (int j = 0; j < n; j++) {
            float d = v[o + j] - shift;
            s[j < groups ? j % lanes : 0] += square ? d * d : d;
        }
        return lanes == 4 ? (s[0] + s[1]) + (s[2] + s[3]) : s[0] + s[1];
    }

    private static double sum(double[] v, int o, int n, int lanes, double shift, boolean square) {
        double[] s = new double[lanes];
        int groups = n / lanes * lanes;
        for (int j = 0; j < n; j++) {
            double d = v[o + j] - shift;
            s[j < groups ? j % lanes : 0] += square ? d * d : d;
        }
        return lanes == 4 ? (s[0] + s[1]) + (s[2] + s[3]) : s[0] + s[1];
    }

    @Test
    void layerNormalisationSumsInItsDocumentedOrder() {
        Rng rng = new Rng(47);
        double eps = 1e-3;
        for (int n : new int[] {8, 11, 5}) {
            int rows = 9;
            Tensor x = Tensor.randomNormal(rng, 0.5f, 2, rows, n);
            Tensor g = Tensor.randomNormal(rng, 0, 1, rows, n);
            float[] xv = x.toFloatArray();
            float[] gv = g.toFloatArray();
            float[] y = NNOps.normalize(x, eps).toFloatArray();
            float[] z = NNOps.normalizeBackward(x, g, eps).toFloatArray();
            double[] xd = x.cast(DType.F64).toDoubleArray();
            double[] gd = g.cast(DType.F64).toDoubleArray();
            double[] yd = NNOps.normalize(x.cast(DType.F64), eps).toDoubleArray();
            double[] zd = NNOps.normalizeBackward(x.cast(DType.F64), g.cast(DType.F64), eps).toDoubleArray();
            for (int r = 0; r < rows; r++) {
                int o = r * n;
                // Mean and variance (about the mean) in four lanes; the backward sums in two.
                float mean = sum(xv, o, n, 4, 0, false) / n;
                float inv = (float) (1 / Math.sqrt(sum(xv, o, n, 4, mean, true) / n + eps));
                float[] gx = new float[n];
                for (int j = 0; j < n; j++) {
                    gx[j] = gv[o + j] * (xv[o + j] - mean);
                }
                float meanG = sum(gv, o, n, 2, 0, false) / n;
                float meanGx = sum(gx, 0, n, 2, 0, false) * inv / n;
                double meanD = sum(xd, o, n, 4, 0, false) / n;
                double invD = 1 / Math.sqrt(sum(xd, o, n, 4, meanD, true) / n + eps);
                double[] gxd = new double[n];
                for (int j = 0; j < n; j++) {
                    gxd[j] = gd[o + j] * (xd[o + j] - meanD);
                }
                double meanGd = sum(gd, o, n, 2, 0, false) / n;
                double meanGxd = sum(gxd, 0, n, 2, 0, false) * invD / n;
                for (int j = 0; j < n; j++) {
                    float xhat = (xv[o + j] - mean) * inv;
                    assertThat(y[o + j]).as("F32 y n=%d row %d col %d", n, r, j).isEqualTo(xhat);
                    assertThat(z[o + j]).as("F32 z n=%d row %d col %d", n, r, j)
                            .isEqualTo(inv * (gv[o + j] - meanG - xhat * meanGx));
                    double xhatD = (xd[o + j] - meanD) * invD;
                    assertThat(yd[o + j]).as("F64 y n=%d row %d col %d", n, r, j).isEqualTo(xhatD);
                    assertThat(zd[o + j]).as("F64 z n=%d row %d col %d", n, r, j)
                            .isEqualTo(invD * (gd[o + j] - meanGd - xhatD * meanGxd));
                }
            }
        }
    }

    @Test
    void softmaxAndLayerNormalisationOverManyPiecesAndFromStridedViews() {
        Rng rng = new Rng(53);
        double eps = 1e-5;
        Tensor x = Tensor.randomNormal(rng, 0, 2, ROWS, COLS).cast(DType.F64);
        Tensor g = Tensor.randomNormal(rng, 0, 1, ROWS, COLS).cast(DType.F64);
        double[] xv = x.toDoubleArray();
        double[] gv = g.toDoubleArray();
        double[] soft = NNOps.softmax(x, -1).toDoubleArray();
        double[] norm = NNOps.normalize(x, eps).toDoubleArray();
        double[] back = NNOps.normalizeBackward(x, g, eps).toDoubleArray();
        for (int r = 0; r < ROWS; r++) {
            int o = r * COLS;
            double max = Double.NEGATIVE_INFINITY;
            double mean = 0;
            double meanG = 0;
            for (int j = 0; j < COLS; j++) {
                max = Math.max(max, xv[o + j]);
                mean += xv[o + j] / COLS;
                meanG += gv[o + j] / COLS;
            }
            double sum = 0;
            double var = 0;
            for (int j = 0; j < COLS; j++) {
                sum += Math.exp(xv[o + j] - max);
                var += (xv[o + j] - mean) * (xv[o + j] - mean) / COLS;
            }
            double inv = 1 / Math.sqrt(var + eps);
            double meanGx = 0;
            for (int j = 0; j < COLS; j++) {
                meanGx += gv[o + j] * (xv[o + j] - mean) * inv / COLS;
            }
            for (int j = 0; j < COLS; j++) {
                double xhat = (xv[o + j] - mean) * inv;
                if (Math.abs(soft[o + j] - Math.exp(xv[o + j] - max) / sum) > 1e-13
                        || Math.abs(norm[o + j] - xhat) > 1e-11
                        || Math.abs(back[o + j] - inv * (gv[o + j] - meanG - xhat * meanGx)) > 1e-10) {
                    assertThat(new double[] {soft[o + j], norm[o + j], back[o + j]}).as("row %d column %d", r, j)
                            .containsExactly(new double[] {Math.exp(xv[o + j] - max) / sum, xhat,
                                    inv * (gv[o + j] - meanG - xhat * meanGx)}, within(1e-10));
                }
            }
        }
        // A transposed view is read as the matrix it shows, not as its storage.
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            Tensor xt = Tensor.randomNormal(rng, 0, 1, COLS, 50).cast(dtype).transpose(0, 1);
            Tensor gt = Tensor.randomNormal(rng, 0, 1, COLS, 50).cast(dtype).transpose(0, 1);
            assertThat(NNOps.normalize(xt, eps).toDoubleArray())
                    .containsExactly(NNOps.normalize(xt.contiguous(), eps).toDoubleArray());
            assertThat(NNOps.normalizeBackward(xt, gt, eps).toDoubleArray())
                    .containsExactly(NNOps.normalizeBackward(xt.contiguous(), gt.contiguous(), eps).toDoubleArray());
        }
    }

    @Test
    void eachInputCheckGivesItsOwnMessage() {
        assertThatThrownBy(() -> NNOps.normalize(Tensor.zeros(DType.I32, 2, 4), 1e-3))
                .hasMessageContaining("normalize").hasMessageContaining("floating dtype");
        assertThat(NNOps.normalize(Tensor.of(new float[] {1, 3}), 0).toFloatArray()).containsExactly(-1, 1);
        assertThatThrownBy(() -> NNOps.normalize(Tensor.of(new float[] {1, 3}), -1e-12))
                .hasMessageContaining("epsilon must be finite and non-negative");
        assertThatThrownBy(() -> NNOps.normalizeBackward(Tensor.zeros(2, 4), Tensor.zeros(DType.F64, 2, 4), 1e-3))
                .hasMessageContaining("normalize_backward").hasMessageContaining("dtypes differ");
        Tensor x = Tensor.zeros(2, 3, 4);
        assertThatThrownBy(() -> NNOps.maskedSoftmax(Tensor.zeros(DType.I32, 2, 4), null, 1))
                .hasMessageContaining("masked_softmax").hasMessageContaining("floating dtype");
        assertThatThrownBy(() -> NNOps.maskedSoftmax(x, Tensor.zeros(DType.F64, 4), 1))
                .hasMessageContaining("masked_softmax").hasMessageContaining("dtypes differ");
        assertThatThrownBy(() -> NNOps.softmaxBackward(Tensor.zeros(DType.I32, 2, 4), Tensor.zeros(DType.I32, 2, 4), 1))
                .hasMessageContaining("softmax_backward").hasMessageContaining("floating dtype");
        assertThatThrownBy(() -> NNOps.softmaxBackward(x, Tensor.zeros(DType.F64, 2, 3, 4), 1))
                .hasMessageContaining("softmax_backward").hasMessageContaining("dtypes differ");
    }
}
