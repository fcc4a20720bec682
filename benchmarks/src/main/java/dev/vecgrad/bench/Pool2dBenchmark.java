package dev.vecgrad.bench;

import dev.vecgrad.core.Engine;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.Attrs;
import dev.vecgrad.core.ops.ConvOps;
import dev.vecgrad.core.ops.Padding;
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
 * 2x2 max pooling (stride 2, VALID) of the MNIST CNN's first activation, a batch of 128
 * 26x26x32 channels-last F32 maps (11 MB): forward, and the backward that routes a gradient to each
 * window's maximum. {@code copyBaseline} copies the input's bytes with {@code System.arraycopy}, in
 * the same run, as a yardstick for a pass over memory of that size. Run:
 * {@code ./vecgrad bench Pool2dBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES})
public class Pool2dBenchmark {
    /** Engine threads for the kernels. */
    @Param({"1"})
    public int threads;

    private final Attrs.Pool2d pool = new Attrs.Pool2d(2, 2, 2, 2, Padding.VALID);
    private Tensor x;
    private Tensor dy;
    private float[] copySource;
    private float[] copyTarget;

    /** Configures the engine and makes the fixed-seed inputs. */
    @Setup(Level.Trial)
    public void setUp() {
        Engine.configure(Engine.KernelChoice.AUTO, threads);
        Rng rng = new Rng(42);
        x = Tensor.randomNormal(rng, 0f, 1f, 128, 26, 26, 32);
        dy = Tensor.randomNormal(rng, 0f, 1f, 128, 13, 13, 32);
        copySource = x.toFloatArray();
        copyTarget = new float[copySource.length];
    }

    /** The input's bytes copied once: the yardstick. */
    @Benchmark
    public float[] copyBaseline() {
        System.arraycopy(copySource, 0, copyTarget, 0, copySource.length);
        return copyTarget;
    }

    /** Max pooling forward. */
    @Benchmark
    public Tensor maxPoolForward() {
        return ConvOps.maxPool2d(x, pool);
    }

    /** Max pooling backward: a new input-shaped gradient, {@code dy} at each window's maximum. */
    @Benchmark
    public Tensor maxPoolBackward() {
        return ConvOps.maxPool2dBackward(x, dy, pool);
    }
}
