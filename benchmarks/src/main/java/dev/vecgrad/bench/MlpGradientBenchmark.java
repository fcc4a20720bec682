package dev.vecgrad.bench;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import java.util.List;
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
 * Forward pass against forward plus gradient of a 784-256-128-10 MLP (ReLU, softmax
 * cross-entropy) on a batch of 128, F32. The backward pass costs
 * {@code forwardAndGradient - forward}; its ratio to {@code forward} is the figure to watch. The
 * secondary results {@code cpuNanos / units} give the benchmark thread's CPU time per call; it
 * counts only the calling thread, so compare it with {@code -Dvecgrad.threads=1}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {ForkFlags.VECTOR_API, ForkFlags.HUGE_PAGES})
public class MlpGradientBenchmark {
    /** Examples in the batch. */
    @Param({"128"})
    public int batch;

    private Tensor x;
    private Tensor labels;
    private List<Variable> params;

    /** Fixed-seed inputs and one-hot labels, and the three layers' weights. */
    @Setup
    public void setUp() {
        Rng rng = new Rng(7);
        x = Tensor.randomUniform(rng, 0, 1, batch, 784);
        labels = Tensor.of(MnistModels.labels(rng, batch)).oneHot(10);
        params = List.of(
                new Variable("w1", Tensor.randomNormal(rng, 0, 0.05f, 784, 256), true),
                new Variable("b1", Tensor.zeros(256), true),
                new Variable("w2", Tensor.randomNormal(rng, 0, 0.05f, 256, 128), true),
                new Variable("b2", Tensor.zeros(128), true),
                new Variable("w3", Tensor.randomNormal(rng, 0, 0.05f, 128, 10), true),
                new Variable("b3", Tensor.zeros(10), true));
    }

    private Tensor loss() {
        Tensor h1 = x.matmul(params.get(0).value()).add(params.get(1).value()).relu();
        Tensor h2 = h1.matmul(params.get(2).value()).add(params.get(3).value()).relu();
        Tensor logits = h2.matmul(params.get(4).value()).add(params.get(5).value());
        return logits.logSoftmax(-1).mul(labels).sum().neg().div(batch);
    }

    /** Baseline: the forward pass with no tape. */
    @Benchmark
    public Tensor forward(CpuTimeCounter cpu) {
        cpu.start();
        Tensor y = loss();
        cpu.stop(1);
        return y;
    }

    /** The forward pass recorded, then the gradients of the loss with respect to all six variables. */
    @Benchmark
    public List<Tensor> forwardAndGradient(CpuTimeCounter cpu) {
        cpu.start();
        try (GradientTape tape = GradientTape.open()) {
            return tape.gradient(loss(), params);
        } finally {
            cpu.stop(1);
        }
    }
}
