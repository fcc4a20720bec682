package dev.vecgrad.bench;

import dev.vecgrad.core.Rng;
import dev.vecgrad.core.kernel.update.ScalarUpdateKernels;
import dev.vecgrad.core.kernel.update.UpdateKernels;
import dev.vecgrad.core.kernel.update.VectorUpdateKernels;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fused optimizer update kernels over one F32 weight array of {@code size} elements: the
 * Vector API form against the scalar reference, in the same run. The kernels keep running on
 * the same arrays (a real optimizer does too); the values stay finite since every rule is a
 * small step.
 *
 * <p>Run: {@code ./vecgrad bench OptimizerUpdateBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES})
public class OptimizerUpdateBenchmark {
    /** Elements in the weight array (a 784x128 kernel is 100352). */
    @Param({"1000", "100352", "1000000"})
    public int size;

    /** Which implementation runs. */
    @Param({"scalar", "vector"})
    public String kernels;

    private UpdateKernels k;
    private float[] w;
    private float[] g;
    private float[] m;
    private float[] v;

    /** Fixed-seed weights and gradients, zero slots. */
    @Setup(Level.Trial)
    public void setUp() {
        k = kernels.equals("vector") ? VectorUpdateKernels.INSTANCE : ScalarUpdateKernels.INSTANCE;
        Rng rng = new Rng(42);
        w = new float[size];
        g = new float[size];
        m = new float[size];
        v = new float[size];
        for (int i = 0; i < size; i++) {
            w[i] = (float) rng.nextGaussian();
            g[i] = (float) rng.nextGaussian() * 1e-3f;
        }
    }

    /** One Adam step. */
    @Benchmark
    public float adam() {
        k.adam(w, w, g, 0, m, v, null, size, 1e-3f, 0.9f, 0.999f, 1e-7f, 1f);
        return w[0];
    }

    /** One SGD step with momentum. */
    @Benchmark
    public float momentum() {
        k.momentum(w, w, g, 0, m, size, 1e-3f, 0.9f, false);
        return w[0];
    }

    /** One RMSprop step. */
    @Benchmark
    public float rmsprop() {
        k.rmsprop(w, w, g, 0, v, null, null, size, 1e-3f, 0.9f, 0f, 1e-7f);
        return w[0];
    }
}
