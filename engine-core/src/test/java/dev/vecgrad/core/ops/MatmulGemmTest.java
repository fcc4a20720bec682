package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link LinalgOps#matmul} through the GEMM kernel on what the Tensor API hands it: broadcast
 * batch axes, transpose flags, transposed views and strided slices, checked element by element
 * against a naive f64 loop over the logical indices ({@link Tensor#get}).
 */
class MatmulGemmTest {

    @Test
    void batchedWithBroadcastBatchAxes() {
        Rng rng = new Rng(1);
        Tensor a = Tensor.randomNormal(rng, 0, 1, 2, 1, 37, 70);
        Tensor b = Tensor.randomNormal(rng, 0, 1, 3, 70, 33);
        Tensor y = LinalgOps.matmul(a, b, false, false);
        assertThat(y.shape().toArray()).containsExactly(2, 3, 37, 33);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                assertMatches(y, new int[] {i, j}, a, new int[] {i, 0}, b, new int[] {j}, false, false, 1e-5);
            }
        }
    }

    @Test
    void batchedF64WithTransposeFlagsAndBroadcastLeftOperand() {
        Rng rng = new Rng(2);
        Tensor a = Tensor.randomNormal(rng, 0, 1, 65, 40).cast(DType.F64);      // used as aᵀ: 40×65
        Tensor b = Tensor.randomNormal(rng, 0, 1, 4, 17, 65).cast(DType.F64);   // used as bᵀ: 65×17 per batch
        Tensor y = LinalgOps.matmul(a, b, true, true);
        assertThat(y.shape().toArray()).containsExactly(4, 40, 17);
        for (int t = 0; t < 4; t++) {
            assertMatches(y, new int[] {t}, a, new int[0], b, new int[] {t}, true, true, 1e-12);
        }
    }

    @Test
    void transposedViewsAndSlicesNeedNoCopyToBeRight() {
        Rng rng = new Rng(3);
        Tensor base = Tensor.randomNormal(rng, 0, 1, 90, 80);
        Tensor w = Tensor.randomNormal(rng, 0, 1, 80, 50);
        Tensor aT = base.transpose();                     // 80×90 view, column-major over base
        Tensor rows = base.slice(0, 5, 70);               // 65×80, offset, row stride 80
        Tensor cols = base.slice(1, 3, 68);               // 90×65, row stride 80 > 65
        Tensor stepped = base.slice(1, 0, 80, 2);         // 90×40, column stride 2: copied before GEMM
        Tensor wT = w.transpose();                        // 50×80 view
        Tensor rowsK = Tensor.randomNormal(rng, 0, 1, 100, 30).slice(0, 5, 95);   // 90×30 at an offset

        assertMatches(LinalgOps.matmul(aT, rowsK, false, false), new int[0], aT, new int[0], rowsK, new int[0],
                false, false, 1e-4);
        assertMatches(LinalgOps.matmul(cols, w.slice(0, 0, 65), false, false), new int[0], cols, new int[0],
                w.slice(0, 0, 65), new int[0], false, false, 1e-4);
        assertMatches(LinalgOps.matmul(stepped, w.slice(0, 10, 50), false, false), new int[0], stepped, new int[0],
                w.slice(0, 10, 50), new int[0], false, false, 1e-4);
        // A transposed view with the transpose flag set again reads the base as stored.
        assertMatches(LinalgOps.matmul(aT, wT, true, true), new int[0], aT, new int[0], wT, new int[0], true, true,
                1e-4);
        assertMatches(LinalgOps.matmul(rows, wT, false, true), new int[0], rows, new int[0], wT, new int[0], false,
                true, 1e-4);
    }

    @Test
    void batchOfTransposedViews() {
        Rng rng = new Rng(4);
        Tensor a = Tensor.randomNormal(rng, 0, 1, 3, 33, 7).transpose(1, 2);   // 3 × 7 × 33, strided view
        Tensor b = Tensor.randomNormal(rng, 0, 1, 3, 33, 64);
        Tensor y = a.matmul(b);
        for (int t = 0; t < 3; t++) {
            assertMatches(y, new int[] {t}, a, new int[] {t}, b, new int[] {t}, false, false, 1e-5);
        }
    }

    @Test
    void oneMatrixBroadcastOverTheBatchIsOneProductOverAllRows() {
        Rng rng = new Rng(5);
        Tensor w = Tensor.randomNormal(rng, 0, 1, 70, 37);
        Tensor x = Tensor.randomNormal(rng, 0, 1, 2, 3, 19, 70);             // stacked rows: one GEMM
        Tensor y = x.matmul(w);
        assertThat(y.shape().toArray()).containsExactly(2, 3, 19, 37);
        Tensor seq = Tensor.randomNormal(rng, 0, 1, 5, 6, 70).transpose(0, 1);  // (6, 5, 70) view: rows copied
        Tensor ys = seq.matmul(w);
        Tensor wide = Tensor.randomNormal(rng, 0, 1, 70, 3);                  // 5 rows > 3 columns: one GEMM per entry
        Tensor yw = seq.matmul(wide);
        Tensor xt = Tensor.randomNormal(rng, 0, 1, 4, 70, 9);                 // used as xᵀ: 9 × 70 per entry
        Tensor yt = LinalgOps.matmul(xt, w.transpose().contiguous().reshape(1, 37, 70), true, true);
        assertThat(yt.shape().toArray()).containsExactly(4, 9, 37);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                assertMatches(y, new int[] {i, j}, x, new int[] {i, j}, w, new int[0], false, false, 1e-5);
            }
        }
        for (int t = 0; t < 6; t++) {
            assertMatches(ys, new int[] {t}, seq, new int[] {t}, w, new int[0], false, false, 1e-5);
            assertMatches(yw, new int[] {t}, seq, new int[] {t}, wide, new int[0], false, false, 1e-5);
        }
        Tensor wt = w.transpose().contiguous().reshape(1, 37, 70);
        for (int t = 0; t < 4; t++) {
            assertMatches(yt, new int[] {t}, xt, new int[] {t}, wt, new int[] {0}, true, true, 1e-5);
        }
    }

    /** One batch entry of y against the naive product of the matching entries of a and b. */
    private static void assertMatches(Tensor y, int[] yb, Tensor a, int[] ab, Tensor b, int[] bb, boolean ta,
            boolean tb, double tol) {
        int ra = a.rank();
        int rb = b.rank();
        int m = a.shape().dim(ta ? ra - 1 : ra - 2);
        int k = a.shape().dim(ta ? ra - 2 : ra - 1);
        int n = b.shape().dim(tb ? rb - 2 : rb - 1);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += a.get(index(ab, ta ? p : i, ta ? i : p)) * b.get(index(bb, tb ? j : p, tb ? p : j));
                }
                double got = y.get(index(yb, i, j));
                assertThat(Math.abs(got - s)).as("y[%s][%d][%d] = %s, expected %s", java.util.Arrays.toString(yb), i, j,
                        got, s).isLessThanOrEqualTo(tol * (1 + Math.abs(s)) * Math.sqrt(k));
            }
        }
    }

    private static int[] index(int[] batch, int r, int c) {
        int[] idx = java.util.Arrays.copyOf(batch, batch.length + 2);
        idx[batch.length] = r;
        idx[batch.length + 1] = c;
        return idx;
    }
}
