package dev.vecgrad.bench;

import dev.vecgrad.core.Engine;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
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
 * Whether a fused activation pays for being a primitive: each of sigmoid, softplus and the two
 * GELUs as its fused primitive beside the composite of other primitives it would otherwise be,
 * on one thread, F32, at a layer's activation size (a batch of 128 by 256 units) and at 1M
 * elements. The composites are written the stable way a composite would have to be. The secondary
 * results {@code cpuNanos / units} give the thread's CPU time per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES})
public class FusedActivationBenchmark {
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    /** Elements: a 128 x 256 activation, and 1M. */
    @Param({"32768", "1048576"})
    public int size;

    private Tensor x;

    /** One thread and fixed-seed inputs in [-6, 6]. */
    @Setup(Level.Trial)
    public void setUp() {
        Engine.configure(Engine.KernelChoice.AUTO, 1);
        x = Tensor.randomUniform(new Rng(3), -6, 6, size);
    }

    /** The fused sigmoid, one kernel. */
    @Benchmark
    public Tensor sigmoidFused(CpuTimeCounter cpu) {
        cpu.start();
        Tensor y = x.sigmoid();
        cpu.stop(1);
        return y;
    }

    /** e^min(x,0) / (1 + e^-|x|): stable for both signs. */
    @Benchmark
    public Tensor sigmoidComposite(CpuTimeCounter cpu) {
        cpu.start();
        Tensor e = x.abs().neg().exp();
        Tensor y = x.minimum(0).exp().div(e.add(1));
        cpu.stop(1);
        return y;
    }

    /** The fused softplus, one kernel. */
    @Benchmark
    public Tensor softplusFused(CpuTimeCounter cpu) {
        cpu.start();
        Tensor y = x.softplus();
        cpu.stop(1);
        return y;
    }

    /** max(x, 0) + log1p(e^-|x|). */
    @Benchmark
    public Tensor softplusComposite(CpuTimeCounter cpu) {
        cpu.start();
        Tensor y = x.relu().add(x.abs().neg().exp().log1p());
        cpu.stop(1);
        return y;
    }

    /** The fused GELU, tanh form, one kernel. */
    @Benchmark
    public Tensor geluTanhFused(CpuTimeCounter cpu) {
        cpu.start();
        Tensor y = x.gelu(true);
        cpu.stop(1);
        return y;
    }

    /** x·sigmoid(2z), z = √(2/π)(x + 0.044715x³), with the fused sigmoid. */
    @Benchmark
    public Tensor geluTanhComposite(CpuTimeCounter cpu) {
        cpu.start();
        Tensor y = x.mul(x.square().mul(0.044715).add(1).mul(x).mul(2 * SQRT_2_OVER_PI).sigmoid());
        cpu.stop(1);
        return y;
    }

    /** The fused GELU, erf form, one kernel. */
    @Benchmark
    public Tensor geluErfFused(CpuTimeCounter cpu) {
        cpu.start();
        Tensor y = x.gelu(false);
        cpu.stop(1);
        return y;
    }

    /** 0.5x(1 + erf(x/√2)). */
    @Benchmark
    public Tensor geluErfComposite(CpuTimeCounter cpu) {
        cpu.start();
        Tensor y = x.mul(0.5).mul(x.mul(Math.sqrt(0.5)).erf().add(1));
        cpu.stop(1);
        return y;
    }
}
