package dev.vecgrad.bench;

import dev.vecgrad.core.Engine;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.FitOptions;
import dev.vecgrad.train.callbacks.History;
import dev.vecgrad.train.data.Batch;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.examples.WalkthroughExample;
import dev.vecgrad.train.losses.MeanSquaredError;
import dev.vecgrad.train.losses.Reduction;
import dev.vecgrad.train.metrics.MeanAbsolutePercentageError;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Keras walkthrough's example (one Dense unit, SGD, summed squared error, a MAPE metric,
 * batches of 10, 5 steps per execution): the time of one training step, alone and as part of a
 * whole {@code fit} epoch of 100 steps (divided by 100). Target: at most 2 µs a step. The
 * secondary results {@code cpuNanos / units} give the thread's CPU time per step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES})
public class WalkthroughExampleBenchmark {
    private WalkthroughExample.SimplifiedModel model;
    private Dataset ds;
    private Batch batch;
    private Function<Batch, Map<String, Double>> step;

    /** Builds and compiles the model and its data, on one engine thread. */
    @Setup
    public void setUp() {
        Engine.setThreads(1);
        ds = Dataset.fromTensorSlices(Tensor.zeros(1000, 10), Tensor.ones(1000, 1)).batch(10);
        batch = ds.iterator().next();
        model = new WalkthroughExample.SimplifiedModel();
        model.compile(CompileOptions.of("sgd", new MeanSquaredError("mean_squared_error", Reduction.SUM))
                .metrics(new MeanAbsolutePercentageError())
                .stepsPerExecution(5));
        model.build(1, 10);
        step = model.makeTrainFunction();
    }

    /**
     * Ten train steps on a batch of 10 through the train function {@code fit} runs
     * ({@code makeTrainFunction()}, a compiled step), per step (ten, so that reading the CPU clock
     * costs little).
     */
    @Benchmark
    @OperationsPerInvocation(10)
    public Map<String, Double> trainStep(CpuTimeCounter cpu) {
        cpu.start();
        Map<String, Double> logs = null;
        for (int i = 0; i < 10; i++) {
            logs = step.apply(batch);
        }
        cpu.stop(10);
        return logs;
    }

    /** One silent fit epoch (100 steps in executions of 5, callbacks, history), per step. */
    @Benchmark
    @OperationsPerInvocation(100)
    public History fitEpoch(CpuTimeCounter cpu) {
        cpu.start();
        History h = model.fit(FitOptions.of(ds).epochs(1).verbose(0));
        cpu.stop(100);
        return h;
    }
}
