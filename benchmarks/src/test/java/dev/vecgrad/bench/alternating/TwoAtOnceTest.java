package dev.vecgrad.bench.alternating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The two-thread runner: both tasks run at the same time on two threads, each timed; failures come back. */
class TwoAtOnceTest {

    @Test
    void bothTasksRunAtOnceOnTwoThreads() throws InterruptedException {
        try (TwoAtOnce pair = new TwoAtOnce()) {
            for (int i = 0; i < 3; i++) {
                // Each task waits for the other to have started: the pair returns only if both ran at the same time.
                CountDownLatch started = new CountDownLatch(2);
                AtomicReference<Thread> theirs = new AtomicReference<>();
                Runnable meet = () -> {
                    started.countDown();
                    try {
                        assertThat(started.await(10, TimeUnit.SECONDS)).as("the other task started").isTrue();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                };
                long[] ns = pair.run(meet, () -> {
                    theirs.set(Thread.currentThread());
                    meet.run();
                });
                assertThat(theirs.get()).isNotNull().isNotSameAs(Thread.currentThread());
                assertThat(ns).hasSize(2);
                assertThat(ns[0]).isPositive();
                assertThat(ns[1]).isPositive();
            }
        }
    }

    @Test
    void thePartnersFailureIsRethrownAndThePairGoesOn() {
        try (TwoAtOnce pair = new TwoAtOnce()) {
            assertThatThrownBy(() -> pair.run(() -> { }, () -> {
                throw new IllegalArgumentException("partner broke");
            })).isInstanceOf(IllegalArgumentException.class).hasMessage("partner broke");
            assertThat(pair.run(() -> { }, () -> { })).hasSize(2);
        }
    }

    @Test
    void aClosedPairRefusesWork() {
        TwoAtOnce pair = new TwoAtOnce();
        pair.close();
        assertThatThrownBy(() -> pair.run(() -> { }, () -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
