package dev.vecgrad.train.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.ScalarEngine;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.data.Batch;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.losses.SparseCategoricalCrossentropy;
import dev.vecgrad.train.optimizers.Adam;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A replayed training step allocates almost nothing: its buffers were allocated once with the
 * plan, so what a replay allocates is host-side bookkeeping (the metric results map Keras returns
 * fresh each step, small per-call objects). The bound is generous, so that it fails only when a
 * replay starts allocating in proportion to the model's tensors (a buffer per op, a copy per
 * call), not on a few objects more. The scalar kernels keep the figure independent of how far
 * the JIT compiler got: interpreted and C1-compiled Vector API code allocates every vector, which
 * the C2-compiled kernels of a long run do not.
 */
@ExtendWith(ScalarEngine.class)
class CompiledStepAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** Bytes a replay may allocate: host-side objects only (a few KB; an eager step allocates some 390 KB). */
    private static final long REPLAY_BOUND = 8 * 1024;

    @Test
    void aReplayedMlpStepAllocatesAFewKilobytesWhereAnEagerStepAllocatesItsTensors() {
        long eager = bytesPerStep(false);
        long compiled = bytesPerStep(true);
        assertThat(eager).as("eager step").isGreaterThan(200_000);
        assertThat(compiled).as("replayed step (eager: %d B)", eager).isLessThan(REPLAY_BOUND);
    }

    /** Thread-allocated bytes per step over 40 steps, after 20 (two traces, then replays). */
    private static long bytesPerStep(boolean jit) {
        Rng rng = new Rng(11);
        int[] labels = new int[64];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rng.nextInt(10);
        }
        Batch batch = Batch.of(Tensor.randomUniform(rng, 0, 1, 64, 96), Tensor.of(labels));
        Sequential m = new Sequential().add(new Dense(128, Activations.relu())).add(new Dense(64, Activations.relu()))
                .add(new Dense(10));
        m.setSeed(2);
        m.build(1, 96);
        m.compile(CompileOptions.of(new Adam(1e-3), new SparseCategoricalCrossentropy(true)).metrics("accuracy")
                .jitCompile(jit));
        Function<Batch, Map<String, Double>> step = m.makeTrainFunction();
        for (int s = 0; s < 20; s++) {
            step.apply(batch);
        }
        int n = 40;
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int s = 0; s < n; s++) {
            step.apply(batch);
        }
        return (THREADS.getCurrentThreadAllocatedBytes() - before) / n;
    }
}
