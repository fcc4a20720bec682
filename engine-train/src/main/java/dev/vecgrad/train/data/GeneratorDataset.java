package dev.vecgrad.train.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Elements from an iterator a supplier makes for each pass ({@link Dataset#fromGenerator}), or from
 * one iterator that allows a single pass ({@link Dataset#fromIterator}).
 */
final class GeneratorDataset extends Dataset {
    private final Supplier<? extends Iterator<Batch>> generator;
    /** Set for a single iterator: true once its one pass has started. */
    private final AtomicBoolean used;

    GeneratorDataset(Supplier<? extends Iterator<Batch>> generator, boolean singlePass) {
        this.generator = Objects.requireNonNull(generator, "generator");
        this.used = singlePass ? new AtomicBoolean() : null;
    }

    @Override
    public long cardinality() {
        return UNKNOWN;
    }

    @Override
    public DatasetIterator iterator() {
        if (used != null && used.getAndSet(true)) {
            throw new IllegalStateException("a dataset from an iterator can be read once; use Dataset.fromGenerator"
                    + " with a supplier of iterators for several passes (epochs), or cache() the first pass");
        }
        Iterator<Batch> it = Objects.requireNonNull(generator.get(), "the generator returned a null iterator");
        return new DatasetIterator() {
            private boolean closed;

            @Override
            public boolean hasNext() {
                return !closed && it.hasNext();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("dataset pass exhausted");
                }
                return Objects.requireNonNull(it.next(), "the generator's iterator returned a null element");
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    if (it instanceof AutoCloseable c) {
                        try {
                            c.close();
                        } catch (Exception e) {
                            throw new IllegalStateException("closing the generator's iterator failed", e);
                        }
                    }
                }
            }
        };
    }
}
