package dev.vecgrad.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Batches cut in order from {@link Dataset#fromTensorSlices} are row ranges of the source tensors
 * ({@link Tensor#rows}): every part of every batch holds the rows an element-by-element reading of
 * the source gives, ragged last batch included, for several inputs, labels and weights of mixed
 * dtypes and for strided sources; and a batch costs only its few small objects.
 */
class SliceBatchingTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Values start, start + 1, ... in a contiguous tensor of {@code dims}. */
    private static Tensor counting(float start, int... dims) {
        float[] v = new float[Shape.of(dims).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = start + i;
        }
        return Tensor.of(v, dims);
    }

    /** Rows [from, to) of a contiguous counting tensor with rows of {@code rowSize}, computed element by element. */
    private static double[] countingRows(double start, int from, int to, int rowSize) {
        double[] v = new double[(to - from) * rowSize];
        for (int i = 0; i < v.length; i++) {
            v[i] = start + (double) from * rowSize + i;
        }
        return v;
    }

    private static List<Batch> batches(Dataset ds) {
        List<Batch> out = new ArrayList<>();
        ds.forEach(out::add);
        return out;
    }

    @Test
    void batchesOfSeveralInputsLabelsAndWeightsHoldTheirRows() {
        int n = 23;
        Tensor image = counting(0, n, 2, 3);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 100 + i;
        }
        Tensor id = Tensor.of(ids);
        Tensor y = counting(-50, n, 2).cast(DType.F64);
        Tensor w = counting(0.5f, n);
        List<Batch> got = batches(Dataset.fromTensorSlices(Tensors.of(image, id), Tensors.of(y), Tensors.of(w)).batch(10));
        assertThat(got).hasSize(3);
        for (int b = 0; b < 3; b++) {
            int from = 10 * b;
            int to = Math.min(from + 10, n);
            Batch batch = got.get(b);
            assertThat(batch.inputs().get(0).shape()).isEqualTo(Shape.of(to - from, 2, 3));
            assertThat(batch.inputs().get(0).toDoubleArray()).containsExactly(countingRows(0, from, to, 6));
            assertThat(batch.inputs().get(1).dtype()).isEqualTo(DType.I32);
            int[] expectedIds = new int[to - from];
            for (int i = 0; i < expectedIds.length; i++) {
                expectedIds[i] = 100 + from + i;
            }
            assertThat(batch.inputs().get(1).toIntArray()).containsExactly(expectedIds);
            assertThat(batch.y().dtype()).isEqualTo(DType.F64);
            assertThat(batch.y().shape()).isEqualTo(Shape.of(to - from, 2));
            assertThat(batch.y().toDoubleArray()).containsExactly(countingRows(-50, from, to, 2));
            assertThat(batch.sampleWeight().toDoubleArray()).containsExactly(countingRows(0.5, from, to, 1));
        }
    }

    @Test
    void namedInputsKeepTheirNamesInEveryBatch() {
        Map<String, Tensor> byName = new LinkedHashMap<>();
        byName.put("image", counting(0, 7, 3));
        byName.put("hint", counting(1000, 7));
        List<Batch> got = batches(Dataset.fromTensorSlices(Tensors.of(byName), Tensors.of(counting(-7, 7))).batch(4));
        assertThat(got).hasSize(2);
        Batch last = got.get(1);
        assertThat(last.inputs().get("image").toDoubleArray()).containsExactly(countingRows(0, 4, 7, 3));
        assertThat(last.inputs().get("hint").toDoubleArray()).containsExactly(countingRows(1000, 4, 7, 1));
        assertThat(last.y().toDoubleArray()).containsExactly(countingRows(-7, 4, 7, 1));
        assertThatThrownBy(() -> last.inputs().get("label")).hasMessageContaining("label");
    }

    @Test
    void stridedSourcesAreBatchedToo() {
        int n = 13;
        // (n, 4) with strides (1, n): row i is [i, n + i, 2n + i, 3n + i].
        Tensor x = counting(0, 4, n).transpose();
        Tensor y = counting(0, 2 * n).slice(0, 0, 2 * n, 2);   // 0, 2, 4, ...
        List<Batch> got = batches(Dataset.fromTensorSlices(x, y).batch(5));
        assertThat(got).extracting(b -> b.x().shape().dim(0)).containsExactly(5, 5, 3);
        int row = 0;
        for (Batch b : got) {
            double[] xs = b.x().toDoubleArray();
            double[] ys = b.y().toDoubleArray();
            for (int i = 0; i < ys.length; i++, row++) {
                assertThat(new double[] {xs[4 * i], xs[4 * i + 1], xs[4 * i + 2], xs[4 * i + 3]})
                        .as("row %d", row).containsExactly(row, n + row, 2 * n + row, 3 * n + row);
                assertThat(ys[i]).isEqualTo(2 * row);
            }
        }
        assertThat(row).isEqualTo(n);
    }

    @Test
    void batchRowsOutsideTheBatchFailNamingRangeAndShape() {
        Batch b = Batch.of(counting(0, 4, 3), counting(0, 4));
        assertThat(b.rows(1, 3).x().toFloatArray()).containsExactly(3, 4, 5, 6, 7, 8);
        assertThatThrownBy(() -> b.rows(2, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[2, 5)").hasMessageContaining("(4, 3)");
    }

    /**
     * A batch of (x, y) cut in order costs its own objects only: the batch, its two tensor lists and
     * the two row-range views (about 200 bytes); re-deriving each view through the general slice
     * (bounds, strides and shape arrays, a recorded op) cost about 1,200. Least of several rounds,
     * once the JIT has compiled the loop.
     */
    @Test
    void aBatchCostsOnlyItsFewObjects() {
        int batches = 200;
        Dataset ds = Dataset.fromTensorSlices(Tensor.zeros(10 * batches, 10), Tensor.ones(10 * batches, 1)).batch(10);
        long least = Long.MAX_VALUE;
        int seen = 0;
        for (int round = 0; round < 30; round++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            seen = 0;
            for (Batch b : ds) {
                seen += b.size();
            }
            least = Math.min(least, THREADS.getCurrentThreadAllocatedBytes() - before);
        }
        assertThat(seen).isEqualTo(10 * batches);
        assertThat(least / batches).as("bytes a batch").isLessThan(400);
    }
}
