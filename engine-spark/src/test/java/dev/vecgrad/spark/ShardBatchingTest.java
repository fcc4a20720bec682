package dev.vecgrad.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
import dev.vecgrad.train.data.Batch;
import dev.vecgrad.train.data.DatasetIterator;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * A shard's batches taken in order are row ranges of the shard's tensors ({@link Tensor#rows}):
 * the rows an element-by-element reading gives, ragged last batch and absent targets included,
 * sharing the shard's storage rather than copying it; shuffled batches gather the pass's order;
 * and the driver-side pass over {@link SparkData#fromTensors} hands back the source's rows.
 */
class ShardBatchingTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Values start, start + 1, ... in a contiguous F32 tensor of {@code dims}. */
    private static Tensor counting(float start, int... dims) {
        return Tensor.arange(start, start + Shape.of(dims).size(), 1, DType.F32).reshape(dims);
    }

    /** The values of rows {@code rows} of a counting tensor starting at {@code start} with rows of {@code rowSize}. */
    private static double[] countingRows(double start, int rowSize, int... rows) {
        double[] v = new double[rows.length * rowSize];
        for (int r = 0; r < rows.length; r++) {
            for (int j = 0; j < rowSize; j++) {
                v[r * rowSize + j] = start + (double) rows[r] * rowSize + j;
            }
        }
        return v;
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    @Test
    void batchesInOrderAreRowViewsOfTheShardWithARaggedLastBatch() {
        int[] labels = {7, 1, 4, 0, 9, 2, 2, 5, 3, 8};
        Shard shard = Shard.of(counting(0, 10, 2, 3), Tensor.of(labels, 10));
        SparkData.Plan plan = new SparkData.Plan(new int[] {10}, 4, null);
        assertThat(plan.steps()).isEqualTo(3);
        int[][] expected = {range(0, 4), range(4, 8), range(8, 10)};
        for (int step = 0; step < 3; step++) {
            Batch b = plan.batch(shard, 0, 0, step);
            int[] rows = expected[step];
            assertThat(b.x().shape()).isEqualTo(Shape.of(rows.length, 2, 3));
            assertThat(b.x().toDoubleArray()).containsExactly(countingRows(0, 6, rows));
            assertThat(b.y().dtype()).isEqualTo(DType.I32);
            int[] want = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                want[i] = labels[rows[i]];
            }
            assertThat(b.y().toIntArray()).containsExactly(want);
            assertThat(TensorInternals.data(b.x())).as("features share the shard's array").isSameAs(
                    TensorInternals.data(shard.x()));
            assertThat(TensorInternals.data(b.y())).as("targets share the shard's array").isSameAs(
                    TensorInternals.data(shard.y()));
            assertThat(b.x().offset()).isEqualTo(rows[0] * 6);
        }
    }

    @Test
    void aShardWithoutTargetsGivesBatchesWithoutTargets() {
        Shard shard = Shard.of(counting(100, 5, 4), null);
        Batch b = shard.batch(null, 3, 5);
        assertThat(b.y()).isNull();
        assertThat(b.x().toDoubleArray()).containsExactly(countingRows(100, 4, 3, 4));
        assertThat(TensorInternals.data(b.x())).isSameAs(TensorInternals.data(shard.x()));
        assertThat(shard.batch(null, 5, 5).x().shape()).isEqualTo(Shape.of(0, 4));
    }

    @Test
    void shuffledBatchesGatherThePassesOrder() {
        Shard shard = Shard.of(counting(0, 6, 2), counting(50, 6, 1));
        SparkData.Plan plan = new SparkData.Plan(new int[] {6}, 4, 42L);
        int[] order = plan.order(0, 3);
        assertThat(order).containsExactlyInAnyOrder(range(0, 6));
        Batch last = plan.batch(shard, 0, 3, 1);
        int[] rows = {order[4], order[5]};
        assertThat(last.x().toDoubleArray()).containsExactly(countingRows(0, 2, rows));
        assertThat(last.y().toDoubleArray()).containsExactly(countingRows(50, 1, rows));
    }

    @Test
    void aBatchInOrderCostsOnlyItsFewObjects() {
        int batches = 200;
        Shard shard = Shard.of(Tensor.zeros(10 * batches, 10), Tensor.ones(10 * batches, 1));
        SparkData.Plan plan = new SparkData.Plan(new int[] {10 * batches}, 10, null);
        long least = Long.MAX_VALUE;
        int seen = 0;
        for (int round = 0; round < 30; round++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            seen = 0;
            for (int step = 0; step < batches; step++) {
                seen += plan.batch(shard, 0, 0, step).size();
            }
            least = Math.min(least, THREADS.getCurrentThreadAllocatedBytes() - before);
        }
        assertThat(seen).isEqualTo(10 * batches);
        assertThat(least / batches).as("bytes a batch").isLessThan(350);
    }

    @Test
    void aPassOverTensorsHandedToSparkGivesBackTheirRows() {
        Tensor x = counting(0, 9, 3);
        Tensor y = Tensor.of(range(0, 9), 9);
        SparkData data = SparkData.fromTensors(LocalSpark.context(), x, y, 2).batch(4);
        // Shards hold rows [0, 4) and [4, 9); each worker takes 2 a step, the last step the rest.
        int[][] steps = {{0, 1, 4, 5}, {2, 3, 6, 7, 8}};
        try (DatasetIterator it = data.iterator()) {
            for (int[] rows : steps) {
                Batch b = it.next();
                assertThat(b.x().toDoubleArray()).containsExactly(countingRows(0, 3, rows));
                assertThat(b.y().toIntArray()).containsExactly(rows);
            }
            assertThat(it.hasNext()).isFalse();
        }
    }

    @Test
    void tensorsWithDifferentRowCountsAreRefusedNamingBoth() {
        assertThatThrownBy(() -> SparkData.fromTensors(null, Tensor.zeros(10, 2), Tensor.zeros(12), 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10 rows").hasMessageContaining("(12,)");
        assertThatThrownBy(() -> SparkData.fromTensors(null, Tensor.zeros(10, 2), Tensor.scalar(1f), 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10 rows");
    }
}
