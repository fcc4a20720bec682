package dev.vecgrad.train.data;

import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Every element transformed by a function on several threads, delivered in the input's order; see
 * {@link Dataset#map(UnaryOperator, int)}.
 *
 * <p>Each pass has its own pool of {@code parallelism} daemon threads. The consumer's thread reads
 * the upstream elements (so upstream stages need not be thread-safe) and keeps up to twice the
 * parallelism submitted ahead; results are taken in submission order. The pool stops at the end
 * of the pass, when the pass is closed, or on the first failure, which reaches the consumer at the
 * failing element's place in the order.
 */
final class ParallelMapDataset extends Dataset {
    private final Dataset parent;
    private final UnaryOperator<Batch> fn;
    private final int parallelism;

    ParallelMapDataset(Dataset parent, UnaryOperator<Batch> fn, int parallelism) {
        this.parent = parent;
        this.fn = Objects.requireNonNull(fn, "fn");
        this.parallelism = parallelism;
    }

    @Override
    public long cardinality() {
        return parent.cardinality();
    }

    @Override
    public DatasetIterator iterator() {
        DatasetIterator in = parent.iterator();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> Thread.ofPlatform().daemon()
                .name("vecgrad-map-" + threads.getAndIncrement()).unstarted(r));
        return new DatasetIterator() {
            private final ArrayDeque<Future<Batch>> inFlight = new ArrayDeque<>();
            private long delivered;
            private boolean closed;

            private void fill() {
                while (!closed && inFlight.size() < 2 * parallelism && in.hasNext()) {
                    Batch b = in.next();
                    inFlight.add(pool.submit(() -> fn.apply(b)));
                }
                if (inFlight.isEmpty()) {
                    close();
                }
            }

            @Override
            public boolean hasNext() {
                fill();
                return !inFlight.isEmpty();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("dataset pass exhausted");
                }
                Future<Batch> f = inFlight.poll();
                long index = delivered++;
                Batch out;
                try {
                    out = f.get();
                } catch (ExecutionException e) {
                    close();
                    Throwable cause = e.getCause();
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException("map: the function failed on element " + index + ": " + cause,
                            cause);
                } catch (InterruptedException e) {
                    close();
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for mapped element " + index, e);
                }
                if (out == null) {
                    close();
                    throw new NullPointerException("map: the function returned null for element " + index);
                }
                return out;
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    for (Future<Batch> f : inFlight) {
                        f.cancel(true);
                    }
                    inFlight.clear();
                    pool.shutdownNow();
                    in.close();
                }
            }
        };
    }
}
