package dev.vecgrad.train.data;

import java.util.NoSuchElementException;

/** The parent's passes one after another, a fixed number of times or forever; see {@link Dataset#repeat}. */
final class RepeatDataset extends Dataset {
    private final Dataset parent;
    /** Passes per pass of this dataset; negative means forever. */
    private final int count;

    RepeatDataset(Dataset parent, int count) {
        this.parent = parent;
        this.count = count;
    }

    @Override
    public long cardinality() {
        long n = parent.cardinality();
        if (count < 0) {
            return n == 0 ? 0 : INFINITE;
        }
        if (n < 0) {
            return count == 0 ? 0 : n;
        }
        return n * count;
    }

    @Override
    public DatasetIterator iterator() {
        return new DatasetIterator() {
            private int passes;
            private DatasetIterator in;

            @Override
            public boolean hasNext() {
                while (in == null || !in.hasNext()) {
                    if (in != null) {
                        in.close();
                        in = null;
                    }
                    if (count >= 0 && passes >= count) {
                        return false;
                    }
                    in = parent.iterator();
                    passes++;
                    if (count < 0 && !in.hasNext()) {
                        return false; // an empty pass repeated forever would never yield anything
                    }
                }
                return true;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("dataset pass exhausted");
                }
                return in.next();
            }

            @Override
            public void close() {
                if (in != null) {
                    in.close();
                }
            }
        };
    }
}
