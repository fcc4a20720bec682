package dev.vecgrad.train.callbacks;

import java.util.Map;

/**
 * Stops training as soon as a batch's loss is NaN or infinite, as Keras's {@code TerminateOnNaN},
 * logging the batch through {@link System.Logger} (a warning).
 * By default it asks the model to stop after that batch (the epoch's callbacks and
 * {@code onTrainEnd} still run); with {@code raiseError} it throws instead, so {@code fit} ends
 * at once with the error and no later hook (not even {@code onTrainEnd}) runs, which keeps, for
 * example, a {@link BackupAndRestore} backup in place.
 *
 * <pre>{@code
 * import dev.vecgrad.train.FitOptions;
 *
 * model.fit(FitOptions.of(train).epochs(10).callbacks(new TerminateOnNaN(true)));
 * }</pre>
 */
public final class TerminateOnNaN extends Callback {
    private static final System.Logger LOG = System.getLogger(TerminateOnNaN.class.getName());
    private final boolean raiseError;
    private int terminatedAtBatch = -1;

    /** Stops training quietly (after the batch) at the first non-finite loss. */
    public TerminateOnNaN() {
        this(false);
    }

    /**
     * @param raiseError whether a non-finite loss throws {@link NonFiniteLossException} instead of
     *     stopping training after the batch
     */
    public TerminateOnNaN(boolean raiseError) {
        this.raiseError = raiseError;
    }

    /** Thrown by a {@code TerminateOnNaN(true)} at the first batch whose loss is NaN or infinite. */
    public static final class NonFiniteLossException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int batch;
        private final double loss;

        NonFiniteLossException(int batch, double loss) {
            super("NaN or Inf loss encountered at batch " + batch + ". Loss value: " + loss
                    + ". Terminating training immediately.");
            this.batch = batch;
            this.loss = loss;
        }

        /** The batch (within its epoch) whose loss was not finite. */
        public int batch() {
            return batch;
        }

        /** The loss it had: NaN or an infinity. */
        public double loss() {
            return loss;
        }
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        Double loss = logs.get("loss");
        if (loss != null && !Double.isFinite(loss)) {
            terminatedAtBatch = batch;
            if (raiseError) {
                throw new NonFiniteLossException(batch, loss);
            }
            LOG.log(System.Logger.Level.WARNING, "Batch " + batch + ": invalid loss " + loss + ", terminating training");
            model().setStopTraining(true);
        }
    }

    /** Whether a non-finite loss throws rather than stopping training after the batch. */
    public boolean raiseError() {
        return raiseError;
    }

    /** The batch whose loss stopped training, or -1. */
    public int terminatedAtBatch() {
        return terminatedAtBatch;
    }
}
