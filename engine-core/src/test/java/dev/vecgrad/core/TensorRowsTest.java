package dev.vecgrad.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.internal.TensorInternals;
import dev.vecgrad.core.ops.Dispatcher;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Tensor#rows}: the same view as {@code slice(0, start, stop)} (shape, strides, offset,
 * values, the same array), on contiguous and strided tensors, with strict bounds, reported to an
 * installed allocator, and cheap: one tensor object a call, where the general slice builds a dozen
 * arrays and records.
 */
class TensorRowsTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Values 0, 1, 2, ... in a tensor of {@code dims}. */
    private static Tensor counting(int... dims) {
        float[] v = new float[Shape.of(dims).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        return Tensor.of(v, dims);
    }

    /** Rows [start, stop) of a contiguous (n, rest...) tensor of counting values, element by element. */
    private static float[] expectedRows(int start, int stop, int rowSize) {
        float[] v = new float[(stop - start) * rowSize];
        for (int i = 0; i < v.length; i++) {
            v[i] = start * rowSize + i;
        }
        return v;
    }

    private static void assertSameViewAsSlice(Tensor x, int start, int stop) {
        Tensor rows = x.rows(start, stop);
        Tensor slice = x.slice(0, start, stop);
        assertThat(rows.shape()).isEqualTo(slice.shape());
        assertThat(rows.strides()).containsExactly(slice.strides());
        assertThat(rows.offset()).isEqualTo(slice.offset());
        assertThat(rows.isContiguous()).isEqualTo(slice.isContiguous());
        assertThat(TensorInternals.data(rows)).isSameAs(TensorInternals.data(x));
        assertThat(rows.toFloatArray()).containsExactly(slice.toFloatArray());
    }

    @Test
    void contiguousRowRangesAreViewsOfTheRows() {
        Tensor x = counting(7, 3, 2);
        for (int[] r : new int[][] {{0, 7}, {0, 3}, {3, 6}, {6, 7}, {4, 4}, {7, 7}, {0, 0}}) {
            Tensor rows = x.rows(r[0], r[1]);
            assertThat(rows.shape()).isEqualTo(Shape.of(r[1] - r[0], 3, 2));
            assertThat(rows.isContiguous()).isTrue();
            assertThat(rows.toFloatArray()).as("rows %d to %d", r[0], r[1]).containsExactly(expectedRows(r[0], r[1], 6));
            assertSameViewAsSlice(x, r[0], r[1]);
        }
        assertThat(counting(5).rows(2, 5).toFloatArray()).containsExactly(2f, 3f, 4f);
    }

    @Test
    void raggedLastRangeOfBatchesCoversEveryRowOnce() {
        Tensor x = counting(23, 4);
        List<Float> seen = new ArrayList<>();
        for (int at = 0; at < 23; at += 10) {
            Tensor b = x.rows(at, Math.min(at + 10, 23));
            assertThat(b.shape().dim(0)).isEqualTo(Math.min(10, 23 - at));
            for (float f : b.toFloatArray()) {
                seen.add(f);
            }
        }
        float[] all = expectedRows(0, 23, 4);
        assertThat(seen).hasSize(all.length);
        for (int i = 0; i < all.length; i++) {
            assertThat(seen.get(i)).isEqualTo(all[i]);
        }
    }

    @Test
    void stridedSourcesGiveTheSliceView() {
        Tensor x = counting(6, 5);
        Tensor transposed = x.transpose();                 // (5, 6), strides (1, 5)
        Tensor everyOther = x.slice(0, 0, 6, 2);           // (3, 5), strides (10, 1)
        Tensor columns = x.slice(1, 1, 4);                 // (6, 3), strides (5, 1)
        Tensor flipped = x.flip(0);                        // negative first stride
        for (Tensor t : List.of(transposed, everyOther, columns, flipped)) {
            int n = t.shape().dim(0);
            assertSameViewAsSlice(t, 1, n - 1);
            assertSameViewAsSlice(t, 0, n);
            assertSameViewAsSlice(t, n, n);
        }
        // Independent values: rows 1 and 2 of the transpose are columns 1 and 2 of x.
        assertThat(transposed.rows(1, 3).toFloatArray()).containsExactly(1, 6, 11, 16, 21, 26, 2, 7, 12, 17, 22, 27);
        assertThat(columns.rows(4, 6).isContiguous()).isFalse();
        // One row of a column slice is contiguous again, as slice decides.
        assertThat(columns.rows(2, 3).isContiguous()).isTrue();
    }

    @Test
    void rangesOutsideTheFirstAxisFailNamingRangeAndShape() {
        Tensor x = counting(4, 3);
        for (int[] r : new int[][] {{-1, 2}, {3, 2}, {0, 5}, {5, 5}, {-2, -1}}) {
            assertThatThrownBy(() -> x.rows(r[0], r[1])).as("rows %d to %d", r[0], r[1])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[" + r[0] + ", " + r[1] + ")")
                    .hasMessageContaining(x.shape().toString());
        }
        assertThatThrownBy(() -> Tensor.scalar(1f).rows(0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scalar").hasMessageContaining("[0, 1)");
    }

    @Test
    void anInstalledAllocatorIsToldOfTheView() {
        Tensor x = counting(4, 3);
        List<Tensor[]> told = new ArrayList<>();
        Tensor rows;
        try (var scope = Dispatcher.useAllocator(new Dispatcher.OutputAllocator() {
            @Override
            public Tensor allocate(dev.vecgrad.core.ops.ComputePrimitive<?> op, DType dtype, Shape shape) {
                return Tensor.zeros(dtype, shape);
            }

            @Override
            public void viewMade(Tensor source, Tensor view) {
                told.add(new Tensor[] {source, view});
            }
        })) {
            rows = x.rows(1, 3);
        }
        assertThat(told).hasSize(1);
        assertThat(told.get(0)[0]).isSameAs(x);
        assertThat(told.get(0)[1]).isSameAs(rows);
    }

    /**
     * Taking rows allocates one tensor object a call (about 40 bytes; a batch's shape is made once
     * and shared); a general slice of the same range builds its bound, stride and shape arrays
     * afresh and allocates over 400. Least of several rounds, once the JIT has compiled the loop.
     */
    @Test
    void takingRowsAllocatesOneTensorACall() {
        Tensor x = counting(100, 8);
        Tensor[] sink = new Tensor[1000];
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 30; round++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < sink.length; i++) {
                sink[i] = x.rows(i % 10 * 10, i % 10 * 10 + 10);
            }
            least = Math.min(least, THREADS.getCurrentThreadAllocatedBytes() - before);
        }
        assertThat(sink[999].shape()).isEqualTo(Shape.of(10, 8));
        assertThat(least / sink.length).as("bytes a call of rows(start, start + 10)").isLessThan(64);
    }
}
