package dev.vecgrad.train.optimizers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.train.ScalarEngine;
import dev.vecgrad.train.layers.Dense;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A variable's value is a snapshot at no cost to training: an update writes the weights in place
 * unless someone outside the engine holds the old value, and then allocates one fresh array; in
 * place, it allocates nothing per variable.
 * Measured with the thread's allocation counter, on the scalar kernels and one thread (the optimizer
 * updates on the calling thread): interpreted and C1-compiled Vector API code allocates every
 * vector, and whether C2 has compiled a given kernel by the time of a test depends on what else the
 * suite ran, so the SIMD kernels would make the count depend on the JIT rather than on the engine.
 */
@ExtendWith(ScalarEngine.class)
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
    /** How long {@link #leastAllocated} waits for the JIT: 20 s. */
    private static final long JIT_WAIT_NANOS = 20_000_000_000L;
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
        for (DType dtype : List.of(DType.F32, DType.F64)) {
            List<Variable> vars = new ArrayList<>();
            List<Tensor> grads = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                vars.add(new Variable("v" + i, Tensor.ones(dtype, 8), true));
                grads.add(Tensor.full(0.5, dtype, 8));
            }
            for (Optimizer opt : List.of(new SGD(1e-3, 0.9, false), new Adam(1e-3), new AdamW(1e-3, 4e-3),
                    new SGD(1e-3).setEma(0.99, null))) {
                opt.applyGradients(grads, vars); // creates the slots
                long bound = PER_VARIABLE * count;
                assertThat(leastAllocated(() -> opt.applyGradients(grads, vars), bound))
                        .as("%s%s %s: bytes a step for %d variables", opt.name(), opt.useEma() ? " with EMA" : "", dtype,
                                count).isLessThan(bound);
            }
        }
    }

    /**
     * Gradient accumulation reads each gradient where it is: a call that only accumulates and the
     * call that then updates with the mean allocate, together, far less than one 1 MiB gradient (a
     * copy of the gradient to accumulate it, or a tensor of the mean, goes over), and nothing per
     * variable beyond the list of the means (one reference each).
     */
    @Test
    void gradientAccumulationCopiesNoGradient() {
        for (DType dtype : List.of(DType.F32, DType.F64)) {
            long bytes = (dtype == DType.F32 ? 4L : 8L) * N * N;
            List<Variable> w = List.of(new Variable("w", Tensor.ones(dtype, N, N), true));
            List<Tensor> g = List.of(Tensor.full(0.5, dtype, N, N));
            Optimizer adam = new Adam(1e-3).setGradientAccumulationSteps(2);
            Runnable accumulateThenUpdate = () -> {
                adam.applyGradients(g, w);
                adam.applyGradients(g, w);
            };
            accumulateThenUpdate.run(); // creates the slots
            assertThat(leastAllocated(accumulateThenUpdate, bytes / 8)).as("%s: bytes for two calls", dtype)
                    .isLessThan(bytes / 8);

            int count = 256;
            List<Variable> vars = new ArrayList<>();
            List<Tensor> grads = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                vars.add(new Variable("v" + i, Tensor.ones(dtype, 8), true));
                grads.add(Tensor.full(0.5, dtype, 8));
            }
            Optimizer sgd = new SGD(1e-3, 0.9, false).setGradientAccumulationSteps(2);
            Runnable twoCalls = () -> {
                sgd.applyGradients(grads, vars);
                sgd.applyGradients(grads, vars);
            };
            twoCalls.run();
            long bound = PER_VARIABLE * count;
            assertThat(leastAllocated(twoCalls, bound)).as("%s: bytes for two calls, %d variables", dtype, count)
                    .isLessThan(bound);
        }
    }

    /**
     * A step finds the moving average by its slot name without building the list of slot names
     * again: what a step with EMA allocates beyond the same step without is less than the smallest
     * such list (an ArrayList and a one-element array, 48 bytes; the walk over the variables may
     * allocate its iterator, 32), and the slots keep their names in their order (the optimizer's,
     * the accumulator, the average).
     */
    @Test
    void aStepBuildsNoListOfSlotNames() {
        List<Tensor> g = List.of(Tensor.full(0.5, DType.F32, 8));
        List<Variable> plain = List.of(new Variable("w", Tensor.ones(8), true));
        List<Variable> averaged = List.of(new Variable("w", Tensor.ones(8), true));
        Optimizer sgd = new SGD(1e-3, 0.9, false);
        Optimizer ema = new SGD(1e-3, 0.9, false).setEma(0.99, null);
        sgd.applyGradients(g, plain);
        ema.applyGradients(g, averaged);
        long without = leastOf(() -> sgd.applyGradients(g, plain));
        long with = leastOf(() -> ema.applyGradients(g, averaged));
        assertThat(with - without).as("bytes a step with EMA less those without (%d)", without).isLessThan(48);

        Optimizer all = new Adam(1e-3, 0.9, 0.999, 1e-7, true).setGradientAccumulationSteps(2).setEma(0.99, null);
        for (int step = 0; step < 3; step++) {
            all.applyGradients(g, averaged);
        }
        assertThat(all.state().keySet()).containsExactly("iterations", "w/m", "w/v", "w/vhat", "w/accumulated_gradient",
                "w/average");
    }

    @Test
    void anF64UpdateAllocatesAFreshArrayOnlyWhenTheOldValueWasHandedOut() {
        long bytes = 8L * N * N;
        Variable w = new Variable("w", Tensor.ones(DType.F64, N, N), true);
        List<Tensor> g = List.of(Tensor.full(0.5, DType.F64, N, N));
        Optimizer adam = new Adam(1e-3);
        adam.applyGradients(g, List.of(w));
        assertThat(leastAllocated(() -> adam.applyGradients(g, List.of(w)), bytes / 8)).as("in place").isLessThan(bytes / 8);

        Tensor before = w.value();
        double[] expected = before.toDoubleArray();
        assertThat(allocated(() -> adam.applyGradients(g, List.of(w)))).as("a copy for the new value")
                .isBetween(bytes, bytes + bytes / 8);
        assertThat(before.toDoubleArray()).as("the value read before the update").isEqualTo(expected);
        assertThat(w.peek().get(0, 0)).isLessThan(expected[0]);
        assertThat(leastAllocated(() -> adam.applyGradients(g, List.of(w)), bytes / 8)).as("in place again").isLessThan(bytes / 8);
    }

    /**
     * An F64 update in place gives the bits of the same update of a copy (the path taken when the
     * value was handed out), step after step, with decoupled weight decay, EMA and every optimizer.
     */
    @Test
    void anF64UpdateInPlaceGivesTheBitsOfAnUpdateOfACopy() {
        List<Optimizer> optimizers = List.of(new SGD(0.05, 0.9, true), new Adam(0.01).setWeightDecay(0.1),
                new AdamW(0.01, 0.02), new Adam(0.01, 0.9, 0.999, 1e-7, true), new Adamax(0.01), new Nadam(0.01),
                new RMSprop(0.01, 0.9, 0.5, 1e-7, true), new Adagrad(0.1), new Lion(0.01),
                new SGD(0.05).setEma(0.9, 3));
        double[] init = {0.5, -1.25, 2.0, 0.125, -0.75, 3.5, -2.25};
        for (Optimizer opt : optimizers) {
            Variable copied = new Variable("copied", Tensor.of(init), true);
            Variable inPlace = new Variable("inPlace", Tensor.of(init), true);
            for (int step = 1; step <= 6; step++) {
                double[] g = new double[init.length];
                for (int i = 0; i < g.length; i++) {
                    g[i] = Math.sin(step * 1.7 + i) * (i + 1);
                }
                Tensor before = copied.value(); // handed out: this update goes to a copy
                double[] seen = before.toDoubleArray();
                opt.applyGradients(List.of(Tensor.of(g), Tensor.of(g)), List.of(copied, inPlace));
                assertThat(before.toDoubleArray()).isEqualTo(seen);
                assertThat(bits(inPlace)).as("%s, step %d", opt.name(), step).isEqualTo(bits(copied));
            }
        }
    }

    /** SGD with momentum on values a double holds exactly: every step's weights are known to the bit. */
    @Test
    void anF64UpdateInPlaceIsSgdWithMomentumExactly() {
        Variable w = new Variable("w", Tensor.of(new double[] {1, -2}), true);
        Optimizer sgd = new SGD(0.25, 0.5, false);
        double[] expected = {1, -2};
        double[] velocity = {0, 0};
        double[] g = {0.5, -0.75};
        for (int step = 0; step < 5; step++) {
            sgd.applyGradients(List.of(Tensor.of(g)), List.of(w));
            for (int i = 0; i < 2; i++) {
                velocity[i] = 0.5 * velocity[i] - 0.25 * g[i];
                expected[i] += velocity[i];
            }
            assertThat(w.peek().toDoubleArray()).as("step %d", step + 1).containsExactly(expected);
        }
        assertThat(expected).as("worked by hand").containsExactly(-0.0078125, -0.48828125);
    }

    private static long[] bits(Variable v) {
        return java.util.Arrays.stream(v.peek().toDoubleArray()).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    private static long allocated(Runnable r) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        r.run();
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    /**
     * The least any run allocated, running until one comes in under {@code bound} or {@link
     * #JIT_WAIT_NANOS} have passed: until C2 has compiled the step, the small objects its escape
     * analysis removes (iterators, lambdas, records) are allocated, and while a test suite keeps the
     * compiler busy that can take longer than a thousand runs of a step (a third of a second). Code
     * that copies every time never gets under.
     */
    private static long leastAllocated(Runnable r, long bound) {
        long least = Long.MAX_VALUE;
        long end = System.nanoTime() + JIT_WAIT_NANOS;
        while (least >= bound && System.nanoTime() - end < 0) {
            least = Math.min(least, allocated(r));
        }
        return least;
    }

    /** The least any of 1,000 runs allocated (for comparing two steps, neither held to a bound). */
    private static long leastOf(Runnable r) {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 1000 && least > 0; i++) {
            least = Math.min(least, allocated(r));
        }
        return least;
    }
}
