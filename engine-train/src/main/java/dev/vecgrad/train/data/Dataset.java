package dev.vecgrad.train.data;

import dev.vecgrad.core.Tensor;
import java.util.function.UnaryOperator;

/**
 * A re-iterable pipeline of {@link Batch} elements, as {@code tf.data.Dataset}: each call of
 * {@link #iterator()} starts a new pass (an epoch). The dataset owns batching and shuffling; the
 * model's training loop only pulls batches.
 *
 * <pre>{@code
 * Dataset train = Dataset.fromTensorSlices(x, y)
 *         .shuffle(10_000, 42)       // a new order every pass, fixed by the seed
 *         .batch(128)
 *         .prefetch(2);              // the next batches are made on a background thread
 * for (Batch b : train) { ... }
 * }</pre>
 *
 * <p>Tensors keep their dtype through every stage: I32 labels stay I32 after batching. Slicing a
 * source in order gives views of it (no copy); a shuffled order gathers the rows into new tensors.
 */
public abstract class Dataset implements Iterable<Batch> {
    /** {@link #cardinality()} of a dataset that never ends (after {@link #repeat()}). */
    public static final long INFINITE = -1;
    /** {@link #cardinality()} of a dataset whose length is not known without reading it. */
    public static final long UNKNOWN = -2;

    /** For subclasses. */
    protected Dataset() {
    }

    /** Starts a new pass over the elements. */
    @Override
    public abstract DatasetIterator iterator();

    /** The number of elements a pass yields, or {@link #INFINITE} or {@link #UNKNOWN}. */
    public abstract long cardinality();

    /** The elements are the rows (first-axis slices) of {@code x}. */
    public static Dataset fromTensorSlices(Tensor x) {
        return new SliceDataset(Batch.of(x), null);
    }

    /** The elements are matching rows of {@code x} and {@code y}. */
    public static Dataset fromTensorSlices(Tensor x, Tensor y) {
        return new SliceDataset(Batch.of(x, y), null);
    }

    /** The elements are matching rows of {@code x}, {@code y} and the per-sample weights {@code w}. */
    public static Dataset fromTensorSlices(Tensor x, Tensor y, Tensor w) {
        return new SliceDataset(Batch.of(x, y, w), null);
    }

    /**
     * The elements are matching rows of several inputs and targets ({@code y} may be null), by
     * position or by name, for a model with several inputs or outputs.
     *
     * <pre>{@code
     * Dataset.fromTensorSlices(Tensors.of(Map.of("image", images, "hint", hints)),
     *         Tensors.of(Map.of("digit", labels, "hint_right", right))).batch(64);
     * }</pre>
     */
    public static Dataset fromTensorSlices(Tensors x, Tensors y) {
        return new SliceDataset(Batch.of(x, y), null);
    }

    /** As {@link #fromTensorSlices(Tensors, Tensors)}, with per-sample weights (one tensor, or one an output). */
    public static Dataset fromTensorSlices(Tensors x, Tensors y, Tensors w) {
        return new SliceDataset(Batch.of(x, y, w), null);
    }

    /** Groups consecutive elements into batches of {@code size}; the last may be smaller. */
    public Dataset batch(int size) {
        return batch(size, false);
    }

    /** Groups consecutive elements into batches of {@code size}, dropping a short last batch if asked. */
    public Dataset batch(int size, boolean dropRemainder) {
        if (size < 1) {
            throw new IllegalArgumentException("batch: size must be at least 1, got " + size);
        }
        return new BatchDataset(this, size, dropRemainder);
    }

    /**
     * Shuffles with a buffer of {@code bufferSize} elements (a buffer at least the dataset's size
     * gives a uniform permutation), reshuffled on every pass; the sequence of orders is fixed by
     * {@code seed}.
     */
    public Dataset shuffle(int bufferSize, long seed) {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("shuffle: bufferSize must be at least 1, got " + bufferSize);
        }
        if (this instanceof SliceDataset s) {
            return s.shuffled(bufferSize, seed);
        }
        return new ShuffleDataset(this, bufferSize, seed);
    }

    /** Applies {@code fn} to every element. */
    public Dataset map(UnaryOperator<Batch> fn) {
        return new MapDataset(this, fn);
    }

    /** Repeats the passes forever. */
    public Dataset repeat() {
        return new RepeatDataset(this, -1);
    }

    /** Repeats the whole dataset {@code count} times in one pass. */
    public Dataset repeat(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("repeat: count must be non-negative, got " + count);
        }
        return new RepeatDataset(this, count);
    }

    /** At most the first {@code n} elements of each pass. */
    public Dataset take(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("take: n must be non-negative, got " + n);
        }
        return new TakeDataset(this, n);
    }

    /** Prepares up to {@code n} elements ahead on a background thread while the consumer works. */
    public Dataset prefetch(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("prefetch: n must be at least 1, got " + n);
        }
        return new PrefetchDataset(this, n);
    }

    /** Keeps the elements of the first complete pass in memory and replays them on later passes. */
    public Dataset cache() {
        return new CacheDataset(this);
    }
}
