package dev.vecgrad.train.data;

import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Elements produced ahead on a background thread into a bounded queue; see
 * {@link Dataset#prefetch}. The producer stops at the end of the pass, on an error (rethrown to the
 * consumer in order) or when the consumer closes the iterator.
 */
final class PrefetchDataset extends Dataset {
    private final Dataset parent;
    private final int depth;

    PrefetchDataset(Dataset parent, int depth) {
        this.parent = parent;
        this.depth = depth;
    }

    @Override
    public long cardinality() {
        return parent.cardinality();
    }

    /** What the producer puts in the queue: an element, the end of the pass, or its failure. */
    private record Item(Batch batch, RuntimeException failure, boolean end) {
    }

    @Override
    public DatasetIterator iterator() {
        BlockingQueue<Item> queue = new ArrayBlockingQueue<>(depth);
        DatasetIterator in = parent.iterator();
        Thread producer = Thread.ofPlatform().daemon().name("vecgrad-prefetch").unstarted(() -> produce(in, queue));
        producer.start();
        return new DatasetIterator() {
            private Item head;
            private volatile boolean closed;

            @Override
            public boolean hasNext() {
                if (head == null) {
                    head = take();
                }
                if (head.failure != null) {
                    RuntimeException e = head.failure;
                    head = new Item(null, null, true);
                    throw e;
                }
                return !head.end;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("dataset pass exhausted");
                }
                Batch b = head.batch;
                head = null;
                return b;
            }

            private Item take() {
                if (closed) {
                    return new Item(null, null, true);
                }
                try {
                    return queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a prefetched batch", e);
                }
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    producer.interrupt();
                }
            }
        };
    }

    private static void produce(DatasetIterator in, BlockingQueue<Item> queue) {
        try (in) {
            while (in.hasNext()) {
                Batch b = in.next();
                if (!offer(queue, new Item(b, null, false))) {
                    return;
                }
            }
            offer(queue, new Item(null, null, true));
        } catch (RuntimeException e) {
            offer(queue, new Item(null, e, false));
        }
    }

    /** Blocks until there is room; false when the consumer closed the pass (the thread was interrupted). */
    private static boolean offer(BlockingQueue<Item> queue, Item item) {
        try {
            while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                if (Thread.currentThread().isInterrupted()) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
