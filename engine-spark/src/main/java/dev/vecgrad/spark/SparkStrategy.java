package dev.vecgrad.spark;

import dev.vecgrad.core.Shape;
import dev.vecgrad.train.Model;
import dev.vecgrad.train.data.Batch;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.metrics.Metric;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * What the Spark strategies share: the cluster, the number of workers, how workers make their
 * model copies, and the time accounting of the last run. A {@link SparkData} is read by the
 * workers; any other data set runs on the driver.
 */
abstract sealed class SparkStrategy implements dev.vecgrad.train.distribute.ClusterStrategy
        permits MultiWorkerMirroredStrategy, ParameterServerStrategy {
    private final JavaSparkContext sc;
    private final int workers;
    private ModelFactory factory;
    private RunStats stats = RunStats.NONE;

    SparkStrategy(JavaSparkContext sc, int workers, String name) {
        if (workers < 1) {
            throw new IllegalArgumentException(name + ": workers must be at least 1, got " + workers);
        }
        this.sc = Objects.requireNonNull(sc, "sc");
        this.workers = workers;
    }

    @Override
    public int numReplicas() {
        return workers;
    }

    /** Where the time of the last fit, evaluate or predict went. */
    public RunStats stats() {
        return stats;
    }

    @Override
    public boolean accepts(Dataset data) {
        return data instanceof SparkData;
    }

    /** A batch held by this process runs here, on the driver's model. */
    @Override
    public Map<String, Double> run(Function<Batch, Map<String, Double>> step, Batch batch) {
        return step.apply(batch);
    }

    /** The data set as a batched {@link SparkData}, or an error naming {@code what}. */
    static SparkData sparkData(Dataset data, Mode mode) {
        if (!(data instanceof SparkData sd)) {
            throw new IllegalArgumentException("the Spark strategies run on a SparkData, got " + data);
        }
        sd.requireBatched(mode == Mode.TRAIN ? "fit" : mode == Mode.TEST ? "evaluate" : "predict");
        return sd;
    }

    /**
     * Resolves the driver model's metrics for {@code data}'s targets and the model's outputs, so
     * the workers' metric states can be merged into them.
     */
    static void buildMetrics(Model model, SparkData data, ModelBlueprint blueprint) {
        int[] target = data.targetShape();
        int[] dims = new int[target.length + 1];
        dims[0] = 1;
        System.arraycopy(target, 0, dims, 1, target.length);
        model.buildMetrics(Shape.of(dims), model.computeOutputShape(Shape.of(blueprint.inputDims())));
    }

    /** Adds one worker's metric states (loss first, as {@code model.metrics()}) to the driver's metrics. */
    static void mergeMetrics(Model model, List<double[]> states) {
        List<Metric> metrics = model.metrics();
        if (states.size() != metrics.size()) {
            throw new IllegalStateException("a worker's model has " + states.size() + " metrics, the driver's "
                    + metrics.size() + " (" + model.metricResults().keySet()
                    + "); give the strategy a ModelFactory that compiles the same metrics");
        }
        for (int i = 0; i < metrics.size(); i++) {
            metrics.get(i).mergeState(states.get(i));
        }
    }

    void setModelFactory(ModelFactory factory) {
        this.factory = factory;
    }

    JavaSparkContext sparkContext() {
        return sc;
    }

    ModelFactory modelFactory() {
        return factory;
    }

    void resetStats() {
        stats = RunStats.NONE;
    }

    /** Adds a job of the workers' {@code results} (the slowest worker's times count). */
    void record(int steps, long wallNanos, List<WorkerResult> results) {
        long compute = 0;
        long exchange = 0;
        long bytes = 0;
        for (WorkerResult r : results) {
            compute = Math.max(compute, r.computeNanos());
            exchange = Math.max(exchange, r.exchangeNanos());
            bytes += r.exchangeBytes();
        }
        record(steps, wallNanos, compute, exchange, bytes);
    }

    /** Adds one job's times. */
    synchronized void record(int steps, long wallNanos, long computeNanos, long exchangeNanos, long bytes) {
        stats = stats.plus(steps, wallNanos, computeNanos, exchangeNanos, bytes);
    }
}
