package dev.vecgrad.train.distribute;

import dev.vecgrad.core.Tensor;
import java.util.List;
import java.util.function.Consumer;

/**
 * The replicas taking part in one step, and how they exchange values: the threads of a
 * {@link MirroredStrategy} sharing one set of variables, or processes each holding its own copy of
 * the model (a multi-worker strategy). A step reaches it through {@link ReplicaContext}.
 */
public interface ReplicaGroup {
    /** The number of replicas taking part in this step. */
    int numReplicas();

    /** Samples in the global batch: the sum of the replicas' local batches. */
    int globalBatch();

    /**
     * Sums {@code values} element by element over all replicas (a null entry counts as zero) and
     * hands the sums to {@code apply} once for each copy of the variables: once in all for replicas
     * that share them, once on every replica that holds its own. Returns when this replica may go
     * on. Every replica calls it with lists of the same length.
     */
    void allReduceSum(int replicaId, List<Tensor> values, Consumer<List<Tensor>> apply);

    /**
     * Waits until every replica has updated the metrics of this step, where replicas share the
     * metric objects; a group whose replicas each keep their own metrics (merged later from their
     * states) returns at once.
     */
    void sync(int replicaId);

    /** The lock replicas take to update shared state such as metrics one at a time. */
    Object lock();

    /** Marks the step failed and releases every replica waiting for this one. */
    void fail();
}
