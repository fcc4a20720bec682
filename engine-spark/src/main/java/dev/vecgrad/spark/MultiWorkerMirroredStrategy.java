package dev.vecgrad.spark;

import dev.vecgrad.train.Model;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.distribute.ClusterRun;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Synchronous data parallelism across machines, as Keras's {@code MultiWorkerMirroredStrategy},
 * on Spark: {@code W} workers run as the tasks of a barrier stage, each with its own copy of the
 * model and one shard of a {@link SparkData}. Each step, every worker computes the gradients of
 * its local batch (the global batch's share), the workers exchange them through Spark's barrier
 * {@code allGather}, and each adds them up in the same order and applies the same update, so the
 * copies stay identical and the result is the one process's with the same global batch, to float
 * rounding.
 *
 * <pre>{@code
 * import dev.vecgrad.train.CompileOptions;
 * import dev.vecgrad.train.FitOptions;
 * import dev.vecgrad.train.Sequential;
 * import dev.vecgrad.train.callbacks.BackupAndRestore;
 * import dev.vecgrad.train.callbacks.History;
 * import dev.vecgrad.train.layers.Dense;
 * import dev.vecgrad.train.layers.Flatten;
 * import org.apache.spark.SparkConf;
 *
 * JavaSparkContext sc = new JavaSparkContext(new SparkConf().setAppName("mnist"));
 * SparkData train = SparkSources.idx(sc, images, labels, 4).batch(128).shuffle(60_000, 42);
 * Model model = new Sequential(new Flatten(), new Dense(10));   // built and compiled on the driver
 * model.compile(CompileOptions.of("adam", "sparse_categorical_crossentropy").metrics("accuracy")
 *         .stepsPerExecution(25));                     // one Spark job every 25 steps
 * model.setStrategy(new MultiWorkerMirroredStrategy(sc, 4));
 * History h = model.fit(FitOptions.of(train).epochs(10).callbacks(new BackupAndRestore(dir)));
 * }</pre>
 *
 * <p><b>Jobs.</b> Each execution of {@code stepsPerExecution} steps is one Spark job; batch
 * callbacks and the progress bar see each execution's logs, merged from every worker's metric
 * states. A job costs tens of milliseconds of scheduling, so give executions many steps. Workers
 * keep their model copies between jobs; at the end of each epoch the driver's model receives the
 * workers' weights and optimizer state, for validation, callbacks and checkpoints.
 *
 * <p><b>Slow networks.</b> {@link #syncEvery(int) syncEvery(k)} with {@code k > 1} replaces the
 * per-step all-reduce by {@code k} local steps on each worker followed by averaging the workers'
 * weights and optimizer slots (local SGD): {@code 1/k} of the traffic, at the price of results
 * that are no longer the one-process ones. Averaging also happens at the end of every execution.
 *
 * <p><b>Failures.</b> When a task fails, Spark retries the whole barrier stage; every worker goes
 * back to the state it held when the job started and runs the job again, so the result is the
 * same as without the failure. A worker that lost its copy (its executor died) receives the state
 * from another worker, or from the driver.
 *
 * <p>Evaluation and prediction on a {@link SparkData} run on the workers too (no exchange needed);
 * other data runs on the driver. Spark must offer at least {@code W} task slots at once.
 */
public final class MultiWorkerMirroredStrategy extends SparkStrategy {
    private int syncEvery = 1;
    private FaultInjection fault;

    /** A strategy training on {@code workers} workers of {@code sc}'s cluster. */
    public MultiWorkerMirroredStrategy(JavaSparkContext sc, int workers) {
        super(sc, workers, "MultiWorkerMirroredStrategy");
    }

    /**
     * All-reduce gradients every step ({@code k = 1}, the default) or run {@code k} local steps
     * between averages of the workers' weights. Returns this.
     */
    public MultiWorkerMirroredStrategy syncEvery(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("syncEvery: k must be at least 1, got " + k);
        }
        this.syncEvery = k;
        return this;
    }

    /** Workers build their model copies with {@code factory} instead of from the saved model. Returns this. */
    public MultiWorkerMirroredStrategy modelFactory(ModelFactory factory) {
        setModelFactory(factory);
        return this;
    }

    /** Test hook: the first attempt of {@code worker}'s task fails before training step {@code step}. */
    MultiWorkerMirroredStrategy failFirstAttempt(int worker, long step) {
        this.fault = new FaultInjection(worker, step);
        return this;
    }

    /** The steps between averages (1: gradients all-reduced every step). */
    public int syncEvery() {
        return syncEvery;
    }

    @Override
    public ClusterRun start(Model model, Dataset data, Mode mode) {
        return new MirroredRun(this, model, sparkData(data, mode), mode, syncEvery, fault);
    }

    @Override
    public String toString() {
        return "MultiWorkerMirroredStrategy(" + numReplicas() + " workers" + (syncEvery > 1 ? ", sync every " + syncEvery
                : "") + ")";
    }
}
