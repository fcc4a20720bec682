package dev.vecgrad.bench;

import dev.vecgrad.core.Engine;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.data.Batch;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
 * One training step as {@code fit} runs it ({@code Model.makeTrainFunction()}), eager beside
 * compiled, for the MNIST MLP (784-256-128-10, ReLU, batch 128) and the command-line trainer's
 * CNN (Conv2D 32 3x3 ReLU, max-pool, Conv2D 64 3x3 ReLU, max-pool, Dense 128 ReLU, Dense 10;
 * 28x28x1, batch 128),
 * both with sparse softmax cross-entropy on logits, Adam 1e-3 and an accuracy metric. One engine
 * thread. Run with {@code -prof gc} for the allocation per step; {@code cpuNanos / units} give the
 * thread's CPU time per step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES})
public class CompiledStepBenchmark {
    /** The model: {@code mlp} or {@code cnn}. */
    @Param({"mlp", "cnn"})
    public String model;

    /** Whether the step is compiled (traced once, then replayed) or eager. */
    @Param({"false", "true"})
    public boolean compiled;

    private Function<Batch, Map<String, Double>> step;
    private Batch data;

    /** Builds and compiles the model, its data and its train function, on one engine thread. */
    @Setup
    public void setUp() {
        Engine.setThreads(1);
        Rng rng = new Rng(7);
        int batch = 128;
        boolean cnn = model.equals("cnn");
        Tensor x = cnn ? Tensor.randomUniform(rng, 0, 1, batch, 28, 28, 1) : Tensor.randomUniform(rng, 0, 1, batch, 784);
        data = Batch.of(x, Tensor.of(MnistModels.labels(rng, batch)));
        Sequential m = cnn ? MnistModels.cnn() : MnistModels.mlp();
        m.compile(MnistModels.options().jitCompile(compiled));
        step = m.makeTrainFunction();
    }

    /** Forward, loss, gradients, Adam update and metrics for one batch. */
    @Benchmark
    public Map<String, Double> trainStep(CpuTimeCounter cpu) {
        cpu.start();
        Map<String, Double> logs = step.apply(data);
        cpu.stop(1);
        return logs;
    }
}
