package dev.vecgrad.train.layers;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.internal.VariableInternals;
import dev.vecgrad.train.initializers.Initializer;
import dev.vecgrad.train.regularizers.L1L2;
import dev.vecgrad.train.regularizers.Regularizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A building block of a model, as Keras's {@code Layer}: it holds weights as {@link Variable}s,
 * creates them on its first call from the input's shape ({@link #build}), and computes its output
 * in {@link #forward}, which takes a {@code training} flag for layers that behave differently in
 * training (dropout, batch normalization).
 *
 * <p><b>Lifecycle.</b> {@link #call} builds the layer the first time (weights in the input's
 * floating dtype, so an F64 input gives F64 weights; integer inputs give F32 weights unless the
 * layer says otherwise), then checks later inputs against the shape it was built for and runs
 * {@link #forward}.
 *
 * <p><b>Names.</b> A layer given no name takes a Keras-style default ({@code dense},
 * {@code dense_1}, ...) lazily: from its model's {@link NameScope} when a model tracks it (the
 * layers a plain layer tracks are named in the same scope as that layer), else from
 * {@link NameScope#threadDefault()}. So two instances of one model class name their layers, and
 * therefore their weights, alike. Variables are named {@code layername/weightname}.
 *
 * <p><b>Seeds.</b> Each weight is initialised from {@code Seeds.rng(seed, variableName)}, where
 * the seed is the one given by {@link #setSeed} (a model passes its seed down), else
 * {@link Seeds#DEFAULT_SEED}. The same seed and names therefore give the same weights on every
 * run, whatever order the layers are built in.
 *
 * <p><b>Freezing.</b> {@code setTrainable(false)} makes all the layer's weights (and those of
 * the layers it tracks) non-trainable: they move from {@link #trainableWeights()} to
 * {@link #nonTrainableWeights()}, so an optimizer given the trainable list leaves them alone.
 *
 * <p><b>Nesting.</b> A layer made of other layers registers them with {@link #track}; weights,
 * losses and the trainable flag then cover the whole tree.
 *
 * <p><b>Threads.</b> Building is synchronised; {@code forward} of the layers here only reads
 * fields, so replicas on several threads may call one built layer at once.
 *
 * <pre>{@code
 * Layer dense = new Dense(4, Activations.relu());
 * Tensor y = dense.call(Tensor.ones(2, 3), false);     // builds a (3, 4) kernel and a (4,) bias
 * dense.trainableWeights();                              // [dense/kernel, dense/bias]
 * }</pre>
 */
public abstract class Layer {
    private String name;
    private boolean trainable = true;
    private Long seed;
    private volatile boolean built;
    private Shape builtInputShape;
    private List<Shape> builtInputShapes;
    private DType dtype;
    private final List<Weight> weights = new ArrayList<>();
    private final List<Layer> children = new ArrayList<>();

    private record Weight(Variable variable, Regularizer regularizer) {
    }

    /** A layer called {@code name}; null means a Keras-style default chosen when the name is first needed. */
    protected Layer(String name) {
        if (name != null && (name.isEmpty() || name.contains("/"))) {
            throw new IllegalArgumentException("a layer name must be non-empty and contain no '/', got '" + name + "'");
        }
        this.name = name;
    }

    // ---------------------------------------------------------------------------------------
    // Calling.

    /**
     * Runs the layer on {@code x}, building it first if this is the first call.
     *
     * @param training whether this is a training step (dropout drops, batch normalization uses and
     *     updates batch statistics)
     */
    public final Tensor call(Tensor x, boolean training) {
        prepare(x);
        return forward(x, training);
    }

    /** {@code call(x, false)}: inference. */
    public final Tensor call(Tensor x) {
        return call(x, false);
    }

    /**
     * Runs the layer on {@code x} with the mask of its padded positions (null for none), building
     * it first if this is the first call. Layers that read masks (recurrent layers, attention,
     * pooling over steps) skip the masked positions; the others ignore the mask.
     */
    public final Tensor call(Tensor x, Tensor mask, boolean training) {
        prepare(x);
        return forward(x, mask, training);
    }

    /**
     * Runs the layer on {@code x} and {@code mask} (null for none) and returns the output with the
     * mask that goes with it, {@link #computeMask}: how a stack of layers carries a mask from the
     * layer that makes it ({@link Masking}, an {@link Embedding} with {@code maskZero}) to the
     * loss.
     */
    public final Masked callMasked(Tensor x, Tensor mask, boolean training) {
        prepare(x);
        return forwardMasked(x, mask, training);
    }

    /**
     * Builds the layer for {@code x} on the first call, else checks {@code x} against what it was
     * built for: what {@link #call} does before {@link #forward}, for layers with entry points of
     * their own.
     */
    protected final void prepare(Tensor x) {
        Objects.requireNonNull(x, "input");
        if (!built) {
            maybeBuild(x.shape(), x.dtype());
        } else {
            checkInput(x);
        }
    }

    /**
     * Builds the layer for inputs of {@code inputShape} and {@code inputDType} unless it is built
     * already (for a model that builds before seeing data, or for {@code summary()}).
     */
    public final synchronized void maybeBuild(Shape inputShape, DType inputDType) {
        if (built) {
            return;
        }
        dtype = weightDType(inputDType);
        build(inputShape);
        builtInputShape = inputShape;
        builtInputShapes = List.of(inputShape);
        built = true;
    }

    /**
     * Builds a layer that takes several inputs for inputs of {@code inputShapes}, the weights'
     * dtype following {@code inputDType} (the first input's), unless it is built already.
     */
    public final synchronized void maybeBuild(List<Shape> inputShapes, DType inputDType) {
        if (built) {
            return;
        }
        if (inputShapes.isEmpty()) {
            throw new IllegalArgumentException("layer '" + name() + "' (" + className() + ") needs at least one input");
        }
        dtype = weightDType(inputDType);
        build(inputShapes);
        builtInputShape = inputShapes.get(0);
        builtInputShapes = List.copyOf(inputShapes);
        built = true;
    }

    /** Creates the weights for inputs of {@code inputShape} with {@link #addWeight}; the default creates none. */
    protected void build(Shape inputShape) {
    }

    /**
     * Creates the weights of a layer that takes several inputs, for inputs of {@code inputShapes};
     * the default builds a one-input layer for its input and creates nothing for several.
     */
    protected void build(List<Shape> inputShapes) {
        if (inputShapes.size() == 1) {
            build(inputShapes.get(0));
        }
    }

    /** The output for input {@code x}; the layer is built. Written with tensor ops so a tape can differentiate it. */
    protected abstract Tensor forward(Tensor x, boolean training);

    /**
     * The output for input {@code x} whose padded positions {@code mask} marks with 0 (null: no
     * mask). The default ignores the mask; layers that must skip padded positions override it.
     */
    protected Tensor forward(Tensor x, Tensor mask, boolean training) {
        return forward(x, training);
    }

    /**
     * The output and its mask; the default is {@link #forward(Tensor, Tensor, boolean)} and
     * {@link #computeMask}. A layer made of layers overrides it to carry the mask through them.
     */
    protected Masked forwardMasked(Tensor x, Tensor mask, boolean training) {
        return new Masked(forward(x, mask, training), computeMask(x, mask));
    }

    /**
     * Whether the layer passes a mask through unchanged, as Keras's {@code supports_masking}: true
     * for layers that act on each position alone (dense, activations, dropout, normalization over
     * features). The default is false: a mask reaching such a layer stops there.
     */
    public boolean supportsMasking() {
        return false;
    }

    /**
     * The mask of the output for input {@code x} with mask {@code mask}, as Keras's
     * {@code compute_mask}: a 0/1 tensor over the output's leading axes, or null. The default
     * passes {@code mask} on when {@link #supportsMasking()}, else gives null. Layers that make
     * masks ({@link Masking}) or change the positions (a recurrent layer returning only its last
     * step) override it.
     */
    public Tensor computeMask(Tensor x, Tensor mask) {
        return supportsMasking() ? mask : null;
    }

    /** The output shape for an input of {@code inputShape} (batch dimension included, as given). */
    public abstract Shape computeOutputShape(Shape inputShape);

    // ---------------------------------------------------------------------------------------
    // Several inputs and outputs: merge layers, attention, recurrent layers returning states,
    // and the nodes of a functional model, which call every layer through callOutputs.

    /**
     * Runs a layer that takes several inputs (a merge layer, attention), building it from all
     * their shapes the first time. A layer that gives several outputs is called with
     * {@link #callOutputs(List, List, boolean)}.
     */
    public final Tensor call(List<Tensor> inputs, boolean training) {
        List<Masked> out = callOutputs(inputs, null, training);
        if (out.size() != 1) {
            throw new IllegalStateException("layer '" + name() + "' (" + className() + ") gives " + out.size()
                    + " outputs; call it with callOutputs");
        }
        return out.get(0).value();
    }

    /**
     * Runs the layer on its inputs and their masks ({@code masks} null, or one entry an input,
     * entries null for none), building it the first time, and returns every output with its
     * mask: the general form, which a functional model uses for each of its nodes.
     */
    public final List<Masked> callOutputs(List<Tensor> inputs, List<Tensor> masks, boolean training) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("layer '" + name() + "' (" + className() + ") was called with no input");
        }
        if (masks != null && masks.size() != inputs.size()) {
            throw new IllegalArgumentException("layer '" + name() + "': " + masks.size() + " masks for " + inputs.size()
                    + " inputs");
        }
        List<Tensor> m = masks != null ? masks : Arrays.asList(new Tensor[inputs.size()]);
        if (inputs.size() == 1) {
            prepare(inputs.get(0));
        } else {
            prepare(inputs);
        }
        return forwardOutputs(inputs, m, training);
    }

    private void prepare(List<Tensor> inputs) {
        for (Tensor t : inputs) {
            Objects.requireNonNull(t, "input");
        }
        if (!built) {
            List<Shape> shapes = new ArrayList<>(inputs.size());
            for (Tensor t : inputs) {
                shapes.add(t.shape());
            }
            maybeBuild(shapes, inputs.get(0).dtype());
            return;
        }
        if (builtInputShapes.size() != inputs.size()) {
            throw new IllegalArgumentException("layer '" + name() + "' (" + className() + ") was built for "
                    + builtInputShapes.size() + " inputs and was given " + inputs.size());
        }
        for (int i = 0; i < inputs.size(); i++) {
            checkInputShape(builtInputShapes.get(i), inputs.get(i).shape());
        }
    }

    /**
     * Every output with its mask; {@code masks} has an entry (possibly null) for each input. The
     * default gives the one output of {@link #forwardMasked} for one input, and of
     * {@link #forward(List, List, boolean)} with {@link #computeMask(List, List)} for several.
     * Layers with several outputs override it.
     */
    protected List<Masked> forwardOutputs(List<Tensor> inputs, List<Tensor> masks, boolean training) {
        if (inputs.size() == 1) {
            return List.of(forwardMasked(inputs.get(0), masks.get(0), training));
        }
        return List.of(new Masked(forward(inputs, masks, training), computeMask(inputs, masks)));
    }

    /**
     * The output for several inputs (each mask null for none); layers that take several inputs
     * override it. The default runs a one-input layer on its input and refuses several.
     */
    protected Tensor forward(List<Tensor> inputs, List<Tensor> masks, boolean training) {
        if (inputs.size() == 1) {
            return forward(inputs.get(0), masks.get(0), training);
        }
        throw new IllegalArgumentException(takesOneInput(inputs.size()));
    }

    /** The output's mask for several inputs; the default handles one input and gives none for several. */
    public Tensor computeMask(List<Tensor> inputs, List<Tensor> masks) {
        return inputs.size() == 1 ? computeMask(inputs.get(0), masks.get(0)) : null;
    }

    /**
     * The output shape for several inputs (batch dimensions included); layers that take several
     * inputs override it. The default handles one input and refuses several.
     */
    public Shape computeOutputShape(List<Shape> inputShapes) {
        if (inputShapes.size() == 1) {
            return computeOutputShape(inputShapes.get(0));
        }
        throw new IllegalArgumentException(takesOneInput(inputShapes.size()));
    }

    /** The shape of every output; layers with several outputs override it. */
    public List<Shape> computeOutputShapes(List<Shape> inputShapes) {
        return List.of(computeOutputShape(inputShapes));
    }

    private String takesOneInput(int given) {
        return "layer '" + name() + "' (" + className() + ") takes one input, got " + given;
    }

    /**
     * Calls the layer on a symbolic tensor, as Keras does on a {@code keras.Input}: records the
     * call as a {@link Node} of the graph a functional model is made from and returns its output,
     * whose shape comes from {@link #computeOutputShapes}. Nothing is computed or built yet.
     *
     * <pre>{@code
     * SymbolicTensor x = Input.of(784);
     * SymbolicTensor h = new Dense(64, Activations.relu()).call(x);
     * }</pre>
     */
    public final SymbolicTensor call(SymbolicTensor input) {
        return call(List.of(input));
    }

    /** Calls a layer that takes several inputs on symbolic tensors, e.g. {@code new Add().call(a, b)}. */
    public final SymbolicTensor call(SymbolicTensor first, SymbolicTensor... more) {
        List<SymbolicTensor> all = new ArrayList<>();
        all.add(first);
        all.addAll(List.of(more));
        return call(all);
    }

    /** Calls the layer on several symbolic inputs; it must give one output. */
    public final SymbolicTensor call(List<SymbolicTensor> inputs) {
        List<SymbolicTensor> out = callOutputs(inputs);
        if (out.size() != 1) {
            throw new IllegalStateException("layer '" + name() + "' (" + className() + ") gives " + out.size()
                    + " outputs; call it with callOutputs");
        }
        return out.get(0);
    }

    /** Calls the layer on symbolic inputs and returns all of its symbolic outputs. */
    public final List<SymbolicTensor> callOutputs(List<SymbolicTensor> inputs) {
        return new Node(this, inputs).outputs();
    }

    /**
     * The dtype of the weights for an input of {@code inputDType}: the input's own when it is
     * floating, else F32. Layers that take integer input and have their own dtype override this.
     */
    protected DType weightDType(DType inputDType) {
        return inputDType.isFloating() ? inputDType : DType.F32;
    }

    /**
     * Fails with a message naming the layer and both shapes when {@code given} does not fit the
     * shape the layer was built for. The default demands the same rank and the same dimensions
     * except the first (the batch); layers that accept more (convolutions over any image size)
     * override it.
     */
    protected void checkInputShape(Shape builtFor, Shape given) {
        boolean ok = builtFor.rank() == given.rank();
        for (int i = 1; ok && i < given.rank(); i++) {
            ok = builtFor.dim(i) == given.dim(i);
        }
        if (!ok) {
            throw new IllegalArgumentException(incompatible(builtFor, given));
        }
    }

    /**
     * Fails with the standard message unless {@code given} has {@code builtFor}'s rank and the same
     * sizes on {@code axes} (negative axes count from the end); for layers that accept any size on
     * the other axes, such as the steps of a sequence.
     */
    protected final void requireSameAxes(Shape builtFor, Shape given, int... axes) {
        boolean ok = builtFor.rank() == given.rank();
        for (int i = 0; ok && i < axes.length; i++) {
            int a = axes[i] < 0 ? axes[i] + given.rank() : axes[i];
            ok = given.dim(a) == builtFor.dim(a);
        }
        if (!ok) {
            throw new IllegalArgumentException(incompatible(builtFor, given));
        }
    }

    /**
     * Fails with the standard message unless {@code given} is a batch of sequences,
     * {@code (batch, steps, features)}, with the features of {@code builtFor}: for layers over
     * sequences of any length.
     */
    protected final void requireSequence(Shape builtFor, Shape given) {
        if (given.rank() != 3 || given.dim(2) != builtFor.dim(2)) {
            throw new IllegalArgumentException(incompatible(builtFor, given) + " (inputs are (batch, steps, "
                    + builtFor.dim(2) + "); steps may vary)");
        }
    }

    /** The standard message for an input that does not fit: layer, class, both shapes. */
    protected final String incompatible(Shape builtFor, Shape given) {
        return "layer '" + name() + "' (" + className() + ") was built for inputs of shape " + builtFor
                + " and cannot take an input of shape " + given;
    }

    private void checkInput(Tensor x) {
        checkInputShape(builtInputShape, x.shape());
        if (!weights.isEmpty() && weightDType(x.dtype()) != dtype) {
            throw new IllegalArgumentException("layer '" + name() + "' (" + className() + ") has " + dtype
                    + " weights and cannot take a " + x.dtype() + " input " + x.shape() + "; cast the input with cast(DType."
                    + dtype + ")");
        }
    }

    // ---------------------------------------------------------------------------------------
    // Weights.

    /**
     * Creates a weight named {@code layername/name} in the layer's dtype, initialised by
     * {@code init} from this layer's seed, and registers it.
     *
     * @param reg a penalty added to {@link #losses()}, or null
     * @param trainable false for state an optimizer must not touch (moving statistics)
     */
    protected final Variable addWeight(String name, int[] shape, Initializer init, Regularizer reg, boolean trainable) {
        if (dtype == null) {
            throw new IllegalStateException("layer '" + name() + "': addWeight(" + name + ") outside build()");
        }
        return addWeight(name, shape, dtype, init, reg, trainable);
    }

    /** {@link #addWeight(String, int[], Initializer, Regularizer, boolean)} with an explicit dtype. */
    protected final Variable addWeight(String name, int[] shape, DType weightDType, Initializer init, Regularizer reg,
            boolean trainable) {
        String varName = name() + "/" + name;
        for (Weight w : weights) {
            if (w.variable().name().equals(varName)) {
                throw new IllegalArgumentException("layer '" + name() + "' already has a weight named '" + name + "'");
            }
        }
        Shape weightShape = Shape.of(shape);
        WeightBudget.charge(varName, weightShape);
        Tensor initial = init.initialize(weightShape, weightDType, Seeds.rng(seed(), varName));
        Variable v = new Variable(varName, initial, trainable);
        weights.add(new Weight(v, reg));
        return v;
    }

    /**
     * Registers {@code child} as part of this layer, so its weights, losses and freezing follow
     * this layer's, and returns it.
     */
    protected final <T extends Layer> T track(T child) {
        if (child == this || children.contains(child)) {
            throw new IllegalArgumentException("layer '" + name() + "' already tracks '" + child.name() + "'");
        }
        children.add(child);
        NameScope scope = childNameScope();
        if (scope != null) {
            child.resolveName(scope);
        }
        return child;
    }

    /**
     * The scope the layers this one tracks take their default names from: a model's own (so two
     * instances of one model class name their layers alike), or null for a plain layer, whose
     * tracked layers are named in the scope that names it.
     */
    protected NameScope childNameScope() {
        return null;
    }

    /** The layers registered with {@link #track}, in order. */
    public List<Layer> layers() {
        return Collections.unmodifiableList(children);
    }

    /** Weights an optimizer updates: this layer's trainable ones and its tracked layers', none if frozen. */
    public List<Variable> trainableWeights() {
        List<Variable> out = new ArrayList<>();
        if (!trainable) {
            return out;
        }
        for (Weight w : weights) {
            if (w.variable().trainable()) {
                out.add(w.variable());
            }
        }
        for (Layer c : children) {
            out.addAll(c.trainableWeights());
        }
        return out;
    }

    /** Weights an optimizer leaves alone: non-trainable state, and every weight of a frozen layer. */
    public List<Variable> nonTrainableWeights() {
        List<Variable> out = new ArrayList<>();
        for (Weight w : weights) {
            if (!trainable || !w.variable().trainable()) {
                out.add(w.variable());
            }
        }
        for (Layer c : children) {
            out.addAll(trainable ? c.nonTrainableWeights() : c.weights());
        }
        return out;
    }

    /** All weights: {@link #trainableWeights()} then {@link #nonTrainableWeights()}, as Keras orders them. */
    public List<Variable> weights() {
        List<Variable> out = trainableWeights();
        out.addAll(nonTrainableWeights());
        return out;
    }

    /**
     * The regularization penalties of this layer and its tracked layers, computed now from the
     * weights' current values. Call it inside the gradient tape of the training step so the
     * penalties' gradients reach the weights.
     */
    public List<Tensor> losses() {
        List<Tensor> out = new ArrayList<>();
        for (Weight w : weights) {
            Regularizer r = w.regularizer();
            if (r != null) {
                // A user's penalty is handed a snapshot it may keep; the built-in one only reads the weight.
                out.add(r.apply(r instanceof L1L2 ? VariableInternals.read(w.variable()) : w.variable().value()));
            }
        }
        for (Layer c : children) {
            out.addAll(c.losses());
        }
        return out;
    }

    /** The number of scalars in all weights; the layer must be built. */
    public long countParams() {
        if (!built && children.isEmpty()) {
            throw new IllegalStateException("layer '" + name() + "' (" + className()
                    + ") is not built yet: call it on an input or maybeBuild(shape, dtype) first");
        }
        long n = 0;
        for (Variable v : weights()) {
            n += v.shape().size();
        }
        return n;
    }

    // ---------------------------------------------------------------------------------------
    // Properties.

    /** The layer's name, choosing the default from {@link NameScope#threadDefault()} if none was set yet. */
    public final synchronized String name() {
        if (name == null) {
            name = NameScope.threadDefault().unique(NameScope.snakeCase(className()));
        }
        return name;
    }

    /**
     * Gives an unnamed layer a unique default name from {@code scope} (or reserves its explicit
     * name there); a model calls this as it adds layers.
     */
    public final synchronized void resolveName(NameScope scope) {
        if (name == null) {
            name = scope.unique(NameScope.snakeCase(className()));
        } else {
            scope.reserve(name);
        }
        if (childNameScope() == null) {
            for (Layer c : children) {
                c.resolveName(scope);
            }
        }
    }

    /** Whether the layer's weights are trainable (see the class comment on freezing). */
    public boolean isTrainable() {
        return trainable;
    }

    /** Freezes ({@code false}) or unfreezes the layer and the layers it tracks. */
    public void setTrainable(boolean trainable) {
        this.trainable = trainable;
    }

    /** Whether the layer has been built. */
    public boolean isBuilt() {
        return built;
    }

    /** The input shape the layer was built for, or null before building. */
    public Shape builtInputShape() {
        return builtInputShape;
    }

    /** The shapes of every input the layer was built for (one for most layers), or null before building. */
    public List<Shape> builtInputShapes() {
        return builtInputShapes;
    }

    /** The dtype of the layer's weights, or null before building. */
    public DType dtype() {
        return dtype;
    }

    /**
     * Sets the seed weights (and dropout masks) are drawn from; must come before building. Tracked
     * layers without a seed of their own inherit it.
     */
    public void setSeed(long seed) {
        if (built) {
            throw new IllegalStateException("layer '" + name() + "' is built already; set its seed before the first call");
        }
        this.seed = seed;
        for (Layer c : children) {
            if (c.seed == null && !c.built) {
                c.setSeed(seed);
            }
        }
    }

    /** The seed in use: the one set, else {@link Seeds#DEFAULT_SEED}. */
    public long seed() {
        return seed == null ? Seeds.DEFAULT_SEED : seed;
    }

    /** The Keras class name used in configs and summaries, e.g. {@code Dense}; defaults to the Java simple name. */
    public String className() {
        return getClass().getSimpleName();
    }

    /**
     * The constructor arguments as JSON-able values (numbers, strings, booleans, lists, maps), with
     * {@code name} and {@code trainable} as Keras writes them; subclasses add theirs to this map.
     */
    public Map<String, Object> getConfig() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name());
        config.put("trainable", trainable);
        return config;
    }

    @Override
    public String toString() {
        return className() + "(" + name() + ")";
    }
}
