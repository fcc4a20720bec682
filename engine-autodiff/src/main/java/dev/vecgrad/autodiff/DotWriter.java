package dev.vecgrad.autodiff;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Draws a tape's recorded graph in Graphviz DOT, for teaching and debugging. */
final class DotWriter {
    private DotWriter() {
    }

    static String write(List<TapeNode<?>> nodes, List<Tensor> leaves, Map<Variable, List<Tensor>> variableReads,
            Tensor target) {
        StringBuilder sb = new StringBuilder("digraph tape {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n");
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
            String name = leafNames.getOrDefault(t, "watched");
            sb.append("  ").append(id).append(" [shape=ellipse, style=filled, fillcolor=palegreen, label=\"")
                    .append(escape(name)).append("\\n").append(t.dtype().numpyName()).append(' ').append(t.shape())
                    .append("\"];\n");
        }
        for (int i = 0; i < nodes.size(); i++) {
            TapeNode<?> node = nodes.get(i);
            if (node == null) {
                continue;
            }
            Tensor out = node.call.output();
            String id = "n" + i;
            ids.put(out, id);
            boolean isTarget = out == target;
            sb.append("  ").append(id).append(" [shape=box, label=\"").append(escape(node.name())).append("\\n")
                    .append(out.shape()).append('"')
                    .append(isTarget ? ", style=\"filled,bold\", fillcolor=salmon, xlabel=\"target\"" : "")
                    .append("];\n");
            for (Tensor in : node.call.inputs()) {
                String from = ids.get(in);
                if (from != null) {
                    sb.append("  ").append(from).append(" -> ").append(id).append(";\n");
                }
            }
        }
        if (target != null && !ids.containsKey(target)) {
            sb.append("  target [shape=box, style=filled, fillcolor=salmon, label=\"target (not recorded)\\n")
                    .append(target.shape()).append("\"];\n");
        } else if (target != null && leaves.contains(target)) {
            sb.append("  ").append(ids.get(target)).append(" [xlabel=\"target\"];\n");
        }
        return sb.append("}\n").toString();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
