package dev.vecgrad.train;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.internal.VariableInternals;
import dev.vecgrad.train.callbacks.Callback;
import dev.vecgrad.train.callbacks.History;
import dev.vecgrad.train.data.Batch;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.data.Tensors;
import dev.vecgrad.train.distribute.Strategy;
import dev.vecgrad.train.layers.Layer;
import dev.vecgrad.train.layers.Masked;
import dev.vecgrad.train.layers.SymbolicTensor;
import dev.vecgrad.train.layers.NameScope;
import dev.vecgrad.train.losses.Loss;
import dev.vecgrad.train.metrics.Metric;
import dev.vecgrad.train.metrics.Metrics;
import dev.vecgrad.train.optimizers.Optimizer;
import dev.vecgrad.train.registry.CustomObjects;
import java.util.ArrayList;
import java.util.Arrays;
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
 * import dev.vecgrad.train.layers.Dense;
 *
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
    private final NameScope names = new NameScope();
    private final Trainer trainer = new Trainer(this);
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

    /** The model's own scope: the layers it tracks are named uniquely within the model. */
    @Override
    protected final NameScope childNameScope() {
        return names;
    }

    // ---------------------------------------------------------------------------------------
    // The functional API.

    /**
     * A functional model from one input to one output, as Keras's
     * {@code keras.Model(inputs, outputs)}; see {@link Functional}.
     *
     * <pre>{@code
     * import dev.vecgrad.train.layers.Dense;
     *
     * SymbolicTensor x = Input.of(784);
     * SymbolicTensor y = new Dense(10).call(new Dense(64, Activations.relu()).call(x));
     * Functional model = Model.of(x, y);
     * }</pre>
     */
    public static Functional of(SymbolicTensor input, SymbolicTensor output) {
        return of(null, List.of(input), List.of(output));
    }

    /** A functional model from several inputs to several outputs, in the order given. */
    public static Functional of(List<SymbolicTensor> inputs, List<SymbolicTensor> outputs) {
        return of(null, inputs, outputs);
    }

    /** A functional model called {@code name} (null: a default name). */
    public static Functional of(String name, List<SymbolicTensor> inputs, List<SymbolicTensor> outputs) {
        return new Functional(name, inputs, outputs);
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
        try (GradientTape.NoGrad p = GradientTape.noGrad()) {
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
        try (GradientTape.NoGrad p = GradientTape.noGrad()) {
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

    /** Configures training: optimizer, loss, metrics, weighted metrics, steps per execution and loss weight. */
    public void compile(CompileOptions options) {
        trainer.compile(options);
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
        return trainer.isCompiled();
    }

    /** The optimizer from {@link #compile}, or null. */
    public Optimizer optimizer() {
        return trainer.optimizer();
    }

    /** The loss {@link #compile} gave every output, or null (not compiled, or a loss an output). */
    public Loss loss() {
        return trainer.loss();
    }

    /** The steps run per call of the train function. */
    public int stepsPerExecution() {
        return trainer.stepsPerExecution();
    }

    /**
     * The loss tracker followed by the compiled metrics (empty before compile). Metrics given by
     * name appear once the first batch has resolved them (Keras picks the kind of "accuracy" from
     * the shapes of labels and predictions).
     */
    public List<Metric> metrics() {
        return trainer.metrics();
    }

    /** Resets the state of every metric, the loss tracker included. */
    public void resetMetrics() {
        for (Metric m : metrics()) {
            m.reset();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Inputs and outputs.

    /**
     * The names of the model's inputs, by which a batch's named inputs are matched: the
     * {@link dev.vecgrad.train.layers.Input}s' names for a functional model, {@code input} for
     * a model of one input.
     */
    public List<String> inputNames() {
        return List.of("input");
    }

    /**
     * The names of the model's outputs, by which targets, losses, loss weights and metrics are
     * matched and logs are prefixed: the names of the layers that give them for a functional
     * model, {@code output} for a model of one output.
     */
    public List<String> outputNames() {
        return List.of("output");
    }

    /**
     * Runs the model on its inputs (by name when they are named, else by position) and returns its
     * outputs, named by {@link #outputNames()}, each with its mask: the forward pass of every step.
     */
    public Tensors call(Tensors inputs, boolean training) {
        List<Masked> out = callOutputs(arrangeInputs(inputs), null, training);
        List<Tensor> values = new ArrayList<>(out.size());
        List<Tensor> masks = new ArrayList<>(out.size());
        for (Masked m : out) {
            values.add(m.value());
            masks.add(m.mask());
        }
        return Tensors.named(outputNames(), values).withMasks(masks);
    }

    /** {@code inputs} in the order of {@link #inputNames()}: by name when they are named, else as given. */
    private List<Tensor> arrangeInputs(Tensors inputs) {
        List<String> names = inputNames();
        if (names.size() == 1 && inputs.size() == 1) {
            return inputs.values();
        }
        if (inputs.isNamed()) {
            List<Tensor> out = new ArrayList<>(names.size());
            for (String n : names) {
                if (!inputs.names().contains(n)) {
                    throw new IllegalArgumentException("model '" + name() + "' takes inputs " + names + "; the batch's x has "
                            + inputs.names());
                }
                out.add(inputs.get(n));
            }
            return out;
        }
        if (inputs.size() != names.size()) {
            throw new IllegalArgumentException("model '" + name() + "' takes " + names.size() + " input"
                    + (names.size() == 1 ? "" : "s " + names) + " and was given " + inputs.size());
        }
        return inputs.values();
    }

    // ---------------------------------------------------------------------------------------
    // Steps, meant to be overridden.

    /**
     * One training step on {@code data}: the forward pass under a gradient tape, the loss (with
     * the model's regularization losses), the gradients, one optimizer update through
     * {@link #applyGradients}, and the metric updates. Returns the running metric results.
     */
    public Map<String, Double> trainStep(Batch data) {
        Tensors x = data.inputs();
        Tensors y = requireTargets(data, "trainStep");
        Tensors yPred;
        Tensor total;
        List<Variable> vars;
        List<Tensor> grads;
        try (GradientTape tape = GradientTape.open()) {
            yPred = call(x, true);
            total = computeLoss(x, y, yPred, data.sampleWeights());
            vars = trainableWeights();
            grads = tape.gradient(total, vars);
        }
        applyGradients(grads, vars);
        return computeMetrics(x, y, yPred, data.sampleWeights(), total);
    }

    /** One evaluation step: the forward pass in inference mode, the loss and the metric updates. */
    public Map<String, Double> testStep(Batch data) {
        Tensors x = data.inputs();
        Tensors y = requireTargets(data, "testStep");
        Tensors yPred = call(x, false);
        Tensor total = computeLoss(x, y, yPred, data.sampleWeights());
        return computeMetrics(x, y, yPred, data.sampleWeights(), total);
    }

    /** One prediction step of a model with one input and one output: the forward pass in inference mode. */
    public Tensor predictStep(Tensor x) {
        return call(x, false);
    }

    /**
     * One prediction step: the outputs for inputs {@code x}, in inference mode. For a model with
     * one input and one output this is {@link #predictStep(Tensor)}.
     */
    public Tensors predictStep(Tensors x) {
        if (inputNames().size() == 1 && outputNames().size() == 1) {
            return Tensors.named(outputNames(), List.of(predictStep(x.single("the batch's x"))));
        }
        return call(x, false);
    }

    private static Tensors requireTargets(Batch data, String step) {
        if (data.targets() == null) {
            throw new IllegalArgumentException(step + ": the batch has no targets y; give the data as (x, y)");
        }
        return data.targets();
    }

    /**
     * The scalar loss to differentiate: each output's compiled loss over the positions its mask
     * keeps, times its loss weight, summed, plus the regularization losses of {@link #losses()}
     * (scaled for replicas, see {@link Trainer}).
     */
    public Tensor computeLoss(Tensors x, Tensors y, Tensors yPred, Tensors sampleWeight) {
        return trainer.computeLoss(y, yPred, sampleWeight);
    }

    /** {@link #computeLoss(Tensors, Tensors, Tensors, Tensors)} for a model of one input and one output. */
    public final Tensor computeLoss(Tensor x, Tensor y, Tensor yPred, Tensor sampleWeight) {
        return computeLoss(x, y, yPred, sampleWeight, null);
    }

    /**
     * {@link #computeLoss(Tensor, Tensor, Tensor, Tensor)} over the positions {@code mask} keeps
     * (the output mask of {@link #callMasked}; null for none).
     */
    public final Tensor computeLoss(Tensor x, Tensor y, Tensor yPred, Tensor sampleWeight, Tensor mask) {
        return computeLoss(Tensors.of(x), Tensors.of(y), one(yPred, mask), sampleWeight == null ? null
                : Tensors.of(sampleWeight));
    }

    /**
     * Updates the loss tracker (weighted by batch size) and the compiled metrics of every output,
     * and returns every metric's running result; on replicas every replica reads the global
     * batch's results.
     */
    public Map<String, Double> computeMetrics(Tensors x, Tensors y, Tensors yPred, Tensors sampleWeight, Tensor loss) {
        return trainer.computeMetrics(x, y, yPred, sampleWeight, loss);
    }

    /** {@link #computeMetrics(Tensors, Tensors, Tensors, Tensors, Tensor)} for a model of one input and one output. */
    public final Map<String, Double> computeMetrics(Tensor x, Tensor y, Tensor yPred, Tensor sampleWeight, Tensor loss) {
        return computeMetrics(x, y, yPred, sampleWeight, loss, null);
    }

    /**
     * {@link #computeMetrics(Tensor, Tensor, Tensor, Tensor, Tensor)} over the positions
     * {@code mask} keeps (the output mask of {@link #callMasked}; null for none): every metric
     * counts only those, as Keras's metrics read the mask of the predictions.
     */
    public final Map<String, Double> computeMetrics(Tensor x, Tensor y, Tensor yPred, Tensor sampleWeight, Tensor loss,
            Tensor mask) {
        return computeMetrics(Tensors.of(x), Tensors.of(y), one(yPred, mask), sampleWeight == null ? null
                : Tensors.of(sampleWeight), loss);
    }

    private Tensors one(Tensor yPred, Tensor mask) {
        return Tensors.named(outputNames().size() == 1 ? outputNames() : List.of("output"), List.of(yPred))
                .withMasks(Arrays.asList(mask));
    }

    /**
     * Resolves the metrics compiled by name for targets and predictions of these shapes, as the
     * first batch does ("accuracy" picks its kind from them), so that {@link #metrics()} lists
     * them all. A strategy whose workers run the steps calls it before merging their metric states
     * into this model's.
     */
    public void buildMetrics(Shape yTrue, Shape yPred) {
        trainer.buildMetrics(List.of(yTrue), List.of(yPred));
    }

    /** The current result of every compiled metric, loss first. */
    public Map<String, Double> metricResults() {
        return trainer.metricResults();
    }

    /**
     * What {@code fit} runs for each batch (Keras's {@code make_train_function}): {@link #trainStep}
     * under the strategy, compiled unless compile said {@code jitCompile(false)}; the compiled
     * function is kept until the next compile, so successive calls share its plans.
     */
    public Function<Batch, Map<String, Double>> makeTrainFunction() {
        trainer.requireCompiled("makeTrainFunction");
        return trainer.makeTrainFunction();
    }

    /** What {@code evaluate} runs for each batch: {@link #testStep}, compiled as {@link #makeTrainFunction}. */
    public Function<Batch, Map<String, Double>> makeTestFunction() {
        trainer.requireCompiled("makeTestFunction");
        return trainer.makeTestFunction();
    }

    /** What {@code predict} runs for each batch: {@link #predictStep(Tensors)}, compiled as {@link #makeTrainFunction}. */
    public Function<Batch, Tensors> makePredictFunction() {
        return trainer.makePredictFunction();
    }

    /**
     * Applies {@code grads} to {@code vars} with the compiled optimizer. On a replica of a mirrored
     * strategy the replicas' gradients are summed first and the update is applied once.
     */
    public void applyGradients(List<Tensor> grads, List<Variable> vars) {
        trainer.applyGradients(grads, vars);
    }

    // ---------------------------------------------------------------------------------------
    // fit, evaluate, predict.

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
    public History fit(FitOptions options) {
        return trainer.fit(options);
    }

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

    /** Evaluates at most {@code steps} batches (-1: all) with callbacks; {@code verbose} as in fit. */
    public Map<String, Double> evaluate(Dataset data, int steps, int verbose, List<? extends Callback> callbacks) {
        return trainer.evaluate(data, steps, verbose, callbacks);
    }

    /** {@link #evaluate(Dataset)} on matching rows of several inputs and targets, by name or position. */
    public Map<String, Double> evaluate(Tensors x, Tensors y, int batchSize) {
        return evaluate(Dataset.fromTensorSlices(x, y).batch(batchSize));
    }

    /** The outputs for every batch of {@code data}, in inference mode, concatenated in order. */
    public Tensor predict(Dataset data) {
        return predict(data, -1, 0, List.of());
    }

    /** {@link #predict(Dataset)} on the rows of {@code x} in batches of {@code batchSize}. */
    public Tensor predict(Tensor x, int batchSize) {
        return predict(Dataset.fromTensorSlices(x).batch(batchSize));
    }

    /** Predicts at most {@code steps} batches (-1: all) with callbacks; the model must have one output. */
    public Tensor predict(Dataset data, int steps, int verbose, List<? extends Callback> callbacks) {
        return predictOutputs(data, steps, verbose, callbacks).single("the model's outputs (use predictOutputs)");
    }

    /** Every output for every batch of {@code data}, named by {@link #outputNames()}, concatenated in order. */
    public Tensors predictOutputs(Dataset data) {
        return predictOutputs(data, -1, 0, List.of());
    }

    /** {@link #predictOutputs(Dataset)} on matching rows of the inputs, in batches of {@code batchSize}. */
    public Tensors predictOutputs(Tensors x, int batchSize) {
        return predictOutputs(Dataset.fromTensorSlices(x, null).batch(batchSize));
    }

    /** Predicts every output for at most {@code steps} batches (-1: all) with callbacks. */
    public Tensors predictOutputs(Dataset data, int steps, int verbose, List<? extends Callback> callbacks) {
        return trainer.predict(data, steps, verbose, callbacks);
    }

    // ---------------------------------------------------------------------------------------
    // State.

    /** Whether a callback has asked {@code fit} to stop after the current execution. */
    public boolean stopTraining() {
        return trainer.stopTraining();
    }

    /** Asks {@code fit} to stop (true) after the current execution, as Keras's {@code model.stop_training}. */
    public void setStopTraining(boolean stop) {
        trainer.setStopTraining(stop);
    }

    /** Train steps run by the current (or last) {@code fit}; reset to 0 when fit starts. */
    public long trainCounter() {
        return trainer.trainCounter();
    }

    /** Test steps run by all evaluations so far. */
    public long testCounter() {
        return trainer.testCounter();
    }

    /** Predict steps run so far. */
    public long predictCounter() {
        return trainer.predictCounter();
    }

    /** The History of the last {@code fit}, or null. */
    public History history() {
        return trainer.history();
    }

    /**
     * Asks the {@code fit} that is starting to begin at epoch {@code epoch} (from 0) instead of its
     * {@code initialEpoch}, when that is later: for a callback's {@code onTrainBegin} that restored
     * the state of an interrupted run, as Keras's {@code BackupAndRestore} does.
     */
    public void resumeFromEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("resumeFromEpoch: the epoch must be non-negative, got " + epoch);
        }
        trainer.resumeFromEpoch(epoch);
    }

    /** The distribution strategy steps run under (default one device). */
    public Strategy strategy() {
        return trainer.strategy();
    }

    /** Sets the distribution strategy; build the model before training replicas share it. */
    public void setStrategy(Strategy strategy) {
        trainer.setStrategy(strategy);
    }

    /** The machinery behind compile, fit, evaluate and predict. */
    Trainer trainer() {
        return trainer;
    }

    // ---------------------------------------------------------------------------------------
    // Weights, saving and loading (docs/saving.md, "Model files").

    /** Copies of every weight's value, in {@link #weights()} order. */
    public List<Tensor> getWeights() {
        List<Tensor> out = new ArrayList<>();
        for (Variable v : weights()) {
            out.add(VariableInternals.current(v).contiguousCopy());
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

    /**
     * The model's layers as a graph, as Keras's {@code plot_model} with shapes: the input, then one
     * box per layer (name, class, output shape, parameters) joined in the order data flows; a
     * functional model's graph of layer calls as it was made ({@code layerGraph().toDot()} gives it
     * as Graphviz text). A subclassed model is one box listing its layers, since its
     * {@code forward} is code.
     */
    public dev.vecgrad.core.draw.Graph layerGraph() {
        return ModelGraph.of(this);
    }

    /**
     * Draws {@link #layerGraph()} to {@code path}, as SVG or PNG by the file's extension, replacing
     * the file atomically.
     *
     * <pre>{@code
     * model.plot(Path.of("model.png"));
     * }</pre>
     */
    public void plot(java.nio.file.Path path) throws java.io.IOException {
        dev.vecgrad.train.plot.Pictures.write(layerGraph().drawing(), path);
    }
}
