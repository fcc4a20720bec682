package dev.vecgrad.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.callbacks.EarlyStopping;
import dev.vecgrad.train.callbacks.History;
import dev.vecgrad.train.callbacks.ProgbarLogger;
import dev.vecgrad.train.data.Batch;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.examples.WalkthroughExample;
import dev.vecgrad.train.losses.MeanSquaredError;
import dev.vecgrad.train.losses.Reduction;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@code fit} and {@code evaluate} allocate nothing per batch beyond their steps when no callback
 * has batch hooks, or only the progress bar has: what 100 more batches cost inside them, less what
 * the same 100 batches cost in a plain loop calling the same step function, is under a few bytes a
 * batch (building batch logs for callbacks that do not read them or that read them without keeping
 * them, or the loop's bookkeeping per execution, costs at least a map or a list a batch: 24 bytes
 * or more). Measured with the thread's allocation counter, as the
 * least of several runs once the JIT has compiled the loop.
 */
class FitAllocationTest {
    private static final int MORE_BATCHES = 100;
    /** Less than the smallest object a batch could allocate (16 bytes) once a batch. */
    private static final long PER_BATCH = 8;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static Dataset batches(int n) {
        return Dataset.fromTensorSlices(Tensor.zeros(10 * n, 10), Tensor.ones(10 * n, 1)).batch(10);
    }

    private static Model model(int stepsPerExecution) {
        Model m = new WalkthroughExample.SimplifiedModel();
        m.compile(CompileOptions.of("sgd", new MeanSquaredError("mean_squared_error", Reduction.SUM))
                .stepsPerExecution(stepsPerExecution));
        m.build(1, 10);
        return m;
    }

    @Test
    void fitAllocatesNothingPerBatchBeyondItsSteps() {
        Dataset few = batches(MORE_BATCHES);
        Dataset many = batches(2 * MORE_BATCHES);
        for (int stepsPerExecution : new int[] {1, 4}) {
            Model m = model(stepsPerExecution);
            Function<Batch, Map<String, Double>> step = m.makeTrainFunction();
            // History and EarlyStopping have epoch hooks only.
            long extra = leastExtra(d -> m.fit(FitOptions.of(d).epochs(1).verbose(0)
                    .callbacks(new History(), new EarlyStopping("loss", 5))), loop(m, step), few, many);
            assertThat(extra).as("bytes fit allocated for %d more batches beyond its steps (stepsPerExecution %d)",
                    MORE_BATCHES, stepsPerExecution).isLessThan(PER_BATCH * MORE_BATCHES);
        }
    }

    @Test
    void theDefaultProgressBarCostsNothingPerBatch() {
        Dataset few = batches(MORE_BATCHES);
        Dataset many = batches(2 * MORE_BATCHES);
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        // verbose 1 (the default) adds a ProgbarLogger, which overrides the batch-end hooks; given here to
        // print nowhere: as into a log (a line an epoch) and as on a terminal (a bar redrawn at most every 50 ms).
        for (boolean terminal : new boolean[] {false, true}) {
            Model m = model(1);
            long fit = leastExtra(d -> m.fit(FitOptions.of(d).epochs(1).callbacks(new ProgbarLogger(nowhere, terminal))),
                    loop(m, m.makeTrainFunction()), few, many);
            assertThat(fit).as("bytes fit with a progress bar (terminal %s) allocated for %d more batches beyond its"
                    + " steps", terminal, MORE_BATCHES).isLessThan(PER_BATCH * MORE_BATCHES);
            long evaluate = leastExtra(d -> m.evaluate(d, -1, 1, List.of(new ProgbarLogger(nowhere, terminal))),
                    loop(m, m.makeTestFunction()), few, many);
            assertThat(evaluate).as("bytes evaluate with a progress bar (terminal %s) allocated for %d more batches"
                    + " beyond its steps", terminal, MORE_BATCHES).isLessThan(PER_BATCH * MORE_BATCHES);
        }
    }

    @Test
    void evaluateAllocatesNothingPerBatchBeyondItsSteps() {
        Dataset few = batches(MORE_BATCHES);
        Dataset many = batches(2 * MORE_BATCHES);
        Model m = model(1);
        Function<Batch, Map<String, Double>> step = m.makeTestFunction();
        long extra = leastExtra(d -> m.evaluate(d, -1, 0, List.of()), loop(m, step), few, many);
        assertThat(extra).as("bytes evaluate allocated for %d more batches beyond its steps", MORE_BATCHES)
                .isLessThan(PER_BATCH * MORE_BATCHES);
    }

    /** A plain loop of {@code step} over a dataset's batches, metrics reset first. */
    private static Consumer<Dataset> loop(Model m, Function<Batch, Map<String, Double>> step) {
        return d -> {
            m.resetMetrics();
            for (Batch b : d) {
                step.apply(b);
            }
        };
    }

    /**
     * What {@code run} allocates for the batches {@code many} has beyond {@code few}, less what
     * {@code loop} allocates for them; measured in rounds until it comes under the bound (at most
     * 40): until the JIT has compiled both (on a busy machine, a varying number of runs) their
     * short-lived objects are on the heap. Code that allocates a batch never gets under.
     */
    private static long leastExtra(Consumer<Dataset> run, Consumer<Dataset> loop, Dataset few, Dataset many) {
        long extra = Long.MAX_VALUE;
        for (int round = 0; round < 40 && extra >= PER_BATCH * MORE_BATCHES; round++) {
            extra = Math.min(extra, perMoreBatches(run, few, many) - perMoreBatches(loop, few, many));
        }
        return extra;
    }

    /** What {@code run} allocates on {@code many} beyond {@code few}, the least of each over 20 runs. */
    private static long perMoreBatches(Consumer<Dataset> run, Dataset few, Dataset many) {
        long leastFew = Long.MAX_VALUE;
        long leastMany = Long.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            leastFew = Math.min(leastFew, allocated(() -> run.accept(few)));
            leastMany = Math.min(leastMany, allocated(() -> run.accept(many)));
        }
        return leastMany - leastFew;
    }

    private static long allocated(Runnable r) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        r.run();
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }
}
