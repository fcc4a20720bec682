package dev.vecgrad.train.distribute;

import dev.vecgrad.core.Tensor;
import java.util.List;
import java.util.Map;

/**
 * One fit, evaluate or predict running on a {@link ClusterStrategy}'s workers: the model's loop
 * asks it for executions of steps, as Keras's train function over a distributed iterator.
 * Metrics are merged into this process's model: after {@link #run}, {@link #logs} are the model's
 * metric results over every worker's samples since the model last reset its metrics.
 */
public interface ClusterRun extends AutoCloseable {
    /** Global steps in one pass over the data, or {@code Dataset.UNKNOWN}. */
    long cardinality();

    /** Starts a new pass over the data (a new epoch's order); the first pass starts by itself. */
    void startPass();

    /** Whether the current pass has steps left. */
    boolean hasNext();

    /**
     * Runs up to {@code limit} global steps of the current pass on the workers and merges their
     * metric states into the model's metrics; returns the number of steps run (at least one while
     * {@link #hasNext}).
     */
    int run(int limit);

    /** The model's metric results after the last {@link #run}, loss first. */
    Map<String, Double> logs();

    /** In predict mode, the outputs of the steps run so far, in data order, and forgets them. */
    List<Tensor> takeOutputs();

    /**
     * Makes this process's model hold the workers' current weights and optimizer state, so that
     * callbacks, validation and saving see them (a no-op where this process holds the variables).
     */
    void syncModel();

    /** Ends the run and frees what the workers hold for it. */
    @Override
    void close();
}
