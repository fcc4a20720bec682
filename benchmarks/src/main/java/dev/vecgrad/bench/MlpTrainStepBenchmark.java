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
 * One full training step of the 784-256-128-10 MLP (ReLU, sparse softmax cross-entropy on logits,
 * Adam 1e-3) on a random batch of 128, through the train function {@code fit} runs
 * ({@code Model.makeTrainFunction()}, a compiled step): forward under the tape,
 * loss, gradients, Adam update, metric updates. One engine thread, to compare with PyTorch at one
 * thread on the same machine ({@code benchmarks/scripts/torch_mlp_step.py} times its step the same
 * way; the target is at most 0.7 of PyTorch's time).
 * Run with {@code -prof gc} for the allocation per step. The secondary results {@code cpuNanos}
 * and {@code units} give the thread's CPU time per step, which a busy machine does not inflate.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES})
public class MlpTrainStepBenchmark {
    /** Samples per batch. */
    @Param({"128"})
    public int batch;

    private Sequential model;
    private Batch data;
    private Function<Batch, Map<String, Double>> step;

    /** Builds and compiles the model and its data, on one engine thread. */
    @Setup
    public void setUp() {
        Engine.setThreads(1);
        Rng rng = new Rng(7);
        Tensor x = Tensor.randomUniform(rng, 0, 1, batch, 784);
        data = Batch.of(x, Tensor.of(MnistModels.labels(rng, batch)));
        model = MnistModels.mlp();
        model.compile(MnistModels.options());
        step = model.makeTrainFunction();
    }

    /** Forward, loss, gradients, Adam update and metrics for one batch, as fit runs them (compiled). */
    @Benchmark
    public Map<String, Double> trainStep(CpuTimeCounter cpu) {
        cpu.start();
        Map<String, Double> logs = step.apply(data);
        cpu.stop(1);
        return logs;
    }
}
