package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Tensor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An allocator scope closed on one thread is gone from that thread, even while another thread
 * still has a scope open (so the dispatcher keeps looking allocators up).
 */
class AllocatorScopeTest {

    @Test
    void aClosedScopeNoLongerAllocatesOnItsThreadWhileAnotherThreadHasOneOpen() throws Exception {
        AtomicInteger mine = new AtomicInteger();
        try (Dispatcher.AllocatorScope scope = Dispatcher.useAllocator((p, d, s) -> {
            mine.incrementAndGet();
            return Tensor.zeros(d, s);
        })) {
            Primitives.EXP.apply(Tensor.of(new float[] {1, 2}));
        }
        assertThat(mine.get()).isEqualTo(1);
        CountDownLatch opened = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<?> holder = other.submit(() -> {
                try (Dispatcher.AllocatorScope s = Dispatcher.useAllocator((p, d, sh) -> Tensor.zeros(d, sh))) {
                    opened.countDown();
                    done.await();
                }
                return null;
            });
            opened.await();
            Tensor y = Primitives.EXP.apply(Tensor.of(new float[] {0, 0}));
            assertThat(y.toFloatArray()).containsExactly(1, 1);
            assertThat(mine.get()).as("the closed scope's allocator was asked again").isEqualTo(1);
            done.countDown();
            holder.get();
        } finally {
            done.countDown();
            other.shutdown();
        }
    }
}
