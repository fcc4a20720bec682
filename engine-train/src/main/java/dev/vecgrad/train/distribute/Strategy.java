package dev.vecgrad.train.distribute;

import dev.vecgrad.train.data.Batch;
import java.util.Map;
import java.util.function.Function;

/**
 * How a training or evaluation step runs over the available workers, as
 * {@code tf.distribute.Strategy}. {@link OneDeviceStrategy} runs a step as it is;
 * {@link MirroredStrategy} splits each global batch between replicas that run the same step at once
 * on their own threads and combine their gradients before one update.
 *
 * <p>Steps meet the strategy through {@link ReplicaContext}: the model's {@code applyGradients}
 * all-reduces there, losses are scaled by {@link ReplicaContext#lossScale} so that the replicas'
 * gradients add up to the global batch's, and metric updates are serialised by
 * {@link ReplicaContext#lock}.
 */
public interface Strategy {
    /** The number of replicas a step runs on. */
    int numReplicas();

    /**
     * Runs {@code step} on {@code batch} (split between the replicas) and returns the logs of the
     * first replica, as Keras's {@code strategy.run(...)} followed by {@code unwrap(...)[0]}.
     */
    Map<String, Double> run(Function<Batch, Map<String, Double>> step, Batch batch);

    /** The default: one replica on the calling thread. */
    static Strategy oneDevice() {
        return OneDeviceStrategy.INSTANCE;
    }
}
