package dev.vecgrad.train.callbacks;

import dev.vecgrad.train.Model;
import java.util.Map;

/**
 * Code that runs at fixed points of {@code fit}, {@code evaluate} and {@code predict}, as Keras's
 * callbacks: every hook does nothing unless overridden. Logs map metric names to values; batch
 * logs hold the running results of the current epoch, epoch logs the epoch's results plus the
 * validation results prefixed {@code val_}.
 *
 * <p>Batch numbers count batches within the epoch from 0. With {@code stepsPerExecution = N} the
 * batch hooks fire once per execution of N steps: {@code begin} with the first batch's number and
 * {@code end} with the last one's, as Keras does.
 *
 * <pre>{@code
 * class PrintLoss extends Callback {
 *     @Override
 *     public void onEpochEnd(int epoch, Map<String, Double> logs) {
 *         System.out.println(epoch + ": " + logs.get("loss"));
 *     }
 * }
 * }</pre>
 */
public abstract class Callback {
    private Model model;
    private CallbackParams params = CallbackParams.NONE;

    /** For subclasses. */
    protected Callback() {
    }

    /** Called by the training loop before any hook, with the model being trained. */
    public void setModel(Model model) {
        this.model = model;
    }

    /** The model this callback serves; null before {@link #setModel}. */
    public Model model() {
        return model;
    }

    /** Called by the training loop with the run's epochs, steps and verbosity. */
    public void setParams(CallbackParams params) {
        this.params = params;
    }

    /** The run's epochs, steps and verbosity. */
    public CallbackParams params() {
        return params;
    }

    /** Once at the start of {@code fit}. */
    public void onTrainBegin(Map<String, Double> logs) {
    }

    /** Once at the end of {@code fit}, with the last epoch's logs. */
    public void onTrainEnd(Map<String, Double> logs) {
    }

    /** At the start of each epoch ({@code epoch} counts from 0). */
    public void onEpochBegin(int epoch, Map<String, Double> logs) {
    }

    /** At the end of each epoch, with training and validation results. */
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
    }

    /** Before a training execution whose first batch is {@code batch}. */
    public void onTrainBatchBegin(int batch, Map<String, Double> logs) {
    }

    /** After a training execution whose last batch is {@code batch}, with the running results. */
    public void onTrainBatchEnd(int batch, Map<String, Double> logs) {
    }

    /** At the start of {@code evaluate} (also the validation pass of {@code fit}). */
    public void onTestBegin(Map<String, Double> logs) {
    }

    /** At the end of {@code evaluate}, with its results. */
    public void onTestEnd(Map<String, Double> logs) {
    }

    /** Before an evaluation execution whose first batch is {@code batch}. */
    public void onTestBatchBegin(int batch, Map<String, Double> logs) {
    }

    /** After an evaluation execution whose last batch is {@code batch}. */
    public void onTestBatchEnd(int batch, Map<String, Double> logs) {
    }

    /** At the start of {@code predict}. */
    public void onPredictBegin(Map<String, Double> logs) {
    }

    /** At the end of {@code predict}. */
    public void onPredictEnd(Map<String, Double> logs) {
    }

    /** Before a prediction execution whose first batch is {@code batch}. */
    public void onPredictBatchBegin(int batch, Map<String, Double> logs) {
    }

    /** After a prediction execution whose last batch is {@code batch}. */
    public void onPredictBatchEnd(int batch, Map<String, Double> logs) {
    }

    /**
     * Whether this callback may keep or change the logs its batch-end hooks get, so that a loop
     * must hand it a map of its own. Only callbacks of this package that read them during the call
     * alone (the progress bar) say no; a subclass elsewhere cannot override this.
     */
    boolean mayKeepBatchLogs() {
        return true;
    }
}
