package dev.vecgrad.train.data;

import java.util.NoSuchElementException;

/** Elements of several datasets side by side as inputs, targets and weights; see {@link Dataset#zip}. */
final class ZipDataset extends Dataset {
    private final Dataset x;
    private final Dataset y;
    private final Dataset w;

    ZipDataset(Dataset x, Dataset y, Dataset w) {
        this.x = x;
        this.y = y;
        this.w = w;
    }

    @Override
    public long cardinality() {
        long n = Long.MAX_VALUE;
        boolean unknown = false;
        for (Dataset d : w == null ? new Dataset[] {x, y} : new Dataset[] {x, y, w}) {
            long c = d.cardinality();
            if (c == UNKNOWN) {
                unknown = true;
            } else if (c != INFINITE) {
                n = Math.min(n, c);
            }
        }
        if (unknown) {
            return UNKNOWN;
        }
        return n == Long.MAX_VALUE ? INFINITE : n;
    }

    @Override
    public DatasetIterator iterator() {
        DatasetIterator xs = x.iterator();
        DatasetIterator ys = y.iterator();
        DatasetIterator ws = w == null ? null : w.iterator();
        return new DatasetIterator() {
            @Override
            public boolean hasNext() {
                return xs.hasNext() && ys.hasNext() && (ws == null || ws.hasNext());
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("dataset pass exhausted");
                }
                return new Batch(xs.next().x(), ys.next().x(), ws == null ? null : ws.next().x());
            }

            @Override
            public void close() {
                try (xs; ys) {
                    if (ws != null) {
                        ws.close();
                    }
                }
            }
        };
    }
}
