package dev.vecgrad.train.data;

import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Predicate;

/** The elements a predicate keeps; see {@link Dataset#filter}. */
final class FilterDataset extends Dataset {
    private final Dataset parent;
    private final Predicate<Batch> keep;

    FilterDataset(Dataset parent, Predicate<Batch> keep) {
        this.parent = parent;
        this.keep = Objects.requireNonNull(keep, "predicate");
    }

    @Override
    public long cardinality() {
        return parent.cardinality() == INFINITE ? INFINITE : UNKNOWN;
    }

    @Override
    public DatasetIterator iterator() {
        DatasetIterator in = parent.iterator();
        return new DatasetIterator() {
            private Batch pending;

            @Override
            public boolean hasNext() {
                while (pending == null && in.hasNext()) {
                    Batch b = in.next();
                    if (keep.test(b)) {
                        pending = b;
                    }
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

            @Override
            public void close() {
                in.close();
            }
        };
    }
}
