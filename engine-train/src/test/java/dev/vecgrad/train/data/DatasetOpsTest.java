package dev.vecgrad.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** zip, filter, parallel map, generators and windowed sequences. */
class DatasetOpsTest {

    /** Elements x = i (F32 scalar), y = 10 i (I32 scalar), for i in [0, n). */
    private static Dataset numbers(int n) {
        return Dataset.fromGenerator(() -> IntStream.range(0, n)
                .mapToObj(i -> Batch.of(Tensor.scalar((float) i), Tensor.scalar(10 * i))).iterator());
    }

    private static List<Integer> xs(Dataset d) {
        List<Integer> out = new ArrayList<>();
        for (Batch b : d) {
            out.add((int) b.x().item());
        }
        return out;
    }

    @Test
    void zipPairsElementsUntilTheShorterEnds() {
        Dataset x = Dataset.fromTensorSlices(Tensor.of(new float[] {1, 2, 3, 4}, 4, 1));
        Dataset y = Dataset.fromTensorSlices(Tensor.of(new int[] {7, 8, 9}, 3));
        Dataset z = Dataset.zip(x, y);
        assertThat(z.cardinality()).isEqualTo(3);
        List<Batch> all = new ArrayList<>();
        z.batch(2).forEach(all::add);
        assertThat(all).hasSize(2);
        assertThat(all.get(0).x().toFloatArray()).containsExactly(1, 2);
        assertThat(all.get(0).y().toIntArray()).containsExactly(7, 8);
        assertThat(all.get(1).y().toIntArray()).containsExactly(9);
        Dataset w = Dataset.zip(x, y, Dataset.fromTensorSlices(Tensor.of(new float[] {0.5f, 1, 2}, 3)));
        assertThat(w.iterator().next().sampleWeight().item()).isEqualTo(0.5);
        assertThat(Dataset.zip(x.repeat(), y).cardinality()).isEqualTo(3);
        assertThat(Dataset.zip(x.repeat(), y.repeat()).cardinality()).isEqualTo(Dataset.INFINITE);
        assertThat(Dataset.zip(numbers(3), y).cardinality()).isEqualTo(Dataset.UNKNOWN);
    }

    @Test
    void filterKeepsWhatThePredicateAccepts() {
        Dataset even = numbers(10).filter(b -> ((int) b.x().item()) % 2 == 0);
        assertThat(xs(even)).containsExactly(0, 2, 4, 6, 8);
        assertThat(even.cardinality()).isEqualTo(Dataset.UNKNOWN);
        assertThat(Dataset.fromTensorSlices(Tensor.zeros(3)).filter(b -> true).cardinality())
                .isEqualTo(Dataset.UNKNOWN);
        assertThat(xs(numbers(4).filter(b -> false))).isEmpty();
    }

    @Test
    void parallelMapKeepsTheOrderAndUsesSeveralThreads() {
        Set<String> threads = Collections.synchronizedSet(new HashSet<>());
        Dataset mapped = numbers(60).map(b -> {
            threads.add(Thread.currentThread().getName());
            int i = (int) b.x().item();
            try {
                // Later elements often finish first.
                Thread.sleep((i * 7) % 5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return b.withX(b.x().mul(2));
        }, 4);
        List<Integer> expected = IntStream.range(0, 60).map(i -> 2 * i).boxed().toList();
        assertThat(xs(mapped)).isEqualTo(expected);
        assertThat(xs(mapped)).as("a second pass").isEqualTo(expected);
        assertThat(threads).hasSizeGreaterThan(1).allMatch(n -> n.startsWith("vecgrad-map-"));
        assertThat(mapped.cardinality()).isEqualTo(Dataset.UNKNOWN);
        assertThat(Dataset.fromTensorSlices(Tensor.zeros(5)).map(b -> b, 3).cardinality()).isEqualTo(5);
        assertThatThrownBy(() -> numbers(3).map(b -> b, 0)).hasMessageContaining("parallelism must be at least 1");
        awaitNoMapThreads();
    }

    @Test
    void aFailingMapFunctionFailsThePassAtItsElementAndStopsTheThreads() {
        AtomicInteger calls = new AtomicInteger();
        Dataset mapped = numbers(1000).map(b -> {
            calls.incrementAndGet();
            if (b.x().item() == 5) {
                throw new IllegalArgumentException("bad element");
            }
            return b;
        }, 3);
        List<Integer> seen = new ArrayList<>();
        DatasetIterator pass = mapped.iterator();
        assertThatThrownBy(() -> {
            while (pass.hasNext()) {
                seen.add((int) pass.next().x().item());
            }
        }).isInstanceOf(IllegalStateException.class).hasMessageContaining("failed on element 5")
                .hasRootCauseInstanceOf(IllegalArgumentException.class).hasRootCauseMessage("bad element");
        assertThat(seen).containsExactly(0, 1, 2, 3, 4);
        assertThat(pass.hasNext()).isFalse();
        awaitNoMapThreads();
        assertThat(calls.get()).isLessThan(20);
        assertThatThrownBy(() -> xs(numbers(3).map(b -> null, 2))).hasMessageContaining("returned null for element 0");
        awaitNoMapThreads();
    }

    @Test
    void closingAPassEarlyStopsTheMapThreads() {
        Dataset mapped = numbers(1000).map(b -> b, 2);
        try (DatasetIterator pass = mapped.iterator()) {
            pass.next();
            pass.next();
        }
        awaitNoMapThreads();
    }

    private static void awaitNoMapThreads() {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean any = Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().startsWith("vecgrad-map-") && t.isAlive());
            if (!any) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("map threads still running after the pass ended");
    }

    @Test
    void generatorsMakeAnIteratorPerPassAndIteratorsAllowOne() {
        AtomicInteger passes = new AtomicInteger();
        Dataset g = Dataset.fromGenerator(() -> {
            passes.incrementAndGet();
            return List.of(Batch.of(Tensor.scalar(1f)), Batch.of(Tensor.scalar(2f))).iterator();
        });
        assertThat(xs(g)).containsExactly(1, 2);
        assertThat(xs(g)).containsExactly(1, 2);
        assertThat(passes).hasValue(2);
        Iterator<Batch> once = List.of(Batch.of(Tensor.scalar(3f))).iterator();
        Dataset it = Dataset.fromIterator(once);
        assertThat(xs(it)).containsExactly(3);
        assertThatThrownBy(() -> xs(it)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("can be read once");
        assertThat(xs(Dataset.fromIterator(List.of(Batch.of(Tensor.scalar(4f))).iterator()).cache()))
                .containsExactly(4);
    }

    @Test
    void sequencesAreShiftedWindowsOfTheIds() {
        Tensor ids = Tensor.arange(0, 10, 1, DType.I32);
        List<Batch> windows = new ArrayList<>();
        Dataset.sequences(ids, 4, 3).forEach(windows::add);
        // Starts 0, 3 (6 would need ids up to 10).
        assertThat(windows).hasSize(2);
        assertThat(windows.get(1).x().toIntArray()).containsExactly(3, 4, 5, 6);
        assertThat(windows.get(1).y().toIntArray()).containsExactly(4, 5, 6, 7);
        assertThat(Dataset.sequences(ids, 4).cardinality()).isEqualTo(2);
        assertThat(Dataset.sequences(ids, 3, 1).cardinality()).isEqualTo(7);
        // Shuffled and batched, every window still holds consecutive ids with targets one ahead.
        List<Integer> starts = new ArrayList<>();
        for (Batch b : Dataset.sequences(ids, 3, 1).shuffle(100, 3).batch(2)) {
            assertThat(b.x().shape().dim(1)).isEqualTo(3);
            int[] x = b.x().toIntArray();
            int[] y = b.y().toIntArray();
            for (int r = 0; r < b.size(); r++) {
                starts.add(x[3 * r]);
                for (int k = 0; k < 3; k++) {
                    assertThat(x[3 * r + k]).isEqualTo(x[3 * r] + k);
                    assertThat(y[3 * r + k]).isEqualTo(x[3 * r] + k + 1);
                }
            }
        }
        assertThat(starts).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6).isNotEqualTo(List.of(0, 1, 2, 3, 4, 5, 6));
        assertThat(Dataset.sequences(Tensor.of(new float[] {1, 2, 3}, 3), 2).iterator().next().y().dtype())
                .isEqualTo(DType.I32);
        assertThatThrownBy(() -> Dataset.sequences(ids, 10)).hasMessageContaining("10 ids hold no window of 10");
        assertThatThrownBy(() -> Dataset.sequences(ids.reshape(2, 5), 2)).hasMessageContaining("must be 1-D");
        assertThatThrownBy(() -> Dataset.sequences(ids, 2, 0)).hasMessageContaining("at least 1");
        assertThat(Dataset.sequences(ids, 2).iterator().next().x().shape()).isEqualTo(Shape.of(2));
    }
}
