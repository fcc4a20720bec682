package dev.vecgrad.train.data;

import java.util.Iterator;

/**
 * One pass over a {@link Dataset}. Close it when stopping early (a step limit, early stopping) so a
 * prefetching stage can stop its background thread; a pass read to the end needs no close.
 */
public interface DatasetIterator extends Iterator<Batch>, AutoCloseable {
    /** Releases what the pass holds (background threads, upstream iterators). Idempotent. */
    @Override
    void close();

    /** An iterator over a plain {@link Iterator} that holds nothing to release. */
    static DatasetIterator of(Iterator<Batch> it) {
        return new DatasetIterator() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Batch next() {
                return it.next();
            }

            @Override
            public void close() {
            }
        };
    }
}
