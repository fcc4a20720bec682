package dev.vecgrad.train;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.io.Json;
import dev.vecgrad.train.layers.InputLayer;
import dev.vecgrad.train.layers.Layer;
import dev.vecgrad.train.layers.Masked;
import dev.vecgrad.train.layers.Node;
import dev.vecgrad.train.layers.SymbolicTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model defined by a graph of layer calls, as Keras's functional API: make inputs with
 * {@link dev.vecgrad.train.layers.Input#of}, call layers on the symbolic tensors they give, and
 * make the model from the inputs and outputs with {@link Model#of}. Layers may take several inputs
 * (merges) and give several outputs, be called more than once (shared layers, one set of
 * weights), and be whole models (nested models).
 *
 * {@snippet class=dev.vecgrad.train.TrainSnippetsTest region=functional}
 *
 * <p>The model is built when it is made (every input's shape is known), its layers named in its
 * own scope. Data for several inputs comes as {@link dev.vecgrad.train.data.Tensors}, matched to
 * the inputs by name when named, else by position; targets likewise to the outputs, which are
 * named after the layers that give them.
 */
public final class Functional extends Model {
    private final List<SymbolicTensor> inputs;
    private final List<SymbolicTensor> outputs;
    /** Every node of the graph, each after the nodes whose outputs it reads; inputs first. */
    private final List<Node> nodes;
    private final List<String> inputNames;
    private final List<String> outputNames;

    /** The model from {@code inputs} to {@code outputs}; see {@link Model#of(String, List, List)}. */
    Functional(String name, List<SymbolicTensor> inputs, List<SymbolicTensor> outputs) {
        super(name);
        if (inputs.isEmpty() || outputs.isEmpty()) {
            throw new IllegalArgumentException("a functional model needs at least one input and one output");
        }
        Set<SymbolicTensor> given = Collections.newSetFromMap(new IdentityHashMap<>());
        for (SymbolicTensor in : inputs) {
            if (!in.node().isInput()) {
                throw new IllegalArgumentException("the model's inputs must be made with Input.of; " + in
                        + " is the output of a layer");
            }
            if (!given.add(in)) {
                throw new IllegalArgumentException("the input '" + in.layer().name() + "' is listed twice");
            }
        }
        Set<SymbolicTensor> seenOutputs = Collections.newSetFromMap(new IdentityHashMap<>());
        for (SymbolicTensor out : outputs) {
            if (!seenOutputs.add(out)) {
                throw new IllegalArgumentException("the output " + out + " is listed twice");
            }
        }
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.nodes = order(this.inputs, this.outputs);
        Set<Layer> layers = new LinkedHashSet<>();
        for (Node n : nodes) {
            layers.add(n.layer());
        }
        for (Layer l : layers) {
            track(l);
        }
        this.inputNames = new ArrayList<>();
        for (SymbolicTensor in : this.inputs) {
            inputNames.add(in.layer().name());
        }
        this.outputNames = uniqueNames(this.outputs);
        List<Shape> shapes = new ArrayList<>();
        for (SymbolicTensor in : this.inputs) {
            shapes.add(in.batchShape());
        }
        maybeBuild(shapes, this.inputs.get(0).dtype());
    }

    /** Every node the outputs depend on, each after the nodes it reads; an input not among {@code inputs} is an error. */
    private static List<Node> order(List<SymbolicTensor> inputs, List<SymbolicTensor> outputs) {
        List<Node> ordered = new ArrayList<>();
        Set<Node> done = Collections.newSetFromMap(new IdentityHashMap<>());
        for (SymbolicTensor in : inputs) {
            ordered.add(in.node());
            done.add(in.node());
        }
        for (SymbolicTensor out : outputs) {
            visit(out.node(), done, ordered);
        }
        return List.copyOf(ordered);
    }

    private static void visit(Node node, Set<Node> done, List<Node> ordered) {
        if (done.contains(node)) {
            return;
        }
        if (node.isInput()) {
            throw new IllegalArgumentException("the outputs depend on the input '" + node.layer().name()
                    + "', which is not among the model's inputs");
        }
        for (SymbolicTensor in : node.inputs()) {
            visit(in.node(), done, ordered);
        }
        done.add(node);
        ordered.add(node);
    }

    /** The output layers' names, made distinct ({@code name_1}) where a layer gives several outputs. */
    private static List<String> uniqueNames(List<SymbolicTensor> tensors) {
        List<String> names = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (SymbolicTensor t : tensors) {
            String base = t.layer().name();
            int n = seen.merge(base, 1, Integer::sum);
            names.add(n == 1 ? base : base + "_" + (n - 1));
        }
        return names;
    }

    // ---------------------------------------------------------------------------------------
    // Running the graph.

    /** Builds every layer by running the graph once on zeros of each input's shape and dtype. */
    @Override
    protected void build(List<Shape> inputShapes) {
        List<Tensor> zeros = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            InputLayer in = (InputLayer) inputs.get(i).layer();
            zeros.add(Tensor.zeros(in.inputDType(), batchOfOne(inputShapes.get(i))));
        }
        try (GradientTape.NoGrad p = GradientTape.noGrad()) {
            run(zeros, Arrays.asList(new Tensor[zeros.size()]), false);
        }
    }

    /** Every output with its mask, for inputs in the model's order with their masks. */
    private List<Masked> run(List<Tensor> values, List<Tensor> masks, boolean training) {
        Map<SymbolicTensor, Masked> computed = new IdentityHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            computed.put(inputs.get(i), new Masked(values.get(i), masks.get(i)));
        }
        for (Node node : nodes) {
            if (node.isInput()) {
                continue;
            }
            List<Tensor> in = new ArrayList<>(node.inputs().size());
            List<Tensor> inMasks = new ArrayList<>(node.inputs().size());
            for (SymbolicTensor t : node.inputs()) {
                Masked m = computed.get(t);
                in.add(m.value());
                inMasks.add(m.mask());
            }
            List<Masked> out = node.layer().callOutputs(in, inMasks, training);
            if (out.size() != node.outputs().size()) {
                throw new IllegalStateException("layer '" + node.layer().name() + "' gave " + out.size()
                        + " outputs where its computeOutputShapes promised " + node.outputs().size());
            }
            for (int j = 0; j < out.size(); j++) {
                computed.put(node.outputs().get(j), out.get(j));
            }
        }
        List<Masked> result = new ArrayList<>(outputs.size());
        for (SymbolicTensor out : outputs) {
            result.add(computed.get(out));
        }
        return result;
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        return forwardMasked(x, null, training).value();
    }

    @Override
    protected Tensor forward(Tensor x, Tensor mask, boolean training) {
        return forwardMasked(x, mask, training).value();
    }

    @Override
    protected Masked forwardMasked(Tensor x, Tensor mask, boolean training) {
        if (inputs.size() != 1 || outputs.size() != 1) {
            throw new IllegalArgumentException("model '" + name() + "' takes " + inputs.size() + " inputs " + inputNames
                    + " and gives " + outputs.size() + " outputs " + outputNames + "; call it with call(Tensors, training)");
        }
        return run(List.of(x), Arrays.asList(mask), training).get(0);
    }

    @Override
    protected List<Masked> forwardOutputs(List<Tensor> values, List<Tensor> masks, boolean training) {
        if (values.size() != inputs.size()) {
            throw new IllegalArgumentException("model '" + name() + "' takes " + inputs.size() + " inputs "
                    + inputNames + ", got " + values.size());
        }
        return run(values, masks, training);
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return computeOutputShape(List.of(inputShape));
    }

    @Override
    public Shape computeOutputShape(List<Shape> inputShapes) {
        List<Shape> all = computeOutputShapes(inputShapes);
        if (all.size() != 1) {
            throw new IllegalArgumentException("model '" + name() + "' gives " + all.size() + " outputs " + outputNames);
        }
        return all.get(0);
    }

    /** The outputs' shapes, with the batch axis of the first input given. */
    @Override
    public List<Shape> computeOutputShapes(List<Shape> inputShapes) {
        if (inputShapes.size() != inputs.size()) {
            throw new IllegalArgumentException("model '" + name() + "' takes " + inputs.size() + " inputs " + inputNames
                    + ", got " + inputShapes.size() + " shapes");
        }
        int batch = inputShapes.get(0).rank() == 0 ? 1 : inputShapes.get(0).dim(0);
        List<Shape> out = new ArrayList<>();
        for (SymbolicTensor t : outputs) {
            int[] dims = t.batchShape().toArray();
            dims[0] = batch;
            out.add(Shape.of(dims));
        }
        return out;
    }

    @Override
    public List<String> inputNames() {
        return List.copyOf(inputNames);
    }

    @Override
    public List<String> outputNames() {
        return List.copyOf(outputNames);
    }

    /** The symbolic inputs the model was made from. */
    public List<SymbolicTensor> inputs() {
        return inputs;
    }

    /** The symbolic outputs the model was made from. */
    public List<SymbolicTensor> outputs() {
        return outputs;
    }

    /** Every node of the graph in the order it runs, the inputs' first. */
    public List<Node> nodes() {
        return nodes;
    }

    // ---------------------------------------------------------------------------------------
    // Saving; the summary and drawing read the nodes too.

    /** How each node's inputs are written in configs and summaries: {@code [layer, call, output]}. */
    List<List<Object>> references(Node node) {
        Map<Node, Integer> index = callIndices();
        List<List<Object>> refs = new ArrayList<>();
        for (SymbolicTensor in : node.inputs()) {
            refs.add(List.of(in.layer().name(), index.get(in.node()), in.index()));
        }
        return refs;
    }

    /** Each node's index among the calls of its layer in this graph (0 for a layer's first call). */
    Map<Node, Integer> callIndices() {
        Map<Node, Integer> index = new IdentityHashMap<>();
        Map<Layer, Integer> calls = new IdentityHashMap<>();
        for (Node n : nodes) {
            index.put(n, calls.merge(n.layer(), 1, Integer::sum) - 1);
        }
        return index;
    }

    /**
     * The layer config plus the graph: {@code layers} (each layer once, as
     * {@code {"class_name", "config"}}), {@code nodes} (each call of a layer other than an input,
     * in running order, with its inputs as {@code [layer, call, output]}), and the
     * {@code inputs} and {@code outputs} as such references.
     */
    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        Map<Node, Integer> index = callIndices();
        List<Object> nodeConfigs = new ArrayList<>();
        for (Node n : nodes) {
            if (!n.isInput()) {
                Map<String, Object> nc = new LinkedHashMap<>();
                nc.put("layer", n.layer().name());
                nc.put("inputs", references(n));
                nodeConfigs.add(nc);
            }
        }
        c.put("layers", Models.serialize(layers()));
        c.put("nodes", nodeConfigs);
        c.put("inputs", tensorRefs(inputs, index));
        c.put("outputs", tensorRefs(outputs, index));
        return c;
    }

    private static List<Object> tensorRefs(List<SymbolicTensor> tensors, Map<Node, Integer> index) {
        List<Object> out = new ArrayList<>();
        for (SymbolicTensor t : tensors) {
            out.add(List.of(t.layer().name(), index.get(t.node()), t.index()));
        }
        return out;
    }

    /** Rebuilds a functional model from {@link #getConfig()}: its layers, then each call in order. */
    static Functional fromConfig(Map<String, Object> c) {
        Map<String, Layer> byName = new LinkedHashMap<>();
        for (Object entry : list(c, "layers")) {
            Layer l = Models.deserialize(object(entry, "a layer entry"));
            if (byName.put(l.name(), l) != null) {
                throw new IllegalArgumentException("two layers are named '" + l.name() + "'");
            }
        }
        Map<String, List<Node>> calls = new HashMap<>();
        for (Layer l : byName.values()) {
            if (l instanceof InputLayer in) {
                calls.computeIfAbsent(in.name(), k -> new ArrayList<>()).add(in.output().node());
            }
        }
        for (Object entry : list(c, "nodes")) {
            Map<String, Object> nc = object(entry, "a node entry");
            if (!(nc.get("layer") instanceof String name) || !byName.containsKey(name)) {
                throw new IllegalArgumentException("a node names the layer " + Json.write(nc.get("layer"))
                        + ", which is not among the model's layers");
            }
            List<SymbolicTensor> in = new ArrayList<>();
            for (Object ref : list(nc, "inputs")) {
                in.add(resolve(ref, calls));
            }
            Layer layer = byName.get(name);
            calls.computeIfAbsent(name, k -> new ArrayList<>()).add(layer.callOutputs(in).get(0).node());
        }
        List<SymbolicTensor> ins = new ArrayList<>();
        for (Object ref : list(c, "inputs")) {
            ins.add(resolve(ref, calls));
        }
        List<SymbolicTensor> outs = new ArrayList<>();
        for (Object ref : list(c, "outputs")) {
            outs.add(resolve(ref, calls));
        }
        return new Functional(c.get("name") instanceof String n ? n : null, ins, outs);
    }

    /** The symbolic tensor a reference {@code [layer, call, output]} points at, among the calls made so far. */
    private static SymbolicTensor resolve(Object ref, Map<String, List<Node>> calls) {
        if (!(ref instanceof List<?> r) || r.size() != 3 || !(r.get(0) instanceof String layer)
                || !(r.get(1) instanceof Number call) || !(r.get(2) instanceof Number output)) {
            throw new IllegalArgumentException("a tensor reference must be [layer, call, output], got " + Json.write(ref));
        }
        List<Node> made = calls.get(layer);
        int k = call.intValue();
        if (made == null || k < 0 || k >= made.size() || call.doubleValue() != k) {
            throw new IllegalArgumentException("the reference " + Json.write(ref) + " points at a call not made before it");
        }
        List<SymbolicTensor> outs = made.get(k).outputs();
        int o = output.intValue();
        if (o < 0 || o >= outs.size() || output.doubleValue() != o) {
            throw new IllegalArgumentException("the reference " + Json.write(ref) + " points at an output the call does"
                    + " not have");
        }
        return outs.get(o);
    }

    private static List<?> list(Map<String, Object> c, String key) {
        if (!(c.get(key) instanceof List<?> l)) {
            throw new IllegalArgumentException("the config needs a list '" + key + "'");
        }
        return l;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object o, String what) {
        if (!(o instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(what + " is " + Json.typeName(o) + ", not an object");
        }
        return (Map<String, Object>) m;
    }
}
