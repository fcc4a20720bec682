package dev.vecgrad.core.kernel.parallel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
    /** Where the pool's threads find the running loop's chunks. */
    private final Loop loop = new Loop();
    private volatile boolean closed;

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
     * closed} pool every chunk runs on the calling thread. The call itself allocates nothing (a
     * {@code body} that captures variables is an allocation of its caller's).
     */
    public void forEachChunk(int chunks, ChunkBody body) {
        boolean[] inChunk = IN_CHUNK.get();
        if (chunks <= 1 || workers.length == 0 || closed || inChunk[0] || Thread.currentThread() instanceof Worker
                || !busy.compareAndSet(false, true)) {
            runInline(chunks, body);
            return;
        }
        try {
            int number = loop.open(body, chunks);
            for (Worker w : workers) {
                if (w.parked) {
                    LockSupport.unpark(w);
                }
            }
            inChunk[0] = true;
            try {
                loop.runChunks(number);
            } finally {
                inChunk[0] = false;
            }
            loop.awaitAll();
            loop.finish();
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

    /**
     * The hand-off of loops to the pool's threads: one object, reused by every loop the pool runs,
     * so that a loop allocates nothing. A pool thread may come back late to a loop that has ended
     * (it read the loop's state, then was descheduled), so a chunk is never claimed on trust: the
     * loop's number and its next unclaimed chunk share one word, a chunk is claimed only by a
     * compare-and-set of that word, and the caller moves the word to the next loop's number before
     * it writes that loop's body and chunk count. A claim that succeeds therefore belongs to the
     * loop whose body and count the claimer read after the word (every field is volatile, so
     * these writes and reads keep their order); a late claim fails, and the thread then sees the
     * loop running now.
     */
    // Implementation note: the number is 32 bits, so a late claim could succeed only if its thread
    // stayed between reading the word and its compare-and-set for 2^32 loops and the word came back
    // to the same chunk of the same number.
    private static final class Loop {
        /** The chunk half of the word while the caller writes the next loop's fields. */
        private static final int OPENING = -1;
        /** The loop's number (high 32 bits) and its next unclaimed chunk or OPENING (low 32 bits). */
        final AtomicLong word = new AtomicLong();
        final AtomicInteger done = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile ChunkBody body;
        volatile int chunks;
        volatile Thread caller;
        volatile boolean callerParked;
        /** The last loop's number; only the caller holding the pool reads or writes it. */
        private int number;

        /** The loop number in {@code word}. */
        static int number(long word) {
            return (int) (word >>> 32);
        }

        /** Whether {@code word} is that of a loop whose chunks may be claimed (not being opened). */
        static boolean isOpen(long word) {
            return (int) word != OPENING;
        }

        /** On the caller: publishes a loop of {@code chunks} chunks and returns its number. */
        int open(ChunkBody body, int chunks) {
            int n = ++number;
            word.set((long) n << 32 | Integer.toUnsignedLong(OPENING));
            this.body = body;
            this.chunks = chunks;
            this.caller = Thread.currentThread();
            callerParked = false;
            done.set(0);
            word.set((long) n << 32);
            return n;
        }

        /** Runs chunks of loop {@code loopNumber} until none is left to claim or another loop runs. */
        void runChunks(int loopNumber) {
            while (true) {
                long w = word.get();
                int c = (int) w;
                int n = chunks;
                ChunkBody b = body;
                Thread waiter = caller;
                if (number(w) != loopNumber || c >= n) {
                    return;
                }
                if (!word.compareAndSet(w, w + 1)) {
                    continue;
                }
                try {
                    b.run(c);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
                if (done.incrementAndGet() == n && callerParked) {
                    LockSupport.unpark(waiter);
                }
            }
        }

        /** On the caller: waits until every chunk has finished, polling first, then parked. */
        void awaitAll() {
            int n = chunks;
            long start = System.nanoTime();
            while (done.get() < n) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    callerParked = true;
                    if (done.get() < n) {
                        LockSupport.park(this);
                    }
                }
            }
        }

        /**
         * On the caller, once every chunk has finished: lets go of the loop's body and thread, and
         * rethrows the first failure of a chunk.
         */
        void finish() {
            body = null;
            caller = null;
            Throwable t = failure.getAndSet(null);
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
            int seen = 0;
            long idleSince = System.nanoTime();
            while (!closed) {
                long w = loop.word.get();
                if (Loop.number(w) != seen && Loop.isOpen(w)) {
                    seen = Loop.number(w);
                    loop.runChunks(seen);
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    parked = true;
                    if (!closed && Loop.number(loop.word.get()) == seen) {
                        LockSupport.park(Parallel.this);
                    }
                    parked = false;
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}
