package dev.vecgrad.train;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.train.callbacks.Callback;
import dev.vecgrad.train.callbacks.CallbackList;
import dev.vecgrad.train.callbacks.CallbackParams;
import dev.vecgrad.train.callbacks.History;
import dev.vecgrad.train.compile.CompiledStep;
import dev.vecgrad.train.compile.Tracer;
import dev.vecgrad.train.data.Batch;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.data.Tensors;
import dev.vecgrad.train.distribute.ClusterRun;
import dev.vecgrad.train.distribute.ClusterStrategy;
import dev.vecgrad.train.distribute.MirroredStrategy;
import dev.vecgrad.train.distribute.ReplicaContext;
import dev.vecgrad.train.distribute.Strategy;
import dev.vecgrad.train.losses.Loss;
import dev.vecgrad.train.metrics.Metric;
import dev.vecgrad.train.optimizers.Optimizer;
import dev.vecgrad.train.optimizers.Optimizers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The training machinery behind a {@link Model}, as Keras 3's {@code Trainer}: what
 * {@code compile} configured (optimizer, loss, metrics, steps per execution), the train, test and
 * predict functions, and the {@code fit}, {@code evaluate} and {@code predict} drivers, which all
 * run their batches through one loop ({@link EpochIterator}). {@code Model}'s public methods
 * delegate here; the steps themselves ({@link Model#trainStep} and its siblings) stay on
 * {@code Model}, where users override them.
 *
 * <p><b>The step functions.</b> {@link #makeTrainFunction()}, {@link #makeTestFunction()} and
 * {@link #makePredictFunction()} return what runs one batch: the model is built first (from the
 * first batch, as Keras builds before its first step), then the step runs under the
 * {@link Strategy}. The drivers call nothing else, so a step function that replays a traced plan
 * per input signature can take the eager one's place here without touching them.
 *
 * <p><b>Replicas.</b> Under a {@code MirroredStrategy} the loss of each replica is scaled so the
 * replicas' gradients add up to the global batch's ({@link #computeLoss}), the gradients are
 * summed before one update ({@link #applyGradients}), and metric updates are serialised so every
 * replica reads the global batch's results ({@link #computeMetrics}).
 */
final class Trainer {
    private static final System.Logger LOG = System.getLogger(Trainer.class.getName());

    private final Model model;
    private Optimizer optimizer;
    private CompileOptions options;
    private CompiledLoss loss;
    private CompiledMetrics metrics;
    private int stepsPerExecution = 1;
    private volatile boolean stopTraining;
    private long trainCounter;
    private long testCounter;
    private long predictCounter;
    private Strategy strategy = Strategy.oneDevice();
    /** The compiled steps, made on first use after each compile; null when steps run eagerly. */
    private Function<Batch, Map<String, Double>> trainFunction;
    private Function<Batch, Map<String, Double>> testFunction;
    private Function<Batch, Tensors> predictFunction;
    private History history;
    /** The epoch a callback asked the starting fit to begin at, or -1. */
    private int resumeEpoch = -1;

    Trainer(Model model) {
        this.model = model;
    }

    // ---------------------------------------------------------------------------------------
    // Compiling.

    void compile(CompileOptions options) {
        Optimizer opt = options.optimizer() instanceof Optimizer o ? o : Optimizers.get((String) options.optimizer());
        CompiledLoss compiledLoss = new CompiledLoss(options.loss(), options.lossWeight(), options.lossWeights(),
                model.outputNames());
        CompiledMetrics compiledMetrics = new CompiledMetrics(options.metrics(), compiledLoss);
        optimizer = opt;
        loss = compiledLoss;
        metrics = compiledMetrics;
        stepsPerExecution = options.stepsPerExecution();
        this.options = options;
        dropCompiledSteps();
    }

    /** Forgets the compiled steps (after a compile or a change of strategy); the next fit makes new ones. */
    private void dropCompiledSteps() {
        trainFunction = null;
        testFunction = null;
        predictFunction = null;
    }

    boolean isCompiled() {
        return metrics != null;
    }

    void requireCompiled(String what) {
        if (!isCompiled()) {
            throw new IllegalStateException(what + ": the model '" + model.name() + "' must be compiled first (call compile)");
        }
    }

    Optimizer optimizer() {
        return optimizer;
    }

    /** The options of the last compile, or null. */
    CompileOptions options() {
        return options;
    }

    /** The loss of output {@code i} (null when it has none). */
    Loss lossOf(int i) {
        return loss.loss(i);
    }

    /** The loss of every output when compile gave one loss, else (a loss per output) null. */
    Loss loss() {
        return loss == null || options.loss() instanceof Map ? null : loss.loss(0);
    }

    int stepsPerExecution() {
        return stepsPerExecution;
    }

    /** The loss tracker and the compiled metrics built so far (empty before compile). */
    List<Metric> metrics() {
        return metrics == null ? List.of() : metrics.metrics();
    }

    /** The metrics as compile was given them (empty before compile). */
    List<MetricSpec> metricSpecs() {
        return metrics == null ? List.of() : metrics.specs();
    }

    // ---------------------------------------------------------------------------------------
    // What the steps call.

    /**
     * The compiled loss (each output's over the positions its mask keeps) weighted and summed,
     * plus the model's regularization losses; on a replica each data loss is scaled by the
     * replica's share of the global batch (unless it is a plain sum) and the regularization by
     * one over the number of replicas.
     */
    Tensor computeLoss(Tensors y, Tensors yPred, Tensors sampleWeight) {
        requireCompiled("computeLoss");
        Tensor value = loss.compute(y, yPred, sampleWeight);
        ReplicaContext ctx = ReplicaContext.current();
        for (Tensor extra : model.losses()) {
            value = value.add(ctx == null ? extra
                    : extra.div(replicaScalar("replicaCount", ReplicaContext::numReplicas, extra.dtype())));
        }
        return value;
    }

    /**
     * {@code f} of the running replica's context as a scalar of {@code dtype}: a host call, so that a
     * compiled replica step reads each step's own value (its share of that step's global batch).
     */
    static Tensor replicaScalar(String name, ToDoubleFunction<ReplicaContext> f, DType dtype) {
        return Tracer.hostCall(name, List.of(), a -> Tensor.scalar(f.applyAsDouble(ReplicaContext.current()), dtype));
    }

    /**
     * Folds a batch into the loss tracker (weighted by batch size) and the metrics, and returns
     * the running results. On a replica the tracked loss is rescaled to the global batch's, the
     * updates are serialised, and every replica waits for the others before reading.
     */
    Map<String, Double> computeMetrics(Tensors x, Tensors y, Tensors yPred, Tensors sampleWeight, Tensor lossValue) {
        requireCompiled("computeMetrics");
        Tensor first = x.get(0);
        int n = first.rank() == 0 ? 1 : first.shape().dim(0);
        ReplicaContext ctx = ReplicaContext.current();
        if (ctx == null) {
            // Host calls around the Java work, so that a compiled step repeats it at every replay; the
            // metrics' own tensor ops are part of the plan.
            Tracer.hostCall("lossTracker", List.of(lossValue), a -> {
                metrics.trackLoss(scalar(a.get(0)), n);
                return null;
            });
            metrics.update(y, yPred, sampleWeight);
            return Tracer.hostCall("metricResults", List.of(), a -> metrics.results());
        }
        // One host call: the updates are serialised and wait for the other replicas at every step.
        List<Tensor> args = new ArrayList<>();
        args.add(lossValue);
        flatten(y, args);
        flatten(yPred, args);
        flatten(sampleWeight, args);
        return Tracer.hostCall("replicaMetrics", args, a -> {
            ReplicaContext replica = ReplicaContext.current();
            int[] at = {1};
            Tensors ys = rebuild(y, a, at);
            Tensors preds = rebuild(yPred, a, at);
            Tensors weights = rebuild(sampleWeight, a, at);
            double value = scalar(a.get(0));
            synchronized (replica.lock()) {
                metrics.trackLoss(value * replica.globalBatch() / n, n);
                metrics.update(ys, preds, weights);
            }
            replica.sync();
            return metrics.results();
        });
    }

    /** Appends the tensors of {@code ts} (null: none), then their masks, to {@code out}. */
    private static void flatten(Tensors ts, List<Tensor> out) {
        if (ts != null) {
            out.addAll(ts.values());
            for (int i = 0; i < ts.size(); i++) {
                if (ts.mask(i) != null) {
                    out.add(ts.mask(i));
                }
            }
        }
    }

    /** {@code like}'s names and mask positions over the tensors {@link #flatten} put at {@code a[at[0] ..]}. */
    private static Tensors rebuild(Tensors like, List<Tensor> a, int[] at) {
        if (like == null) {
            return null;
        }
        List<Tensor> values = new ArrayList<>(a.subList(at[0], at[0] + like.size()));
        at[0] += like.size();
        List<Tensor> masks = new ArrayList<>();
        for (int i = 0; i < like.size(); i++) {
            masks.add(like.mask(i) == null ? null : a.get(at[0]++));
        }
        Tensors out = like.isNamed() ? Tensors.named(like.names(), values) : Tensors.of(values);
        return out.withMasks(masks);
    }

    /** Makes the metrics compiled by name for targets and predictions of these shapes, one an output. */
    void buildMetrics(List<Shape> yTrue, List<Shape> yPred) {
        requireCompiled("buildMetrics");
        metrics.build(yTrue, yPred);
    }

    /** The running results of the compiled metrics, loss first (empty before compile). */
    Map<String, Double> metricResults() {
        return metrics == null ? new LinkedHashMap<>() : metrics.results();
    }

    /** Applies the gradients with the compiled optimizer; replicas sum theirs first and update once. */
    void applyGradients(List<Tensor> grads, List<Variable> vars) {
        requireCompiled("applyGradients");
        if (ReplicaContext.current() == null) {
            optimizer.applyGradients(grads, vars);
        } else {
            // A host call: a compiled replica step meets the other replicas at every replay.
            Tracer.hostCall("allReduceSum", grads, g -> {
                ReplicaContext.current().allReduceSum(g, summed -> optimizer.applyGradients(summed, vars));
                return null;
            });
        }
    }

    private static double scalar(Tensor t) {
        if (t.size() != 1) {
            throw new IllegalArgumentException("expected a scalar loss, got shape " + t.shape());
        }
        return t.item();
    }

    // ---------------------------------------------------------------------------------------
    // The step functions: the one place a compiled step takes over.

    /**
     * One training step on a batch: {@link Model#trainStep} under the strategy, compiled (traced
     * once per input signature, then replayed) unless compile said {@code jitCompile(false)}; under
     * a {@link MirroredStrategy} each replica has a compiled step (and plans) of its own.
     */
    Function<Batch, Map<String, Double>> makeTrainFunction() {
        if (trainFunction == null) {
            trainFunction = onStrategy("trainStep", model::trainStep);
        }
        return trainFunction;
    }

    /** One evaluation step on a batch: {@link Model#testStep} under the strategy, compiled as the train step. */
    Function<Batch, Map<String, Double>> makeTestFunction() {
        if (testFunction == null) {
            testFunction = onStrategy("testStep", model::testStep);
        }
        return testFunction;
    }

    /** One prediction step on a batch: {@link Model#predictStep(Tensors)} of its inputs, compiled as the train step. */
    Function<Batch, Tensors> makePredictFunction() {
        if (predictFunction == null) {
            Function<Batch, Tensors> eager = batch -> model.predictStep(batch.inputs());
            predictFunction = built(compiles() ? compiled("predictStep", eager) : eager);
        }
        return predictFunction;
    }

    /**
     * {@code step} run through the strategy: eagerly, as one compiled step on one device, or with a
     * compiled step per replica under a {@link MirroredStrategy} (a plan's buffers serve one call
     * at a time, and each replica runs its own slice of every batch).
     */
    private Function<Batch, Map<String, Double>> onStrategy(String name, Function<Batch, Map<String, Double>> step) {
        Function<Batch, Map<String, Double>> eager = batch -> strategy.run(step, batch);
        if (!compiles()) {
            return built(eager);
        }
        if (strategy instanceof MirroredStrategy mirrored) {
            List<CompiledStep<Map<String, Double>>> replicas = new ArrayList<>();
            for (int r = 0; r < mirrored.numReplicas(); r++) {
                replicas.add(compiled(name + " (replica " + r + ")", step));
            }
            Function<Batch, Map<String, Double>> perReplica = b -> replicas.get(ReplicaContext.current().replicaId())
                    .apply(b);
            return built(batch -> mirrored.run(perReplica, batch));
        }
        return built(compiled(name, eager));
    }

    /** Whether steps are compiled: not when compile said jitCompile(false), nor on a cluster. */
    private boolean compiles() {
        return (options == null || !Boolean.FALSE.equals(options.jitCompile()))
                && (strategy == Strategy.oneDevice() || strategy instanceof MirroredStrategy);
    }

    private <R> CompiledStep<R> compiled(String name, Function<Batch, R> eager) {
        boolean auto = options == null || options.jitCompile() == null;
        return new CompiledStep<>(name, eager, model::weights, CompiledStep.DEFAULT_CACHE_SIZE, auto);
    }

    /** {@code step}, building the model for the batch first if it is not built yet. */
    private <R> Function<Batch, R> built(Function<Batch, R> step) {
        return batch -> {
            buildFor(batch);
            return step.apply(batch);
        };
    }

    /** Builds the model for the batch's inputs before its first step, so that step sees every weight. */
    private void buildFor(Batch batch) {
        if (!model.isBuilt()) {
            Tensors x = batch.inputs();
            if (x.size() == 1) {
                model.maybeBuild(x.get(0).shape(), x.get(0).dtype());
            } else {
                List<Shape> shapes = new ArrayList<>();
                for (Tensor t : x) {
                    shapes.add(t.shape());
                }
                model.maybeBuild(shapes, x.get(0).dtype());
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // fit.

    History fit(FitOptions o) {
        requireCompiled("fit");
        if (o.epochs < 0 || o.initialEpoch < 0) {
            throw new IllegalArgumentException("fit: epochs (" + o.epochs + ") and initialEpoch (" + o.initialEpoch
                    + ") must be non-negative");
        }
        FitOptions.Datasets data = o.datasets(model.seed());
        long steps = EpochIterator.steps(data.train(), o.stepsPerEpoch, "fit");
        if (data.validation() != null) {
            EpochIterator.steps(data.validation(), o.validationSteps, "fit validation");
        }
        CallbackList callbacks = new CallbackList(o.callbacks, true, o.verbose != 0, model,
                new CallbackParams(o.epochs, steps, o.verbose));
        history = callbacks.history();
        stopTraining = false;
        trainCounter = 0;
        EpochIterator.Hooks<Map<String, Double>> hooks = hooks(callbacks, CallbackList.Mode.TRAIN,
                EpochIterator.Execution::last, e -> trainCounter += e.steps(), () -> stopTraining);
        Map<String, Double> epochLogs = new LinkedHashMap<>();
        resumeEpoch = -1;
        callbacks.onTrainBegin(new LinkedHashMap<>());
        int firstEpoch = Math.max(o.initialEpoch, resumeEpoch); // a callback may have restored a later epoch
        // A cluster strategy starts after onTrainBegin, so weights callbacks restore are the workers' start.
        try (ClusterRun remote = startCluster(data.train(), ClusterStrategy.Mode.TRAIN);
                EpochIterator<Map<String, Double>> epochs = new EpochIterator<>(data.train(), o.stepsPerEpoch,
                        stepsPerExecution, "fit", remote != null ? EpochIterator.remote(remote, r -> List.of(r.logs()))
                                : EpochIterator.local(data.train(), makeTrainFunction()))) {
            for (int epoch = firstEpoch; epoch < o.epochs; epoch++) {
                model.resetMetrics();
                callbacks.onEpochBegin(epoch, new LinkedHashMap<>());
                Map<String, Double> logs = epochs.runEpoch(hooks);
                if (logs == null) {
                    throw new IllegalArgumentException("fit: the training data yielded no batches in epoch " + (epoch + 1)
                            + "; it must contain at least one batch of samples");
                }
                if (remote != null) {
                    remote.syncModel(); // validation, callbacks and checkpoints see the workers' weights
                }
                Map<String, Double> current = new LinkedHashMap<>(logs);
                if (data.validation() != null && !epochs.ranOut() && (epoch + 1) % o.validationFreq == 0) {
                    runEvaluate(data.validation(), o.validationSteps, callbacks, "fit validation")
                            .forEach((k, v) -> current.put("val_" + k, v));
                }
                epochLogs = current;
                callbacks.onEpochEnd(epoch, current);
                if (epochs.ranOut()) {
                    LOG.log(System.Logger.Level.WARNING, "fit: the training data ran out after " + trainCounter
                            + " steps; stopping (make the dataset repeat, or lower stepsPerEpoch)");
                    break;
                }
                if (stopTraining) {
                    break;
                }
            }
        }
        if (o.epochs > o.initialEpoch) {
            // Keras's last step of fit: an optimizer keeping moving averages puts them into the weights.
            model.optimizer().finalizeVariableValues(model.trainableWeights());
        }
        callbacks.onTrainEnd(epochLogs);
        return history;
    }

    /**
     * The loop's hooks for one mode: {@code count} after every execution, and the callbacks' batch
     * hooks for {@code mode}, the end's with the execution's {@code results} (the callback list
     * builds logs only for callbacks that override a hook: with none, a step builds nothing).
     */
    private static <R> EpochIterator.Hooks<R> hooks(CallbackList callbacks, CallbackList.Mode mode,
            Function<EpochIterator.Execution<R>, Map<String, Double>> results, Consumer<EpochIterator.Execution<R>> count,
            BooleanSupplier stop) {
        return new EpochIterator.Hooks<>(step -> callbacks.onBatchBegin(mode, step), execution -> {
            count.accept(execution);
            callbacks.onBatchEnd(mode, execution.lastStep(), results.apply(execution));
        }, stop);
    }

    /** A run on the strategy's workers when it is a cluster strategy that reads {@code data} itself, else null. */
    private ClusterRun startCluster(Dataset data, ClusterStrategy.Mode mode) {
        return strategy instanceof ClusterStrategy c && c.accepts(data) ? c.start(model, data, mode) : null;
    }

    // ---------------------------------------------------------------------------------------
    // evaluate and predict.

    Map<String, Double> evaluate(Dataset data, int steps, int verbose, List<? extends Callback> callbacks) {
        requireCompiled("evaluate");
        CallbackList list = new CallbackList(callbacks, false, verbose != 0, model,
                new CallbackParams(0, EpochIterator.steps(data, steps, "evaluate"), verbose));
        return runEvaluate(data, steps, list, "evaluate");
    }

    /** One pass of test steps over {@code data}, metrics reset first; {@code what} names the caller in errors. */
    private Map<String, Double> runEvaluate(Dataset data, int steps, CallbackList callbacks, String what) {
        model.resetMetrics();
        callbacks.onTestBegin(new LinkedHashMap<>());
        Map<String, Double> logs;
        try (ClusterRun remote = startCluster(data, ClusterStrategy.Mode.TEST);
                EpochIterator<Map<String, Double>> epoch = new EpochIterator<>(data, steps, stepsPerExecution, what,
                        remote != null ? EpochIterator.remote(remote, r -> List.of(r.logs()))
                                : EpochIterator.local(data, makeTestFunction()))) {
            logs = epoch.runEpoch(hooks(callbacks, CallbackList.Mode.TEST, EpochIterator.Execution::last,
                    e -> testCounter += e.steps(), () -> false));
        }
        if (logs == null) {
            throw new IllegalArgumentException(what + ": the data yielded no batches; it must contain at least one batch"
                    + " of samples");
        }
        Map<String, Double> result = new LinkedHashMap<>(logs);
        callbacks.onTestEnd(new LinkedHashMap<>(result));
        return result;
    }

    Tensors predict(Dataset data, int steps, int verbose, List<? extends Callback> callbacks) {
        CallbackList list = new CallbackList(callbacks, false, verbose != 0, model,
                new CallbackParams(0, EpochIterator.steps(data, steps, "predict"), verbose));
        List<Tensors> outputs = new ArrayList<>();
        list.onPredictBegin(new LinkedHashMap<>());
        try (ClusterRun remote = startCluster(data, ClusterStrategy.Mode.PREDICT);
                EpochIterator<Tensors> epoch = new EpochIterator<>(data, steps, stepsPerExecution, "predict",
                        remote != null ? EpochIterator.remote(remote, r -> r.takeOutputs().stream().map(Tensors::of).toList())
                                : EpochIterator.local(data, makePredictFunction()))) {
            epoch.runEpoch(hooks(list, CallbackList.Mode.PREDICT, e -> Map.of(), e -> {
                outputs.addAll(e.results());
                predictCounter += e.steps();
            }, () -> false));
        }
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("predict: the data yielded no batches; it must contain at least one batch");
        }
        list.onPredictEnd(new LinkedHashMap<>());
        return Tensors.concat(outputs);
    }

    // ---------------------------------------------------------------------------------------
    // State.

    boolean stopTraining() {
        return stopTraining;
    }

    void setStopTraining(boolean stop) {
        stopTraining = stop;
    }

    long trainCounter() {
        return trainCounter;
    }

    long testCounter() {
        return testCounter;
    }

    long predictCounter() {
        return predictCounter;
    }

    void resumeFromEpoch(int epoch) {
        resumeEpoch = epoch;
    }

    History history() {
        return history;
    }

    Strategy strategy() {
        return strategy;
    }

    void setStrategy(Strategy strategy) {
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        dropCompiledSteps();
    }
}
