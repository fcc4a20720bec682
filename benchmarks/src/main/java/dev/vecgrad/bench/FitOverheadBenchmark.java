package dev.vecgrad.bench;

import dev.vecgrad.core.Engine;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.FitOptions;
import dev.vecgrad.train.Model;
import dev.vecgrad.train.callbacks.History;
import dev.vecgrad.train.data.Batch;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.examples.WalkthroughExample;
import dev.vecgrad.train.losses.MeanSquaredError;
import dev.vecgrad.train.losses.Reduction;
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
 * What {@code fit} costs beyond its train steps: one silent epoch through {@code fit} (epochs,
 * executions, callbacks, history, metric resets) against a hand-written loop calling, on the same
 * batches, the step function fit runs ({@link Model#makeTrainFunction()}: the compiled train step,
 * one instance per compile, so the loop and fit share its traced plans). Both times are per
 * epoch; the target is fit at most 5 % above the loop. {@code walkthrough} (100 tiny steps) shows
 * the fixed per-step overhead at its most visible; {@code mlp} (16 steps of 784-256-128-10 on
 * batches of 128) a realistic step.
 * The secondary results {@code cpuNanos / units} give the thread's CPU time per epoch;
 * {@code paired} runs both in turn and reports {@code fitNanos} and {@code loopNanos}, whose ratio
 * is the figure to quote.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES})
public class FitOverheadBenchmark {
    /** Which model and data: the walkthrough example or the MNIST-sized MLP. */
    @Param({"walkthrough", "mlp"})
    public String model;

    private Model net;
    private Dataset ds;
    private Function<Batch, Map<String, Double>> trainFunction;

    /** Builds and compiles the model and its data, on one engine thread, and takes its train function. */
    @Setup
    public void setUp() {
        Engine.setThreads(1);
        if (model.equals("walkthrough")) {
            ds = Dataset.fromTensorSlices(Tensor.zeros(1000, 10), Tensor.ones(1000, 1)).batch(10);
            net = new WalkthroughExample.SimplifiedModel();
            net.compile(CompileOptions.of("sgd", new MeanSquaredError("mean_squared_error", Reduction.SUM)));
            net.build(1, 10);
        } else {
            Rng rng = new Rng(3);
            int n = 16 * 128;
            int[] y = MnistModels.labels(rng, n);
            ds = Dataset.fromTensorSlices(Tensor.randomUniform(rng, 0, 1, n, 784), Tensor.of(y)).batch(128);
            net = MnistModels.mlp();
            net.compile(MnistModels.options());
        }
        trainFunction = net.makeTrainFunction();
    }

    /** One epoch through fit. */
    @Benchmark
    public History fit(CpuTimeCounter cpu) {
        cpu.start();
        History h = net.fit(FitOptions.of(ds).epochs(1).verbose(0));
        cpu.stop(1);
        return h;
    }

    /** The baseline: fit's step function in a plain loop. */
    @Benchmark
    public Map<String, Double> handLoop(CpuTimeCounter cpu) {
        cpu.start();
        Map<String, Double> logs = loop();
        cpu.stop(1);
        return logs;
    }

    /**
     * One fit epoch and one hand-loop epoch back to back, each timed in thread CPU time: on a
     * machine whose load changes from second to second, the ratio of the two sums
     * ({@code fitNanos / loopNanos}) is steadier than comparing two separate benchmarks.
     */
    @Benchmark
    public Map<String, Double> paired(PairCounter pair) {
        long t0 = PairCounter.cpuNow();
        net.fit(FitOptions.of(ds).epochs(1).verbose(0));
        long t1 = PairCounter.cpuNow();
        Map<String, Double> logs = loop();
        long t2 = PairCounter.cpuNow();
        pair.add(t1 - t0, t2 - t1);
        return logs;
    }

    private Map<String, Double> loop() {
        net.resetMetrics();
        Map<String, Double> logs = null;
        for (Batch b : ds) {
            logs = trainFunction.apply(b);
        }
        return logs;
    }
}
