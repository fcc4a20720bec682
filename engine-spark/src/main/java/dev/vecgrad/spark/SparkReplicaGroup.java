package dev.vecgrad.spark;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.Recording;
import dev.vecgrad.train.distribute.ReplicaGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The replicas of one step, one a barrier task, each holding its own copy of the model. The
 * all-reduce gathers every task's gradients through the {@link BarrierExchange} and each task adds
 * them up in partition order and applies the sum to its copy, so the copies stay identical.
 * Metrics stay with each task and are merged on the driver, so {@link #sync} waits for nobody.
 */
final class SparkReplicaGroup implements ReplicaGroup {
    private final BarrierExchange exchange;
    private final int globalBatch;

    SparkReplicaGroup(BarrierExchange exchange, int globalBatch) {
        this.exchange = exchange;
        this.globalBatch = globalBatch;
    }

    @Override
    public int numReplicas() {
        return exchange.size();
    }

    @Override
    public int globalBatch() {
        return globalBatch;
    }

    @Override
    public void allReduceSum(int replicaId, List<Tensor> values, Consumer<List<Tensor>> apply) {
        byte[][] all = exchange.allGather(TensorLists.encode(values));
        List<List<Tensor>> lists = new ArrayList<>(all.length);
        for (byte[] b : all) {
            lists.add(TensorLists.decode(b));
        }
        try (Recording.Paused p = Recording.pause()) {
            apply.accept(TensorLists.sum(lists));
        }
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
        // Spark ends the other tasks of a barrier stage when one fails.
    }
}
