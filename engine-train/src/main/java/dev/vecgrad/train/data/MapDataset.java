package dev.vecgrad.train.data;

import java.util.Objects;
import java.util.function.UnaryOperator;

/** Every element transformed by a function; see {@link Dataset#map}. */
final class MapDataset extends Dataset {
    private final Dataset parent;
    private final UnaryOperator<Batch> fn;

    MapDataset(Dataset parent, UnaryOperator<Batch> fn) {
        this.parent = parent;
        this.fn = Objects.requireNonNull(fn, "fn");
    }

    @Override
    public long cardinality() {
        return parent.cardinality();
    }

    @Override
    public DatasetIterator iterator() {
        DatasetIterator in = parent.iterator();
        return new DatasetIterator() {
            @Override
            public boolean hasNext() {
                return in.hasNext();
            }

            @Override
            public Batch next() {
                return Objects.requireNonNull(fn.apply(in.next()), "map: the function returned null");
            }

            @Override
            public void close() {
                in.close();
            }
        };
    }
}
