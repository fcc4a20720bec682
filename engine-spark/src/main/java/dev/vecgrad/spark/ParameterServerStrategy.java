package dev.vecgrad.spark;

import dev.vecgrad.train.Model;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.distribute.ClusterRun;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Parameter-server training on Spark, as Keras's {@code ParameterServerStrategy} with a
 * {@link ClusterCoordinator}: the driver holds the variables and the optimizer; each step is
 * scheduled on whichever worker is free, which pulls the current weights, computes the gradients
 * of the next batch of its own shard of a {@link SparkData} and pushes them back for the driver
 * to apply. A step whose worker dies is given to another worker.
 *
 * <pre>{@code
 * model.setStrategy(new ParameterServerStrategy(sc, 4).asynchronous(3));
 * model.fit(FitOptions.of(SparkSources.idx(sc, images, labels, 4).batch(128).shuffle(60_000, 1)).epochs(10));
 * }</pre>
 *
 * <p><b>Asynchronous</b> (the default, staleness bound {@code W}): every step is one worker's
 * batch of the global size, applied as it arrives; a step is dispatched only while no gradient in
 * flight can be applied more than {@code maxStaleness} updates after the weights it was computed
 * from were current, so a slow worker holds the others back rather than falling behind. <b>Synchronous</b>: every step gathers the gradients of one
 * local batch (the global batch's share) from {@code W} closures computed from the same weights,
 * adds them up and applies them once, as one process would with the global batch.
 *
 * <p>Weights cross the network twice a step (pulled with the closure, pushed back as gradients),
 * through the driver: the strategy suits models whose step computes a lot for its size, and
 * workers of uneven speed. Evaluation and prediction on a {@link SparkData} run on the workers
 * with the driver's weights.
 */
public final class ParameterServerStrategy extends SparkStrategy {
    private boolean synchronous;
    private int maxStaleness;
    private int faultWorker = -1;
    private int faultAt;
    private int[] closuresRun;
    private volatile int stalenessSeen;

    /** A strategy whose {@code workers} workers train asynchronously, at most {@code workers} updates stale. */
    public ParameterServerStrategy(JavaSparkContext sc, int workers) {
        super(sc, workers, "ParameterServerStrategy");
        this.maxStaleness = workers;
    }

    /** Asynchronous updates, each at most {@code maxStaleness} updates stale (0: one step at a time). Returns this. */
    public ParameterServerStrategy asynchronous(int maxStaleness) {
        if (maxStaleness < 0) {
            throw new IllegalArgumentException("asynchronous: maxStaleness must be non-negative, got " + maxStaleness);
        }
        this.synchronous = false;
        this.maxStaleness = maxStaleness;
        return this;
    }

    /** Synchronous updates: each adds up one local batch's gradients from every worker. Returns this. */
    public ParameterServerStrategy synchronous() {
        this.synchronous = true;
        return this;
    }

    /** Workers build their model copies with {@code factory} instead of from the saved model. Returns this. */
    public ParameterServerStrategy modelFactory(ModelFactory factory) {
        setModelFactory(factory);
        return this;
    }

    /** Whether updates are synchronous. */
    public boolean isSynchronous() {
        return synchronous;
    }

    /** The staleness bound of asynchronous updates. */
    public int maxStaleness() {
        return maxStaleness;
    }

    /** The largest staleness of an update applied by the last fit: updates between a gradient's weights and its own. */
    public int maxStalenessSeen() {
        return stalenessSeen;
    }

    void recordStaleness(int staleness) {
        stalenessSeen = staleness;
    }

    /** Test hook: worker {@code worker}'s {@code n}-th step (from 0) fails on every attempt of its job. */
    ParameterServerStrategy failWorkerStep(int worker, int n) {
        this.faultWorker = worker;
        this.faultAt = n;
        return this;
    }

    /** Whether the step worker {@code worker} is about to run is the one to fail; counts the step. */
    synchronized boolean takeFault(int worker) {
        if (closuresRun == null) {
            closuresRun = new int[numReplicas()];
        }
        return worker == faultWorker && closuresRun[worker]++ == faultAt;
    }

    @Override
    public ClusterRun start(Model model, Dataset data, Mode mode) {
        SparkData sd = sparkData(data, mode);
        return mode == Mode.TRAIN ? new PsRun(this, model, sd) : new MirroredRun(this, model, sd, mode, 1, null);
    }

    @Override
    public String toString() {
        return "ParameterServerStrategy(" + numReplicas() + " workers, "
                + (synchronous ? "synchronous" : "asynchronous, staleness <= " + maxStaleness) + ")";
    }
}
