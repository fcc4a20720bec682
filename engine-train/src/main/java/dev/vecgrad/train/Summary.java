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

    /** One layer of the table: the layer, its output shape (null when unknown) and its parameter count. */
    record Row(Layer layer, Shape output, long params) {
    }

    /** The rows of the table, one per top-level layer, for a built model. */
    static List<Row> rows(Model model, String what) {
        if (!model.isBuilt()) {
            throw new IllegalStateException(what + ": model '" + model.name()
                    + "' is not built yet; call build(...) or train it first");
        }
        List<Row> rows = new ArrayList<>();
        Shape shape = model.builtInputShape();
        boolean sequential = model instanceof Sequential;
        for (Layer l : model.layers()) {
            Shape in = sequential ? shape : l.builtInputShape();
            Shape out = in == null ? null : l.computeOutputShape(in);
            shape = out;
            rows.add(new Row(l, out, params(l)));
        }
        return rows;
    }

    static String of(Model model) {
        if (model instanceof Functional f && f.isBuilt()) {
            return functional(f);
        }
        List<Row> rows = rows(model, "summary");
        StringBuilder sb = new StringBuilder();
        int width = WIDTHS[0] + WIDTHS[1] + WIDTHS[2];
        sb.append("Model: \"").append(model.name()).append("\"\n");
        sb.append("_".repeat(width)).append('\n');
        row(sb, WIDTHS, "Layer (type)", "Output Shape", "Param #");
        sb.append("=".repeat(width)).append('\n');
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            row(sb, WIDTHS, r.layer().name() + " (" + r.layer().className() + ")",
                    r.output() == null ? "?" : withNoneBatch(r.output()), group(r.params()));
            sb.append(i == rows.size() - 1 ? "=" .repeat(width) : "_".repeat(width)).append('\n');
        }
        if (rows.isEmpty()) {
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
        Map<Layer, List<Node>> callsOf = callsOf(model);
        int row = 0;
        for (Map.Entry<Layer, List<Node>> e : callsOf.entrySet()) {
            Layer l = e.getKey();
            List<String> connections = new ArrayList<>();
            for (Node n : e.getValue()) {
                for (List<Object> ref : model.references(n)) {
                    connections.add(ref.get(0) + "[" + ref.get(1) + "][" + ref.get(2) + "]");
                }
            }
            List<String> lines = connections.isEmpty() ? List.of("-") : connections;
            row(sb, widths, l.name() + " (" + l.className() + ")", outputShape(e.getValue()), group(params(l)),
                    lines.get(0));
            for (int i = 1; i < lines.size(); i++) {
                row(sb, widths, "", "", "", lines.get(i));
            }
            sb.append(++row == callsOf.size() ? "=".repeat(width) : "_".repeat(width)).append('\n');
        }
        totals(sb, model, width);
        return sb.toString();
    }

    /** The calls of each layer of a functional model, layers in the order they first run. */
    static Map<Layer, List<Node>> callsOf(Functional model) {
        Map<Layer, List<Node>> calls = new LinkedHashMap<>();
        for (Node n : model.nodes()) {
            calls.computeIfAbsent(n.layer(), k -> new ArrayList<>()).add(n);
        }
        return calls;
    }

    /** The shape the calls give, {@code (None, 64)}; "multiple" when the calls differ, as Keras writes it. */
    static String outputShape(List<Node> calls) {
        Set<String> shapes = new LinkedHashSet<>();
        for (Node n : calls) {
            List<String> outs = new ArrayList<>();
            for (SymbolicTensor t : n.outputs()) {
                outs.add(t.shapeText());
            }
            shapes.add(String.join(", ", outs));
        }
        return shapes.size() == 1 ? shapes.iterator().next() : "multiple";
    }

    /** The parameters of a layer (0 for one not built, which has none yet). */
    static long params(Layer l) {
        return l.isBuilt() || !l.layers().isEmpty() ? l.countParams() : 0;
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

    static String group(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
