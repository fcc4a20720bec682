package dev.vecgrad.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.testsupport.DebianPackages;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenBLAS binding against a reference product in every transpose form, on sizes that are no
 * multiple of any kernel's tile and with row strides wider than the rows. The tests that call the
 * library are skipped where it is absent and cannot be installed, or where the environment would make it load
 * another kernel (the build's surefire configuration removes those variables from the test JVM's environment).
 */
class OpenBlasTest {
    /** Debian's OpenBLAS, the build NumPy links against there; installed when missing (on Debian, as root). */
    private static final String PACKAGE = "libopenblas0-pthread";
    private static OpenBlas blas;
    private static String skipped;

    @BeforeAll
    static void load() {
        List<String> env = OpenBlas.environmentOverrides();
        Optional<Path> lib = OpenBlas.find();
        String notInstalled = null;
        if (lib.isEmpty() && env.isEmpty()) {
            notInstalled = DebianPackages.install(PACKAGE);
            lib = OpenBlas.find();
        }
        if (!env.isEmpty()) {
            skipped = "the environment sets " + env + ", which OpenBLAS reads at load (a forced kernel may not run on this CPU)";
        } else if (lib.isEmpty()) {
            skipped = "no OpenBLAS here (looked at " + OpenBlas.candidates() + ") and " + PACKAGE + " could not be installed ("
                    + (notInstalled != null ? notInstalled : "apt-get installed it, but none of those paths exists") + ")";
        } else {
            blas = OpenBlas.load(lib.get());
            blas.setThreads(1);
        }
    }

    private static void needLibrary() {
        Assumptions.assumeTrue(blas != null, () -> skipped);
    }

    /**
     * {@code C = op(A)·op(B)} in double, one sum a product, from the stored layouts: A {@code k×m} when
     * transposed, else {@code m×k}, with stride {@code lda}; B likewise.
     */
    private static double[] reference(boolean ta, boolean tb, int m, int n, int k, double[] a, int lda, double[] b,
            int ldb, int ldc) {
        double[] c = new double[m * ldc];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
                }
                c[i * ldc + j] = s;
            }
        }
        return c;
    }

    private static double[] random(int len, SplittableRandom rnd) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) {
            x[i] = rnd.nextDouble() * 2 - 1;
        }
        return x;
    }

    /** m, n, k, and the padding of every row stride beyond its row. */
    private static final int[][] SIZES = {{1, 1, 1, 0}, {7, 5, 3, 0}, {13, 17, 11, 3}, {33, 9, 40, 1}, {64, 64, 64, 0}};

    @Test
    void sgemmMatchesTheReferenceInEveryTransposeForm() {
        needLibrary();
        SplittableRandom rnd = new SplittableRandom(7);
        for (int[] size : SIZES) {
            for (int form = 0; form < 4; form++) {
                boolean ta = (form & 1) != 0;
                boolean tb = (form & 2) != 0;
                int m = size[0];
                int n = size[1];
                int k = size[2];
                int lda = (ta ? m : k) + size[3];
                int ldb = (tb ? k : n) + size[3];
                int ldc = n + size[3];
                double[] a = random((ta ? k : m) * lda, rnd);
                double[] b = random((tb ? n : k) * ldb, rnd);
                float[] af = toFloat(a);
                float[] bf = toFloat(b);
                float[] c = new float[m * ldc];
                Arrays.fill(c, Float.NaN);   // beta 0: what C held is overwritten, NaN included
                blas.sgemm(ta, tb, m, n, k, af, lda, bf, ldb, c, ldc);
                double[] want = reference(ta, tb, m, n, k, toDouble(af), lda, toDouble(bf), ldb, ldc);
                String what = "m=%d n=%d k=%d transA=%b transB=%b".formatted(m, n, k, ta, tb);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        assertThat((double) c[i * ldc + j]).as(what + " C[%d][%d]", i, j)
                            .isCloseTo(want[i * ldc + j], org.assertj.core.api.Assertions.within(k * 1e-6));
                    }
                    for (int j = n; j < ldc; j++) {
                        assertThat(c[i * ldc + j]).as(what + " padding of row %d", i).isNaN();
                    }
                }
            }
        }
    }

    @Test
    void dgemmMatchesTheReferenceInEveryTransposeForm() {
        needLibrary();
        SplittableRandom rnd = new SplittableRandom(11);
        for (int[] size : SIZES) {
            for (int form = 0; form < 4; form++) {
                boolean ta = (form & 1) != 0;
                boolean tb = (form & 2) != 0;
                int m = size[0];
                int n = size[1];
                int k = size[2];
                int lda = (ta ? m : k) + size[3];
                int ldb = (tb ? k : n) + size[3];
                int ldc = n + size[3];
                double[] a = random((ta ? k : m) * lda, rnd);
                double[] b = random((tb ? n : k) * ldb, rnd);
                double[] c = new double[m * ldc];
                Arrays.fill(c, Double.NaN);
                blas.dgemm(ta, tb, m, n, k, a, lda, b, ldb, c, ldc);
                double[] want = reference(ta, tb, m, n, k, a, lda, b, ldb, ldc);
                String what = "m=%d n=%d k=%d transA=%b transB=%b".formatted(m, n, k, ta, tb);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        assertThat(c[i * ldc + j]).as(what + " C[%d][%d]", i, j)
                            .isCloseTo(want[i * ldc + j], org.assertj.core.api.Assertions.within(k * 1e-14));
                    }
                    for (int j = n; j < ldc; j++) {
                        assertThat(c[i * ldc + j]).as(what + " padding of row %d", i).isNaN();
                    }
                }
            }
        }
    }

    @Test
    void reportsItsBuildKernelAndOneThread() {
        needLibrary();
        assertThat(blas.config()).startsWith("OpenBLAS");
        assertThat(blas.corename()).isNotBlank();
        assertThat(blas.threads()).isEqualTo(1);
        assertThat(blas.describe()).contains(blas.path().toString(), blas.corename());
    }

    @Test
    void refusesArraysTooShortForTheirRowsBeforeCallingTheLibrary() {
        // A 3×4 with stride 5 needs 2·5 + 4 = 14 elements.
        OpenBlas.check(false, false, 3, 2, 4, 14, 5, 8, 2, 6, 2);
        assertThatThrownBy(() -> OpenBlas.check(false, false, 3, 2, 4, 13, 5, 8, 2, 6, 2))
            .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("A:");
        // Transposed B 2×4 (n×k) with stride 4: 8 elements.
        assertThatThrownBy(() -> OpenBlas.check(false, true, 3, 2, 4, 12, 4, 7, 4, 6, 2))
            .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("B:");
        assertThatThrownBy(() -> OpenBlas.check(false, false, 3, 2, 4, 12, 4, 8, 2, 6, 1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leading dimension");
        assertThatThrownBy(() -> OpenBlas.check(false, false, -1, 2, 4, 12, 4, 8, 2, 6, 2))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }

    @Test
    void namesTheEnvironmentSettingsThatChangeTheKernel() {
        assertThat(OpenBlas.environmentOverrides(Map.of("PATH", "/bin"))).isEmpty();
        assertThat(OpenBlas.environmentOverrides(Map.of("OPENBLAS_L2_SIZE", "524288", "OPENBLAS_CORETYPE", "Haswell")))
            .containsExactly("OPENBLAS_CORETYPE=Haswell", "OPENBLAS_L2_SIZE=524288");
    }

    @Test
    void looksForDebiansPthreadBuildFirst() {
        Assumptions.assumeTrue(System.getProperty("os.arch").equals("amd64"), "the Debian path checked is x86-64's");
        assertThat(OpenBlas.candidates().get(0))
            .isEqualTo(Path.of("/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0"));
    }

    @Test
    void aFileThatIsNoLibraryIsRefusedWithItsName() {
        assertThatThrownBy(() -> OpenBlas.load(Path.of("/nonexistent/libopenblas.so.0")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/nonexistent/libopenblas.so.0");
    }

    private static float[] toFloat(double[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) x[i];
        }
        return y;
    }

    private static double[] toDouble(float[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i];
        }
        return y;
    }
}
