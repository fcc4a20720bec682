package dev.vecgrad.core.kernel.parallel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

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
 *
 * <p>The pool's threads wait for the next loop by polling for {@link #SPIN_NANOS} before they
 * park: the kernels of one training step follow each other closely, and waking a parked thread
 * costs tens of microseconds on a virtual machine, a large part of a half-millisecond GEMM. One
 * loop runs on the pool at a time; a loop started from another thread while the pool is busy runs
 * on that thread alone, with the same result.
 */
public final class Parallel implements AutoCloseable {
    /**
     * Work, in elementwise-element units, below which a loop stays on the calling thread: for less,
     * handing chunks to other threads costs more than it saves.
     */
    // Implementation note, from per-call timings on a 2-core AVX-512 server (Tensor tanh, exp and
    // add, outputs reused, one thread against two): at 2^16 elements two threads took 1.45-1.53×
    // less time at the median (tanh 31 -> 21 µs, add 11.3 -> 7.3 µs); at 2^15 (one 32K chunk)
    // there is nothing to split; at 48K add gained 1.13× at the median and lost on the mean.
    public static final long MIN_SPLIT_WORK = 1L << 16;

    /**
     * The most threads a pool may have: far more than any machine has cores (a kernel gains
     * nothing from more threads than cores).
     */
    public static final int MAX_THREADS = 1024;

    /**
     * How long, in nanoseconds, an idle pool thread keeps polling for the next loop before it
     * parks, and the caller for the pool's last chunks before it parks: longer than the gaps
     * between the kernels of one step, short enough that an idle engine gives its cores back at once.
     */
    public static final long SPIN_NANOS = 100_000;

    /** Set on a caller thread while it runs chunks of its own loop. */
    private static final ThreadLocal<boolean[]> IN_CHUNK = ThreadLocal.withInitial(() -> new boolean[1]);
    private final int threads;
    private final Worker[] workers;
    /** Held by the caller whose loop the pool runs. */
    private final AtomicBoolean busy = new AtomicBoolean();
    /** The loop the pool's threads take chunks from, or null between loops. */
    private volatile Loop current;
    private volatile boolean closed;
    private long loops;

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
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i);
            workers[i].start();
        }
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
            runInline(chunks, body);
            return;
        }
        forEachChunk(chunks, body);
    }

    /**
     * Runs {@code body} for every chunk in {@code [0, chunks)}, spread over the pool's threads when
     * there is more than one chunk. Chunks may run in any order and at the same time; each runs once.
     * An exception in any chunk is rethrown here after the others finish. On a {@linkplain #close
     * closed} pool every chunk runs on the calling thread.
     */
    public void forEachChunk(int chunks, ChunkBody body) {
        boolean[] inChunk = IN_CHUNK.get();
        if (chunks <= 1 || workers.length == 0 || closed || inChunk[0] || Thread.currentThread() instanceof Worker
                || !busy.compareAndSet(false, true)) {
            runInline(chunks, body);
            return;
        }
        try {
            Loop loop = new Loop(++loops, body, chunks, Thread.currentThread());
            current = loop;
            for (Worker w : workers) {
                if (w.parked) {
                    LockSupport.unpark(w);
                }
            }
            inChunk[0] = true;
            try {
                loop.runChunks();
            } finally {
                inChunk[0] = false;
            }
            loop.awaitAll();
            current = null;
            loop.rethrow();
        } finally {
            busy.set(false);
        }
    }

    private static void runInline(int chunks, ChunkBody body) {
        for (int c = 0; c < chunks; c++) {
            body.run(c);
        }
    }

    /**
     * Stops the pool's threads; a loop running at the time finishes, and loops started later run
     * on their caller's thread.
     */
    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }

    /** One call of {@link #forEachChunk(int, ChunkBody)}: its chunks are claimed one at a time by whoever is free. */
    private static final class Loop {
        final long id;
        final ChunkBody body;
        final int chunks;
        final Thread caller;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile boolean callerParked;

        Loop(long id, ChunkBody body, int chunks, Thread caller) {
            this.id = id;
            this.body = body;
            this.chunks = chunks;
            this.caller = caller;
        }

        /** Runs chunks until none is left to claim. */
        void runChunks() {
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                try {
                    body.run(c);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
                if (done.incrementAndGet() == chunks && callerParked) {
                    LockSupport.unpark(caller);
                }
            }
        }

        /** On the caller: waits until every chunk has finished, polling first, then parked. */
        void awaitAll() {
            long start = System.nanoTime();
            while (done.get() < chunks) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    callerParked = true;
                    if (done.get() < chunks) {
                        LockSupport.park(this);
                    }
                }
            }
        }

        void rethrow() {
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
    }

    /** A pool thread: runs chunks of each new loop, polls for the next one, then parks until woken. */
    private final class Worker extends Thread {
        volatile boolean parked;

        Worker(int index) {
            super("vecgrad-worker-" + index);
            setDaemon(true);
        }

        @Override
        public void run() {
            long seen = 0;
            long idleSince = System.nanoTime();
            while (!closed) {
                Loop loop = current;
                if (loop != null && loop.id != seen) {
                    seen = loop.id;
                    loop.runChunks();
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    parked = true;
                    Loop now = current;
                    if (!closed && (now == null || now.id == seen)) {
                        LockSupport.park(Parallel.this);
                    }
                    parked = false;
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}
