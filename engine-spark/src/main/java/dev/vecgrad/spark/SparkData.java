package dev.vecgrad.spark;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.data.Batch;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.data.DatasetIterator;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Examples held by a Spark cluster, one shard a partition, for the Spark strategies: each worker
 * trains on the shard of its partition, read and kept by the executor that runs it, so the examples
 * never pass through the driver. Build one from files ({@link SparkSources}), from an RDD or a
 * DataFrame, then {@link #batch} it with the global batch size:
 *
 * <pre>{@code
 * SparkData train = SparkSources.idx(sc, "hdfs:///mnist/train-images-idx3-ubyte",
 *         "hdfs:///mnist/train-labels-idx1-ubyte", 4).batch(128).shuffle(60_000, 42);
 * model.setStrategy(new MultiWorkerMirroredStrategy(sc, 4));
 * model.fit(FitOptions.of(train).epochs(10));
 * }</pre>
 *
 * <p><b>Batches.</b> With {@code W} partitions and a global batch {@code B}, step {@code s} of a
 * pass takes rows {@code [s*B/W, (s+1)*B/W)} of every shard (in the shard's order for that pass)
 * and the global batch is those local batches, partition 0 first. Shards are kept balanced (their
 * sizes differ by at most one); a pass has {@code ceil(n_min / (B/W))} steps, and its last step
 * takes every shard's remaining rows. With {@link #shuffle} each shard is permuted afresh every
 * pass, from the seed, the pass and the partition alone, so any executor reproduces it.
 *
 * <p>Iterated in this process (a model with no Spark strategy), the data set yields the same
 * global batches by bringing every shard here: meant for small data and for checking a
 * distributed run against one process.
 */
public final class SparkData extends Dataset {
    private final JavaRDD<Shard> shards;
    private final int[] counts;
    private final int[] xDims;
    private final int[] yDims;
    private final DType yDType;
    private final int batchSize;
    private final Long seed;
    /** Passes iterated in this process, numbering their shuffles as a cluster run numbers its own. */
    private long passes;

    private SparkData(JavaRDD<Shard> shards, int[] counts, int[] xDims, int[] yDims, DType yDType, int batchSize,
            Long seed) {
        this.shards = shards;
        this.counts = counts;
        this.xDims = xDims;
        this.yDims = yDims;
        this.yDType = yDType;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /**
     * Examples from shards built by Spark (any number of shards a partition, of the same example
     * shapes); cached, then described by one small job that counts each partition's rows. Nothing
     * is collected here.
     */
    static SparkData of(JavaRDD<Shard> pieces) {
        JavaRDD<Shard> merged = pieces.mapPartitions(it -> {
            List<Shard> list = new ArrayList<>();
            it.forEachRemaining(list::add);
            return list.isEmpty() ? List.<Shard>of().iterator() : List.of(Shard.concat(list)).iterator();
        }, true);
        return describe(merged.persist(StorageLevel.MEMORY_ONLY()));
    }

    private static SparkData describe(JavaRDD<Shard> cached) {
        List<Tuple2<Integer, Shard>> heads = cached.mapPartitionsWithIndex((p, it) -> {
            // A shard's description without its rows: shapes from a one-row copy.
            if (!it.hasNext()) {
                return List.<Tuple2<Integer, Shard>>of().iterator();
            }
            Shard s = it.next();
            return List.of(new Tuple2<>(s.rows(), s.rows() == 0 ? s : s.head())).iterator();
        }, true).collect();
        int parts = cached.getNumPartitions();
        if (heads.size() != parts) {
            throw new IllegalArgumentException("the data has " + parts + " partitions but only " + heads.size()
                    + " hold examples; every worker needs a non-empty shard (use fewer partitions)");
        }
        int[] counts = new int[parts];
        Shard first = heads.get(0)._2();
        for (int p = 0; p < parts; p++) {
            counts[p] = heads.get(p)._1();
            Shard h = heads.get(p)._2();
            if (!Arrays.equals(h.xDims(), first.xDims()) || !Arrays.equals(h.yDims(), first.yDims())
                    || h.yDType() != first.yDType()) {
                throw new IllegalArgumentException("partition " + p + " holds " + Shard.describe(h) + ", partition 0 "
                        + Shard.describe(first));
            }
            if (counts[p] == 0) {
                throw new IllegalArgumentException("partition " + p + " holds no examples; every worker needs some");
            }
        }
        return new SparkData(cached, counts, first.xDims(), first.yDims(), first.yDType(), 0, null);
    }

    /**
     * The rows of {@code x} and {@code y} (null for inputs alone; else as many rows as {@code x}) cut
     * into {@code partitions} contiguous, balanced shards and handed to Spark from this process: for
     * data that is already here, such as tests and small sets.
     */
    public static SparkData fromTensors(JavaSparkContext sc, Tensor x, Tensor y, int partitions) {
        int n = x.rank() == 0 ? 0 : x.shape().dim(0);
        if (partitions < 1 || partitions > n) {
            throw new IllegalArgumentException("fromTensors: partitions must be between 1 and the " + n
                    + " rows, got " + partitions);
        }
        if (y != null && (y.rank() == 0 || y.shape().dim(0) != n)) {
            throw new IllegalArgumentException("fromTensors: the features have " + n + " rows, the targets have shape "
                    + y.shape());
        }
        List<Shard> list = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            int from = bound(n, partitions, p);
            int to = bound(n, partitions, p + 1);
            list.add(Shard.of(x.rows(from, to), y == null ? null : y.rows(from, to)));
        }
        return of(sc.parallelize(list, partitions));
    }

    /** The first row of partition {@code p} of {@code n} rows cut into {@code parts} balanced ranges. */
    static int bound(long n, int parts, int p) {
        return (int) (n * p / parts);
    }

    /** This data set in global batches of {@code globalBatch} examples (a multiple of the partitions). */
    @Override
    public SparkData batch(int globalBatch) {
        if (globalBatch < 1) {
            throw new IllegalArgumentException("batch: the global batch size must be positive, got " + globalBatch);
        }
        if (globalBatch % counts.length != 0) {
            throw new IllegalArgumentException("batch: the global batch of " + globalBatch + " is not a multiple of the "
                    + counts.length + " partitions (each worker takes an equal share)");
        }
        return new SparkData(shards, counts, xDims, yDims, yDType, globalBatch, seed);
    }

    /** Spark data sets are batched by size only; {@code dropRemainder} must be false. */
    @Override
    public SparkData batch(int globalBatch, boolean dropRemainder) {
        if (dropRemainder) {
            throw new IllegalArgumentException("batch: a SparkData's last step takes every shard's remaining rows;"
                    + " dropRemainder is not available");
        }
        return batch(globalBatch);
    }

    /**
     * This data set with each shard permuted afresh every pass from {@code seed}. The permutation
     * covers the whole shard, whatever {@code bufferSize} (which must be positive).
     */
    @Override
    public SparkData shuffle(int bufferSize, long seed) {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("shuffle: bufferSize must be positive, got " + bufferSize);
        }
        return new SparkData(shards, counts, xDims, yDims, yDType, batchSize, seed);
    }

    /**
     * This data set in {@code workers} balanced shards, rows keeping their order (partition 0's
     * rows first): Spark moves the rows between executors; nothing comes here.
     */
    public SparkData repartition(int workers) {
        long n = count();
        if (workers < 1 || workers > n) {
            throw new IllegalArgumentException("repartition: workers must be between 1 and the " + n + " examples, got "
                    + workers);
        }
        if (workers == counts.length && isBalanced()) {
            return this;
        }
        long[] starts = new long[counts.length];
        for (int p = 1; p < counts.length; p++) {
            starts[p] = starts[p - 1] + counts[p - 1];
        }
        int sources = counts.length;
        // Source partition p sends each target worker w the part of its rows that falls in w's range.
        JavaPairRDD<Long, Shard> pieces = shards.mapPartitionsWithIndex((p, it) -> {
            List<Tuple2<Long, Shard>> out = new ArrayList<>();
            Shard s = it.next();
            long first = starts[p];
            for (int w = 0; w < workers; w++) {
                long from = Math.max(first, (long) bound(n, workers, w));
                long to = Math.min(first + s.rows(), (long) bound(n, workers, w + 1));
                if (from < to) {
                    out.add(new Tuple2<>((long) w * sources + p, s.rows((int) (from - first), (int) (to - first))));
                }
            }
            return out.iterator();
        }, true).mapToPair(t -> t);
        JavaRDD<Shard> moved = pieces.partitionBy(new WorkerPartitioner(workers, sources)).mapPartitions(it -> {
            List<Tuple2<Long, Shard>> list = new ArrayList<>();
            it.forEachRemaining(list::add);
            list.sort((a, b) -> Long.compare(a._1(), b._1()));
            List<Shard> ordered = new ArrayList<>();
            for (Tuple2<Long, Shard> t : list) {
                ordered.add(t._2());
            }
            return List.of(Shard.concat(ordered)).iterator();
        }, true);
        SparkData out = describe(moved.persist(StorageLevel.MEMORY_ONLY()));
        return new SparkData(out.shards, out.counts, out.xDims, out.yDims, out.yDType, batchSize, seed);
    }

    /** Sends key {@code w * sources + p} to partition {@code w}. */
    private static final class WorkerPartitioner extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int workers;
        private final int sources;

        WorkerPartitioner(int workers, int sources) {
            this.workers = workers;
            this.sources = sources;
        }

        @Override
        public int numPartitions() {
            return workers;
        }

        @Override
        public int getPartition(Object key) {
            return (int) ((Long) key / sources);
        }
    }

    private boolean isBalanced() {
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int c : counts) {
            min = Math.min(min, c);
            max = Math.max(max, c);
        }
        return max - min <= 1;
    }

    // ---------------------------------------------------------------------------------------
    // What the strategies read.

    /** The cached shards, one a partition. */
    JavaRDD<Shard> shards() {
        return shards;
    }

    /** The number of partitions, which is the number of workers that train on it. */
    public int numPartitions() {
        return counts.length;
    }

    /** The number of examples. */
    public long count() {
        long n = 0;
        for (int c : counts) {
            n += c;
        }
        return n;
    }

    /** Examples in each partition. */
    int[] counts() {
        return counts.clone();
    }

    /** The global batch size, or 0 before {@link #batch}. */
    public int batchSize() {
        return batchSize;
    }

    /** The global batch size, or an error naming {@code what} when the data is not batched. */
    int requireBatched(String what) {
        if (batchSize == 0) {
            throw new IllegalArgumentException(what + ": batch the SparkData first (data.batch(globalBatchSize))");
        }
        return batchSize;
    }

    /** The shape of one example's features. */
    public int[] featureShape() {
        return xDims.clone();
    }

    /** The shape of one example's target (null when there are none). */
    public int[] targetShape() {
        return yDims == null ? null : yDims.clone();
    }

    /** Whether the examples have targets. */
    public boolean hasTargets() {
        return yDims != null;
    }

    /**
     * The smallest and largest class index among the targets, from one small job (each partition
     * sends its two numbers). Only for integer targets.
     */
    public int[] labelRange() {
        if (yDType != DType.I32) {
            throw new IllegalStateException("labelRange: the targets are " + yDType + ", not class indices");
        }
        List<int[]> parts = shards.map(s -> {
            int min = Integer.MAX_VALUE;
            int max = Integer.MIN_VALUE;
            for (int v : s.y().toIntArray()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            return new int[] {min, max};
        }).collect();
        int[] out = {Integer.MAX_VALUE, Integer.MIN_VALUE};
        for (int[] p : parts) {
            out[0] = Math.min(out[0], p[0]);
            out[1] = Math.max(out[1], p[1]);
        }
        return out;
    }

    /** What a task needs to cut its shard's batches. */
    Plan plan() {
        return new Plan(counts.clone(), requireBatched("SparkData"), seed);
    }

    /**
     * How a pass is cut into steps: the same arithmetic on the driver and in every task.
     *
     * @param counts examples in each shard
     * @param batchSize the global batch size
     * @param seed the shuffle seed, or null for the shards' own order
     */
    record Plan(int[] counts, int batchSize, Long seed) implements Serializable {
        /** Examples each worker takes in a step (the last step of a pass takes the rest). */
        int localBatch() {
            return batchSize / counts.length;
        }

        /** Global steps in one pass. */
        long steps() {
            int min = Integer.MAX_VALUE;
            for (int c : counts) {
                min = Math.min(min, c);
            }
            return Math.max(1, (min + localBatch() - 1) / localBatch());
        }

        /** Rows {@code [from, to)} (of the pass's order) that shard {@code p} takes in step {@code step}. */
        int[] range(int p, long step) {
            int lb = localBatch();
            int from = (int) Math.min(step * lb, counts[p]);
            int to = step == steps() - 1 ? counts[p] : (int) Math.min((step + 1) * lb, counts[p]);
            return new int[] {from, to};
        }

        /** The examples of global step {@code step}: the sum of the shards' ranges. */
        int globalBatch(long step) {
            int n = 0;
            for (int p = 0; p < counts.length; p++) {
                int[] r = range(p, step);
                n += r[1] - r[0];
            }
            return n;
        }

        /** The order of shard {@code p}'s rows in pass {@code pass}, or null for the natural order. */
        int[] order(int p, long pass) {
            if (seed == null) {
                return null;
            }
            Rng rng = new Rng(seed * 0x9E3779B97F4A7C15L + pass * 0xC2B2AE3D27D4EB4FL + p);
            int[] order = new int[counts[p]];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            for (int i = order.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            return order;
        }

        /** Shard {@code p}'s local batch at {@code step} of {@code pass}. */
        Batch batch(Shard shard, int p, long pass, long step) {
            int[] r = range(p, step);
            return shard.batch(order(p, pass), r[0], r[1]);
        }
    }

    // ---------------------------------------------------------------------------------------
    // As an ordinary Dataset, in this process.

    @Override
    public long cardinality() {
        return plan().steps();
    }

    /**
     * The global batches of one pass, built here from every shard (see the class comment); one
     * pass a call, each shuffled afresh.
     */
    @Override
    public DatasetIterator iterator() {
        Plan plan = plan();
        List<Shard> local = new ArrayList<>();
        shards.toLocalIterator().forEachRemaining(local::add);
        long pass = passes++;
        return new DatasetIterator() {
            long step;

            @Override
            public boolean hasNext() {
                return step < plan.steps();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the pass is over");
                }
                List<Batch> parts = new ArrayList<>();
                for (int p = 0; p < local.size(); p++) {
                    parts.add(plan.batch(local.get(p), p, pass, step));
                }
                step++;
                return Batches.concat(parts);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public String toString() {
        return "SparkData(" + count() + " examples in " + counts.length + " partitions, features "
                + Arrays.toString(xDims) + (batchSize > 0 ? ", global batch " + batchSize : "") + ")";
    }
}
