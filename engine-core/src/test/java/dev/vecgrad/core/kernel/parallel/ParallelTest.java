package dev.vecgrad.core.kernel.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link Parallel}'s hand-off: every chunk of every loop runs exactly once, whether the pool's
 * threads are still polling from the previous loop or have parked; failures come back to the
 * caller; concurrent callers and a closed pool still get every chunk run; work below the split
 * threshold stays on the caller.
 */
class ParallelTest {

    /** Runs a loop of {@code chunks} chunks and checks that each ran once. */
    private static Set<Thread> runOnce(Parallel p, int chunks) {
        AtomicIntegerArray runs = new AtomicIntegerArray(chunks);
        Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
        p.forEachChunk(chunks, c -> {
            runs.incrementAndGet(c);
            ranOn.add(Thread.currentThread());
        });
        for (int c = 0; c < chunks; c++) {
            assertThat(runs.get(c)).as("chunk %d of %d", c, chunks).isEqualTo(1);
        }
        return ranOn;
    }

    @Test
    void everyChunkRunsOnceInLoopsBackToBack() {
        try (Parallel p = new Parallel(3)) {
            for (int loop = 0; loop < 2000; loop++) {
                runOnce(p, 1 + loop % 7);
            }
        }
    }

    /**
     * The pool's hand-off is one object reused by every loop, so a thread that comes back late to a
     * loop that has ended must claim nothing of it: after many short loops back to back, each loop's
     * body has still run each of its chunks exactly once (a late claim would run an old body again,
     * or the new loop's chunk with the old body).
     */
    @Test
    void aLoopThatHasEndedIsNeverRunAgainByALateThread() {
        try (Parallel p = new Parallel(3)) {
            List<AtomicIntegerArray> loops = new ArrayList<>();
            for (int loop = 0; loop < 20_000; loop++) {
                AtomicIntegerArray runs = new AtomicIntegerArray(2 + loop % 3);
                p.forEachChunk(runs.length(), runs::incrementAndGet);
                loops.add(runs);
            }
            for (int loop = 0; loop < loops.size(); loop++) {
                AtomicIntegerArray runs = loops.get(loop);
                for (int c = 0; c < runs.length(); c++) {
                    assertThat(runs.get(c)).as("loop %d, chunk %d", loop, c).isEqualTo(1);
                }
            }
        }
    }

    /**
     * Once warm, a loop spread over the pool allocates nothing, on the calling thread nor on the
     * pool's: the hand-off is reused (the body here is built once, so it allocates nothing either).
     * Each of a loop's two chunks waits for the other to start, so both threads take part in every
     * loop.
     */
    @Test
    void aLoopOnThePoolAllocatesNothingOnceWarm() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Parallel p = new Parallel(2)) {
            Thread caller = Thread.currentThread();
            AtomicReference<Thread> poolThread = new AtomicReference<>();
            AtomicInteger started = new AtomicInteger();
            AtomicIntegerArray runs = new AtomicIntegerArray(2);
            Parallel.ChunkBody body = c -> {
                if (Thread.currentThread() != caller) {
                    poolThread.set(Thread.currentThread());
                }
                int bothStarted = (started.incrementAndGet() + 1) / 2 * 2;
                while (started.get() < bothStarted) {
                    Thread.onSpinWait();
                }
                runs.incrementAndGet(c);
            };
            int warm = 10_000;
            for (int i = 0; i < warm; i++) {
                p.forEachChunk(runs.length(), body);
            }
            long worker = poolThread.get().threadId();
            int calls = 1_000;
            long callerBefore = mx.getCurrentThreadAllocatedBytes();
            long workerBefore = mx.getThreadAllocatedBytes(worker);
            for (int i = 0; i < calls; i++) {
                p.forEachChunk(runs.length(), body);
            }
            long callerPerCall = (mx.getCurrentThreadAllocatedBytes() - callerBefore) / calls;
            long workerPerCall = (mx.getThreadAllocatedBytes(worker) - workerBefore) / calls;
            assertThat(callerPerCall).as("bytes a loop on the calling thread").isZero();
            assertThat(workerPerCall).as("bytes a loop on the pool's thread").isZero();
            for (int c = 0; c < runs.length(); c++) {
                assertThat(runs.get(c)).isEqualTo(warm + calls);
            }
        }
    }

    @Test
    void parkedThreadsAreWokenForTheNextLoop() throws InterruptedException {
        try (Parallel p = new Parallel(2)) {
            for (int loop = 0; loop < 5; loop++) {
                Thread.sleep(TimeUnit.NANOSECONDS.toMillis(Parallel.SPIN_NANOS) + 5);
                runOnce(p, 64);
            }
        }
    }

    @Test
    void poolThreadsTakePartInALoopThatWaitsForThem() {
        try (Parallel p = new Parallel(2)) {
            CountDownLatch bothStarted = new CountDownLatch(2);
            Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
            p.forEachChunk(2, c -> {
                ranOn.add(Thread.currentThread());
                bothStarted.countDown();
                try {
                    assertThat(bothStarted.await(10, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(ranOn).hasSize(2).contains(Thread.currentThread());
        }
    }

    @Test
    void workFromTheThresholdIsSplitAndLessStaysOnTheCaller() {
        assertThat(Parallel.MIN_SPLIT_WORK).isEqualTo(1 << 16);
        assertThat(Parallel.worthSplitting(Parallel.MIN_SPLIT_WORK)).isTrue();
        assertThat(Parallel.worthSplitting(Parallel.MIN_SPLIT_WORK - 1)).isFalse();
        try (Parallel p = new Parallel(2)) {
            Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
            p.forEachChunk(Parallel.MIN_SPLIT_WORK - 1, 64, c -> ranOn.add(Thread.currentThread()));
            assertThat(ranOn).containsExactly(Thread.currentThread());
            // Two chunks that each wait for the other finish only when two threads run them.
            CountDownLatch bothStarted = new CountDownLatch(2);
            p.forEachChunk(Parallel.MIN_SPLIT_WORK, 2, c -> {
                bothStarted.countDown();
                try {
                    assertThat(bothStarted.await(10, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    @Test
    void aFailingChunkIsRethrownAfterTheOthersFinish() {
        try (Parallel p = new Parallel(2)) {
            AtomicIntegerArray runs = new AtomicIntegerArray(16);
            assertThatThrownBy(() -> p.forEachChunk(16, c -> {
                runs.incrementAndGet(c);
                if (c == 5) {
                    throw new ArithmeticException("chunk 5");
                }
            })).isInstanceOf(ArithmeticException.class).hasMessage("chunk 5");
            for (int c = 0; c < 16; c++) {
                assertThat(runs.get(c)).isEqualTo(1);
            }
            runOnce(p, 16);
        }
    }

    @Test
    void concurrentCallersEachGetEveryChunk() throws InterruptedException {
        try (Parallel p = new Parallel(2)) {
            Thread[] callers = new Thread[3];
            Throwable[] failures = new Throwable[callers.length];
            for (int t = 0; t < callers.length; t++) {
                int id = t;
                callers[t] = new Thread(() -> {
                    try {
                        for (int loop = 0; loop < 300; loop++) {
                            runOnce(p, 2 + loop % 5);
                        }
                    } catch (Throwable e) {
                        failures[id] = e;
                    }
                });
                callers[t].start();
            }
            for (Thread t : callers) {
                t.join();
            }
            assertThat(failures).containsOnlyNulls();
        }
    }

    @Test
    void aClosedPoolRunsLoopsOnTheCaller() {
        Parallel p = new Parallel(2);
        p.close();
        assertThat(runOnce(p, 8)).containsExactly(Thread.currentThread());
    }

    @Test
    void threadCountIsChecked() {
        assertThatThrownBy(() -> new Parallel(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 1 and " + Parallel.MAX_THREADS);
    }
}
