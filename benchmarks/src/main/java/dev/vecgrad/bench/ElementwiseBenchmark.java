package dev.vecgrad.bench;

import dev.vecgrad.core.Engine;
import dev.vecgrad.core.OutputPool;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
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
 * <p>The allocating ops also run inside an {@link OutputPool} that gets each output back
 * ({@code addInPool}, ...): the loop a user writes when they release what they no longer read.
 *
 * <p>The Tensor ops' forks map their whole fixed heap at start-up ({@code -XX:+AlwaysPreTouch}, on
 * transparent huge pages): a short run otherwise allocates every output from heap never touched
 * before, and the 16M ops measured mostly page faults (add: about 70-90 ms of CPU a call against
 * 38-40 with the flags, alternating runs). The bare kernels and the copy baselines allocate their
 * arrays once, in the setup, which writes them before the first measurement, so their forks skip
 * that start-up cost (1-2 s of a 6 GB heap). The Tensor ops run the collector and young generation
 * of vecgrad's launcher ({@code -XX:+UseSerialGC -Xmn64m}), which serves fresh outputs best
 * (docs/benchmarks/jvm-flags.md, "The serial collector"). The bare kernels and the copy baselines
 * run G1, which puts each large operand at the start of a region of its own, as NumPy's and
 * PyTorch's allocators put theirs at the start of pages, so both sides' operands lie alike; the
 * serial collector lays the setup's arrays end to end, a few bytes apart modulo a page, and where
 * an output lies against its input within a page moves these kernels' speed by up to a fifth
 * (docs/benchmarks/xeon.md, "Where the operands lie").
 *
 * <pre>{@code ./vecgrad bench ElementwiseBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s}</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES, ForkFlags.SERIAL_GC, "-Xmn64m",
    "-Xms6g", "-Xmx6g", ForkFlags.PRE_TOUCH})
public class ElementwiseBenchmark {
    // The kernels' and baselines' heap (see the class comment); annotation values must be constants.
    private static final String XMS = "-Xms6g";
    private static final String XMX = "-Xmx6g";

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
        a = TensorInternals.f32(ta);
        b = TensorInternals.f32(tb);
        out = new float[size];
        rows = ta.reshape(size / 32, 32);
        bias = Tensor.randomUniform(new Rng(3), -1, 1, 32);
    }

    /** Puts the engine back to its defaults for whatever runs next in this JVM. */
    @TearDown(Level.Trial)
    public void tearDown() {
        Engine.configure(Engine.KernelChoice.AUTO, Runtime.getRuntime().availableProcessors());
    }

    /**
     * An {@link OutputPool} open on the benchmark thread for one iteration: the {@code ...InPool}
     * benchmarks release each output to it, so the next call's output reuses its array.
     */
    @State(Scope.Thread)
    public static class Pool {
        OutputPool pool;

        /** Opens the pool on the benchmark thread. */
        @Setup(Level.Iteration)
        public void open() {
            pool = OutputPool.open();
        }

        /** Closes it. */
        @TearDown(Level.Iteration)
        public void close() {
            pool.close();
        }

        /** Releases {@code t} to the pool and returns it (for JMH to consume; its contents are not read). */
        Tensor release(Tensor t) {
            pool.release(t);
            return t;
        }
    }

    /** Baseline: reads and writes {@code size} floats, 8 bytes an element. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES, ForkFlags.G1_GC, XMS, XMX})
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
    @Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES, ForkFlags.G1_GC, XMS, XMX})
    public float[] loopCopyBaseline(IterationCpuTime cpu) {
        cpu.calls++;
        float[] src = a;
        float[] dst = out;
        for (int i = 0; i < src.length; i++) {
            dst[i] = src[i];
        }
        return dst;
    }

    /** {@code ta.add(tb)}: the op, a new output each call. */
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

    /** {@code ta.add(tb)} as {@link #add}, its output released to an {@link OutputPool} for the next call. */
    @Benchmark
    public Tensor addInPool(IterationCpuTime cpu, Pool pool) {
        cpu.calls++;
        return pool.release(ta.add(tb));
    }

    /** The bare kernel of the sum, into the preallocated output. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES, ForkFlags.G1_GC, XMS, XMX})
    public float[] addKernel(IterationCpuTime cpu) {
        cpu.calls++;
        k.binary(Primitives.ADD, a, 0, 1, b, 0, 1, out, 0, size);
        return out;
    }

    /** {@code ta.mul(tb)}: the op, a new output each call. */
    @Benchmark
    public Tensor mul(IterationCpuTime cpu) {
        cpu.calls++;
        return ta.mul(tb);
    }

    /** {@code ta.mul(tb)} as {@link #mul}, its output released to an {@link OutputPool} for the next call. */
    @Benchmark
    public Tensor mulInPool(IterationCpuTime cpu, Pool pool) {
        cpu.calls++;
        return pool.release(ta.mul(tb));
    }

    /** The bare kernel of the product, into the preallocated output. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES, ForkFlags.G1_GC, XMS, XMX})
    public float[] mulKernel(IterationCpuTime cpu) {
        cpu.calls++;
        k.binary(Primitives.MUL, a, 0, 1, b, 0, 1, out, 0, size);
        return out;
    }

    /** {@code ta.relu()}: the op, a new output each call. */
    @Benchmark
    public Tensor relu(IterationCpuTime cpu) {
        cpu.calls++;
        return ta.relu();
    }

    /** {@code ta.relu()} as {@link #relu}, its output released to an {@link OutputPool} for the next call. */
    @Benchmark
    public Tensor reluInPool(IterationCpuTime cpu, Pool pool) {
        cpu.calls++;
        return pool.release(ta.relu());
    }

    /** The bare kernel of relu, into the preallocated output. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES, ForkFlags.G1_GC, XMS, XMX})
    public float[] reluKernel(IterationCpuTime cpu) {
        cpu.calls++;
        k.unary(Primitives.RELU, a, 0, 1, out, 0, size);
        return out;
    }

    /** {@code ta.exp()}: the op, a new output each call. */
    @Benchmark
    public Tensor exp(IterationCpuTime cpu) {
        cpu.calls++;
        return ta.exp();
    }

    /** {@code ta.exp()} as {@link #exp}, its output released to an {@link OutputPool} for the next call. */
    @Benchmark
    public Tensor expInPool(IterationCpuTime cpu, Pool pool) {
        cpu.calls++;
        return pool.release(ta.exp());
    }

    /** The bare kernel of e^x, into the preallocated output. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES, ForkFlags.G1_GC, XMS, XMX})
    public float[] expKernel(IterationCpuTime cpu) {
        cpu.calls++;
        k.unary(Primitives.EXP, a, 0, 1, out, 0, size);
        return out;
    }

    /** {@code ta.tanh()}: the op, a new output each call. */
    @Benchmark
    public Tensor tanh(IterationCpuTime cpu) {
        cpu.calls++;
        return ta.tanh();
    }

    /** {@code ta.tanh()} as {@link #tanh}, its output released to an {@link OutputPool} for the next call. */
    @Benchmark
    public Tensor tanhInPool(IterationCpuTime cpu, Pool pool) {
        cpu.calls++;
        return pool.release(ta.tanh());
    }

    /** The bare kernel of tanh, into the preallocated output. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES, ForkFlags.G1_GC, XMS, XMX})
    public float[] tanhKernel(IterationCpuTime cpu) {
        cpu.calls++;
        k.unary(Primitives.TANH, a, 0, 1, out, 0, size);
        return out;
    }

    /** {@code ta.sigmoid()}: the op, a new output each call. */
    @Benchmark
    public Tensor sigmoid(IterationCpuTime cpu) {
        cpu.calls++;
        return ta.sigmoid();
    }

    /** {@code ta.sigmoid()} as {@link #sigmoid}, its output released to an {@link OutputPool} for the next call. */
    @Benchmark
    public Tensor sigmoidInPool(IterationCpuTime cpu, Pool pool) {
        cpu.calls++;
        return pool.release(ta.sigmoid());
    }

    /** The bare kernel of sigmoid, into the preallocated output. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES, ForkFlags.G1_GC, XMS, XMX})
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

    /** {@code ta.gelu(false)} as {@link #gelu}, its output released to an {@link OutputPool} for the next call. */
    @Benchmark
    public Tensor geluInPool(IterationCpuTime cpu, Pool pool) {
        cpu.calls++;
        return pool.release(ta.gelu(false));
    }

    /** The bare kernel of exact GELU, into the preallocated output. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES, ForkFlags.G1_GC, XMS, XMX})
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

    /** {@code ta.gelu(true)} as {@link #geluTanh}, its output released to an {@link OutputPool} for the next call. */
    @Benchmark
    public Tensor geluTanhInPool(IterationCpuTime cpu, Pool pool) {
        cpu.calls++;
        return pool.release(ta.gelu(true));
    }

    /** The bare kernel of GELU's tanh form, into the preallocated output. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES, ForkFlags.G1_GC, XMS, XMX})
    public float[] geluTanhKernel(IterationCpuTime cpu) {
        cpu.calls++;
        k.unary(Primitives.GELU_TANH, a, 0, 1, out, 0, size);
        return out;
    }
}
