package dev.vecgrad.train.callbacks;

import java.util.Map;

/**
 * Stops training as soon as a batch's loss is NaN or infinite, as Keras's {@code TerminateOnNaN},
 * logging the batch through {@link System.Logger} (a warning).
 */
public final class TerminateOnNaN extends Callback {
    private static final System.Logger LOG = System.getLogger(TerminateOnNaN.class.getName());
    private int terminatedAtBatch = -1;

    /** A new callback. */
    public TerminateOnNaN() {
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        Double loss = logs.get("loss");
        if (loss != null && !Double.isFinite(loss)) {
            terminatedAtBatch = batch;
            LOG.log(System.Logger.Level.WARNING, "Batch " + batch + ": invalid loss " + loss + ", terminating training");
            model().setStopTraining(true);
        }
    }

    /** The batch whose loss stopped training, or -1. */
    public int terminatedAtBatch() {
        return terminatedAtBatch;
    }
}
