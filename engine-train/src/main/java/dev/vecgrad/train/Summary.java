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

    static String of(Model model) {
        if (!model.isBuilt()) {
            throw new IllegalStateException("summary: model '" + model.name()
                    + "' is not built yet; call build(...) or train it first");
        }
        StringBuilder sb = new StringBuilder();
        int width = WIDTHS[0] + WIDTHS[1] + WIDTHS[2];
        sb.append("Model: \"").append(model.name()).append("\"\n");
        sb.append("_".repeat(width)).append('\n');
        row(sb, "Layer (type)", "Output Shape", "Param #");
        sb.append("=".repeat(width)).append('\n');
        Shape shape = model.builtInputShape();
        boolean sequential = model instanceof Sequential;
        List<Layer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            Shape in = sequential ? shape : l.builtInputShape();
            Shape out = in == null ? null : l.computeOutputShape(in);
            shape = out;
            row(sb, l.name() + " (" + l.className() + ")", out == null ? "?" : withNoneBatch(out),
                    l.isBuilt() || !l.layers().isEmpty() ? group(l.countParams()) : "0");
            sb.append(i == layers.size() - 1 ? "=" .repeat(width) : "_".repeat(width)).append('\n');
        }
        if (layers.isEmpty()) {
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

    private static String group(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
