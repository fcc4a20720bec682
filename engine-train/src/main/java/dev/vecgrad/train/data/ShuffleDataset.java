package dev.vecgrad.train.data;

import dev.vecgrad.core.Rng;
import java.util.Iterator;

/** A buffered shuffle of any dataset's elements; see {@link Dataset#shuffle(int, long)}. */
final class ShuffleDataset extends Dataset {
    private final Dataset parent;
    private final int bufferSize;
    private final Rng rng;

    ShuffleDataset(Dataset parent, int bufferSize, long seed) {
        this.parent = parent;
        this.bufferSize = bufferSize;
        this.rng = new Rng(seed);
    }

    @Override
    public long cardinality() {
        return parent.cardinality();
    }

    @Override
    public DatasetIterator iterator() {
        DatasetIterator in = parent.iterator();
        Rng passRng;
        synchronized (rng) {
            passRng = rng.split();
        }
        Iterator<Batch> out = ShuffleBuffer.shuffle(in, bufferSize, passRng);
        return new DatasetIterator() {
            @Override
            public boolean hasNext() {
                return out.hasNext();
            }

            @Override
            public Batch next() {
                return out.next();
            }

            @Override
            public void close() {
                in.close();
            }
        };
    }
}
