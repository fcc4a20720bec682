package dev.vecgrad.bench;

import dev.vecgrad.core.Engine;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.kernel.Kernels;
import dev.vecgrad.core.ops.Primitives;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Elementwise F32 ops on one thread, as Tensor ops (which allocate and zero a fresh output) and as
 * bare kernel calls on preallocated arrays, beside a {@code System.arraycopy} of the same size as
 * the memory-bandwidth baseline. Times are per call; divide {@code size} by the time for elements
 * per second, and multiply by the bytes an op moves (copy and unary ops 8 per element, binary 12).
 * {@link IterationCpuTime} adds the thread's CPU time a call.
 *
 * <p>The fork maps its whole fixed heap at start-up ({@code -XX:+AlwaysPreTouch}, on transparent
 * huge pages): a short run otherwise allocates every Tensor op's output from heap never touched
 * before, and the 16M ops measured mostly page faults (add: about 70-90 ms of CPU a call against
 * 38-40 with the flags, alternating runs).
 *
 * <pre>{@code ./vecgrad bench ElementwiseBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s}</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms6g", "-Xmx6g",
    "-XX:+UseTransparentHugePages", "-XX:+AlwaysPreTouch"})
public class ElementwiseBenchmark {
    /** Elements per operand: 1M (fits in L2/L3 caches) and 16M (64 MB per array, memory-bound). */
    @Param({"1048576", "16777216"})
    public int size;

    /** Which kernels the engine uses: {@code vector} or {@code scalar}. */
    @Param({"vector"})
    public String kernels;

    private float[] a;
    private float[] b;
    private float[] out;
    private Tensor ta;
    private Tensor tb;
    private Tensor rows;
    private Tensor bias;
    private Kernels k;

    /** One thread, the chosen kernels, and fixed-seed inputs in [-4, 4]. */
    @Setup(Level.Trial)
    public void setUp() {
        Engine.configure("scalar".equals(kernels) ? Engine.KernelChoice.SCALAR : Engine.KernelChoice.VECTOR, 1);
        k = Engine.get().kernels();
        ta = Tensor.randomUniform(new Rng(1), -4, 4, size);
        tb = Tensor.randomUniform(new Rng(2), -4, 4, size);
        a = ta.f32Array();
        b = tb.f32Array();
        out = new float[size];
        rows = ta.reshape(size / 32, 32);
        bias = Tensor.randomUniform(new Rng(3), -1, 1, 32);
    }

    /** Puts the engine back to its defaults for whatever runs next in this JVM. */
    @TearDown(Level.Trial)
    public void tearDown() {
        Engine.configure(Engine.KernelChoice.AUTO, Runtime.getRuntime().availableProcessors());
    }

    /** Baseline: reads and writes {@code size} floats, 8 bytes an element. */
    @Benchmark
    public float[] copyBaseline(IterationCpuTime cpu) {
        cpu.calls++;
        System.arraycopy(a, 0, out, 0, size);
        return out;
    }

    /**
     * Baseline: the same copy as a plain loop, which C2 vectorizes with ordinary stores. Unlike
     * {@code arraycopy}'s stub, such stores read each destination line before writing it, as
     * every Java kernel's stores do: this is the bandwidth a kernel can hope for.
     */
    @Benchmark
    public float[] loopCopyBaseline(IterationCpuTime cpu) {
        cpu.calls++;
        float[] src = a;
        float[] dst = out;
        for (int i = 0; i < src.length; i++) {
            dst[i] = src[i];
        }
        return dst;
    }

    @Benchmark
    public Tensor add(IterationCpuTime cpu) {
        cpu.calls++;
        return ta.add(tb);
    }

    /** A bias of 32 channels added to every row, as after a convolution with 32 filters. */
    @Benchmark
    public Tensor biasAdd(IterationCpuTime cpu) {
        cpu.calls++;
        return rows.add(bias);
    }

    @Benchmark
    public float[] addKernel(IterationCpuTime cpu) {
        cpu.calls++;
        k.binary(Primitives.ADD, a, 0, 1, b, 0, 1, out, 0, size);
        return out;
    }

    @Benchmark
    public Tensor mul(IterationCpuTime cpu) {
        cpu.calls++;
        return ta.mul(tb);
    }

    @Benchmark
    public float[] mulKernel(IterationCpuTime cpu) {
        cpu.calls++;
        k.binary(Primitives.MUL, a, 0, 1, b, 0, 1, out, 0, size);
        return out;
    }

    @Benchmark
    public Tensor relu(IterationCpuTime cpu) {
        cpu.calls++;
        return ta.relu();
    }

    @Benchmark
    public float[] reluKernel(IterationCpuTime cpu) {
        cpu.calls++;
        k.unary(Primitives.RELU, a, 0, 1, out, 0, size);
        return out;
    }

    @Benchmark
    public Tensor exp(IterationCpuTime cpu) {
        cpu.calls++;
        return ta.exp();
    }

    @Benchmark
    public float[] expKernel(IterationCpuTime cpu) {
        cpu.calls++;
        k.unary(Primitives.EXP, a, 0, 1, out, 0, size);
        return out;
    }

    @Benchmark
    public Tensor tanh(IterationCpuTime cpu) {
        cpu.calls++;
        return ta.tanh();
    }

    @Benchmark
    public float[] tanhKernel(IterationCpuTime cpu) {
        cpu.calls++;
        k.unary(Primitives.TANH, a, 0, 1, out, 0, size);
        return out;
    }

    @Benchmark
    public Tensor sigmoid(IterationCpuTime cpu) {
        cpu.calls++;
        return ta.sigmoid();
    }

    @Benchmark
    public float[] sigmoidKernel(IterationCpuTime cpu) {
        cpu.calls++;
        k.unary(Primitives.SIGMOID, a, 0, 1, out, 0, size);
        return out;
    }

    /** GELU, exact (with erf), as {@code Tensor.gelu(false)}. */
    @Benchmark
    public Tensor gelu(IterationCpuTime cpu) {
        cpu.calls++;
        return ta.gelu(false);
    }

    @Benchmark
    public float[] geluKernel(IterationCpuTime cpu) {
        cpu.calls++;
        k.unary(Primitives.GELU_ERF, a, 0, 1, out, 0, size);
        return out;
    }

    /** GELU, tanh approximation, as {@code Tensor.gelu(true)}. */
    @Benchmark
    public Tensor geluTanh(IterationCpuTime cpu) {
        cpu.calls++;
        return ta.gelu(true);
    }

    @Benchmark
    public float[] geluTanhKernel(IterationCpuTime cpu) {
        cpu.calls++;
        k.unary(Primitives.GELU_TANH, a, 0, 1, out, 0, size);
        return out;
    }
}
