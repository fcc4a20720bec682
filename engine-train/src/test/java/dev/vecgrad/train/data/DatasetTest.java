package dev.vecgrad.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DatasetTest {

    /** x rows are [i, 10 i], labels i (I32). */
    private static Dataset numbered(int n) {
        float[] x = new float[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 10 * i;
            y[i] = i;
        }
        return Dataset.fromTensorSlices(Tensor.of(x, n, 2), Tensor.of(y));
    }

    private static List<Integer> labels(Dataset ds) {
        List<Integer> out = new ArrayList<>();
        for (Batch b : ds) {
            for (int v : b.y().toIntArray()) {
                out.add(v);
            }
        }
        return out;
    }

    @Test
    void slicesAreRowsAndKeepTheirDtype() {
        List<Batch> rows = new ArrayList<>();
        numbered(3).forEach(rows::add);
        assertThat(rows).hasSize(3);
        assertThat(rows.get(2).x().shape()).isEqualTo(Shape.of(2));
        assertThat(rows.get(2).x().toFloatArray()).containsExactly(2f, 20f);
        assertThat(rows.get(2).y().dtype()).isEqualTo(DType.I32);
        assertThat(rows.get(2).y().shape()).isEqualTo(Shape.SCALAR);
    }

    @Test
    void batchGroupsRowsAndKeepsOrDropsTheRemainder() {
        List<Batch> batches = new ArrayList<>();
        numbered(7).batch(3).forEach(batches::add);
        assertThat(batches).extracting(Batch::size).containsExactly(3, 3, 1);
        assertThat(batches.get(1).x().toFloatArray()).containsExactly(3f, 30f, 4f, 40f, 5f, 50f);
        assertThat(batches.get(1).y().dtype()).isEqualTo(DType.I32);
        assertThat(numbered(7).batch(3).cardinality()).isEqualTo(3);
        assertThat(numbered(7).batch(3, true).cardinality()).isEqualTo(2);
        assertThat(labels(numbered(7).batch(3, true))).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void shuffleIsAPermutationFixedBySeedAndNewEachPass() {
        Dataset ds = numbered(50).shuffle(50, 7).batch(8);
        List<Integer> first = labels(ds);
        List<Integer> second = labels(ds);
        assertThat(first).containsExactlyInAnyOrderElementsOf(range(50));
        assertThat(second).containsExactlyInAnyOrderElementsOf(range(50));
        assertThat(first).isNotEqualTo(second).isNotEqualTo(range(50));
        // Same seed, same sequence of orders.
        Dataset again = numbered(50).shuffle(50, 7).batch(8);
        assertThat(labels(again)).isEqualTo(first);
        assertThat(labels(again)).isEqualTo(second);
        // Features follow their labels through the gather.
        for (Batch b : ds) {
            float[] x = b.x().toFloatArray();
            int[] y = b.y().toIntArray();
            for (int i = 0; i < y.length; i++) {
                assertThat(x[2 * i]).isEqualTo((float) y[i]);
            }
        }
    }

    @Test
    void aSmallShuffleBufferOnlyMixesNearbyElements() {
        // With a buffer of 3, element i cannot come out before position i - 2.
        List<Integer> order = labels(numbered(40).shuffle(3, 1));
        assertThat(order).containsExactlyInAnyOrderElementsOf(range(40));
        for (int pos = 0; pos < order.size(); pos++) {
            assertThat(order.get(pos)).isLessThanOrEqualTo(pos + 2);
        }
        // The generic path (after map) gives a permutation too.
        List<Integer> mapped = labels(numbered(40).map(b -> b).shuffle(5, 2));
        assertThat(mapped).containsExactlyInAnyOrderElementsOf(range(40)).isNotEqualTo(range(40));
    }

    @Test
    void mapRepeatAndTake() {
        Dataset ds = numbered(4).map(b -> b.withX(b.x().mul(2f)));
        List<Batch> rows = new ArrayList<>();
        ds.forEach(rows::add);
        assertThat(rows.get(3).x().toFloatArray()).containsExactly(6f, 60f);
        assertThat(labels(numbered(3).repeat(2))).containsExactly(0, 1, 2, 0, 1, 2);
        assertThat(numbered(3).repeat(2).cardinality()).isEqualTo(6);
        assertThat(numbered(3).repeat().cardinality()).isEqualTo(Dataset.INFINITE);
        assertThat(labels(numbered(3).repeat().take(7))).containsExactly(0, 1, 2, 0, 1, 2, 0);
        assertThat(numbered(3).repeat().take(7).cardinality()).isEqualTo(7);
        assertThat(labels(numbered(5).take(2))).containsExactly(0, 1);
    }

    @Test
    void batchingAfterMapStacksElements() {
        List<Batch> b = new ArrayList<>();
        numbered(5).map(e -> e).batch(2).forEach(b::add);
        assertThat(b).extracting(Batch::size).containsExactly(2, 2, 1);
        assertThat(b.get(1).y().dtype()).isEqualTo(DType.I32);
        assertThat(b.get(1).x().toFloatArray()).containsExactly(2f, 20f, 3f, 30f);
    }

    @Test
    void prefetchRunsOnAnotherThreadAndKeepsOrder() {
        Set<String> threads = new HashSet<>();
        Dataset ds = numbered(20).map(b -> {
            threads.add(Thread.currentThread().getName());
            return b;
        }).batch(4).prefetch(2);
        assertThat(labels(ds)).isEqualTo(range(20));
        assertThat(threads).containsExactly("vecgrad-prefetch");
        // Closing a pass early stops the producer.
        try (DatasetIterator it = numbered(1000).map(b -> b).prefetch(1).iterator()) {
            assertThat(it.next().y().toIntArray()).containsExactly(0);
        }
    }

    @Test
    void prefetchRethrowsTheProducersError() {
        Dataset ds = numbered(5).map(b -> {
            if (b.y().toIntArray()[0] == 3) {
                throw new IllegalStateException("bad element 3");
            }
            return b;
        }).prefetch(2);
        DatasetIterator it = ds.iterator();
        assertThat(it.next()).isNotNull();
        it.next();
        it.next();
        assertThatThrownBy(it::hasNext).hasMessage("bad element 3");
    }

    @Test
    void cacheReplaysTheFirstCompletePass() {
        AtomicInteger calls = new AtomicInteger();
        Dataset ds = numbered(6).map(b -> {
            calls.incrementAndGet();
            return b;
        }).cache();
        assertThat(labels(ds)).isEqualTo(range(6));
        assertThat(labels(ds)).isEqualTo(range(6));
        assertThat(calls.get()).isEqualTo(6);
        // A partial first pass is not kept.
        AtomicInteger calls2 = new AtomicInteger();
        Dataset partial = numbered(6).map(b -> {
            calls2.incrementAndGet();
            return b;
        }).cache();
        try (DatasetIterator it = partial.iterator()) {
            it.next();
        }
        assertThat(labels(partial)).isEqualTo(range(6));
        assertThat(calls2.get()).isEqualTo(7);
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> Dataset.fromTensorSlices(Tensor.zeros(3, 2), Tensor.zeros(4)))
                .hasMessageContaining("(4,)").hasMessageContaining("3 samples");
        assertThatThrownBy(() -> numbered(3).batch(0)).hasMessageContaining("batch");
        assertThatThrownBy(() -> numbered(3).shuffle(0, 1)).hasMessageContaining("bufferSize");
        assertThatThrownBy(() -> numbered(3).repeat().cache().iterator()).hasMessageContaining("infinite");
    }

    private static List<Integer> range(int n) {
        List<Integer> r = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            r.add(i);
        }
        return r;
    }

    @Test
    void shuffleBufferOfIntsIsAPermutation() {
        int[] in = new int[100];
        Arrays.setAll(in, i -> i);
        int[] out = ShuffleBuffer.shuffle(in, 100, new dev.vecgrad.core.Rng(3));
        int[] sorted = out.clone();
        Arrays.sort(sorted);
        assertThat(sorted).isEqualTo(in);
        assertThat(out).isNotEqualTo(in);
    }
}
