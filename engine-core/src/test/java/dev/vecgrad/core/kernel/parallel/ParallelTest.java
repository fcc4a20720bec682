package dev.vecgrad.core.kernel.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
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
