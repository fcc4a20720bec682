package dev.vecgrad.core.kernel.gemm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Engine;
import dev.vecgrad.core.kernel.EngineSwitch;
import dev.vecgrad.core.kernel.parallel.Parallel;
import java.util.Random;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the GEMM tests share. As an extension ({@code @ExtendWith(GemmFixture.class)}) it runs the
 * test class on the vector kernels and one thread and puts the engine back afterwards; its static
 * methods make random operands and compare one thread against two through {@link Gemm}.
 */
final class GemmFixture implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(GemmFixture.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        EngineSwitch saved = EngineSwitch.save();
        context.getStore(NAMESPACE).put(EngineSwitch.class, saved);
        saved.use(Engine.KernelChoice.VECTOR, 1);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        context.getStore(NAMESPACE).remove(EngineSwitch.class, EngineSwitch.class).close();
    }

    /**
     * An m×n×k product large enough to be split gives the same bits on one thread and on two, in
     * f32 and f64, in the four transposed forms (accumulating in the last); form t draws its
     * operands from {@code new Random(seed + t)}.
     */
    static void assertOneAndTwoThreadsGiveTheSameBits(int m, int n, int k, long seed) {
        assertThat(Parallel.worthSplitting((long) m * n * k / Gemm.MACS_PER_WORK_UNIT)).isTrue();
        int before = Engine.get().parallel().threads();
        try {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                Random rnd = new Random(seed + t);
                float[] a = randomF32(m * k, rnd);
                float[] b = randomF32(k * n, rnd);
                float[] c1 = randomF32(m * n, rnd);
                float[] c2 = c1.clone();
                double[] ad = toDouble(a);
                double[] bd = toDouble(b);
                double[] d1 = toDouble(c1);
                double[] d2 = d1.clone();
                for (int threads = 1; threads <= 2; threads++) {
                    Engine.setThreads(threads);
                    float[] c = threads == 1 ? c1 : c2;
                    double[] d = threads == 1 ? d1 : d2;
                    Gemm.sgemm(Engine.get().backend(), ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, c, 0, n,
                            t == 3);
                    Gemm.dgemm(Engine.get().backend(), ta, tb, m, n, k, ad, 0, ta ? m : k, bd, 0, tb ? k : n, d, 0, n,
                            t == 3);
                }
                assertThat(c2).as("f32 %dx%dx%d transA=%s transB=%s", m, n, k, ta, tb).isEqualTo(c1);
                assertThat(d2).as("f64 %dx%dx%d transA=%s transB=%s", m, n, k, ta, tb).isEqualTo(d1);
            }
        } finally {
            Engine.setThreads(before);
        }
    }

    /** n floats drawn uniformly from [-1, 1). */
    static float[] randomF32(int n, Random rnd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }

    /** n doubles drawn uniformly from [-1, 1). */
    static double[] randomF64(int n, Random rnd) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextDouble() * 2 - 1;
        }
        return x;
    }

    /** The same values widened to double (exactly). */
    static double[] toDouble(float[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i];
        }
        return y;
    }
}
