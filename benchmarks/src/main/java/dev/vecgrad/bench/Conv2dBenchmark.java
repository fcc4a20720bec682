package dev.vecgrad.bench;

import dev.vecgrad.core.Engine;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.Attrs;
import dev.vecgrad.core.ops.ConvOps;
import dev.vecgrad.core.ops.Padding;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Two stacked channels-last convolutions as in a small MNIST network: a batch of 64 28x28x1
 * images, 3x3 to 32 channels, then 3x3 to 64 channels, VALID padding, no bias, F32.
 *
 * <ul>
 *   <li>{@code forward}: both convolutions.</li>
 *   <li>{@code forwardBackward}: both convolutions, then what a training step needs back from a
 *       gradient of the second output: the second layer's filter and input gradients and the first
 *       layer's filter gradient (the images themselves need no gradient).</li>
 *   <li>{@code secondFilterGradient}, {@code secondInputGradient}, {@code firstFilterGradient}: the
 *       three backward products on their own.</li>
 *   <li>{@code cnnSecondForward} (and {@code cnnSecondForwardBiasRelu}), {@code cnnSecondFilterGradient},
 *       {@code cnnSecondInputGradient}: the
 *       second convolution of the trainer's CNN recipe (batch 128, 13x13x32 after pooling, to
 *       11x11x64), whose three products take over half of its training step.</li>
 *   <li>{@code firstWithBias} and {@code firstThenAddBias}: the first convolution with a bias, added
 *       inside the kernel and as a separate broadcast add; {@code firstWithBiasRelu} and
 *       {@code firstThenAddBiasThenRelu}: the same followed by relu, fused ({@code conv2dRelu}) and
 *       as two more ops.</li>
 * </ul>
 *
 * <p>Besides wall-clock time, each call's process CPU time is summed ({@code cpuNanos} over
 * {@code calls}, secondary results): on a machine shared with other work the wall clock grows with
 * the load, CPU time much less. It counts every thread (the engine's workers too), as Python's
 * {@code time.process_time()} does in {@code benchmarks/compare_conv.py}, which times the same with
 * PyTorch. Run:
 * {@code ./vecgrad bench Conv2dBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES})
public class Conv2dBenchmark {
    /** Engine threads for the kernels. */
    @Param({"1", "2"})
    public int threads;

    private final Attrs.Conv2d conv = new Attrs.Conv2d(1, 1, 1, 1, Padding.VALID);
    private Tensor x;
    private Tensor w1;
    private Tensor w2;
    private Tensor b1;
    private Tensor dy2;
    private Tensor y1;
    private Tensor dy1;
    private Tensor cnnX2;
    private Tensor cnnDy2;
    private Tensor b2;

    /** Configures the engine and makes the fixed-seed inputs. */
    @Setup(Level.Trial)
    public void setUp() {
        Engine.configure(Engine.KernelChoice.AUTO, threads);
        Rng rng = new Rng(42);
        x = Tensor.randomUniform(rng, 0f, 1f, 64, 28, 28, 1);
        w1 = Tensor.randomNormal(rng, 0f, 0.3f, 3, 3, 1, 32);
        w2 = Tensor.randomNormal(rng, 0f, 0.06f, 3, 3, 32, 64);
        b1 = Tensor.randomNormal(rng, 0f, 0.1f, 32);
        dy2 = Tensor.randomNormal(rng, 0f, 1f, 64, 24, 24, 64);
        y1 = ConvOps.conv2d(x, w1, conv);
        dy1 = Tensor.randomNormal(rng, 0f, 1f, 64, 26, 26, 32);
        cnnX2 = Tensor.randomUniform(rng, 0f, 1f, 128, 13, 13, 32);
        cnnDy2 = Tensor.randomNormal(rng, 0f, 1f, 128, 11, 11, 64);
        b2 = Tensor.randomNormal(rng, 0f, 0.1f, 64);
    }

    /** Both convolutions forward. */
    @Benchmark
    public Tensor forward(ProcessCpu cpu) {
        cpu.start();
        Tensor y = ConvOps.conv2d(ConvOps.conv2d(x, w1, conv), w2, conv);
        cpu.stop();
        return y;
    }

    /** Both convolutions forward, then the filter gradients of both and the input gradient of the second. */
    @Benchmark
    public void forwardBackward(Blackhole bh, ProcessCpu cpu) {
        cpu.start();
        Tensor y1 = ConvOps.conv2d(x, w1, conv);
        bh.consume(ConvOps.conv2d(y1, w2, conv));
        bh.consume(ConvOps.conv2dBackwardFilter(y1, dy2, new Attrs.Conv2dBackwardFilter(conv, w2.shape())));
        Tensor dy1 = ConvOps.conv2dBackwardInput(dy2, w2, new Attrs.Conv2dBackwardInput(conv, y1.shape()));
        bh.consume(ConvOps.conv2dBackwardFilter(x, dy1, new Attrs.Conv2dBackwardFilter(conv, Shape.of(3, 3, 1, 32))));
        cpu.stop();
    }

    /** The second convolution's filter gradient alone (1.36 GFLOP). */
    @Benchmark
    public Tensor secondFilterGradient(ProcessCpu cpu) {
        cpu.start();
        Tensor dw = ConvOps.conv2dBackwardFilter(y1, dy2, new Attrs.Conv2dBackwardFilter(conv, w2.shape()));
        cpu.stop();
        return dw;
    }

    /** The second convolution's input gradient alone (1.36 GFLOP). */
    @Benchmark
    public Tensor secondInputGradient(ProcessCpu cpu) {
        cpu.start();
        Tensor dx = ConvOps.conv2dBackwardInput(dy2, w2, new Attrs.Conv2dBackwardInput(conv, y1.shape()));
        cpu.stop();
        return dx;
    }

    /** The first convolution's filter gradient alone. */
    @Benchmark
    public Tensor firstFilterGradient(ProcessCpu cpu) {
        cpu.start();
        Tensor dw = ConvOps.conv2dBackwardFilter(x, dy1, new Attrs.Conv2dBackwardFilter(conv, w1.shape()));
        cpu.stop();
        return dw;
    }

    /** The trainer's CNN recipe, second convolution forward: batch 128, 13x13x32 to 11x11x64 (571 MFLOP). */
    @Benchmark
    public Tensor cnnSecondForward(ProcessCpu cpu) {
        cpu.start();
        Tensor y = ConvOps.conv2d(cnnX2, w2, conv);
        cpu.stop();
        return y;
    }

    /** The CNN recipe's second convolution with its bias and relu, as its {@code Conv2D} layer runs it. */
    @Benchmark
    public Tensor cnnSecondForwardBiasRelu(ProcessCpu cpu) {
        cpu.start();
        Tensor y = ConvOps.conv2dRelu(cnnX2, w2, b2, conv);
        cpu.stop();
        return y;
    }

    /** The CNN recipe's second convolution, filter gradient (571 MFLOP). */
    @Benchmark
    public Tensor cnnSecondFilterGradient(ProcessCpu cpu) {
        cpu.start();
        Tensor dw = ConvOps.conv2dBackwardFilter(cnnX2, cnnDy2, new Attrs.Conv2dBackwardFilter(conv, w2.shape()));
        cpu.stop();
        return dw;
    }

    /** The CNN recipe's second convolution, input gradient (571 MFLOP). */
    @Benchmark
    public Tensor cnnSecondInputGradient(ProcessCpu cpu) {
        cpu.start();
        Tensor dx = ConvOps.conv2dBackwardInput(cnnDy2, w2, new Attrs.Conv2dBackwardInput(conv, cnnX2.shape()));
        cpu.stop();
        return dx;
    }

    /** The first convolution with its bias added inside the kernel, block by block. */
    @Benchmark
    public Tensor firstWithBias(ProcessCpu cpu) {
        cpu.start();
        Tensor y = ConvOps.conv2d(x, w1, b1, conv);
        cpu.stop();
        return y;
    }

    /** relu of the first convolution plus its bias, all inside the kernel. */
    @Benchmark
    public Tensor firstWithBiasRelu(ProcessCpu cpu) {
        cpu.start();
        Tensor y = ConvOps.conv2dRelu(x, w1, b1, conv);
        cpu.stop();
        return y;
    }

    /** The first convolution, its bias and relu as three ops: what {@code firstWithBiasRelu} replaces. */
    @Benchmark
    public Tensor firstThenAddBiasThenRelu(ProcessCpu cpu) {
        cpu.start();
        Tensor y = ConvOps.conv2d(x, w1, conv).add(b1).relu();
        cpu.stop();
        return y;
    }

    /** The first convolution, then its bias as a separate broadcast add: what {@code firstWithBias} replaces. */
    @Benchmark
    public Tensor firstThenAddBias(ProcessCpu cpu) {
        cpu.start();
        Tensor y = ConvOps.conv2d(x, w1, conv).add(b1);
        cpu.stop();
        return y;
    }

    /**
     * Secondary results: the process CPU time spent in the benchmark method ({@code cpuNanos}) and
     * the calls ({@code calls}), summed over the measured iterations; their ratio is CPU time a call.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class ProcessCpu {
        private static final com.sun.management.OperatingSystemMXBean OS =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        /** Process CPU time inside the benchmark method during the iteration (read by JMH). */
        public long cpuNanos;
        /** Calls during the iteration (read by JMH). */
        public long calls;
        private long started;

        /** Starts a new iteration's totals. */
        @Setup(Level.Iteration)
        public void clear() {
            cpuNanos = 0;
            calls = 0;
        }

        void start() {
            started = OS.getProcessCpuTime();
        }

        void stop() {
            cpuNanos += OS.getProcessCpuTime() - started;
            calls++;
        }
    }
}
