package dev.vecgrad.spark;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.Model;
import dev.vecgrad.train.data.Batch;
import dev.vecgrad.train.distribute.ReplicaContext;
import dev.vecgrad.train.distribute.ReplicaGroup;
import dev.vecgrad.train.metrics.Metric;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.broadcast.Broadcast;

/**
 * One parameter-server step on a worker: take the weights the driver sent (unless the worker's
 * copy already has that version), compute the gradients of one local batch, and send them back
 * with the batch's metric states. The worker's optimizer is never used: the driver applies.
 *
 * @param run the run's id
 * @param blueprint how to make the worker's model copy
 * @param plan how the shard is ordered each pass
 * @param pass the worker's pass over its shard
 * @param from the batch's first row in that pass's order
 * @param to one past its last row
 * @param version the weights' version
 * @param weights the weights, by name, as safetensors bytes
 * @param replicas the workers whose gradients the driver adds up for one update (1 when asynchronous)
 * @param globalBatch the examples behind one update
 * @param fail whether to fail (the test hook)
 * @param dispatched the driver's version when the step was queued (at most {@code version})
 */
record PsTask(String run, Broadcast<ModelBlueprint> blueprint, SparkData.Plan plan, long pass, int from, int to,
        long version, byte[] weights, int replicas, int globalBatch, boolean fail, long dispatched) implements Serializable {

    /**
     * What a step sends back.
     *
     * @param worker the worker that ran it
     * @param version the weights' version it used
     * @param gradients the gradients, as a tensor list's bytes
     * @param metricStates the metric states of its batch
     * @param computeNanos time spent in the step
     * @param dispatched the driver's version when the step was queued
     */
    record Result(int worker, long version, byte[] gradients, List<double[]> metricStates, long computeNanos,
            long dispatched) implements Serializable {
    }

    Result run(int worker, Shard shard) {
        if (fail) {
            throw new FaultInjection.InjectedFailure("injected failure of worker " + worker + " (test hook)");
        }
        Replicas.Replica replica = Replicas.get(run, worker, () -> blueprint.value().build());
        synchronized (replica) {
            long start = System.nanoTime();
            Model model = replica.model;
            if (replica.version != version) {
                model.setNamedWeights(ModelState.read(weights));
                replica.version = version;
            }
            model.resetMetrics();
            Batch batch = shard.batch(plan.order(worker, pass), from, to);
            Capture capture = new Capture(replicas, globalBatch);
            ReplicaContext.runAs(capture, 0, batch.size(), () -> model.trainStep(batch));
            List<double[]> states = new ArrayList<>();
            for (Metric m : model.metrics()) {
                states.add(m.state());
            }
            return new Result(worker, version, TensorLists.encode(capture.gradients), states, System.nanoTime() - start,
                    dispatched);
        }
    }

    /** A replica group whose all-reduce keeps the gradients for the driver instead of applying them. */
    private static final class Capture implements ReplicaGroup {
        private final int replicas;
        private final int globalBatch;
        List<Tensor> gradients;

        Capture(int replicas, int globalBatch) {
            this.replicas = replicas;
            this.globalBatch = globalBatch;
        }

        @Override
        public int numReplicas() {
            return replicas;
        }

        @Override
        public int globalBatch() {
            return globalBatch;
        }

        @Override
        public void allReduceSum(int replicaId, List<Tensor> values, Consumer<List<Tensor>> apply) {
            if (gradients != null) {
                throw new IllegalStateException("a parameter-server step applies gradients once; this train step applied"
                        + " them twice");
            }
            gradients = values;
        }

        @Override
        public void sync(int replicaId) {
        }

        @Override
        public Object lock() {
            return this;
        }

        @Override
        public void fail() {
        }
    }
}
