package dev.vecgrad.spark;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.Model;
import dev.vecgrad.train.distribute.ClusterRun;
import dev.vecgrad.train.distribute.ClusterStrategy.Mode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.HashPartitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import scala.Function1;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The driver's side of a {@link MultiWorkerMirroredStrategy} run: one Spark job for each
 * execution of steps. Workers keep their model copies between jobs; the driver sends its own
 * state when a run starts and keeps the newest state it has been sent; workers that all lost their
 * copies start from it again and replay the steps since.
 *
 * <p>Training jobs are barrier stages followed by a one-partition shuffle of the results: Spark
 * retries a failed barrier stage only when its output feeds a shuffle (a failed barrier result
 * stage ends the job), and a retried stage starts every worker over from the job's first step.
 */
final class MirroredRun implements ClusterRun {
    private static final ClassTag<WorkerResult> RESULT = ClassTag$.MODULE$.apply(WorkerResult.class);

    private final SparkStrategy strategy;
    private final int syncEvery;
    private final FaultInjection fault;
    private final Model model;
    private final Mode mode;
    private final SparkData data;
    private final SparkData.Plan plan;
    private final String id = UUID.randomUUID().toString();
    private final Broadcast<ModelBlueprint> blueprint;
    private Broadcast<ModelState> driverState;
    /** Training steps since the driver's state, which workers that all lost their copies replay. */
    private final List<JobSpec.Steps> sinceDriverState = new ArrayList<>();
    private ModelState latest;
    private long version;
    private long pass;
    private long step;
    private final List<Tensor> outputs = new ArrayList<>();
    private boolean closed;

    /**
     * A run of {@code mode} over {@code data}; training all-reduces every step or averages every
     * {@code syncEvery} steps, failing as {@code fault} says (null: never).
     */
    MirroredRun(SparkStrategy strategy, Model model, SparkData data, Mode mode, int syncEvery, FaultInjection fault) {
        this.strategy = strategy;
        this.syncEvery = syncEvery;
        this.fault = fault;
        this.model = model;
        this.mode = mode;
        this.data = mode == Mode.TRAIN ? data.repartition(strategy.numReplicas()) : data;
        this.plan = this.data.plan();
        if (mode != Mode.PREDICT && !data.hasTargets()) {
            throw new IllegalArgumentException((mode == Mode.TRAIN ? "fit" : "evaluate") + ": the SparkData has no targets");
        }
        var sc = strategy.sparkContext();
        this.blueprint = sc.broadcast(ModelBlueprint.of(model, strategy.modelFactory(), data.featureShape()));
        if (mode != Mode.PREDICT) {
            SparkStrategy.buildMetrics(model, data, blueprint.value());
        }
        this.latest = ModelState.of(model, 0);
        this.driverState = sc.broadcast(latest);
        strategy.resetStats();
    }

    @Override
    public long cardinality() {
        return plan.steps();
    }

    @Override
    public void startPass() {
        pass++;
        step = 0;
    }

    @Override
    public boolean hasNext() {
        return step < plan.steps();
    }

    @Override
    public int run(int limit) {
        if (!hasNext()) {
            throw new IllegalStateException("the pass is over; start a new one");
        }
        int n = (int) Math.min(limit, plan.steps() - step);
        boolean passEnds = step + n == plan.steps();
        JobSpec spec = spec(step, n, mode == Mode.TRAIN && passEnds);
        List<WorkerResult> results = mode == Mode.TRAIN ? train(spec) : runPlain(spec);
        merge(results);
        if (mode == Mode.TRAIN) {
            version += n;
            sinceDriverState.add(new JobSpec.Steps(spec.pass(), spec.firstStep(), spec.steps()));
            if (results.get(0).state() != null) {
                latest = results.get(0).state();
            }
        } else if (mode == Mode.PREDICT) {
            collectOutputs(results, n);
        }
        step += n;
        return n;
    }

    private JobSpec spec(long first, int n, boolean returnState) {
        Double lr = model.optimizer() != null && model.optimizer().schedule() == null ? model.optimizer().learningRate() : null;
        return new JobSpec(id, mode, blueprint, plan, pass, first, n, version, driverState, lr, syncEvery, returnState, fault,
                List.copyOf(sinceDriverState));
    }

    /** Runs a training job. */
    private List<WorkerResult> train(JobSpec spec) {
        try {
            return runBarrier(spec);
        } catch (Exception e) { // Spark's job failure is a checked SparkException that Java does not see declared
            String m = String.valueOf(e.getMessage()).strip();
            int nl = m.indexOf('\n');
            throw new IllegalStateException("training on Spark failed: " + (nl < 0 ? m : m.substring(0, nl)), e);
        }
    }

    private List<WorkerResult> runBarrier(JobSpec spec) {
        long start = System.nanoTime();
        JavaRDD<WorkerResult> results = new JavaRDD<>(data.shards().rdd().barrier().mapPartitions(taskFor(spec), true,
                RESULT), RESULT);
        List<WorkerResult> list = new ArrayList<>(results.mapToPair(r -> new Tuple2<>(0, r))
                .partitionBy(new HashPartitioner(1)).values().collect());
        list.sort(Comparator.comparingInt(WorkerResult::partition));
        strategy.record(spec.steps(), System.nanoTime() - start, list);
        return list;
    }

    private static Function1<scala.collection.Iterator<Shard>, scala.collection.Iterator<WorkerResult>> taskFor(
            JobSpec spec) {
        return (Function1<scala.collection.Iterator<Shard>, scala.collection.Iterator<WorkerResult>> & java.io.Serializable) it -> {
            WorkerResult r = WorkerTask.run(spec, TaskContext.getPartitionId(), it.next());
            return CollectionConverters.asScala(List.of(r).iterator());
        };
    }

    private List<WorkerResult> runPlain(JobSpec spec) {
        long start = System.nanoTime();
        List<WorkerResult> list = new ArrayList<>(data.shards().mapPartitionsWithIndex(
                (p, it) -> List.of(WorkerTask.run(spec, p, it.next())).iterator(), true).collect());
        list.sort(Comparator.comparingInt(WorkerResult::partition));
        strategy.record(spec.steps(), System.nanoTime() - start, list);
        return list;
    }

    /** Adds every worker's metric states to the model's metrics. */
    private void merge(List<WorkerResult> results) {
        if (mode == Mode.PREDICT) {
            return;
        }
        for (WorkerResult r : results) {
            SparkStrategy.mergeMetrics(model, r.metricStates());
        }
    }

    /** Global step {@code i}'s outputs are every worker's {@code i}-th output, partition 0 first. */
    private void collectOutputs(List<WorkerResult> results, int n) {
        List<List<Tensor>> perWorker = new ArrayList<>();
        for (WorkerResult r : results) {
            perWorker.add(TensorLists.decode(r.outputs()));
        }
        for (int i = 0; i < n; i++) {
            List<Tensor> rows = new ArrayList<>();
            for (List<Tensor> w : perWorker) {
                rows.add(w.get(i));
            }
            outputs.add(Batches.rows(rows));
        }
    }

    @Override
    public Map<String, Double> logs() {
        return model.metricResults();
    }

    @Override
    public List<Tensor> takeOutputs() {
        List<Tensor> out = new ArrayList<>(outputs);
        outputs.clear();
        return out;
    }

    @Override
    public void syncModel() {
        if (mode != Mode.TRAIN) {
            return;
        }
        if (latest.version() != version) {
            // The last job ended inside a pass: ask worker 0 for its state with a job of no steps.
            latest = train(spec(step, 0, true)).get(0).state();
        }
        latest.applyTo(model);
        Broadcast<ModelState> old = driverState;
        driverState = strategy.sparkContext().broadcast(latest);
        old.destroy();
        sinceDriverState.clear();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        String run = id;
        data.shards().foreachPartition(it -> Replicas.drop(run));
        blueprint.destroy();
        driverState.destroy();
    }
}
