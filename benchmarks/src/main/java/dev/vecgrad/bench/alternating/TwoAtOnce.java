package dev.vecgrad.bench.alternating;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs two tasks at the same moment, one on the calling thread and one on a partner thread of its
 * own, and times each. Both threads meet at a spin barrier before either starts its clock, so the
 * two runs overlap however long the partner took to wake; the caller then waits, spinning, for the
 * partner to finish. One pair runs at a time, started from one thread.
 *
 * <p>Between tasks the partner polls for the next one for {@link #SPIN_NANOS} before it parks, as
 * the engine's pool threads do: a parked thread woken by a caller that then spins is often placed
 * on the caller's own CPU and waits there for the caller's time slice to end (milliseconds on a
 * two-vCPU guest, seen as two independent 0.4 ms products taking 4–12 ms a pair).
 */
final class TwoAtOnce implements AutoCloseable {
    /** How long, in nanoseconds, the idle partner polls for its next task before it parks. */
    static final long SPIN_NANOS = 1_000_000;

    private final Thread partner;
    private final AtomicInteger arrived = new AtomicInteger();
    /** The partner's next task; null once it has taken it. */
    private volatile Runnable task;
    /** The partner's time for its last task, -1 while it runs. */
    private volatile long partnerNanos = -1;
    private volatile Throwable partnerFailure;
    private volatile boolean closed;

    /** A runner whose partner thread (a daemon, parked while idle) starts now. */
    TwoAtOnce() {
        partner = new Thread(this::serve, "timing-server-partner");
        partner.setDaemon(true);
        partner.start();
    }

    /**
     * Runs {@code mine} here and {@code theirs} on the partner thread, started together.
     *
     * @return the nanoseconds each took: {@code [mine, theirs]}
     * @throws IllegalStateException when the runner is closed
     * @throws RuntimeException what {@code theirs} threw, rethrown here once both have finished
     */
    long[] run(Runnable mine, Runnable theirs) {
        if (closed) {
            throw new IllegalStateException("the two-thread runner is closed");
        }
        arrived.set(0);
        partnerNanos = -1;
        partnerFailure = null;
        task = theirs;
        LockSupport.unpark(partner);
        meet();
        long t0 = System.nanoTime();
        mine.run();
        long mineNanos = System.nanoTime() - t0;
        while (partnerNanos < 0) {
            Thread.onSpinWait();
        }
        Throwable failed = partnerFailure;
        if (failed instanceof RuntimeException e) {
            throw e;
        }
        if (failed != null) {
            throw new IllegalStateException("the partner thread failed", failed);
        }
        return new long[] {mineNanos, partnerNanos};
    }

    private void meet() {
        arrived.incrementAndGet();
        while (arrived.get() < 2) {
            Thread.onSpinWait();
        }
    }

    private void serve() {
        long idleSince = System.nanoTime();
        while (!closed) {
            Runnable next = task;
            if (next == null) {
                if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
                continue;
            }
            task = null;
            meet();
            long t0 = System.nanoTime();
            try {
                next.run();
            } catch (Throwable e) {
                partnerFailure = e;
            } finally {
                idleSince = System.nanoTime();
                partnerNanos = idleSince - t0;
            }
        }
    }

    /** Ends the partner thread. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(partner);
        try {
            partner.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
