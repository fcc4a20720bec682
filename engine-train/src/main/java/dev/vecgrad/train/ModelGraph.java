package dev.vecgrad.train;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.draw.Graph;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's layers as a {@link Graph}, as Keras's {@code plot_model} with shapes shown: the input,
 * then one box per layer with its name, class, output shape and parameter count, joined in the
 * order data flows. A subclassed model's {@code forward} is code, not a recorded graph, so it is
 * drawn as one box that lists its layers.
 */
final class ModelGraph {
    private ModelGraph() {
    }

    static Graph of(Model model) {
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

    private static String title(Summary.Row r) {
        return r.layer().name() + " (" + r.layer().className() + ")";
    }

    private static String params(long n) {
        return Summary.group(n) + (n == 1 ? " param" : " params");
    }
}
