package dev.vecgrad.train.data;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * Rows of source tensors, in order or in an order drawn afresh for each pass. Knowing the rows'
 * source lets {@link BatchDataset} cut a batch as one view (in order) or one gather (shuffled)
 * instead of stacking single rows.
 */
final class SliceDataset extends Dataset {
    /** Every row of every source tensor. */
    private final Batch source;
    /** The row order of each pass; null means 0, 1, ..., n - 1. */
    private final Supplier<int[]> order;
    private final int n;

    SliceDataset(Batch source, Supplier<int[]> order) {
        for (Tensor t : source.inputs()) {
            if (t.rank() == 0) {
                throw new IllegalArgumentException("fromTensorSlices: x must have a first axis to slice, got a scalar");
            }
        }
        source.checkSameRows();
        this.source = source;
        this.order = order;
        this.n = source.size();
    }

    @Override
    public long cardinality() {
        return n;
    }

    /** This dataset with its per-pass order shuffled through a buffer of {@code bufferSize} rows. */
    SliceDataset shuffled(int bufferSize, long seed) {
        Rng rng = new Rng(seed);
        Supplier<int[]> inner = order;
        return new SliceDataset(source, () -> {
            int[] base = inner == null ? identity(n) : inner.get();
            synchronized (rng) {
                return ShuffleBuffer.shuffle(base, bufferSize, rng);
            }
        });
    }

    /** The rows of the next pass, or null for the natural order. */
    int[] passOrder() {
        return order == null ? null : order.get();
    }

    /** Rows {@code [from, to)} of the natural order, as views. */
    Batch rangeView(int from, int to) {
        return source.rows(from, to);
    }

    /** Rows {@code rows[from..to)}, gathered into new tensors. */
    Batch gathered(int[] rows, int from, int to) {
        int[] idx = new int[to - from];
        System.arraycopy(rows, from, idx, 0, idx.length);
        Tensor ix = TensorInternals.wrap(DType.I32, Shape.of(idx.length), idx);
        return source.map(t -> t.gather(ix, 0));
    }

    int rows() {
        return n;
    }

    @Override
    public DatasetIterator iterator() {
        int[] rows = passOrder();
        return DatasetIterator.of(new java.util.Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < n;
            }

            @Override
            public Batch next() {
                if (i >= n) {
                    throw new NoSuchElementException("dataset pass exhausted");
                }
                int r = rows == null ? i : rows[i];
                i++;
                return source.map(t -> row(t, r));
            }
        });
    }

    private static Tensor row(Tensor t, int r) {
        return t.rows(r, r + 1).squeeze(0);
    }

    static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }
}
