package dev.vecgrad.train.layers;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One call of a layer in a functional model's graph, as Keras's {@code Node}: the layer, the
 * symbolic tensors it was called on and the symbolic tensors it gave. A layer called several times
 * (a shared layer) has a node for each call, all using the same weights. An {@link InputLayer}'s
 * node has no inputs.
 */
public final class Node {
    private final Layer layer;
    private final List<SymbolicTensor> inputs;
    private final List<SymbolicTensor> outputs;

    /** The call of {@code layer} on {@code inputs}; the outputs' shapes come from the layer. */
    Node(Layer layer, List<SymbolicTensor> inputs) {
        this.layer = Objects.requireNonNull(layer, "layer");
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("layer '" + layer.name() + "' was called on no symbolic tensor");
        }
        List<Shape> shapes = new ArrayList<>(inputs.size());
        for (SymbolicTensor t : inputs) {
            shapes.add(Objects.requireNonNull(t, "symbolic input").batchShape());
        }
        this.inputs = List.copyOf(inputs);
        DType in = inputs.get(0).dtype();
        DType out = in.isFloating() ? in : DType.F32;
        List<SymbolicTensor> made = new ArrayList<>();
        List<Shape> outShapes;
        try {
            outShapes = layer.computeOutputShapes(shapes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("layer '" + layer.name() + "' (" + layer.className()
                    + ") cannot take inputs of shape " + describe(inputs) + ": " + e.getMessage(), e);
        }
        for (Shape s : outShapes) {
            made.add(new SymbolicTensor(this, made.size(), s, out));
        }
        this.outputs = List.copyOf(made);
    }

    /** An input node: no inputs, one output of {@code batchShape} and {@code dtype}. */
    Node(InputLayer layer, Shape batchShape, DType dtype) {
        this.layer = layer;
        this.inputs = List.of();
        this.outputs = List.of(new SymbolicTensor(this, 0, batchShape, dtype));
    }

    /** The layer called. */
    public Layer layer() {
        return layer;
    }

    /** The symbolic tensors it was called on (none for an input). */
    public List<SymbolicTensor> inputs() {
        return inputs;
    }

    /** The symbolic tensors it gave. */
    public List<SymbolicTensor> outputs() {
        return outputs;
    }

    /** Whether this is an input's node. */
    public boolean isInput() {
        return inputs.isEmpty();
    }

    private static String describe(List<SymbolicTensor> ts) {
        List<String> out = new ArrayList<>();
        for (SymbolicTensor t : ts) {
            out.add(t.shapeText());
        }
        return String.join(" and ", out);
    }

    @Override
    public String toString() {
        return "Node(" + layer.name() + ": " + describe(inputs) + ")";
    }
}
