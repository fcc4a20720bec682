package dev.vecgrad.bench;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The tape's per-op overhead: a chain of tiny elementwise ops ({@code x = x·1.0001 + 0.001} on a
 * 16-element F32 tensor, two ops a step) run without a tape, recorded, and recorded then
 * differentiated. Divide a score by {@code ops} for the time per op; the backward time is
 * {@code forwardAndGradient - forwardRecorded}. The secondary results
 * {@code cpuNanos / units} give the thread's CPU time per op, which a busy machine does not inflate.
 * Six seconds of warm-up: C2's last compilation of the benchmark loop, with the whole chain
 * inlined, can come four to six seconds after the fork starts.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES})
public class TapeOverheadBenchmark {
    /** Elementwise ops in the chain (half multiplications, half additions). */
    @Param({"1000"})
    public int ops;
    /** Elements of the tensor. */
    @Param({"16"})
    public int size;

    private Tensor x0;

    /** A fixed-seed normal input. */
    @Setup
    public void setUp() {
        x0 = Tensor.randomNormal(new Rng(42), 0, 1, size);
    }

    private Tensor chain(Tensor x) {
        for (int i = 0; i < ops / 2; i++) {
            x = x.mul(1.0001f).add(0.001f);
        }
        return x;
    }

    /** Baseline: the chain with no tape open. */
    @Benchmark
    public Tensor forwardUntaped(CpuTimeCounter cpu) {
        cpu.start();
        Tensor y = chain(x0);
        cpu.stop(ops);
        return y;
    }

    /** The chain recorded on a tape. */
    @Benchmark
    public Tensor forwardRecorded(CpuTimeCounter cpu) {
        cpu.start();
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(x0);
            return chain(x0);
        } finally {
            cpu.stop(ops);
        }
    }

    /** The chain recorded, then the gradient of its sum with respect to the input. */
    @Benchmark
    public Tensor forwardAndGradient(CpuTimeCounter cpu) {
        cpu.start();
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(x0);
            Tensor y = chain(x0).sum();
            return tape.gradient(y, x0).get(0);
        } finally {
            cpu.stop(ops);
        }
    }
}
