package dev.vecgrad.train;

import dev.vecgrad.train.data.Batch;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.data.DatasetIterator;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * The epochs of a dataset, each run as executions of up to {@code stepsPerExecution} steps, as
 * Keras's {@code EpochIterator}: the one loop that {@code fit}, {@code evaluate} and
 * {@code predict} share. An epoch is {@code steps} batches when that is given, else one pass over
 * the data. When the epoch length is not the data's length, one pass continues across epochs (so
 * every batch is seen) instead of starting over each epoch.
 */
final class EpochIterator implements AutoCloseable {
    private final Dataset data;
    private final long steps;
    private final int stepsPerExecution;
    private final boolean persistent;
    private DatasetIterator pass;
    private boolean ranOut;

    /**
     * What the loop tells its caller around each execution.
     *
     * @param begin before an execution, with the index of its first step in the epoch
     * @param each after each step, with that step's result
     * @param end after an execution, with the index of its last step and its last result
     * @param stop asked after each execution: true ends the epoch there
     */
    record Hooks<R>(IntConsumer begin, Consumer<R> each, BiConsumer<Integer, R> end, BooleanSupplier stop) {
    }

    /**
     * Epochs of {@code steps} batches of {@code data} ({@code steps < 0}: one pass each);
     * {@code what} names the caller in the error for data that never ends without a step count.
     */
    EpochIterator(Dataset data, long steps, int stepsPerExecution, String what) {
        this.data = data;
        this.steps = steps(data, steps, what);
        this.stepsPerExecution = stepsPerExecution;
        this.persistent = steps > 0 && data.cardinality() != steps;
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

    /** The steps of an epoch, or -1 when only the data's end tells. */
    long steps() {
        return steps;
    }

    /**
     * Runs one epoch: before each execution {@code hooks.begin}, then up to
     * {@code stepsPerExecution} steps of {@code step} on consecutive batches (at least one),
     * {@code hooks.each} after every step, {@code hooks.end} after the execution. Returns the last
     * step's result, or null when the data yielded no batch.
     */
    <R> R runEpoch(Function<Batch, R> step, Hooks<R> hooks) {
        if (pass == null || !persistent) {
            close();
            pass = data.iterator();
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
            int inExecution = 0;
            while (inExecution < limit && (inExecution == 0 || pass.hasNext())) {
                last = step.apply(pass.next());
                if (last == null) {
                    throw new IllegalStateException("the step returned nothing (a train or test step must return its"
                            + " logs, possibly an empty map)");
                }
                hooks.each().accept(last);
                inExecution++;
            }
            done += inExecution;
            hooks.end().accept(done - 1, last);
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
}
