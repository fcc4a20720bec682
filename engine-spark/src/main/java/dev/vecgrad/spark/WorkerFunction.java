package dev.vecgrad.spark;

import dev.vecgrad.core.Tensor;
import java.io.Serializable;

/**
 * A function a {@link ClusterCoordinator} runs on one worker, as a Spark task next to that
 * worker's shard of the data.
 *
 * @param <T> what it returns to the driver
 */
@FunctionalInterface
public interface WorkerFunction<T extends Serializable> extends Serializable {
    /**
     * Runs on worker {@code worker}, given its shard: every example's features and targets (null
     * when the data has none), one row an example.
     */
    T apply(int worker, Tensor features, Tensor targets);
}
