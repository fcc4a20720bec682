package dev.vecgrad.spark;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.Model;
import dev.vecgrad.train.data.Batch;
import dev.vecgrad.train.distribute.ClusterStrategy.Mode;
import dev.vecgrad.train.distribute.ReplicaContext;
import dev.vecgrad.train.metrics.Metric;
import dev.vecgrad.core.io.SafeTensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.TaskContext;

/**
 * What one worker does in one job of a multi-worker mirrored run: find (or make) its model copy,
 * make sure it holds the job's starting state, run the job's steps on its shard, and report its
 * metric states. Training jobs run as barrier tasks, whose steps all-reduce through the
 * {@link BarrierExchange}; evaluation and prediction need no exchange.
 */
final class WorkerTask {
    private WorkerTask() {
    }

    /** Runs {@code spec} on worker {@code partition}, whose shard is {@code shard}. */
    static WorkerResult run(JobSpec spec, int partition, Shard shard) {
        TaskContext ctx = TaskContext.get();
        Replicas.Replica replica = Replicas.get(spec.run(), partition, () -> spec.blueprint().value().build());
        synchronized (replica) {
            return run(spec, partition, shard, ctx, replica);
        }
    }

    private static WorkerResult run(JobSpec spec, int partition, Shard shard, TaskContext ctx, Replicas.Replica replica) {
        Model model = replica.model;
        BarrierExchange exchange = spec.mode() == Mode.TRAIN ? new BarrierExchange(BarrierTaskContext.get()) : null;
        if (spec.learningRate() != null) {
            model.optimizer().setLearningRate(spec.learningRate());
        }
        SparkData.Plan plan = spec.plan();
        if (exchange != null && StateRecovery.ensure(replica, spec, exchange)) {
            // Every worker lost its copy: start over from the driver's state with the steps since.
            for (JobSpec.Steps past : spec.replay()) {
                for (int i = 0; i < past.count(); i++) {
                    trainStep(spec, replica, plan, shard, partition, past.pass(), past.first() + i, i == past.count() - 1,
                            exchange, ctx);
                }
            }
        } else if (replica.version != spec.startVersion()) {
            spec.driverState().value().applyTo(model);
            replica.version = spec.startVersion();
        }
        model.resetMetrics();
        List<Tensor> outputs = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < spec.steps(); i++) {
            ctx.killTaskIfInterrupted();
            long step = spec.firstStep() + i;
            switch (spec.mode()) {
                case TRAIN -> trainStep(spec, replica, plan, shard, partition, spec.pass(), step, i == spec.steps() - 1,
                        exchange, ctx);
                case TEST -> model.testStep(plan.batch(shard, partition, spec.pass(), step));
                case PREDICT -> outputs.add(model.predictStep(plan.batch(shard, partition, spec.pass(), step).x()));
            }
        }
        long exchangeNanos = exchange == null ? 0 : exchange.nanos();
        long computeNanos = System.nanoTime() - start - exchangeNanos;
        List<double[]> states = new ArrayList<>();
        for (Metric m : model.metrics()) {
            states.add(m.state());
        }
        ModelState state = spec.returnState() && partition == 0 ? ModelState.of(model, replica.version) : null;
        return new WorkerResult(partition, states, spec.mode() == Mode.PREDICT ? TensorLists.encode(outputs) : null, state,
                computeNanos, exchangeNanos, exchange == null ? 0 : exchange.bytesSent());
    }

    /**
     * One training step of {@code pass}: gradients all-reduced, or a local step that ends in an
     * average every {@code syncEvery} steps and at the end of the job.
     */
    private static void trainStep(JobSpec spec, Replicas.Replica replica, SparkData.Plan plan, Shard shard, int partition,
            long pass, long step, boolean lastOfJob, BarrierExchange exchange, TaskContext ctx) {
        if (spec.fault() != null) {
            spec.fault().maybeFail(ctx, replica.version);
        }
        Model model = replica.model;
        Batch batch = plan.batch(shard, partition, pass, step);
        if (spec.syncEvery() == 1) {
            SparkReplicaGroup group = new SparkReplicaGroup(exchange, plan.globalBatch(step));
            ReplicaContext.runAs(group, partition, batch.size(), () -> model.trainStep(batch));
        } else {
            model.trainStep(batch);
            if ((step + 1) % spec.syncEvery() == 0 || lastOfJob) {
                average(model, exchange);
            }
        }
        replica.version++;
    }

    /** Replaces every worker's weights and optimizer slots by their mean over the workers. */
    private static void average(Model model, BarrierExchange exchange) {
        Map<String, Tensor> mine = new LinkedHashMap<>();
        model.namedWeights().forEach((k, v) -> mine.put(WEIGHT + k, v));
        model.optimizer().state().forEach((k, v) -> mine.put(SLOT + k, v));
        byte[][] all = exchange.allGather(SafeTensors.toBytes(mine, Map.of()));
        List<Map<String, Tensor>> maps = new ArrayList<>();
        for (byte[] b : all) {
            maps.add(ModelState.read(b));
        }
        Map<String, Tensor> weights = new LinkedHashMap<>();
        Map<String, Tensor> slots = new LinkedHashMap<>();
        TensorLists.mean(maps).forEach((k, v) -> {
            if (k.startsWith(WEIGHT)) {
                weights.put(k.substring(WEIGHT.length()), v);
            } else {
                slots.put(k.substring(SLOT.length()), v);
            }
        });
        model.setNamedWeights(weights);
        model.optimizer().loadState(slots);
    }

    private static final String WEIGHT = "weight:";
    private static final String SLOT = "slot:";
}
