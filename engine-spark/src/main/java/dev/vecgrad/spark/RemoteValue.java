package dev.vecgrad.spark;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The result of a function a {@link ClusterCoordinator} scheduled, available once a worker has
 * run it, as Keras's {@code RemoteValue}.
 *
 * @param <T> the result's type
 */
public final class RemoteValue<T> {
    private final CompletableFuture<T> future = new CompletableFuture<>();

    RemoteValue() {
    }

    /** Whether a worker has run the function (or it failed for good). */
    public boolean isDone() {
        return future.isDone();
    }

    /**
     * The result, waiting for it if need be. A function that failed on every worker it was given
     * to is an IllegalStateException carrying the last failure.
     */
    public T fetch() {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the scheduled function failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a scheduled function", e);
        }
    }

    /** Calls {@code action} with the result or the failure once there is one. */
    void whenDone(java.util.function.BiConsumer<T, Throwable> action) {
        future.whenComplete(action);
    }

    void complete(T value) {
        future.complete(value);
    }

    void fail(Throwable t) {
        future.completeExceptionally(t);
    }
}
