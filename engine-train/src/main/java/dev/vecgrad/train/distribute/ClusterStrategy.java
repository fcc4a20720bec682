package dev.vecgrad.train.distribute;

import dev.vecgrad.train.Model;
import dev.vecgrad.train.data.Dataset;

/**
 * A strategy whose replicas run in other processes, each reading its own part of the data, as
 * Keras's {@code MultiWorkerMirroredStrategy} and {@code ParameterServerStrategy}. {@code fit},
 * {@code evaluate} and {@code predict} do not pull batches through this process: they
 * {@link #start} a {@link ClusterRun} over the data and hand it whole executions of
 * {@code stepsPerExecution} steps, getting back logs merged from every worker.
 *
 * <p>{@link #run} (a single batch this process holds) runs the step here, on this process's
 * model; validation data given as an ordinary {@link Dataset} is evaluated that way.
 */
public interface ClusterStrategy extends Strategy {
    /** What a run does with each step. */
    enum Mode {
        /** {@code trainStep} on every batch. */
        TRAIN,
        /** {@code testStep} on every batch. */
        TEST,
        /** {@code predictStep} on every batch. */
        PREDICT
    }

    /**
     * Whether this strategy's workers can read {@code data} (for example, data held by the cluster);
     * otherwise the model's loop iterates it here and steps run through {@link #run}.
     */
    boolean accepts(Dataset data);

    /**
     * Starts a run of {@code mode} steps of {@code model} over {@code data}, which
     * {@link #accepts} it. The model is this process's copy: compiled, and built or buildable from
     * the data. Called after the callbacks' {@code onTrainBegin}, so weights they restore are the
     * ones the workers start from.
     */
    ClusterRun start(Model model, Dataset data, Mode mode);
}
