package dev.vecgrad.train.data;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.util.Iterator;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;
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
 * for (Batch b : train) {
 *     System.out.println(b.x().shape());     // (128, 28, 28), the last one shorter
 * }
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

    /**
     * The elements an iterator made afresh for each pass gives, as {@code tf.data.Dataset.from_generator}:
     * {@code generator} is called at the start of every pass (epoch). The length is unknown until read.
     *
     * <pre>{@code
     * Dataset d = Dataset.fromGenerator(() -> IntStream.range(0, 100)
     *         .mapToObj(i -> Batch.of(Tensor.scalar((float) i), Tensor.scalar(i % 2)))
     *         .iterator());
     * }</pre>
     */
    public static Dataset fromGenerator(Supplier<? extends Iterator<Batch>> generator) {
        return new GeneratorDataset(generator, false);
    }

    /**
     * The elements of {@code elements}, for one pass only: a second pass is an error that says to
     * use {@link #fromGenerator} or {@link #cache()}. An iterator that is {@link AutoCloseable} is
     * closed when the pass is.
     */
    public static Dataset fromIterator(Iterator<Batch> elements) {
        Objects.requireNonNull(elements, "elements");
        return new GeneratorDataset(() -> elements, true);
    }

    /**
     * Inputs from {@code x}, targets from {@code y}: element i is {@code (x_i.x(), y_i.x())}, as
     * {@code tf.data.Dataset.zip((x, y))}. A pass ends with the shorter dataset.
     */
    public static Dataset zip(Dataset x, Dataset y) {
        return new ZipDataset(Objects.requireNonNull(x, "x"), Objects.requireNonNull(y, "y"), null);
    }

    /** Inputs, targets and per-sample weights from three datasets; see {@link #zip(Dataset, Dataset)}. */
    public static Dataset zip(Dataset x, Dataset y, Dataset sampleWeight) {
        return new ZipDataset(Objects.requireNonNull(x, "x"), Objects.requireNonNull(y, "y"),
                Objects.requireNonNull(sampleWeight, "sampleWeight"));
    }

    /**
     * Windows of a sequence of token ids for next-token prediction: element i has inputs
     * {@code ids[i·stride, i·stride + length)} and targets shifted by one,
     * {@code ids[i·stride + 1, i·stride + length + 1)}, for every window that fits. The windows are
     * views of one copy of {@code ids} (overlapping when {@code stride < length}), so even
     * {@code stride} 1 costs no memory per window.
     *
     * <pre>{@code
     * import dev.vecgrad.train.layers.TextVectorization;
     *
     * TextVectorization chars = TextVectorization.characters().adapt(text);
     * Dataset train = Dataset.sequences(chars.encode(text), 64, 64).shuffle(100_000, 1).batch(32, true);
     * model.fit(train, 10);
     * }</pre>
     *
     * @param ids a 1-D tensor of ids (I32; other dtypes are cast)
     * @param length the window length, at least 1
     * @param stride the distance between window starts, at least 1
     */
    public static Dataset sequences(Tensor ids, int length, int stride) {
        if (ids.rank() != 1) {
            throw new IllegalArgumentException("sequences: ids must be 1-D, got shape " + ids.shape());
        }
        if (length < 1 || stride < 1) {
            throw new IllegalArgumentException("sequences: length and stride must be at least 1, got " + length
                    + " and " + stride);
        }
        int n = ids.shape().dim(0);
        if (n < length + 1) {
            throw new IllegalArgumentException("sequences: " + n + " ids hold no window of " + length
                    + " inputs and its shifted targets (" + (length + 1) + " ids needed)");
        }
        int windows = (n - length - 1) / stride + 1;
        int[] flat = (ids.dtype() == DType.I32 ? ids : ids.cast(DType.I32)).toIntArray();
        Shape shape = Shape.of(windows, length);
        int[] strides = {stride, 1};
        Tensor x = Tensor.wrap(DType.I32, shape, strides, 0, flat);
        Tensor y = Tensor.wrap(DType.I32, shape, strides, 1, flat);
        return fromTensorSlices(x, y);
    }

    /** {@link #sequences(Tensor, int, int)} with non-overlapping windows (stride = length). */
    public static Dataset sequences(Tensor ids, int length) {
        return sequences(ids, length, length);
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

    /**
     * Applies {@code fn} to every element on {@code parallelism} threads, keeping the elements in
     * order, as {@code tf.data}'s {@code map(fn, num_parallel_calls)} with deterministic order.
     * {@code fn} must be safe to call from several threads at once. If it throws, the pass fails at
     * that element with an exception naming its index (the cause attached) and the threads stop;
     * closing a pass early stops them too.
     */
    public Dataset map(UnaryOperator<Batch> fn, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("map: parallelism must be at least 1, got " + parallelism);
        }
        return parallelism == 1 ? new MapDataset(this, fn) : new ParallelMapDataset(this, fn, parallelism);
    }

    /** The elements for which {@code keep} is true; the length becomes unknown. */
    public Dataset filter(Predicate<Batch> keep) {
        return new FilterDataset(this, keep);
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
