package dev.vecgrad.train;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.ops.Recording;
import dev.vecgrad.core.ops.ShapeOps;
import dev.vecgrad.train.callbacks.Callback;
import dev.vecgrad.train.callbacks.CallbackList;
import dev.vecgrad.train.callbacks.CallbackParams;
import dev.vecgrad.train.callbacks.History;
import dev.vecgrad.train.data.Batch;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.data.DatasetIterator;
import dev.vecgrad.train.distribute.ClusterRun;
import dev.vecgrad.train.distribute.ClusterStrategy;
import dev.vecgrad.train.distribute.ReplicaContext;
import dev.vecgrad.train.distribute.Strategy;
import dev.vecgrad.train.layers.Layer;
import dev.vecgrad.train.layers.Masked;
import dev.vecgrad.train.losses.Loss;
import dev.vecgrad.train.losses.Losses;
import dev.vecgrad.train.losses.Reduction;
import dev.vecgrad.train.metrics.Mean;
import dev.vecgrad.train.metrics.Metric;
import dev.vecgrad.train.metrics.Metrics;
import dev.vecgrad.train.optimizers.Optimizer;
import dev.vecgrad.train.optimizers.Optimizers;
import dev.vecgrad.train.registry.CustomObjects;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A layer that can be trained, as Keras's {@code Model}: {@link #compile} it with an optimizer, a
 * loss and metrics, then {@link #fit}, {@link #evaluate} and {@link #predict}. Use
 * {@link Sequential} for a stack of layers, or subclass this class and override
 * {@link #forward} (calling layers registered with {@code track}) for anything else.
 *
 * <pre>{@code
 * class Linear extends Model {
 *     private final Dense dense = track(new Dense(1));
 *
 *     @Override
 *     protected Tensor forward(Tensor x, boolean training) {
 *         return dense.call(x, training);
 *     }
 * }
 * Model m = new Linear();
 * m.compile("sgd", "mse");
 * m.fit(FitOptions.of(x, y).epochs(10));
 * }</pre>
 *
 * <p><b>Who does what.</b> The {@link Dataset} owns batching and shuffling. {@link #trainStep},
 * {@link #testStep} and {@link #predictStep} do one batch's work and are meant to be overridden
 * for custom training: {@code fit} keeps providing epochs, {@code stepsPerExecution}, validation,
 * callbacks, history and the {@link Strategy}. A train step that computes its own gradients
 * should apply them with {@link #applyGradients} so that a {@code MirroredStrategy} can combine the
 * replicas' gradients.
 *
 * <p><b>Metrics.</b> Metrics are stateful: {@code fit} resets them at the start of each epoch and
 * {@code evaluate} at its start, so the results logged are over every batch seen so far (the
 * last, shorter batch weighted by its size), never a mean of per-batch results. {@code loss} is
 * tracked the same way, weighted by batch size.
 */
public abstract class Model extends Layer {
    private static final System.Logger LOG = System.getLogger(Model.class.getName());
    private Optimizer optimizer;
    private Loss loss;
    private double lossWeight = 1;
    /** Compiled metrics; a name stays unresolved until the first batch shows the shapes ("accuracy" needs them). */
    private final List<Object> compiledMetrics = new ArrayList<>();
    private Mean lossTracker;
    private int stepsPerExecution = 1;
    private boolean compiled;
    private volatile boolean stopTraining;
    private long trainCounter;
    private long testCounter;
    private long predictCounter;
    private Strategy strategy = Strategy.oneDevice();
    private History history;
    /** The dtype of the inputs the model was built for (weights of integer-input models are F32). */
    private DType inputDType;

    /** A model with a default name. */
    protected Model() {
        this(null);
    }

    /** A model called {@code name} (null: a default name). */
    protected Model(String name) {
        super(name);
    }

    // ---------------------------------------------------------------------------------------
    // Building.

    /**
     * Builds the model for F32 inputs of {@code inputShape}, batch dimension first (its value does
     * not matter), as Keras's {@code model.build((None, 10))}.
     */
    public final void build(int... inputShape) {
        maybeBuild(Shape.of(inputShape), DType.F32);
    }

    /** Builds by running {@link #forward} once on a batch of one zero input, so every layer sees its input. */
    @Override
    protected void build(Shape inputShape) {
        try (Recording.Paused p = Recording.pause()) {
            forward(Tensor.zeros(inputDType(), batchOfOne(inputShape)), false);
        }
    }

    @Override
    protected DType weightDType(DType inputDType) {
        // Layer asks this just before build(); remember the input dtype for building and tracing.
        this.inputDType = inputDType;
        return super.weightDType(inputDType);
    }

    /** The dtype of the inputs the model was built for (F32 before building). */
    protected final DType inputDType() {
        return inputDType == null ? DType.F32 : inputDType;
    }

    /** The output shape, found by running the model on a batch of one zero input. */
    @Override
    public Shape computeOutputShape(Shape inputShape) {
        Tensor out;
        try (Recording.Paused p = Recording.pause()) {
            out = call(Tensor.zeros(inputDType(), batchOfOne(inputShape)), false);
        }
        int[] dims = out.shape().toArray();
        if (dims.length > 0 && inputShape.rank() > 0) {
            dims[0] = inputShape.dim(0);
        }
        return Shape.of(dims);
    }

    static int[] batchOfOne(Shape shape) {
        int[] dims = shape.toArray();
        if (dims.length > 0) {
            dims[0] = 1;
        }
        return dims;
    }

    // ---------------------------------------------------------------------------------------
    // Compiling.

    /** Configures training: optimizer, loss, metrics, steps per execution and loss weight. */
    public void compile(CompileOptions options) {
        this.optimizer = options.optimizer() instanceof Optimizer o ? o : Optimizers.get((String) options.optimizer());
        this.loss = options.loss() instanceof Loss l ? l : Losses.get((String) options.loss());
        this.lossWeight = options.lossWeight();
        this.stepsPerExecution = options.stepsPerExecution();
        compiledMetrics.clear();
        compiledMetrics.addAll(options.metrics());
        lossTracker = new Mean("loss");
        compiled = true;
    }

    /** {@code compile} by names, e.g. {@code compile("adam", "sparse_categorical_crossentropy", "accuracy")}. */
    public void compile(String optimizer, String loss, String... metrics) {
        compile(CompileOptions.of(optimizer, loss).metrics((Object[]) metrics));
    }

    /** {@code compile} with objects. */
    public void compile(Optimizer optimizer, Loss loss, Metric... metrics) {
        compile(CompileOptions.of(optimizer, loss).metrics((Object[]) metrics));
    }

    /** Whether {@link #compile} has been called. */
    public boolean isCompiled() {
        return compiled;
    }

    private void requireCompiled(String what) {
        if (!compiled) {
            throw new IllegalStateException(what + ": the model '" + name() + "' must be compiled first (call compile)");
        }
    }

    /** The optimizer from {@link #compile}, or null. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The loss from {@link #compile}, or null. */
    public Loss loss() {
        return loss;
    }

    /** The steps run per call of the train function. */
    public int stepsPerExecution() {
        return stepsPerExecution;
    }

    /**
     * The loss tracker followed by the compiled metrics (empty before compile). Metrics given by
     * name appear once the first batch has resolved them (Keras picks the kind of "accuracy" from
     * the shapes of labels and predictions).
     */
    public List<Metric> metrics() {
        List<Metric> all = new ArrayList<>();
        if (lossTracker != null) {
            all.add(lossTracker);
        }
        for (Object m : compiledMetrics) {
            if (m instanceof Metric metric) {
                all.add(metric);
            }
        }
        return all;
    }

    /** Resets the state of every metric, the loss tracker included. */
    public void resetMetrics() {
        for (Metric m : metrics()) {
            m.reset();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Steps, meant to be overridden.

    /**
     * One training step on {@code data}: the forward pass under a gradient tape, the loss (with
     * the model's regularization losses), the gradients, one optimizer update through
     * {@link #applyGradients}, and the metric updates. Returns the running metric results.
     */
    public Map<String, Double> trainStep(Batch data) {
        Tensor x = data.x();
        Tensor y = requireTargets(data, "trainStep");
        List<Variable> vars = trainableWeights();
        Masked out;
        Tensor total;
        List<Tensor> grads;
        try (GradientTape tape = GradientTape.open()) {
            out = callMasked(x, null, true);
            total = computeLoss(x, y, out.value(), data.sampleWeight(), out.mask());
            grads = tape.gradient(total, vars);
        }
        applyGradients(grads, vars);
        return computeMetrics(x, y, out.value(), metricWeights(data.sampleWeight(), out), total);
    }

    /** One evaluation step: the forward pass in inference mode, the loss and the metric updates. */
    public Map<String, Double> testStep(Batch data) {
        Tensor x = data.x();
        Tensor y = requireTargets(data, "testStep");
        Masked out = callMasked(x, null, false);
        Tensor total = computeLoss(x, y, out.value(), data.sampleWeight(), out.mask());
        return computeMetrics(x, y, out.value(), metricWeights(data.sampleWeight(), out), total);
    }

    /** The sample weights metrics see: the output's mask multiplied in, unscaled, as Keras's metrics apply it. */
    private static Tensor metricWeights(Tensor sampleWeight, Masked out) {
        return Loss.applyMask(sampleWeight, out.mask(), out.value().dtype(), Reduction.SUM);
    }

    /** One prediction step: the forward pass in inference mode. */
    public Tensor predictStep(Tensor x) {
        return call(x, false);
    }

    private static Tensor requireTargets(Batch data, String step) {
        if (data.y() == null) {
            throw new IllegalArgumentException(step + ": the batch has no targets y; give the data as (x, y)");
        }
        return data.y();
    }

    /**
     * The scalar loss to differentiate: the compiled loss times the loss weight, plus the
     * regularization losses of {@link #losses()}. On a replica of a mirrored strategy both are
     * scaled so that the replicas' gradients sum to the global batch's: the data loss by the
     * replica's share of the batch (unless the loss is a plain sum), the regularization by one over
     * the number of replicas.
     */
    public Tensor computeLoss(Tensor x, Tensor y, Tensor yPred, Tensor sampleWeight) {
        return computeLoss(x, y, yPred, sampleWeight, null);
    }

    /**
     * {@link #computeLoss(Tensor, Tensor, Tensor, Tensor)} over the positions {@code mask} keeps
     * (the output mask of {@link #callMasked}; null for none), through
     * {@link Loss#call(Tensor, Tensor, Tensor, Tensor)}.
     */
    public Tensor computeLoss(Tensor x, Tensor y, Tensor yPred, Tensor sampleWeight, Tensor mask) {
        requireCompiled("computeLoss");
        Tensor value = loss.call(y, yPred, sampleWeight, mask);
        if (lossWeight != 1) {
            value = value.mul(lossWeight);
        }
        ReplicaContext ctx = ReplicaContext.current();
        if (ctx != null && loss.reduction() != Reduction.SUM) {
            value = value.mul(ctx.lossScale());
        }
        for (Tensor extra : losses()) {
            value = value.add(ctx == null ? extra : extra.div(ctx.numReplicas()));
        }
        return value;
    }

    /**
     * Updates the loss tracker (weighted by batch size) and the compiled metrics, and returns every
     * metric's running result. On replicas the updates are serialised and every replica waits for
     * the others before reading, so all see the global batch's results.
     */
    public Map<String, Double> computeMetrics(Tensor x, Tensor y, Tensor yPred, Tensor sampleWeight, Tensor loss) {
        requireCompiled("computeMetrics");
        int n = x.rank() == 0 ? 1 : x.shape().dim(0);
        ReplicaContext ctx = ReplicaContext.current();
        double lossValue = scalar(loss);
        if (ctx == null) {
            updateMetrics(y, yPred, sampleWeight, lossValue, n);
            return metricResults();
        }
        // The replica's loss was scaled by its share of the batch; undo that for the tracker so that
        // the replicas' updates add up to one update with the global batch's loss and size.
        double tracked = lossValue * ctx.globalBatch() / n;
        synchronized (ctx.lock()) {
            updateMetrics(y, yPred, sampleWeight, tracked, n);
        }
        ctx.sync();
        return metricResults();
    }

    private void updateMetrics(Tensor y, Tensor yPred, Tensor sampleWeight, double lossValue, int n) {
        lossTracker.update(lossValue, n);
        buildMetrics(y.shape(), yPred.shape());
        for (Object m : compiledMetrics) {
            ((Metric) m).update(y, yPred, sampleWeight);
        }
    }

    /**
     * Resolves the metrics compiled by name for targets and predictions of these shapes, as the
     * first batch does ("accuracy" picks its kind from them), so that {@link #metrics()} lists
     * them all. A strategy whose workers run the steps calls it before merging their metric states
     * into this model's.
     */
    public void buildMetrics(Shape yTrue, Shape yPred) {
        requireCompiled("buildMetrics");
        for (int i = 0; i < compiledMetrics.size(); i++) {
            if (compiledMetrics.get(i) instanceof String name) {
                compiledMetrics.set(i, Metrics.get(name, yTrue, yPred));
            }
        }
    }

    /** The current result of every metric, loss first. */
    public Map<String, Double> metricResults() {
        Map<String, Double> logs = new LinkedHashMap<>();
        for (Metric m : metrics()) {
            logs.put(m.name(), m.result());
        }
        return logs;
    }

    /**
     * Applies {@code grads} to {@code vars} with the compiled optimizer. On a replica of a mirrored
     * strategy the replicas' gradients are summed first and the update is applied once.
     */
    public void applyGradients(List<Tensor> grads, List<Variable> vars) {
        requireCompiled("applyGradients");
        ReplicaContext ctx = ReplicaContext.current();
        if (ctx == null) {
            optimizer.applyGradients(grads, vars);
        } else {
            ctx.allReduceSum(grads, summed -> optimizer.applyGradients(summed, vars));
        }
    }

    static double scalar(Tensor t) {
        if (t.size() != 1) {
            throw new IllegalArgumentException("expected a scalar loss, got shape " + t.shape());
        }
        return t.reshape().get();
    }

    // ---------------------------------------------------------------------------------------
    // fit.

    /** Trains for {@code epochs} epochs on a batched dataset, printing a progress line per epoch. */
    public History fit(Dataset data, int epochs) {
        return fit(FitOptions.of(data).epochs(epochs));
    }

    /** Trains on the rows of {@code x} and {@code y} in batches of {@code batchSize}, shuffled each epoch. */
    public History fit(Tensor x, Tensor y, int epochs, int batchSize) {
        return fit(FitOptions.of(x, y).epochs(epochs).batchSize(batchSize));
    }

    /**
     * Trains the model, as Keras's {@code fit}: for each epoch, resets the metrics, runs the train
     * function (up to {@code stepsPerExecution} train steps a call) until the epoch's batches are
     * done, validates, and tells the callbacks. Returns the History of epoch logs.
     */
    public History fit(FitOptions o) {
        requireCompiled("fit");
        if (o.epochs < 0 || o.initialEpoch < 0) {
            throw new IllegalArgumentException("fit: epochs (" + o.epochs + ") and initialEpoch (" + o.initialEpoch
                    + ") must be non-negative");
        }
        Dataset train;
        Dataset validation = o.validationData;
        if (o.dataset != null) {
            if (o.validationSplit > 0) {
                throw new IllegalArgumentException("fit: validationSplit needs tensor input; with a Dataset pass validationData");
            }
            train = o.dataset;
        } else {
            int n = o.x.shape().dim(0);
            int nVal = (int) Math.floor(n * o.validationSplit);
            int nTrain = n - nVal;
            if (nVal > 0) {
                validation = slices(o, nTrain, n).batch(o.batchSize);
            }
            train = slices(o, 0, nTrain);
            if (o.shuffle) {
                train = train.shuffle(Math.max(1, nTrain), o.shuffleSeed != null ? o.shuffleSeed : seed());
            }
            train = train.batch(o.batchSize);
        }
        if (o.validationX != null) {
            validation = Dataset.fromTensorSlices(o.validationX, o.validationY).batch(o.batchSize);
        }
        if (o.classWeight != null) {
            train = train.map(ClassWeights.applier(o.classWeight));
        }
        return runFit(train, validation, o);
    }

    /** Rows {@code [from, to)} of the tensor input as a dataset of single samples. */
    private static Dataset slices(FitOptions o, int from, int to) {
        Tensor x = o.x.slice(0, from, to);
        Tensor y = o.y.slice(0, from, to);
        return o.sampleWeight == null ? Dataset.fromTensorSlices(x, y)
                : Dataset.fromTensorSlices(x, y, o.sampleWeight.slice(0, from, to));
    }

    private History runFit(Dataset train, Dataset validation, FitOptions o) {
        long cardinality = train.cardinality();
        long steps = o.stepsPerEpoch > 0 ? o.stepsPerEpoch : cardinality >= 0 ? cardinality : -1;
        if (cardinality == Dataset.INFINITE && o.stepsPerEpoch < 0) {
            throw new IllegalArgumentException("fit: the training data repeats forever; give stepsPerEpoch");
        }
        // Keras keeps one pass going across epochs when the epoch length is not the data's length.
        boolean persistentPass = o.stepsPerEpoch > 0 && cardinality != o.stepsPerEpoch;
        CallbackList callbacks = new CallbackList(o.callbacks, true, o.verbose != 0, this,
                new CallbackParams(o.epochs, steps, o.verbose));
        history = callbacks.history();
        stopTraining = false;
        trainCounter = 0;
        Function<Batch, Map<String, Double>> step = this::trainStep;
        Map<String, Double> epochLogs = new LinkedHashMap<>();
        callbacks.onTrainBegin(new LinkedHashMap<>());
        ClusterRun remote = null;
        Pass pass = null;
        try {
            remote = startCluster(train, ClusterStrategy.Mode.TRAIN);
            for (int epoch = o.initialEpoch; epoch < o.epochs; epoch++) {
                resetMetrics();
                callbacks.onEpochBegin(epoch, new LinkedHashMap<>());
                if (pass == null || !persistentPass) {
                    closeQuietly(pass);
                    pass = remote != null ? new RemotePass(remote, pass != null) : new LocalPass(train.iterator(), step);
                }
                Map<String, Double> logs = null;
                int batch = 0;
                boolean exhausted = false;
                while (steps < 0 || batch < steps) {
                    if (!pass.hasNext()) {
                        exhausted = true;
                        break;
                    }
                    int limit = steps < 0 ? stepsPerExecution : (int) Math.min(stepsPerExecution, steps - batch);
                    callbacks.onTrainBatchBegin(batch, new LinkedHashMap<>());
                    Execution ex = pass.execute(limit);
                    trainCounter += ex.steps;
                    logs = ex.logs;
                    batch += ex.steps;
                    callbacks.onTrainBatchEnd(batch - 1, new LinkedHashMap<>(logs));
                    if (stopTraining) {
                        break;
                    }
                }
                if (logs == null) {
                    throw new IllegalArgumentException("fit: the training data yielded no batches in epoch " + (epoch + 1)
                            + "; it must contain at least one batch of samples");
                }
                epochLogs = new LinkedHashMap<>(logs);
                if (remote != null) {
                    remote.syncModel(); // validation, callbacks and checkpoints see the workers' weights
                }
                boolean ranOut = exhausted && persistentPass && steps > 0 && batch < steps;
                if (validation != null && !ranOut && (epoch + 1) % o.validationFreq == 0) {
                    Map<String, Double> val = runEvaluate(validation, o.validationSteps, callbacks, false);
                    for (Map.Entry<String, Double> e : val.entrySet()) {
                        epochLogs.put("val_" + e.getKey(), e.getValue());
                    }
                }
                callbacks.onEpochEnd(epoch, epochLogs);
                if (ranOut) {
                    LOG.log(System.Logger.Level.WARNING, "fit: the training data ran out after " + trainCounter
                            + " steps; stopping (make the dataset repeat, or lower stepsPerEpoch)");
                    break;
                }
                if (stopTraining) {
                    break;
                }
            }
        } finally {
            closeQuietly(pass);
            if (remote != null) {
                remote.close();
            }
        }
        callbacks.onTrainEnd(epochLogs);
        return history;
    }

    private record Execution(Map<String, Double> logs, int steps) {
    }

    /**
     * One pass over the data for fit or evaluate: batches pulled here and run through the strategy,
     * or the remote steps of a {@link ClusterRun}.
     */
    private interface Pass extends AutoCloseable {
        boolean hasNext();

        /** The train (or test) function: up to {@code limit} steps on consecutive batches. */
        Execution execute(int limit);

        @Override
        void close();
    }

    private final class LocalPass implements Pass {
        private final DatasetIterator batches;
        private final Function<Batch, Map<String, Double>> step;

        LocalPass(DatasetIterator batches, Function<Batch, Map<String, Double>> step) {
            this.batches = batches;
            this.step = step;
        }

        @Override
        public boolean hasNext() {
            return batches.hasNext();
        }

        @Override
        public Execution execute(int limit) {
            Map<String, Double> logs = null;
            int done = 0;
            while (done < limit && (done == 0 || batches.hasNext())) {
                logs = strategy.run(step, batches.next());
                done++;
            }
            if (logs == null) {
                throw new IllegalStateException("the step returned no logs (it must return a map, possibly empty)");
            }
            return new Execution(logs, done);
        }

        @Override
        public void close() {
            batches.close();
        }
    }

    /** A pass of a cluster run; the run itself is closed by whoever started it. */
    private record RemotePass(ClusterRun run) implements Pass {
        RemotePass(ClusterRun run, boolean newPass) {
            this(run);
            if (newPass) {
                run.startPass();
            }
        }

        @Override
        public boolean hasNext() {
            return run.hasNext();
        }

        @Override
        public Execution execute(int limit) {
            int done = run.run(limit);
            return new Execution(run.logs(), done);
        }

        @Override
        public void close() {
        }
    }

    /** A run on the strategy's workers when it is a cluster strategy that reads {@code data} itself, else null. */
    private ClusterRun startCluster(Dataset data, ClusterStrategy.Mode mode) {
        return strategy instanceof ClusterStrategy c && c.accepts(data) ? c.start(this, data, mode) : null;
    }

    private static void closeQuietly(AutoCloseable pass) {
        if (pass != null) {
            try {
                pass.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the pass over the data failed", e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // evaluate.

    /**
     * The loss and metrics over every batch of {@code data}, from metric states accumulated over
     * all of them (a short last batch counts by its size). An input with no batch is an error.
     */
    public Map<String, Double> evaluate(Dataset data) {
        return evaluate(data, -1, 0, List.of());
    }

    /** {@link #evaluate(Dataset)} on the rows of {@code x} and {@code y} in batches of {@code batchSize}. */
    public Map<String, Double> evaluate(Tensor x, Tensor y, int batchSize) {
        return evaluate(Dataset.fromTensorSlices(x, y).batch(batchSize));
    }

    /**
     * Evaluates at most {@code steps} batches (-1: all) with callbacks; {@code verbose} as in fit.
     */
    public Map<String, Double> evaluate(Dataset data, int steps, int verbose, List<? extends Callback> callbacks) {
        requireCompiled("evaluate");
        long card = data.cardinality();
        if (card == Dataset.INFINITE && steps < 0) {
            throw new IllegalArgumentException("evaluate: the data repeats forever; give the number of steps");
        }
        CallbackList list = new CallbackList(callbacks, false, verbose != 0, this,
                new CallbackParams(0, steps >= 0 ? steps : card >= 0 ? card : -1, verbose));
        return runEvaluate(data, steps, list, true);
    }

    private Map<String, Double> runEvaluate(Dataset data, int steps, CallbackList callbacks, boolean standalone) {
        Function<Batch, Map<String, Double>> step = this::testStep;
        resetMetrics();
        callbacks.onTestBegin(new LinkedHashMap<>());
        Map<String, Double> logs = null;
        int batch = 0;
        ClusterRun remote = startCluster(data, ClusterStrategy.Mode.TEST);
        try (Pass pass = remote != null ? new RemotePass(remote) : new LocalPass(data.iterator(), step)) {
            while ((steps < 0 || batch < steps) && pass.hasNext()) {
                int limit = steps < 0 ? stepsPerExecution : Math.min(stepsPerExecution, steps - batch);
                callbacks.onTestBatchBegin(batch, new LinkedHashMap<>());
                Execution ex = pass.execute(limit);
                testCounter += ex.steps;
                logs = ex.logs;
                batch += ex.steps;
                callbacks.onTestBatchEnd(batch - 1, new LinkedHashMap<>(logs));
            }
        } finally {
            if (remote != null) {
                remote.close();
            }
        }
        if (logs == null) {
            throw new IllegalArgumentException((standalone ? "evaluate" : "fit validation")
                    + ": the data yielded no batches; it must contain at least one batch of samples");
        }
        Map<String, Double> result = new LinkedHashMap<>(logs);
        callbacks.onTestEnd(new LinkedHashMap<>(result));
        return result;
    }

    // ---------------------------------------------------------------------------------------
    // predict.

    /** The outputs for every batch of {@code data}, in inference mode, concatenated in order. */
    public Tensor predict(Dataset data) {
        return predict(data, -1, 0, List.of());
    }

    /** {@link #predict(Dataset)} on the rows of {@code x} in batches of {@code batchSize}. */
    public Tensor predict(Tensor x, int batchSize) {
        return predict(Dataset.fromTensorSlices(x).batch(batchSize));
    }

    /** Predicts at most {@code steps} batches (-1: all) with callbacks. */
    public Tensor predict(Dataset data, int steps, int verbose, List<? extends Callback> callbacks) {
        long card = data.cardinality();
        if (card == Dataset.INFINITE && steps < 0) {
            throw new IllegalArgumentException("predict: the data repeats forever; give the number of steps");
        }
        CallbackList list = new CallbackList(callbacks, false, verbose != 0, this,
                new CallbackParams(0, steps >= 0 ? steps : card >= 0 ? card : -1, verbose));
        list.onPredictBegin(new LinkedHashMap<>());
        List<Tensor> outputs = new ArrayList<>();
        int batch = 0;
        ClusterRun remote = startCluster(data, ClusterStrategy.Mode.PREDICT);
        if (remote != null) {
            try (remote) {
                while ((steps < 0 || batch < steps) && remote.hasNext()) {
                    list.onPredictBatchBegin(batch, new LinkedHashMap<>());
                    int done = remote.run(steps < 0 ? stepsPerExecution : Math.min(stepsPerExecution, steps - batch));
                    outputs.addAll(remote.takeOutputs());
                    predictCounter += done;
                    batch += done;
                    list.onPredictBatchEnd(batch - 1, new LinkedHashMap<>());
                }
            }
        } else {
            try (DatasetIterator pass = data.iterator()) {
                while ((steps < 0 || batch < steps) && pass.hasNext()) {
                    list.onPredictBatchBegin(batch, new LinkedHashMap<>());
                    int limit = steps < 0 ? stepsPerExecution : Math.min(stepsPerExecution, steps - batch);
                    int done = 0;
                    while (done < limit && (done == 0 || pass.hasNext())) {
                        outputs.add(predictStep(pass.next().x()));
                        done++;
                    }
                    predictCounter += done;
                    batch += done;
                    list.onPredictBatchEnd(batch - 1, new LinkedHashMap<>());
                }
            }
        }
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("predict: the data yielded no batches; it must contain at least one batch");
        }
        list.onPredictEnd(new LinkedHashMap<>());
        return outputs.size() == 1 ? outputs.get(0) : ShapeOps.concat(outputs, 0);
    }

    // ---------------------------------------------------------------------------------------
    // State.

    /** Whether a callback has asked {@code fit} to stop after the current execution. */
    public boolean stopTraining() {
        return stopTraining;
    }

    /** Asks {@code fit} to stop (true) after the current execution, as Keras's {@code model.stop_training}. */
    public void setStopTraining(boolean stop) {
        this.stopTraining = stop;
    }

    /** Train steps run by the current (or last) {@code fit}; reset to 0 when fit starts. */
    public long trainCounter() {
        return trainCounter;
    }

    /** Test steps run by all evaluations so far. */
    public long testCounter() {
        return testCounter;
    }

    /** Predict steps run so far. */
    public long predictCounter() {
        return predictCounter;
    }

    /** The History of the last {@code fit}, or null. */
    public History history() {
        return history;
    }

    /** The distribution strategy steps run under (default one device). */
    public Strategy strategy() {
        return strategy;
    }

    /** Sets the distribution strategy; build the model before training replicas share it. */
    public void setStrategy(Strategy strategy) {
        this.strategy = java.util.Objects.requireNonNull(strategy, "strategy");
    }

    /** Copies of every weight's value, in {@link #weights()} order. */
    public List<Tensor> getWeights() {
        List<Tensor> out = new ArrayList<>();
        for (Variable v : weights()) {
            out.add(v.peek().contiguousCopy());
        }
        return out;
    }

    /** Assigns {@code values} to the weights, in {@link #weights()} order; shapes must match. */
    public void setWeights(List<Tensor> values) {
        List<Variable> vars = weights();
        if (values.size() != vars.size()) {
            throw new IllegalArgumentException("setWeights: model '" + name() + "' has " + vars.size()
                    + " weights, got " + values.size() + " values");
        }
        for (int i = 0; i < vars.size(); i++) {
            vars.get(i).assign(values.get(i));
        }
    }

    /** The loss weight from {@link #compile} (1 by default). */
    double lossWeight() {
        return lossWeight;
    }

    /** The metrics as compiled, by name: names as given, metric objects by their {@link Metric#name()}. */
    List<String> compiledMetricNames() {
        List<String> names = new ArrayList<>();
        for (Object m : compiledMetrics) {
            names.add(m instanceof Metric metric ? metric.name() : (String) m);
        }
        return names;
    }

    // ---------------------------------------------------------------------------------------
    // Saving and loading (docs/saving.md, "Model files").

    /**
     * Copies of every weight keyed by variable name ({@code dense_1/kernel}; the weights of a nested
     * model prefixed with its name, {@code inner/dense/kernel}), in {@link #weights()} order: what
     * {@link #saveWeights} writes, and a snapshot {@link #setNamedWeights} restores.
     */
    public Map<String, Tensor> namedWeights() {
        return ModelFiles.namedWeights(this);
    }

    /**
     * Assigns weights by variable name. Nothing is assigned unless the names are exactly the
     * model's and every shape and dtype matches; otherwise one IllegalArgumentException lists
     * every missing, unexpected and mismatched name.
     */
    public void setNamedWeights(Map<String, Tensor> values) {
        ModelFiles.assignNamedWeights(this, values);
    }

    /**
     * Writes the weights to a safetensors file, atomically, keyed by variable name.
     *
     * <pre>{@code
     * model.saveWeights(Path.of("mlp.safetensors"));
     * other.build(1, 784);
     * other.loadWeights(Path.of("mlp.safetensors"));
     * }</pre>
     */
    public void saveWeights(java.nio.file.Path file) throws java.io.IOException {
        ModelFiles.saveWeights(this, file);
    }

    /**
     * Loads weights written by {@link #saveWeights} (or any safetensors file with the same names
     * and shapes) into this built model. Every name, shape and dtype is checked before anything is
     * assigned; a mismatch is one {@link dev.vecgrad.core.io.TensorFileException} listing them all.
     */
    public void loadWeights(java.nio.file.Path file) throws java.io.IOException {
        ModelFiles.loadWeights(this, file);
    }

    /**
     * Saves the whole model into the model directory {@code dir}: a new save holding
     * {@code config.json} (architecture, input shape, optimizer and loss), {@code model.safetensors}
     * (weights) and, when compiled, {@code optimizer.safetensors} (step count and slots), so that
     * {@link #load} resumes training exactly. The new save becomes current in one atomic step:
     * a crash leaves the old or the new save, a concurrent {@link #load} gets one of them whole,
     * and concurrent saves run one after another. {@code dir} must be new, empty or a model
     * directory; anything else is refused before anything is written (see {@code docs/saving.md}).
     */
    public void save(java.nio.file.Path dir) throws java.io.IOException {
        ModelFiles.save(this, dir);
    }

    /** {@link #load(java.nio.file.Path, CustomObjects)} for models of built-in classes only. */
    public static Model load(java.nio.file.Path dir) throws java.io.IOException {
        return ModelFiles.load(dir, new CustomObjects(), true);
    }

    /**
     * Rebuilds a model saved by {@link #save}: the architecture from {@code config.json} (classes
     * looked up in the registries and {@code custom}, never by Java class name), the
     * weights, and, when it was compiled with a built-in optimizer and loss, compiled again with
     * the saved optimizer state. {@code dir} is a model directory (its current save is read) or
     * the directory of one save. Any problem with the files is a
     * {@link dev.vecgrad.core.io.TensorFileException} naming the file; a missing file is a
     * {@link java.nio.file.NoSuchFileException}.
     */
    public static Model load(java.nio.file.Path dir, CustomObjects custom) throws java.io.IOException {
        return ModelFiles.load(dir, custom, true);
    }

    /**
     * {@link #load(java.nio.file.Path, CustomObjects)}, reading the optimizer state only when
     * {@code optimizerState}: without it a compiled model is compiled as saved but its optimizer
     * starts afresh, and {@code optimizer.safetensors} is neither needed nor read (for evaluating
     * or predicting).
     */
    public static Model load(java.nio.file.Path dir, CustomObjects custom, boolean optimizerState)
            throws java.io.IOException {
        return ModelFiles.load(dir, custom, optimizerState);
    }

    /** A table of the layers with their output shapes and parameter counts, as Keras's {@code summary()}. */
    public String summary() {
        return Summary.of(this);
    }
}
