package dev.vecgrad.train.data;

import java.util.NoSuchElementException;

/** The first elements of each pass; see {@link Dataset#take}. */
final class TakeDataset extends Dataset {
    private final Dataset parent;
    private final long n;

    TakeDataset(Dataset parent, long n) {
        this.parent = parent;
        this.n = n;
    }

    @Override
    public long cardinality() {
        long p = parent.cardinality();
        if (p == INFINITE) {
            return n;
        }
        return p < 0 ? UNKNOWN : Math.min(p, n);
    }

    @Override
    public DatasetIterator iterator() {
        DatasetIterator in = parent.iterator();
        return new DatasetIterator() {
            private long taken;

            @Override
            public boolean hasNext() {
                return taken < n && in.hasNext();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("dataset pass exhausted");
                }
                taken++;
                return in.next();
            }

            @Override
            public void close() {
                in.close();
            }
        };
    }
}
