package dev.vecgrad.spark;

import dev.vecgrad.train.Model;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The model copies an executor keeps between the Spark jobs of one run, by run and partition, so
 * that a job starts from where the last one left off instead of receiving the model again.
 * Lives as long as the executor's JVM; a run's copies go when the run ends.
 */
final class Replicas {
    private static final ConcurrentHashMap<String, Replica> HELD = new ConcurrentHashMap<>();

    private Replicas() {
    }

    /**
     * A worker's copy of the model: the model, the number of steps it has applied, and the state
     * it had when the current job started (to start the job over when Spark retries it).
     */
    static final class Replica {
        final Model model;
        long version = -1;
        ModelState atJobStart;

        Replica(Model model) {
            this.model = model;
        }
    }

    /** The copy held for {@code run} and {@code partition}, made by {@code make} if there is none. */
    static Replica get(String run, int partition, Supplier<Model> make) {
        return HELD.computeIfAbsent(key(run, partition), k -> new Replica(make.get()));
    }

    /** Forgets every copy of {@code run} held by this JVM. */
    static void drop(String run) {
        HELD.keySet().removeIf(k -> k.startsWith(run + "/"));
    }

    /** Forgets worker {@code partition}'s copies of every run: what an executor that dies takes with it (tests). */
    static void forget(int partition) {
        HELD.keySet().removeIf(k -> k.endsWith("/" + partition));
    }

    private static String key(String run, int partition) {
        return run + "/" + partition;
    }
}
