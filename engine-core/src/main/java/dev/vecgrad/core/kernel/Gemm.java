package dev.vecgrad.core.kernel;

/**
 * General matrix multiply on row-major arrays: {@code C = op(A)·op(B)}, or {@code C += ...} when
 * accumulating, where op(X) is X or Xᵀ. A is m×k as op(A) (stored k×m when transposed), B is
 * k×n as op(B), C is m×n; {@code lda}, {@code ldb}, {@code ldc} are the row strides of the
 * arrays as stored.
 */
public final class Gemm {
    private Gemm() {
    }

    /** F32 GEMM. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
            float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (!accumulate) {
                java.util.Arrays.fill(c, ci, ci + n, 0f);
            }
            if (!transB) {
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    int bp = bOff + p * ldb;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[bp + j];
                    }
                }
            } else {
                for (int j = 0; j < n; j++) {
                    int bj = bOff + j * ldb;
                    float s = 0;
                    for (int p = 0; p < k; p++) {
                        float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        s += aip * b[bj + p];
                    }
                    c[ci + j] += s;
                }
            }
        }
    }

    /** F64 GEMM. */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff, int lda,
            double[] b, int bOff, int ldb, double[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (!accumulate) {
                java.util.Arrays.fill(c, ci, ci + n, 0.0);
            }
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += aip * bpj;
                }
                c[ci + j] += s;
            }
        }
    }
}
