package dev.vecgrad.train.cli.spi;

import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.distribute.Strategy;
import java.util.Map;
import java.util.Set;

/**
 * The service interface through which the command-line trainer runs its {@code train} recipe on
 * a cluster. The command builds, compiles, trains, evaluates and saves the model as it does in one
 * process; the cluster supplies the strategy and the data, read where it lives.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}: engine-spark's
 * {@code dev.vecgrad.spark.SparkClusterTraining} is the one the project ships (flag
 * {@code --spark MASTER}), listed in its {@code META-INF/services/dev.vecgrad.train.cli.spi.ClusterTraining};
 * the {@code vecgrad} launcher puts engine-spark and Spark on the class path when that flag is
 * given. Another back end implements this interface with a public no-argument constructor, lists
 * itself in the same kind of file (or {@code provides} it from a module), and is selected by its
 * {@link #flag()}.
 */
public interface ClusterTraining {
    /** The flag that selects this cluster; its value says where the cluster is ({@code local[2]}, {@code yarn}, ...). */
    String flag();

    /** The further flags this cluster reads, without {@code --}. */
    Set<String> flags();

    /**
     * Connects to the cluster at {@code address} with the values of {@link #flags} that were given
     * ({@code options}), and the seed of the run.
     */
    Session open(String address, Map<String, String> options, long seed);

    /** A connection to the cluster for one run of the command. */
    interface Session extends AutoCloseable {
        /** The strategy the model trains under. */
        Strategy strategy();

        /**
         * The images and labels of the IDX files named by {@code prefix} (as the command names
         * them), held by the cluster, in global batches of {@code batchSize}; shuffled every pass
         * from {@code shuffleSeed}, or in file order when it is null. Labels outside
         * {@code [0, classes)} are an error naming the files.
         */
        Images images(String prefix, int batchSize, Long shuffleSeed, int classes);

        /** The steps each execution (one cluster job) runs, for an epoch of {@code stepsPerEpoch} steps. */
        int stepsPerExecution(long stepsPerEpoch);

        /** One line saying where the run goes, for the command's output. */
        String describe();

        /** Where the time went, for the command's output after training (empty when there is nothing to say). */
        String report();

        /** Disconnects. */
        @Override
        void close();
    }

    /**
     * A data set of images and the shape of one image.
     *
     * @param data the batched data set
     * @param imageShape rows, columns and channels of one image
     */
    record Images(Dataset data, int[] imageShape) {
        /** Keeps its own copy of {@code imageShape}. */
        public Images {
            imageShape = imageShape.clone();
        }

        /** Rows, columns and channels of one image (a copy). */
        @Override
        public int[] imageShape() {
            return imageShape.clone();
        }
    }
}
