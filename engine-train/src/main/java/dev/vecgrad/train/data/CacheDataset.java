package dev.vecgrad.train.data;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The first complete pass kept in memory and replayed afterwards; see {@link Dataset#cache}. A pass
 * closed before its end is not kept, so a cache never holds a partial dataset.
 */
final class CacheDataset extends Dataset {
    private final Dataset parent;
    private volatile List<Batch> cached;

    CacheDataset(Dataset parent) {
        this.parent = parent;
    }

    @Override
    public long cardinality() {
        List<Batch> c = cached;
        return c != null ? c.size() : parent.cardinality();
    }

    @Override
    public DatasetIterator iterator() {
        List<Batch> c = cached;
        if (c != null) {
            return DatasetIterator.of(c.iterator());
        }
        if (parent.cardinality() == INFINITE) {
            throw new IllegalStateException("cache: cannot keep an infinite dataset in memory; cache before repeat()");
        }
        DatasetIterator in = parent.iterator();
        List<Batch> recording = new ArrayList<>();
        return new DatasetIterator() {
            @Override
            public boolean hasNext() {
                boolean more = in.hasNext();
                if (!more && cached == null) {
                    cached = List.copyOf(recording);
                }
                return more;
            }

            @Override
            public Batch next() {
                if (!in.hasNext()) {
                    throw new NoSuchElementException("dataset pass exhausted");
                }
                Batch b = in.next();
                recording.add(b);
                return b;
            }

            @Override
            public void close() {
                in.close();
            }
        };
    }
}
