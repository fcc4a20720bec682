package dev.vecgrad.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.PartitionPruningRDD;
import scala.Function1;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Schedules functions on whichever worker of a {@link ParameterServerStrategy} is free, as
 * Keras's {@code ClusterCoordinator}: {@link #schedule} queues a function and returns at once
 * with a {@link RemoteValue}; each worker (a driver thread that submits one Spark job at a time
 * for its partition of the data) takes the next function when its last one is done. A function
 * whose job fails (its executor died, or Spark gave up retrying the task) goes back to the head of
 * the queue for the next free worker, and the failed worker waits a moment before taking work
 * again; after {@value #MAX_ATTEMPTS} failed attempts the function's value holds the error.
 *
 * <pre>{@code
 * try (ClusterCoordinator c = new ClusterCoordinator(strategy, data)) {
 *     RemoteValue<Integer> rows = c.schedule((worker, x, y) -> x.shape().dim(0));
 *     c.join();
 *     System.out.println(rows.fetch());
 * }
 * }</pre>
 */
public final class ClusterCoordinator implements AutoCloseable {
    /** Attempts a function gets, on any workers, before its failure is final. */
    public static final int MAX_ATTEMPTS = 4;
    private static final long BACKOFF_MILLIS = 200;

    private final SparkData data;
    private final LinkedBlockingDeque<Closure<?>> queue = new LinkedBlockingDeque<>();
    private final List<Thread> workers = new ArrayList<>();
    private final Object lock = new Object();
    private int outstanding;
    private final AtomicInteger rescheduled = new AtomicInteger();
    private volatile boolean closed;

    /**
     * A coordinator for the workers of {@code strategy}, each holding one shard of {@code data}
     * (which Spark repartitions to the strategy's worker count if need be).
     */
    public ClusterCoordinator(ParameterServerStrategy strategy, SparkData data) {
        this.data = data.repartition(strategy.numReplicas());
        for (int w = 0; w < strategy.numReplicas(); w++) {
            int worker = w;
            workers.add(Thread.ofPlatform().daemon().name("vecgrad-ps-worker-" + w).start(() -> work(worker)));
        }
    }

    /** Work a worker's driver thread runs on the worker's partition, and what to do with its result. */
    interface Closure<T> {
        /** Runs on worker {@code worker} (submits its Spark job and waits for it). */
        T runOn(int worker);

        /** The value the scheduler returned for this closure. */
        RemoteValue<T> value();
    }

    /** Queues {@code fn} for the next free worker. */
    public <T extends Serializable> RemoteValue<T> schedule(WorkerFunction<T> fn) {
        RemoteValue<T> value = new RemoteValue<>();
        return schedule(new Closure<T>() {
            @Override
            public T runOn(int worker) {
                return onWorker(worker, shard -> fn.apply(worker, shard.x(), shard.y()));
            }

            @Override
            public RemoteValue<T> value() {
                return value;
            }
        });
    }

    /** Queues {@code closure} for the next free worker and returns its value. */
    <T> RemoteValue<T> schedule(Closure<T> closure) {
        if (closed) {
            throw new IllegalStateException("the coordinator is closed");
        }
        synchronized (lock) {
            outstanding++;
        }
        queue.addLast(new Attempted<>(closure));
        return closure.value();
    }

    /** A closure and the attempts made at it so far. */
    private static final class Attempted<T> implements Closure<T> {
        final Closure<T> inner;
        int attempts;

        Attempted(Closure<T> inner) {
            this.inner = inner;
        }

        @Override
        public T runOn(int worker) {
            return inner.runOn(worker);
        }

        @Override
        public RemoteValue<T> value() {
            return inner.value();
        }
    }

    /**
     * Runs {@code fn} on worker {@code worker}'s shard as a one-task Spark job and returns its
     * result; called from that worker's thread by a closure.
     */
    <R> R onWorker(int worker, SerializableFunction<Shard, R> fn) {
        Function1<Object, Object> only = (Function1<Object, Object> & Serializable) p -> (Integer) p == worker;
        ClassTag<Shard> shardTag = ClassTag$.MODULE$.apply(Shard.class);
        JavaRDD<Shard> one = new JavaRDD<>(PartitionPruningRDD.create(data.shards().rdd(), only), shardTag);
        return one.map(fn::apply).collect().get(0);
    }

    /** A function that Spark can ship. */
    @FunctionalInterface
    interface SerializableFunction<A, R> extends Serializable {
        R apply(A a);
    }

    private void work(int worker) {
        while (true) {
            Closure<?> next;
            try {
                next = queue.takeFirst();
            } catch (InterruptedException e) {
                return;
            }
            if (next == STOP) {
                return;
            }
            if (!run(worker, (Attempted<?>) next)) {
                try {
                    Thread.sleep(BACKOFF_MILLIS); // let a healthy worker take the closure this one failed
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Runs one closure; false when it failed here (it is queued again unless it is out of attempts). */
    private <T> boolean run(int worker, Attempted<T> c) {
        T result;
        try {
            result = c.runOn(worker);
        } catch (Exception | Error e) { // a failed Spark job is a checked SparkException Java does not see declared
            if (closed) {
                c.value().fail(e);
                finished();
                return false;
            }
            if (++c.attempts < MAX_ATTEMPTS) {
                rescheduled.incrementAndGet();
                queue.addFirst(c);
            } else {
                c.value().fail(e);
                finished();
            }
            return false;
        }
        c.value().complete(result);
        finished();
        return true;
    }

    private void finished() {
        synchronized (lock) {
            outstanding--;
            lock.notifyAll();
        }
    }

    /**
     * Waits until every scheduled function has run (or failed for good); the first final failure
     * is then thrown as an IllegalStateException.
     */
    public void join() {
        synchronized (lock) {
            while (outstanding > 0) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the workers", e);
                }
            }
        }
    }

    /** Functions run again on a worker after failing on one. */
    public int rescheduled() {
        return rescheduled.get();
    }

    /** The number of workers. */
    public int numWorkers() {
        return workers.size();
    }

    /** The data, one shard a worker. */
    SparkData data() {
        return data;
    }

    /** Stops the workers' threads once their current jobs end; functions not yet run are dropped. */
    @Override
    public void close() {
        closed = true;
        queue.clear();
        for (int i = 0; i < workers.size(); i++) {
            queue.addFirst(STOP);
        }
    }

    /** Tells a worker's thread to end. */
    private static final Closure<Object> STOP = closure(w -> null);

    /** A closure whose work is {@code body}. */
    static <T> Closure<T> closure(IntFunction<T> body) {
        RemoteValue<T> value = new RemoteValue<>();
        return new Closure<>() {
            @Override
            public T runOn(int worker) {
                return body.apply(worker);
            }

            @Override
            public RemoteValue<T> value() {
                return value;
            }
        };
    }
}
