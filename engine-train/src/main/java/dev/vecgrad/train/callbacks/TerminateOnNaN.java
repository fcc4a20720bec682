package dev.vecgrad.train.callbacks;

import java.util.Map;

/**
 * Stops training as soon as a batch's loss is NaN or infinite, as Keras's {@code TerminateOnNaN}.
 */
public final class TerminateOnNaN extends Callback {
    private int terminatedAtBatch = -1;

    /** A new callback. */
    public TerminateOnNaN() {
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        Double loss = logs.get("loss");
        if (loss != null && !Double.isFinite(loss)) {
            terminatedAtBatch = batch;
            System.err.println("Batch " + batch + ": invalid loss " + loss + ", terminating training");
            model().setStopTraining(true);
        }
    }

    /** The batch whose loss stopped training, or -1. */
    public int terminatedAtBatch() {
        return terminatedAtBatch;
    }
}
