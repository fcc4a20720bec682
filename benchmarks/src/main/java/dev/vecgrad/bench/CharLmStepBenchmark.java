package dev.vecgrad.bench;

import dev.vecgrad.core.Engine;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.data.Batch;
import dev.vecgrad.train.examples.CharLmExample;
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
 * One training step of each model of the character-level language model example
 * ({@code vecgrad example charlm}): a batch of 32 windows of 64 characters, forward under the tape,
 * cross-entropy of the logits, gradients and the Adam update, on one engine thread, through the
 * train function {@code fit} runs ({@code Model.makeTrainFunction()}: the compiled step, traced in the
 * first warm-up iteration and replayed into planned buffers after), or with {@code -p compiled=false}
 * through {@code Model.trainStep} eagerly. {@code benchmarks/scripts/torch_charlm.py --mode step} times PyTorch's same
 * step the same way; the target is at most 0.7 of PyTorch's time. The secondary results
 * {@code cpuNanos} and {@code units} give the thread's CPU time per step, which a busy machine does
 * not inflate, and {@code processCpuNanos} the whole JVM's (with the garbage collector's threads),
 * the figure to set beside the script's process CPU time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES, ForkFlags.SERIAL_GC, "-Xmn1g"})
public class CharLmStepBenchmark {
    /** The model: {@code lstm} or {@code transformer}. */
    @Param({"lstm", "transformer"})
    public String arch;

    /** Whether the step is the compiled train function (as in {@code fit}) or the eager {@code trainStep}. */
    @Param({"true"})
    public boolean compiled;

    private Function<Batch, Map<String, Double>> step;
    private Batch data;

    /** Builds and compiles the example's model and a random batch of character ids. */
    @Setup
    public void setUp() {
        Engine.setThreads(1);
        CharLmExample.Recipe recipe = CharLmExample.Recipe.defaults(
                "lstm".equals(arch) ? CharLmExample.Arch.LSTM : CharLmExample.Arch.TRANSFORMER);
        int vocab = 108;
        Rng rng = new Rng(7);
        int n = recipe.batchSize() * recipe.context();
        int[] x = new int[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = 2 + rng.nextInt(vocab - 2);
            y[i] = 2 + rng.nextInt(vocab - 2);
        }
        data = Batch.of(Tensor.of(x, recipe.batchSize(), recipe.context()), Tensor.of(y, recipe.batchSize(),
                recipe.context()));
        Sequential model = CharLmExample.model(recipe, vocab);
        step = compiled ? model.makeTrainFunction() : model::trainStep;
    }

    /** Forward, loss, gradients and the Adam update for one batch. */
    @Benchmark
    public Map<String, Double> trainStep(CpuTimeCounter cpu) {
        cpu.start();
        Map<String, Double> logs = step.apply(data);
        cpu.stop(1);
        return logs;
    }
}
