package dev.vecgrad.train.callbacks;

/**
 * What a run tells its callbacks up front, as Keras's {@code callback.params}.
 *
 * @param epochs the number of epochs {@code fit} runs to (0 for evaluate and predict)
 * @param steps batches per epoch or per evaluation, or -1 when not known in advance
 * @param verbose 0 silent, 1 progress bar, 2 one line per epoch
 */
public record CallbackParams(int epochs, long steps, int verbose) {
    /** Before a run has started. */
    public static final CallbackParams NONE = new CallbackParams(0, -1, 0);
}
