package dev.vecgrad.spark;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.io.SafeTensors;
import dev.vecgrad.train.Model;
import dev.vecgrad.train.distribute.ClusterRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.spark.broadcast.Broadcast;

/**
 * The driver's side of parameter-server training: the driver's model holds the variables and
 * its optimizer applies every update; each step is a closure the {@link ClusterCoordinator}
 * gives to a free worker, which pulls the current weights, computes the gradients of the next
 * batch of its own shard and pushes them back.
 *
 * <p>Asynchronous: each step is one worker's batch of the global size, applied as soon as it
 * arrives. A step is dispatched only while no gradient in flight can end up more than
 * {@code maxStaleness} updates old: the oldest one in flight, plus every other in flight that
 * might be applied before it, stays within the bound (a slow worker holds the others back, as in
 * stale-synchronous training). Synchronous: a step is one local batch
 * (the global batch's share) from each of {@code W} closures, all computed from the same weights
 * and added up before one update. Updates, metric merges and dispatch all happen on the thread
 * that calls {@link #run}, so callbacks never see the model change under them.
 */
final class PsRun implements ClusterRun {
    private final ParameterServerStrategy strategy;
    private final Model model;
    private final ClusterCoordinator coordinator;
    private final SparkData.Plan plan;
    private final String id = UUID.randomUUID().toString();
    private final Broadcast<ModelBlueprint> blueprint;
    private final boolean sync;
    private final int maxStaleness;
    private final int localBatch;
    private final Cursor[] cursors;
    private final LinkedBlockingQueue<Outcome> done = new LinkedBlockingQueue<>();
    /** The weights workers pull: replaced by the thread that applies updates, read by the workers' threads. */
    private volatile Pulled pulled;
    private long version;
    private long scheduled;
    private long applied;
    private int inFlight;
    /** How many closures in flight were dispatched at each version: the oldest bounds the staleness to come. */
    private final java.util.TreeMap<Long, Integer> dispatchedAt = new java.util.TreeMap<>();
    private int maxStalenessSeen;
    private final List<PsTask.Result> group = new ArrayList<>();

    private record Pulled(long version, byte[] weights) {
    }

    /** A finished closure: its result, or the failure that ended it for good. */
    private record Outcome(PsTask.Result result, RuntimeException failure) {
    }

    PsRun(ParameterServerStrategy strategy, Model model, SparkData data) {
        this.strategy = strategy;
        this.model = model;
        this.coordinator = new ClusterCoordinator(strategy, data);
        SparkData sharded = coordinator.data();
        this.plan = sharded.plan();
        this.sync = strategy.isSynchronous();
        this.maxStaleness = strategy.maxStaleness();
        this.localBatch = sync ? plan.localBatch() : plan.batchSize();
        this.blueprint = strategy.sparkContext().broadcast(ModelBlueprint.of(model, strategy.modelFactory(),
                sharded.featureShape()));
        if (!sharded.hasTargets()) {
            throw new IllegalArgumentException("fit: the SparkData has no targets");
        }
        SparkStrategy.buildMetrics(model, sharded, blueprint.value());
        this.cursors = new Cursor[plan.counts().length];
        for (int w = 0; w < cursors.length; w++) {
            cursors[w] = new Cursor(w);
        }
        this.pulled = new Pulled(0, weightBytes());
        strategy.resetStats();
    }

    private byte[] weightBytes() {
        return SafeTensors.toBytes(model.namedWeights(), Map.of());
    }

    /**
     * Where a worker is in its own pass over its shard; worker {@code w}'s cursor is only moved by
     * worker {@code w}'s thread. A pass ends with whatever rows are left, then the next starts.
     */
    private final class Cursor {
        final int worker;
        long pass;
        int row;

        Cursor(int worker) {
            this.worker = worker;
        }

        /** The next batch: {pass, from, to}. */
        long[] next() {
            int n = plan.counts()[worker];
            if (row >= n) {
                pass++;
                row = 0;
            }
            int from = row;
            row = Math.min(n, row + localBatch);
            return new long[] {pass, from, row};
        }
    }

    @Override
    public long cardinality() {
        return plan.steps();
    }

    @Override
    public void startPass() {
        applied = 0;
        scheduled = 0;
    }

    @Override
    public boolean hasNext() {
        return applied < plan.steps();
    }

    /** Keeps the workers busy until {@code limit} more updates are applied (or the pass's last). */
    @Override
    public int run(int limit) {
        long target = Math.min(plan.steps(), applied + limit);
        long before = applied;
        while (applied < target) {
            dispatchWhatFits();
            Outcome o;
            try {
                o = done.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the workers", e);
            }
            inFlight--;
            if (o.result != null) {
                dispatchedAt.merge(o.result.dispatched(), -1, (a, b) -> a + b == 0 ? null : a + b);
            }
            if (o.failure != null) {
                throw new IllegalStateException("a parameter-server step failed on " + ClusterCoordinator.MAX_ATTEMPTS
                        + " attempts: " + o.failure.getMessage(), o.failure);
            }
            receive(o.result);
        }
        return (int) (applied - before);
    }

    /**
     * Asynchronous: closures up to the staleness bound. Synchronous: the next step's shares, once
     * the last step is applied.
     */
    private void dispatchWhatFits() {
        if (sync) {
            if (inFlight == 0 && scheduled < plan.steps()) {
                for (int w = 0; w < strategy.numReplicas(); w++) {
                    dispatch(strategy.numReplicas(), plan.batchSize());
                }
                scheduled++;
            }
            return;
        }
        while (scheduled < plan.steps() && staysWithinBound()) {
            dispatch(1, localBatch);
            scheduled++;
        }
    }

    /**
     * Whether one more closure can be in flight without any gradient in flight becoming more than
     * {@code maxStaleness} updates old: the oldest was dispatched at some version and every other
     * closure in flight, the new one included, may be applied before it.
     */
    private boolean staysWithinBound() {
        return dispatchedAt.isEmpty() || version - dispatchedAt.firstKey() + inFlight <= maxStaleness;
    }

    /**
     * Queues one closure: on whichever worker takes it, the next batch of that worker's shard with
     * the weights current at that moment; the outcome lands in {@link #done}.
     */
    private void dispatch(int replicas, int globalBatch) {
        inFlight++;
        long at = version;
        dispatchedAt.merge(at, 1, Integer::sum);
        RemoteValue<PsTask.Result> value = coordinator.schedule(ClusterCoordinator.closure(worker -> {
            long[] b = cursors[worker].next();
            Pulled p = pulled;
            PsTask task = new PsTask(id, blueprint, plan, b[0], (int) b[1], (int) b[2], p.version(), p.weights(), replicas,
                    globalBatch, strategy.takeFault(worker), at);
            long start = System.nanoTime();
            PsTask.Result r = coordinator.onWorker(worker, shard -> task.run(worker, shard));
            strategy.record(1, System.nanoTime() - start, r.computeNanos(), 0, 0);
            return r;
        }));
        value.whenDone((r, e) -> done.add(new Outcome(r, e == null ? null
                : e instanceof RuntimeException re ? re : new IllegalStateException(e))));
    }

    /** Applies a result (asynchronous), or keeps it until the step's every share is in (synchronous). */
    private void receive(PsTask.Result r) {
        SparkStrategy.mergeMetrics(model, r.metricStates());
        if (!sync) {
            maxStalenessSeen = Math.max(maxStalenessSeen, (int) (version - r.version()));
            strategy.recordStaleness(maxStalenessSeen);
            apply(TensorLists.decode(r.gradients()));
            return;
        }
        group.add(r);
        if (group.size() == strategy.numReplicas()) {
            group.sort(java.util.Comparator.comparingInt(PsTask.Result::worker));
            List<List<Tensor>> lists = new ArrayList<>();
            for (PsTask.Result g : group) {
                lists.add(TensorLists.decode(g.gradients()));
            }
            group.clear();
            apply(TensorLists.sum(lists));
        }
    }

    private void apply(List<Tensor> gradients) {
        model.applyGradients(gradients, model.trainableWeights());
        version++;
        applied++;
        pulled = new Pulled(version, weightBytes());
    }

    @Override
    public Map<String, Double> logs() {
        return model.metricResults();
    }

    @Override
    public List<Tensor> takeOutputs() {
        return List.of();
    }

    /** The driver holds the variables: nothing to bring back. */
    @Override
    public void syncModel() {
    }

    @Override
    public void close() {
        coordinator.close();
        String run = id;
        coordinator.data().shards().foreachPartition(it -> Replicas.drop(run));
        blueprint.destroy();
    }
}
