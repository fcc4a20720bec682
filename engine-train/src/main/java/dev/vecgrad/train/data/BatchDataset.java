package dev.vecgrad.train.data;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.ShapeOps;
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
                return stack(group);
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

    private static Batch stack(List<Batch> group) {
        Batch first = group.get(0);
        List<Tensor> xs = new ArrayList<>(group.size());
        List<Tensor> ys = first.y() == null ? null : new ArrayList<>(group.size());
        List<Tensor> ws = first.sampleWeight() == null ? null : new ArrayList<>(group.size());
        for (Batch b : group) {
            xs.add(b.x());
            if (ys != null) {
                ys.add(require(b.y(), "y"));
            }
            if (ws != null) {
                ws.add(require(b.sampleWeight(), "sampleWeight"));
            }
        }
        return new Batch(ShapeOps.stack(xs, 0), ys == null ? null : ShapeOps.stack(ys, 0),
                ws == null ? null : ShapeOps.stack(ws, 0));
    }

    private static Tensor require(Tensor t, String what) {
        if (t == null) {
            throw new IllegalArgumentException("batch: some elements have " + what + " and some do not");
        }
        return t;
    }
}
