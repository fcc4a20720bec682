package dev.vecgrad.autodiff;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.draw.Graph;
import dev.vecgrad.core.draw.Numbers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tape's recorded graph as a {@link Graph}, for {@link GradientTape#toSvg} and
 * {@link GradientTape#toDot}: the watched tensors and variables read (by name) as sources, one
 * node per kept op named by op and output shape, the target marked, constants left out. With
 * gradients, each edge is labelled with the gradient of the target that flows back along it.
 */
final class TapeGraph {
    /** Gradients of at most this many elements are written out in full on their edge; larger ones by norm. */
    static final int VALUES_UP_TO = 4;

    private TapeGraph() {
    }

    /**
     * The graph of {@code nodes}; {@code edgeGradients[i][j]}, when not null, is the gradient
     * flowing into input {@code j} of node {@code i}.
     */
    static Graph of(List<TapeNode<?>> nodes, List<Tensor> leaves, Map<Variable, List<Tensor>> variableReads,
            Tensor target, Tensor[][] edgeGradients) {
        Graph g = new Graph("tape");
        HashMap<Tensor, String> ids = new HashMap<>();
        HashMap<Tensor, String> leafNames = new HashMap<>();
        for (Map.Entry<Variable, List<Tensor>> e : variableReads.entrySet()) {
            for (Tensor t : e.getValue()) {
                leafNames.put(t, e.getKey().name());
            }
        }
        for (int i = 0; i < leaves.size(); i++) {
            Tensor t = leaves.get(i);
            String id = "s" + i;
            ids.put(t, id);
            g.node(id, t == target ? Graph.Kind.TARGET : Graph.Kind.SOURCE, leafNames.getOrDefault(t, "watched"),
                    t.dtype().numpyName() + " " + t.shape());
        }
        for (int i = 0; i < nodes.size(); i++) {
            TapeNode<?> node = nodes.get(i);
            if (node == null) {
                continue;
            }
            Tensor out = node.output();
            String id = "n" + i;
            ids.put(out, id);
            g.node(id, out == target ? Graph.Kind.TARGET : Graph.Kind.OP, node.name(), out.shape().toString());
            List<Tensor> inputs = node.inputs();
            for (int j = 0; j < inputs.size(); j++) {
                String from = ids.get(inputs.get(j));
                if (from != null) {
                    Tensor grad = edgeGradients == null ? null : edgeGradients[i][j];
                    g.edge(from, id, grad == null ? null : label(grad));
                }
            }
        }
        if (target != null && !ids.containsKey(target)) {
            g.node("target", Graph.Kind.TARGET, "target (not recorded)", target.shape().toString());
        }
        g.legend(Graph.Kind.SOURCE, "variable or watched tensor").legend(Graph.Kind.OP, "op");
        if (target != null) {
            g.legend(Graph.Kind.TARGET, "target");
        }
        return g;
    }

    /** A gradient as an edge label: its values when it is small, else its shape and L2 norm. */
    static String label(Tensor grad) {
        double[] v = grad.toDoubleArray();
        if (v.length <= VALUES_UP_TO) {
            StringBuilder sb = new StringBuilder();
            format(sb, v, grad.shape().toArray(), 0, 0);
            return sb.toString();
        }
        double sq = 0;
        for (double x : v) {
            sq += x * x;
        }
        return "‖g‖=" + number(Math.sqrt(sq));
    }

    /** Nested brackets as NumPy prints them, from dimension {@code dim} at flat offset {@code at}; returns the next offset. */
    private static int format(StringBuilder sb, double[] v, int[] dims, int dim, int at) {
        if (dim == dims.length) {
            sb.append(number(v[at]));
            return at + 1;
        }
        sb.append('[');
        for (int i = 0; i < dims[dim]; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            at = format(sb, v, dims, dim + 1, at);
        }
        sb.append(']');
        return at;
    }

    /** Three significant digits, no trailing zeros. */
    static String number(double x) {
        return Numbers.significant(x, 3);
    }
}
