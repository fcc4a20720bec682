package dev.vecgrad.train.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** Consecutive elements grouped along a new leading axis; see {@link Dataset#batch(int, boolean)}. */
final class BatchDataset extends Dataset {
    private final Dataset parent;
    private final int size;
    private final boolean dropRemainder;

    BatchDataset(Dataset parent, int size, boolean dropRemainder) {
        this.parent = parent;
        this.size = size;
        this.dropRemainder = dropRemainder;
    }

    @Override
    public long cardinality() {
        long n = parent.cardinality();
        if (n < 0) {
            return n;
        }
        return dropRemainder ? n / size : (n + size - 1) / size;
    }

    @Override
    public DatasetIterator iterator() {
        if (parent instanceof SliceDataset s) {
            return DatasetIterator.of(fromSlices(s));
        }
        DatasetIterator in = parent.iterator();
        return new DatasetIterator() {
            private Batch pending;

            @Override
            public boolean hasNext() {
                if (pending == null) {
                    pending = collect();
                }
                return pending != null;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("dataset pass exhausted");
                }
                Batch b = pending;
                pending = null;
                return b;
            }

            private Batch collect() {
                List<Batch> group = new ArrayList<>(size);
                while (group.size() < size && in.hasNext()) {
                    group.add(in.next());
                }
                if (group.isEmpty() || (dropRemainder && group.size() < size)) {
                    return null;
                }
                return Batch.stack(group);
            }

            @Override
            public void close() {
                in.close();
            }
        };
    }

    /** Batches cut straight from the source rows: views when in order, one gather each when shuffled. */
    private Iterator<Batch> fromSlices(SliceDataset s) {
        int[] rows = s.passOrder();
        int n = s.rows();
        int end = dropRemainder ? n - n % size : n;
        return new Iterator<>() {
            private int at;

            @Override
            public boolean hasNext() {
                return at < end;
            }

            @Override
            public Batch next() {
                if (at >= end) {
                    throw new NoSuchElementException("dataset pass exhausted");
                }
                int to = Math.min(at + size, end);
                Batch b = rows == null ? s.rangeView(at, to) : s.gathered(rows, at, to);
                at = to;
                return b;
            }
        };
    }

}
