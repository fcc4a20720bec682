package dev.vecgrad.train.compile;

/**
 * A step that cannot be compiled, or was compiled and then misused: an op no plan can replay, a
 * variable created after the first trace, two traces of one input signature that ran different
 * ops, a result computed in plain Java. The message names what happened and what to do.
 */
public final class TracingException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** An error with {@code message}. */
    public TracingException(String message) {
        super(message);
    }
}
