package dev.vecgrad.bench;

import dev.vecgrad.core.Engine;
import dev.vecgrad.core.kernel.Backend;
import dev.vecgrad.core.kernel.gemm.Gemm;
import java.util.SplittableRandom;
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
 * A template for timing a kernel of your own beside vecgrad's with JMH (see "Timing your own
 * kernel" in docs/benchmarks.md). Copy the class into a project that depends on
 * {@code engine-core} and JMH, replace {@link #mine} with your kernel, and point {@link #vecgrad} at
 * the vecgrad kernel that does the same work. Both methods read the same operands and write an
 * output of the same shape, so their scores (microseconds a call) compare directly, and JMH prints
 * them in one table. As shipped it times a plain triple-loop matrix product against
 * {@link Gemm#sgemm}:
 *
 * <pre>{@code
 * ./vecgrad bench YourKernelBenchmark
 * }</pre>
 *
 * <p>What the annotations below settle, and why:
 * <ul>
 *   <li>The fork adds {@code --add-modules=jdk.incubator.vector}, without which vecgrad runs its
 *       scalar reference kernels (its log line says which it chose), and transparent huge pages
 *       for the heap, which vecgrad's launcher also uses. Add flags of your own on the command
 *       line with {@code -jvmArgsPrepend}: {@code -jvmArgsAppend} replaces this list.</li>
 *   <li>Warm-up of several seconds: C2 compiles large Vector API loops late, and a measurement
 *       that starts earlier times the interpreter.</li>
 *   <li>One engine thread ({@link Engine#configure}), so both sides do the same work on one
 *       core; run with {@code -p threads=2} for vecgrad's two-thread figure.</li>
 *   <li>{@link IterationCpuTime} (copy it too) adds the thread's CPU time a call beside the wall
 *       clock: on a machine shared with other work, quote the CPU figure for one thread.</li>
 * </ul>
 * The set-up runs both kernels once and stops the run if their results differ: a fast wrong
 * kernel is not worth timing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseTransparentHugePages"})
public class YourKernelBenchmark {
    /** Matrix size: n×n times n×n. */
    @Param({"128", "512"})
    public int n;

    /** vecgrad's engine threads. */
    @Param({"1"})
    public int threads;

    private float[] a;
    private float[] b;
    private float[] c;
    private Backend backend;

    /** Fixed-seed operands, the engine configured once, and the two kernels checked against each other. */
    @Setup(Level.Trial)
    public void setUp() {
        backend = Engine.configure(Engine.KernelChoice.AUTO, threads).backend();
        SplittableRandom rnd = new SplittableRandom(42);
        a = new float[n * n];
        b = new float[n * n];
        c = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rnd.nextDouble() * 2 - 1);
            b[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        check();
    }

    /** Both kernels on the same operands must agree (to f32 rounding) before anything is timed. */
    private void check() {
        float[] expected = mine(new IterationCpuTime()).clone();
        float[] actual = vecgrad(new IterationCpuTime());
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > 1e-4f * n) {
                throw new IllegalStateException("the kernels disagree at " + i + ": " + expected[i] + " vs " + actual[i]);
            }
        }
    }

    /** Your kernel. Here: C = A·B as a plain i-p-j loop (C2 vectorizes its inner loop). */
    @Benchmark
    public float[] mine(IterationCpuTime cpu) {
        cpu.calls++;
        java.util.Arrays.fill(c, 0f);
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < n; p++) {
                float aip = a[i * n + p];
                for (int j = 0; j < n; j++) {
                    c[i * n + j] += aip * b[p * n + j];
                }
            }
        }
        return c;
    }

    /** vecgrad's kernel doing the same work. */
    @Benchmark
    public float[] vecgrad(IterationCpuTime cpu) {
        cpu.calls++;
        Gemm.sgemm(backend, false, false, n, n, n, a, 0, n, b, 0, n, c, 0, n, false);
        return c;
    }
}
