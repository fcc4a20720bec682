package dev.vecgrad.train;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Variable;
import dev.vecgrad.train.layers.Layer;
import dev.vecgrad.train.layers.Node;
import dev.vecgrad.train.layers.SymbolicTensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The text of {@link Model#summary()}: Keras's layer table (with the connections, for a functional model). */
final class Summary {
    private static final int[] WIDTHS = {29, 26, 10};

    private Summary() {
    }

    static String of(Model model) {
        if (!model.isBuilt()) {
            throw new IllegalStateException("summary: model '" + model.name()
                    + "' is not built yet; call build(...) or train it first");
        }
        if (model instanceof Functional f) {
            return functional(f);
        }
        StringBuilder sb = new StringBuilder();
        int width = WIDTHS[0] + WIDTHS[1] + WIDTHS[2];
        sb.append("Model: \"").append(model.name()).append("\"\n");
        sb.append("_".repeat(width)).append('\n');
        row(sb, WIDTHS, "Layer (type)", "Output Shape", "Param #");
        sb.append("=".repeat(width)).append('\n');
        Shape shape = model.builtInputShape();
        boolean sequential = model instanceof Sequential;
        List<Layer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            Shape in = sequential ? shape : l.builtInputShape();
            Shape out = in == null ? null : l.computeOutputShape(in);
            shape = out;
            row(sb, WIDTHS, l.name() + " (" + l.className() + ")", out == null ? "?" : withNoneBatch(out),
                    l.isBuilt() || !l.layers().isEmpty() ? group(l.countParams()) : "0");
            sb.append(i == layers.size() - 1 ? "=" .repeat(width) : "_".repeat(width)).append('\n');
        }
        if (layers.isEmpty()) {
            sb.append("=".repeat(width)).append('\n');
        }
        totals(sb, model, width);
        return sb.toString();
    }

    /**
     * Keras's functional summary: a row a layer with the shape it gives ("multiple" for a layer
     * called on differently shaped inputs), its parameters, and what it is connected to, each
     * input written {@code layer[call][output]}.
     */
    private static String functional(Functional model) {
        int[] widths = {WIDTHS[0], WIDTHS[1], WIDTHS[2], 30};
        int width = widths[0] + widths[1] + widths[2] + widths[3];
        StringBuilder sb = new StringBuilder();
        sb.append("Model: \"").append(model.name()).append("\"\n");
        sb.append("_".repeat(width)).append('\n');
        row(sb, widths, "Layer (type)", "Output Shape", "Param #", "Connected to");
        sb.append("=".repeat(width)).append('\n');
        Map<Layer, List<Node>> callsOf = new LinkedHashMap<>();
        for (Node n : model.nodes()) {
            callsOf.computeIfAbsent(n.layer(), k -> new ArrayList<>()).add(n);
        }
        int row = 0;
        for (Map.Entry<Layer, List<Node>> e : callsOf.entrySet()) {
            Layer l = e.getKey();
            Set<String> shapes = new LinkedHashSet<>();
            List<String> connections = new ArrayList<>();
            for (Node n : e.getValue()) {
                List<String> outs = new ArrayList<>();
                for (SymbolicTensor t : n.outputs()) {
                    outs.add(t.shapeText());
                }
                shapes.add(String.join(", ", outs));
                for (List<Object> ref : model.references(n)) {
                    connections.add(ref.get(0) + "[" + ref.get(1) + "][" + ref.get(2) + "]");
                }
            }
            String params = l.isBuilt() || !l.layers().isEmpty() ? group(l.countParams()) : "0";
            List<String> lines = connections.isEmpty() ? List.of("-") : connections;
            row(sb, widths, l.name() + " (" + l.className() + ")", shapes.size() == 1 ? shapes.iterator().next()
                    : "multiple", params, lines.get(0));
            for (int i = 1; i < lines.size(); i++) {
                row(sb, widths, "", "", "", lines.get(i));
            }
            sb.append(++row == callsOf.size() ? "=".repeat(width) : "_".repeat(width)).append('\n');
        }
        totals(sb, model, width);
        return sb.toString();
    }

    private static void totals(StringBuilder sb, Model model, int width) {
        long trainable = count(model.trainableWeights());
        long frozen = count(model.nonTrainableWeights());
        sb.append("Total params: ").append(group(trainable + frozen)).append('\n');
        sb.append("Trainable params: ").append(group(trainable)).append('\n');
        sb.append("Non-trainable params: ").append(group(frozen)).append('\n');
        sb.append("_".repeat(width)).append('\n');
    }

    private static void row(StringBuilder sb, int[] widths, String... cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String c = " " + cells[i];
            line.append(c);
            int pad = widths[i] - c.length();
            line.append(" ".repeat(Math.max(1, pad)));
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    /** {@code (None, 256)}: the batch dimension is not part of the model. */
    static String withNoneBatch(Shape s) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < s.rank(); i++) {
            parts.add(i == 0 ? "None" : Integer.toString(s.dim(i)));
        }
        return "(" + String.join(", ", parts) + (s.rank() == 1 ? ",)" : ")");
    }

    private static long count(List<Variable> vars) {
        long n = 0;
        for (Variable v : vars) {
            n += v.shape().size();
        }
        return n;
    }

    private static String group(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
