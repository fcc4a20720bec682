package dev.vecgrad.train.cli;

import dev.vecgrad.train.callbacks.Callback;
import java.util.Locale;
import java.util.Map;

/**
 * Ends a command-line training run at the first batch whose loss is NaN or infinite, by throwing:
 * nothing after it runs (no evaluation, no save), and the error names the epoch and batch and
 * suggests a lower learning rate, the usual cause.
 */
final class StopOnDivergence extends Callback {
    private final String learningRate;
    private int epoch;

    /** {@code learningRate} as the user gave it, for the message. */
    StopOnDivergence(String learningRate) {
        this.learningRate = learningRate;
    }

    @Override
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
        this.epoch = epoch;
    }

    @Override
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        Double loss = logs.get("loss");
        if (loss != null && !Double.isFinite(loss)) {
            throw new IllegalStateException(String.format(Locale.ROOT, "training diverged: the loss is %s at epoch %d,"
                    + " batch %d, so the model was not saved; try a lower learning rate than --lr %s", loss, epoch + 1,
                    batch + 1, learningRate));
        }
    }
}
