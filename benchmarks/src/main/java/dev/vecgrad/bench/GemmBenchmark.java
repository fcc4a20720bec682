package dev.vecgrad.bench;

import dev.vecgrad.core.Engine;
import dev.vecgrad.core.Tensor;
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
 * GEMM on preallocated arrays (the raw kernel, {@link Gemm#sgemm} / {@link Gemm#dgemm}) and
 * through {@link Tensor#matmul}, on square sizes and on the products of one MLP layer
 * (x 128×784, W 784×256):
 * <ul>
 *   <li>{@code sq64} .. {@code sq2048}: n×n·n×n.</li>
 *   <li>{@code mlp_fwd}: x·W = (128×784)·(784×256).</li>
 *   <li>{@code mlp_dW}: xᵀ·dy = (784×128)·(128×256), A stored as x (transA).</li>
 *   <li>{@code mlp_dx}: dy·Wᵀ = (128×256)·(256×784), B stored as W (transB).</li>
 * </ul>
 * The shapes are {@link GemmShape#ALL}. Scores are microseconds per product; GFLOP/s = 2·m·n·k / (score · 1000). The kernels also report
 * the benchmark thread's CPU time ({@link IterationCpuTime}), the steadier figure for one thread on
 * a shared machine. {@code benchmarks/compare_peers.py --suite gemm} runs them beside NumPy and
 * PyTorch. Add {@code -prof gc} for the allocation per product.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES})
public class GemmBenchmark {
    /** The product: {@code sqN} for N×N·N×N, or one of the MLP layer's three products. */
    @Param({"sq64", "sq128", "sq256", "sq512", "sq1024", "sq2048", "mlp_fwd", "mlp_dW", "mlp_dx"})
    public String shape;

    /** Engine threads. */
    @Param({"1", "2"})
    public int threads;

    private int m;
    private int n;
    private int k;
    private boolean transA;
    private boolean transB;
    private float[] a;
    private float[] b;
    private float[] c;
    private double[] ad;
    private double[] bd;
    private double[] cd;
    private Tensor ta;
    private Tensor tb;
    private Backend backend;

    /** Configures the engine and makes fixed-seed operands, stored as the kernel reads them. */
    @Setup(Level.Trial)
    public void setUp() {
        backend = Engine.configure(Engine.KernelChoice.AUTO, threads).backend();
        GemmShape s = GemmShape.named(shape);
        m = s.m();
        n = s.n();
        k = s.k();
        transA = s.transA();
        transB = s.transB();
        SplittableRandom rnd = new SplittableRandom(42);
        a = random(m * k, rnd);
        b = random(k * n, rnd);
        c = new float[m * n];
        ad = toDouble(a);
        bd = toDouble(b);
        cd = new double[m * n];
        ta = Tensor.of(a, transA ? k : m, transA ? m : k);
        tb = Tensor.of(b, transB ? n : k, transB ? k : n);
    }

    /** F32 kernel on preallocated arrays: no allocation in steady state. */
    @Benchmark
    public float[] sgemm(IterationCpuTime cpu) {
        cpu.calls++;
        Gemm.sgemm(backend, transA, transB, m, n, k, a, 0, transA ? m : k, b, 0, transB ? k : n, c, 0, n, false);
        return c;
    }

    /** F64 kernel on preallocated arrays. */
    @Benchmark
    public double[] dgemm(IterationCpuTime cpu) {
        cpu.calls++;
        Gemm.dgemm(backend, transA, transB, m, n, k, ad, 0, transA ? m : k, bd, 0, transB ? k : n, cd, 0, n, false);
        return cd;
    }

    /** The same F32 product through the Tensor API (allocates the output tensor). */
    @Benchmark
    public Tensor tensorMatmul() {
        return ta.matmul(tb, transA, transB);
    }

    /**
     * {@code len} values {@code nextDouble() * 2 - 1} of {@code rnd}, as floats: the operands of every GEMM
     * benchmark (and of the timing server's, {@code dev.vecgrad.bench.alternating}).
     *
     * @param len how many
     * @param rnd the source, advanced by {@code len} draws
     * @return the values
     */
    public static float[] random(int len, SplittableRandom rnd) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }

    /**
     * {@code x} widened to doubles, the f64 operands made from the f32 ones.
     *
     * @param x the floats
     * @return the same values as doubles
     */
    public static double[] toDouble(float[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i];
        }
        return y;
    }
}
