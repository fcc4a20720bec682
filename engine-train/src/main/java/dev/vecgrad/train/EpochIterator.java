package dev.vecgrad.train;

import dev.vecgrad.train.data.Batch;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.data.DatasetIterator;
import dev.vecgrad.train.distribute.ClusterRun;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The epochs of a dataset, each run as executions of up to {@code stepsPerExecution} steps, as
 * Keras's {@code EpochIterator}: the one loop that {@code fit}, {@code evaluate} and
 * {@code predict} share. An epoch is {@code steps} batches when that is given, else one pass over
 * the data. When the epoch length is not the data's length, one pass continues across epochs (so
 * every batch is seen) instead of starting over each epoch.
 *
 * <p>A pass runs its executions either here, pulling batches and calling a step function on each
 * ({@link #local}), or on a cluster strategy's workers ({@link #remote}); the loop is the same.
 *
 * @param <R> what a step gives back: logs for train and test steps, outputs for predict steps
 */
final class EpochIterator<R> implements AutoCloseable {
    private final long steps;
    private final int stepsPerExecution;
    private final boolean persistent;
    private final Supplier<Pass<R>> passes;
    private final Execution<R> execution = new Execution<>();
    private Pass<R> pass;
    private boolean ranOut;

    /** One pass over the data, run an execution at a time. */
    interface Pass<R> extends AutoCloseable {
        /** Whether the pass has batches left. */
        boolean hasNext();

        /**
         * Runs up to {@code limit} steps (at least one while {@link #hasNext}), adding their results
         * to {@code results} in order (a remote execution reports its logs once), and returns the
         * steps it ran.
         */
        int execute(int limit, List<R> results);

        @Override
        void close();
    }

    /**
     * What the latest execution did. The iterator refills one instance at every execution, so that
     * a step costs the loop no allocation: read it in {@link Hooks#end}, keep nothing of it.
     */
    static final class Execution<R> {
        private final List<R> results = new ArrayList<>();
        private int steps;
        private int lastStep;

        /** The steps it ran. */
        int steps() {
            return steps;
        }

        /** The index in the epoch of its last step. */
        int lastStep() {
            return lastStep;
        }

        /** The steps' results in order (a remote execution reports its logs once). */
        List<R> results() {
            return results;
        }

        /** The last step's result, or null when the execution reported none. */
        R last() {
            return results.isEmpty() ? null : results.get(results.size() - 1);
        }
    }

    /**
     * What the loop tells its caller around each execution.
     *
     * @param begin before an execution, with the index of its first step in the epoch
     * @param end after an execution, with what it did
     * @param stop asked after each execution: true ends the epoch there
     */
    record Hooks<R>(IntConsumer begin, Consumer<Execution<R>> end, BooleanSupplier stop) {
    }

    /**
     * Epochs of {@code steps} batches of {@code data} ({@code steps < 0}: one pass each), each
     * pass opened by {@code passes}; {@code what} names the caller in the error for data that
     * never ends without a step count.
     */
    EpochIterator(Dataset data, long steps, int stepsPerExecution, String what, Supplier<Pass<R>> passes) {
        this.steps = steps(data, steps, what);
        this.stepsPerExecution = stepsPerExecution;
        this.persistent = steps > 0 && data.cardinality() != steps;
        this.passes = passes;
    }

    /**
     * The steps of an epoch of {@code data}: {@code steps} when given ({@code >= 0}), else the
     * data's length when known, else -1; an error naming {@code what} for data that never ends
     * without a step count.
     */
    static long steps(Dataset data, long steps, String what) {
        long cardinality = data.cardinality();
        if (cardinality == Dataset.INFINITE && steps < 0) {
            throw new IllegalArgumentException(what + ": the data repeats forever; give the number of steps");
        }
        return steps >= 0 ? steps : cardinality >= 0 ? cardinality : -1;
    }

    /** Passes of {@code data} run here: each batch through {@code step}. */
    static <R> Supplier<Pass<R>> local(Dataset data, Function<Batch, R> step) {
        return () -> new LocalPass<>(data.iterator(), step);
    }

    /**
     * Passes of a cluster run (the first starts with the run, later ones are asked for), each
     * execution's results read from the run by {@code results}.
     */
    static <R> Supplier<Pass<R>> remote(ClusterRun run, Function<ClusterRun, List<R>> results) {
        boolean[] started = {false};
        return () -> {
            if (started[0]) {
                run.startPass();
            }
            started[0] = true;
            return new RemotePass<>(run, results);
        };
    }

    /** The steps of an epoch, or -1 when only the data's end tells. */
    long steps() {
        return steps;
    }

    /**
     * Runs one epoch: before each execution {@code hooks.begin}, then up to
     * {@code stepsPerExecution} steps, then {@code hooks.end}. Returns the last step's result,
     * or null when the data yielded no batch.
     */
    R runEpoch(Hooks<R> hooks) {
        if (pass == null || !persistent) {
            close();
            pass = passes.get();
        }
        R last = null;
        int done = 0;
        boolean exhausted = false;
        while (steps < 0 || done < steps) {
            if (!pass.hasNext()) {
                exhausted = true;
                break;
            }
            long limit = steps < 0 ? stepsPerExecution : Math.min(stepsPerExecution, steps - done);
            hooks.begin().accept(done);
            execution.results.clear();
            execution.steps = pass.execute((int) limit, execution.results);
            last = execution.last();
            done += execution.steps;
            execution.lastStep = done - 1;
            hooks.end().accept(execution);
            if (hooks.stop().getAsBoolean()) {
                break;
            }
        }
        ranOut = exhausted && persistent && done < steps;
        return last;
    }

    /** Whether the last epoch ended because a pass meant to last several epochs ran out of data. */
    boolean ranOut() {
        return ranOut;
    }

    /** Closes the current pass (stopping a prefetching stage's thread). */
    @Override
    public void close() {
        if (pass != null) {
            pass.close();
            pass = null;
        }
    }

    /** Batches pulled here, each through the step function. */
    private record LocalPass<R>(DatasetIterator batches, Function<Batch, R> step) implements Pass<R> {
        @Override
        public boolean hasNext() {
            return batches.hasNext();
        }

        @Override
        public int execute(int limit, List<R> results) {
            int done = 0;
            while (done < limit && (done == 0 || batches.hasNext())) {
                R r = step.apply(batches.next());
                if (r == null) {
                    throw new IllegalStateException("the step returned nothing (a train or test step must return its"
                            + " logs, possibly an empty map)");
                }
                results.add(r);
                done++;
            }
            return done;
        }

        @Override
        public void close() {
            batches.close();
        }
    }

    /** Executions run on a cluster's workers; the run itself is closed by whoever started it. */
    private record RemotePass<R>(ClusterRun run, Function<ClusterRun, List<R>> results) implements Pass<R> {
        @Override
        public boolean hasNext() {
            return run.hasNext();
        }

        @Override
        public int execute(int limit, List<R> into) {
            int done = run.run(limit);
            into.addAll(results.apply(run));
            return done;
        }

        @Override
        public void close() {
        }
    }
}
