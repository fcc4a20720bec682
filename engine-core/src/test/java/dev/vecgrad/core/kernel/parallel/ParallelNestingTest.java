package dev.vecgrad.core.kernel.parallel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A loop started inside a chunk of another (as a GEMM inside a convolution block) runs inline. */
class ParallelNestingTest {

    @Test
    void nestedLoopsRunOnTheThreadOfTheEnclosingChunk() {
        try (Parallel p = new Parallel(2)) {
            ConcurrentHashMap<String, Thread> innerThread = new ConcurrentHashMap<>();
            ConcurrentHashMap<Integer, Thread> outerThread = new ConcurrentHashMap<>();
            AtomicInteger runs = new AtomicInteger();
            p.forEachChunk(16, outer -> {
                outerThread.put(outer, Thread.currentThread());
                p.forEachChunk(8, inner -> {
                    innerThread.put(outer + "/" + inner, Thread.currentThread());
                    runs.incrementAndGet();
                });
            });
            assertThat(runs.get()).isEqualTo(16 * 8);
            innerThread.forEach((key, t) ->
                    assertThat(t).as(key).isSameAs(outerThread.get(Integer.parseInt(key.split("/")[0]))));
        }
    }
}
