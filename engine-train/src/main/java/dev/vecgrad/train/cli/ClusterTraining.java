package dev.vecgrad.train.cli;

import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.distribute.Strategy;
import java.util.Map;
import java.util.Set;

/**
 * Runs the {@code train} command's recipe on a cluster: {@code vecgrad train --spark local[2]}
 * finds an implementation on the class path through {@link java.util.ServiceLoader} (engine-spark
 * provides the Spark one, and the launcher puts it on the class path when the flag is given). The
 * command builds, compiles, trains, evaluates and saves the model as it does in one process; the
 * cluster supplies the strategy and the data, read where it lives.
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
    }
}
