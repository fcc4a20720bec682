package dev.vecgrad.train;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Variable;
import dev.vecgrad.train.layers.Layer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The text of {@link Model#summary()}: Keras's layer table. */
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
            rows.add(new Row(l, out, l.isBuilt() || !l.layers().isEmpty() ? l.countParams() : 0));
        }
        return rows;
    }

    static String of(Model model) {
        List<Row> rows = rows(model, "summary");
        StringBuilder sb = new StringBuilder();
        int width = WIDTHS[0] + WIDTHS[1] + WIDTHS[2];
        sb.append("Model: \"").append(model.name()).append("\"\n");
        sb.append("_".repeat(width)).append('\n');
        row(sb, "Layer (type)", "Output Shape", "Param #");
        sb.append("=".repeat(width)).append('\n');
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            row(sb, r.layer().name() + " (" + r.layer().className() + ")",
                    r.output() == null ? "?" : withNoneBatch(r.output()), group(r.params()));
            sb.append(i == rows.size() - 1 ? "=" .repeat(width) : "_".repeat(width)).append('\n');
        }
        if (rows.isEmpty()) {
            sb.append("=".repeat(width)).append('\n');
        }
        long trainable = count(model.trainableWeights());
        long frozen = count(model.nonTrainableWeights());
        sb.append("Total params: ").append(group(trainable + frozen)).append('\n');
        sb.append("Trainable params: ").append(group(trainable)).append('\n');
        sb.append("Non-trainable params: ").append(group(frozen)).append('\n');
        sb.append("_".repeat(width)).append('\n');
        return sb.toString();
    }

    private static void row(StringBuilder sb, String... cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String c = " " + cells[i];
            line.append(c);
            int pad = WIDTHS[i] - c.length();
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
