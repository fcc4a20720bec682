package dev.vecgrad.train.distribute;

import dev.vecgrad.train.data.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Synchronous data parallelism over threads, as {@code tf.distribute.MirroredStrategy} over
 * devices: every replica holds the same weights (here: the very same variables), takes a
 * contiguous slice of the global batch, runs the step with its own gradient tape on its own
 * thread, and the replicas' gradients are summed (each replica's loss being scaled by its share of
 * the global batch, so the sum is the global batch's mean gradient) before one optimizer update.
 *
 * <pre>{@code
 * import dev.vecgrad.train.FitOptions;
 *
 * model.setStrategy(new MirroredStrategy(2));
 * model.fit(FitOptions.of(x, y).epochs(10).batchSize(128));   // each batch of 128 runs as two of 64
 * }</pre>
 *
 * <p>A global batch smaller than the replica count leaves some replicas idle for that step. The
 * strategy owns its threads; {@link #close()} stops them (they are daemons, so an unclosed strategy
 * does not keep the JVM alive).
 */
public final class MirroredStrategy implements Strategy, AutoCloseable {
    private final int replicas;
    private final ExecutorService pool;

    /** A strategy with {@code replicas} replicas, each on its own thread. */
    public MirroredStrategy(int replicas) {
        if (replicas < 1) {
            throw new IllegalArgumentException("MirroredStrategy: replicas must be at least 1, got " + replicas);
        }
        this.replicas = replicas;
        this.pool = Executors.newFixedThreadPool(replicas, r -> {
            Thread t = new Thread(r, "vecgrad-replica");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public int numReplicas() {
        return replicas;
    }

    @Override
    public Map<String, Double> run(Function<Batch, Map<String, Double>> step, Batch batch) {
        int n = batch.size();
        int active = Math.max(1, Math.min(replicas, n));
        ReplicaContext.Group group = new ReplicaContext.Group(active, n);
        List<Future<Map<String, Double>>> futures = new ArrayList<>(active);
        int start = 0;
        for (int r = 0; r < active; r++) {
            int size = n / active + (r < n % active ? 1 : 0);
            Batch slice = batch.rows(start, start + size);
            start += size;
            int id = r;
            futures.add(pool.submit(() -> ReplicaContext.runAs(group, id, size, () -> step.apply(slice))));
        }
        Map<String, Double> first = null;
        RuntimeException failure = null;
        for (int r = 0; r < active; r++) {
            try {
                Map<String, Double> logs = futures.get(r).get();
                if (r == 0) {
                    first = logs;
                }
            } catch (ExecutionException e) {
                failure = pickFailure(failure, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the replicas", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return first;
    }

    /** The replica's own error is more useful than another's "another replica failed" that it caused. */
    private static RuntimeException pickFailure(RuntimeException sofar, Throwable t) {
        RuntimeException e = t instanceof RuntimeException re ? re : new IllegalStateException(t);
        if (sofar == null || (isSecondary(sofar) && !isSecondary(e))) {
            return e;
        }
        return sofar;
    }

    private static boolean isSecondary(RuntimeException e) {
        return e instanceof IllegalStateException && e.getMessage() != null
                && e.getMessage().endsWith("another replica failed during this step");
    }

    /** Stops the replica threads. */
    @Override
    public void close() {
        pool.shutdownNow();
    }

    @Override
    public String toString() {
        return "MirroredStrategy(" + replicas + ")";
    }
}
