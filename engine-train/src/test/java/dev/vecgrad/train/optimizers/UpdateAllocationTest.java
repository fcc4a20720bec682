package dev.vecgrad.train.optimizers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.train.layers.Dense;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A variable's value is a snapshot at no cost to training: an update writes the weights in place
 * unless someone outside the engine holds the old value, and then allocates one fresh array; in
 * place, it allocates nothing per variable.
 * Measured with the thread's allocation counter (the optimizer updates on the calling thread).
 */
class UpdateAllocationTest {
    private static final int N = 512;
    /** One 512×512 F32 kernel: 1 MiB. */
    private static final long WEIGHT_BYTES = 4L * N * N;
    /** An update in place allocates far less than the weight it updates. */
    private static final long IN_PLACE = WEIGHT_BYTES / 8;
    /** A step allocates the kernel's gradient (one kernel-sized array) but not a second, a copy of the kernel. */
    private static final long ONE_GRADIENT = WEIGHT_BYTES + WEIGHT_BYTES / 2;
    /**
     * What a step may allocate per variable: less than the smallest array, so a step that builds
     * anything for each variable (the slots' array for the kernel, the update's record) goes over.
     */
    private static final long PER_VARIABLE = 8;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void anUpdateAllocatesAFreshArrayOnlyWhenTheOldValueWasHandedOut() {
        Variable w = new Variable("w", Tensor.ones(N, N), true);
        List<Tensor> g = List.of(Tensor.full(0.5, DType.F32, N, N));
        Optimizer adam = new Adam(1e-3);
        adam.applyGradients(g, List.of(w)); // creates the moments
        assertThat(leastAllocated(() -> adam.applyGradients(g, List.of(w)), IN_PLACE)).as("in place").isLessThan(IN_PLACE);

        Tensor before = w.value();
        float[] expected = before.toFloatArray();
        assertThat(allocated(() -> adam.applyGradients(g, List.of(w)))).as("a fresh array for the new value")
                .isGreaterThanOrEqualTo(WEIGHT_BYTES);
        assertThat(before.toFloatArray()).as("the value read before the update").isEqualTo(expected);
        assertThat(w.peek().get(0, 0)).isLessThan(expected[0]);
        assertThat(leastAllocated(() -> adam.applyGradients(g, List.of(w)), IN_PLACE)).as("in place again").isLessThan(IN_PLACE);
    }

    @Test
    void aTrainingStepThroughALayerCopiesNoWeights() {
        Dense dense = new Dense(N);
        Tensor x = Tensor.ones(1, N);
        dense.call(x);
        List<Variable> weights = dense.trainableWeights();
        Optimizer sgd = new SGD(1e-3);
        Runnable step = () -> {
            List<Tensor> grads;
            try (GradientTape tape = GradientTape.open()) {
                grads = tape.gradient(dense.call(x).square().mean(), weights);
            }
            sgd.applyGradients(grads, weights);
        };
        step.run();
        assertThat(leastAllocated(step, ONE_GRADIENT)).isLessThan(ONE_GRADIENT);

        Tensor kernel = dense.kernel().value();
        float[] expected = kernel.toFloatArray();
        assertThat(allocated(step)).as("the kernel was handed out: its update goes to a fresh array")
                .isGreaterThanOrEqualTo(2 * WEIGHT_BYTES);
        assertThat(kernel.toFloatArray()).isEqualTo(expected);
        assertThat(leastAllocated(step, ONE_GRADIENT)).isLessThan(ONE_GRADIENT);
    }

    @Test
    void anUpdateAllocatesNothingPerVariable() {
        int count = 256;
        List<Variable> vars = new ArrayList<>();
        List<Tensor> grads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            vars.add(new Variable("v" + i, Tensor.ones(8), true));
            grads.add(Tensor.full(0.5, DType.F32, 8));
        }
        for (Optimizer opt : List.of(new SGD(1e-3, 0.9, false), new Adam(1e-3), new AdamW(1e-3, 4e-3))) {
            opt.applyGradients(grads, vars); // creates the slots
            long bound = PER_VARIABLE * count;
            assertThat(leastAllocated(() -> opt.applyGradients(grads, vars), bound))
                    .as("%s: bytes a step for %d variables", opt.name(), count).isLessThan(bound);
        }
    }

    private static long allocated(Runnable r) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        r.run();
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    /**
     * The least any run allocated, running until one comes in under {@code bound} (at most 1,000
     * runs): until the JIT has compiled the vector kernels their vectors are heap objects, and on a
     * busy machine that takes a varying number of runs. Code that copies every time never gets under.
     */
    private static long leastAllocated(Runnable r, long bound) {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 1000 && least >= bound; i++) {
            least = Math.min(least, allocated(r));
        }
        return least;
    }
}
