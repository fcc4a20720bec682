package dev.vecgrad.spark;

import dev.vecgrad.train.cli.spi.ClusterTraining;
import dev.vecgrad.train.distribute.Strategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code vecgrad train --spark MASTER}: the command-line trainer's recipe on Spark. Flags:
 * <ul>
 *   <li>{@code --spark MASTER}: {@code local[N]}, {@code spark://host:7077}, {@code yarn}, {@code k8s://...}
 *       (under {@code spark-submit}, give the same master);</li>
 *   <li>{@code --workers W}: workers (default: N of {@code local[N]}, else Spark's default parallelism);</li>
 *   <li>{@code --strategy mirrored|ps|ps-sync}: synchronous data parallelism (default), or a
 *       parameter server, asynchronous or synchronous;</li>
 *   <li>{@code --sync-every K}: mirrored only, K local steps between weight averages (default 1:
 *       gradients all-reduced every step);</li>
 *   <li>{@code --staleness S}: ps only, the staleness bound (default W);</li>
 *   <li>{@code --steps-per-execution N}: steps in each Spark job (default: a quarter of an epoch).</li>
 * </ul>
 * The IDX files are read by the executors, so on a cluster give paths they can all reach
 * ({@code hdfs://...}).
 */
public final class SparkClusterTraining implements ClusterTraining {
    private static final Set<String> FLAGS = Set.of("workers", "strategy", "sync-every", "staleness",
            "steps-per-execution");
    private static final Pattern LOCAL = Pattern.compile("local\\[(\\d+|\\*)(?:,\\d+)?]");

    /** The provider {@link java.util.ServiceLoader} makes. */
    public SparkClusterTraining() {
    }

    @Override
    public String flag() {
        return "spark";
    }

    @Override
    public Set<String> flags() {
        return FLAGS;
    }

    @Override
    public Session open(String master, Map<String, String> options, long seed) {
        String strategyName = options.getOrDefault("strategy", "mirrored");
        if (!Set.of("mirrored", "ps", "ps-sync").contains(strategyName)) {
            throw new IllegalArgumentException("train: --strategy must be mirrored, ps or ps-sync, got '" + strategyName
                    + "'");
        }
        int syncEvery = positive(options, "sync-every", 1);
        if (syncEvery != 1 && !strategyName.equals("mirrored")) {
            throw new IllegalArgumentException("train: --sync-every goes with --strategy mirrored");
        }
        if (options.containsKey("staleness") && !strategyName.equals("ps")) {
            throw new IllegalArgumentException("train: --staleness goes with --strategy ps");
        }
        int stepsPerExecution = positive(options, "steps-per-execution", 0);
        SparkConf conf = new SparkConf().setMaster(master).setAppName("vecgrad train");
        if (LOCAL.matcher(master).matches()) {
            conf.set("spark.driver.bindAddress", "127.0.0.1").set("spark.driver.host", "127.0.0.1");
        }
        // The command prints its own progress; Spark's INFO lines would bury it.
        org.apache.logging.log4j.core.config.Configurator.setRootLevel(org.apache.logging.log4j.Level.WARN);
        JavaSparkContext sc = new JavaSparkContext(conf);
        try {
            int workers = options.containsKey("workers") ? positive(options, "workers", 1) : defaultWorkers(master, sc);
            SparkStrategy strategy = switch (strategyName) {
                case "ps" -> new ParameterServerStrategy(sc, workers).asynchronous(options.containsKey("staleness")
                        ? nonNegative(options, "staleness") : workers);
                case "ps-sync" -> new ParameterServerStrategy(sc, workers).synchronous();
                default -> new MultiWorkerMirroredStrategy(sc, workers).syncEvery(syncEvery);
            };
            return new SparkSession(sc, master, strategy, stepsPerExecution);
        } catch (RuntimeException e) {
            sc.stop();
            throw e;
        }
    }

    private static int defaultWorkers(String master, JavaSparkContext sc) {
        Matcher m = LOCAL.matcher(master);
        if (m.matches()) {
            return m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(m.group(1));
        }
        return sc.defaultParallelism();
    }

    private static int positive(Map<String, String> options, String name, int fallback) {
        String v = options.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("train: --" + name + " must be a positive integer, got '" + v + "'");
    }

    private static int nonNegative(Map<String, String> options, String name) {
        String v = options.get(name);
        try {
            int n = Integer.parseInt(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("train: --" + name + " must be a non-negative integer, got '" + v + "'");
    }

    /** A Spark context and the strategy on it, for one run of the command. */
    private static final class SparkSession implements Session {
        private final JavaSparkContext sc;
        private final String master;
        private final SparkStrategy strategy;
        private final int stepsPerExecution;

        SparkSession(JavaSparkContext sc, String master, SparkStrategy strategy, int stepsPerExecution) {
            this.sc = sc;
            this.master = master;
            this.strategy = strategy;
            this.stepsPerExecution = stepsPerExecution;
        }

        @Override
        public Strategy strategy() {
            return strategy;
        }

        @Override
        public Images images(String prefix, int batchSize, Long shuffleSeed, int classes) {
            String images = find(prefix + "-images-idx3-ubyte");
            String labels = find(prefix + "-labels-idx1-ubyte");
            SparkData data = SparkSources.idx(sc, images, labels, strategy.numReplicas());
            int[] range = data.labelRange();
            if (range[0] < 0 || range[1] >= classes) {
                throw new IllegalArgumentException(labels + ": labels run from " + range[0] + " to " + range[1]
                        + ", outside the " + classes + " classes 0.." + (classes - 1));
            }
            if (batchSize % strategy.numReplicas() != 0) {
                throw new IllegalArgumentException("train: --batch-size " + batchSize + " is not a multiple of the "
                        + strategy.numReplicas() + " workers (each takes an equal share of the global batch)");
            }
            SparkData batched = data.batch(batchSize);
            return new Images(shuffleSeed == null ? batched : batched.shuffle((int) data.count(), shuffleSeed),
                    data.featureShape());
        }

        /** {@code base} or {@code base.gz}, whichever exists, through Hadoop's file systems. */
        private String find(String base) {
            try {
                for (String candidate : new String[] {base, base + ".gz"}) {
                    Path p = new Path(candidate);
                    FileSystem fs = p.getFileSystem(new Configuration());
                    if (fs.exists(p)) {
                        return candidate;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot look for " + base + ": " + e.getMessage(), e);
            }
            throw new IllegalArgumentException("no such file: " + base + " (nor " + base + ".gz)");
        }

        @Override
        public int stepsPerExecution(long stepsPerEpoch) {
            return stepsPerExecution > 0 ? stepsPerExecution : (int) Math.max(1, (stepsPerEpoch + 3) / 4);
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "spark %s (master %s): %s", sc.version(), master, strategy);
        }

        @Override
        public String report() {
            return "spark: " + strategy.stats();
        }

        @Override
        public void close() {
            sc.stop();
        }
    }
}
