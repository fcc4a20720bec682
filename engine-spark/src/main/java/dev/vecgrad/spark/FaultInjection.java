package dev.vecgrad.spark;

import java.io.Serializable;
import org.apache.spark.TaskContext;

/**
 * A test hook: makes the first attempt of worker {@code worker}'s task fail just before it would
 * run training step {@code step} (counted over the whole fit), as a lost executor would. Spark
 * retries; the retry and every later step run normally.
 *
 * @param worker the partition whose task fails
 * @param step the training step (from 0, over all epochs) at which it fails
 */
record FaultInjection(int worker, long step) implements Serializable {
    /** Throws when this task is the one to fail at {@code version}. */
    void maybeFail(TaskContext ctx, long version) {
        if (ctx.partitionId() == worker && version == step && ctx.stageAttemptNumber() == 0 && ctx.attemptNumber() == 0) {
            throw new InjectedFailure("injected failure of worker " + worker + " at step " + step + " (test hook)");
        }
    }

    /** The failure {@link #maybeFail} throws. */
    static final class InjectedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFailure(String message) {
            super(message);
        }
    }
}
