package dev.vecgrad.train;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.draw.Graph;
import dev.vecgrad.train.layers.Node;
import dev.vecgrad.train.layers.SymbolicTensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model's layers as a {@link Graph}, as Keras's {@code plot_model} with shapes shown: the input,
 * then one box per layer with its name, class, output shape and parameter count, joined in the
 * order data flows; a functional model as its graph of layer calls. A subclassed model's
 * {@code forward} is code, not a recorded graph, so it is drawn as one box that lists its layers.
 */
final class ModelGraph {
    private ModelGraph() {
    }

    static Graph of(Model model) {
        if (model instanceof Functional f) {
            return functional(f);
        }
        List<Summary.Row> rows = Summary.rows(model, "plot");
        Shape input = model.builtInputShape();
        Graph g = new Graph(model.name());
        g.node("input", Graph.Kind.INPUT, "input", Summary.withNoneBatch(input));
        if (model instanceof Sequential) {
            String previous = "input";
            for (int i = 0; i < rows.size(); i++) {
                Summary.Row r = rows.get(i);
                String id = "layer" + i;
                g.node(id, Graph.Kind.LAYER, title(r), r.output() == null ? "?" : Summary.withNoneBatch(r.output()),
                        params(r.params()));
                g.edge(previous, id);
                previous = id;
            }
        } else {
            List<String> lines = new ArrayList<>();
            lines.add(model.name() + " (" + model.className() + ")");
            lines.add(Summary.withNoneBatch(model.computeOutputShape(input)));
            lines.add(params(model.countParams()));
            for (Summary.Row r : rows) {
                lines.add("· " + title(r) + ", " + params(r.params()));
            }
            g.node("model", Graph.Kind.LAYER, lines.toArray(String[]::new));
            g.edge("input", "model");
        }
        return g;
    }

    /**
     * A functional model's graph: a box a layer call (name, class, output shape, parameters on
     * its first call), the inputs and outputs marked, an edge from each call to the calls that
     * read its outputs. A shared layer's later calls are boxes of their own, {@code layer#k}.
     */
    private static Graph functional(Functional model) {
        Graph g = new Graph(model.name());
        Set<Node> outputs = Collections.newSetFromMap(new IdentityHashMap<>());
        for (SymbolicTensor t : model.outputs()) {
            outputs.add(t.node());
        }
        Map<Node, String> ids = new IdentityHashMap<>();
        Map<Node, Integer> calls = model.callIndices();
        for (Node n : model.nodes()) {
            int k = calls.get(n);
            String id = n.layer().name() + (k == 0 ? "" : "#" + k);
            ids.put(n, id);
            Graph.Kind kind = n.isInput() ? Graph.Kind.INPUT : outputs.contains(n) ? Graph.Kind.TARGET : Graph.Kind.LAYER;
            String title = n.layer().name() + " (" + n.layer().className() + ")";
            String shape = Summary.outputShape(List.of(n));
            if (n.isInput() || k > 0) {
                g.node(id, kind, title, shape);
            } else {
                g.node(id, kind, title, shape, params(Summary.params(n.layer())));
            }
            for (SymbolicTensor in : n.inputs()) {
                g.edge(ids.get(in.node()), id);
            }
        }
        return g;
    }

    private static String title(Summary.Row r) {
        return r.layer().name() + " (" + r.layer().className() + ")";
    }

    private static String params(long n) {
        return Summary.group(n) + (n == 1 ? " param" : " params");
    }
}
