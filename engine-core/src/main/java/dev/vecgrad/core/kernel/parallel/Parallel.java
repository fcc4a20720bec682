package dev.vecgrad.core.kernel.parallel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The engine's explicit thread pool. Big kernels split their work into chunks whose boundaries
 * depend only on the problem size, never on the thread count, so a result is the same whether one
 * thread or many ran it. Small work, and work started from inside a chunk (on a pool thread or on
 * the caller while it takes part), runs on the calling thread: the outer loop already keeps every
 * thread busy, and a nested loop waiting on threads that run the outer one would stall.
 *
 * <p>One policy decides what is small, for every kernel: work is counted in one unit, the cost of
 * an elementwise operation on one element, and a loop of less than {@link #MIN_SPLIT_WORK} units
 * runs on the calling thread. A kernel whose inner step costs less than that converts its own count
 * once (GEMM and convolution count multiply-adds, pooling counts window visits; each names its
 * rate), so there is one threshold to tune rather than one a kernel.
 */
public final class Parallel implements AutoCloseable {
    /**
     * Work, in elementwise-element units, below which a loop stays on the calling thread: below
     * about 20 µs of one thread's work, handing chunks to other threads costs more than it saves.
     */
    public static final long MIN_SPLIT_WORK = 1L << 17;

    /** Set on a caller thread while it runs chunks of its own loop. */
    private static final ThreadLocal<boolean[]> IN_CHUNK = ThreadLocal.withInitial(() -> new boolean[1]);
    private final int threads;
    private final ForkJoinPool pool;

    /**
     * The most threads a pool may have: far more than any machine has cores (a kernel gains
     * nothing from more threads than cores), and below the fork-join pool's own limit of 32767.
     */
    public static final int MAX_THREADS = 1024;

    /**
     * A pool of {@code threads} threads (the caller counts as one); 1 means everything runs inline.
     *
     * @throws IllegalArgumentException when {@code threads} is not between 1 and {@value #MAX_THREADS}
     */
    public Parallel(int threads) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("the thread count must be between 1 and " + MAX_THREADS + ", got "
                    + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads - 1, p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("vecgrad-worker-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false);
    }

    /** The number of threads work may be spread over. */
    public int threads() {
        return threads;
    }

    /** Work on chunk {@code c} of a loop. */
    @FunctionalInterface
    public interface ChunkBody {
        /** Processes chunk {@code chunk}. */
        void run(int chunk);
    }

    /** Whether {@code work} units (see the class comment) are enough to be split over threads. */
    public static boolean worthSplitting(long work) {
        return work >= MIN_SPLIT_WORK;
    }

    /**
     * Runs {@code body} for every chunk in {@code [0, chunks)}: on the calling thread, in order,
     * when {@code work} units are not {@linkplain #worthSplitting worth splitting}, else as
     * {@link #forEachChunk(int, ChunkBody)}.
     */
    public void forEachChunk(long work, int chunks, ChunkBody body) {
        if (!worthSplitting(work)) {
            for (int c = 0; c < chunks; c++) {
                body.run(c);
            }
            return;
        }
        forEachChunk(chunks, body);
    }

    /**
     * Runs {@code body} for every chunk in {@code [0, chunks)}, spread over the pool's threads when
     * there is more than one chunk. Chunks may run in any order and at the same time; each runs once.
     * An exception in any chunk is rethrown here after the others finish.
     */
    public void forEachChunk(int chunks, ChunkBody body) {
        boolean[] inChunk = IN_CHUNK.get();
        if (chunks <= 1 || pool == null || inChunk[0] || Thread.currentThread() instanceof ForkJoinWorkerThread) {
            for (int c = 0; c < chunks; c++) {
                body.run(c);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                try {
                    body.run(c);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }
        };
        int helpers = Math.min(threads - 1, chunks - 1);
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[helpers];
        for (int i = 0; i < helpers; i++) {
            tasks[i] = pool.submit(worker);
        }
        inChunk[0] = true;
        try {
            worker.run();
        } finally {
            inChunk[0] = false;
        }
        for (ForkJoinTask<?> t : tasks) {
            t.join();
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    /** Stops the pool's threads. */
    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
