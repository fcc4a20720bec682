package dev.vecgrad.core;

/**
 * Prints tensors the way NumPy does: nested brackets, aligned columns, and for more than
 * {@value #SUMMARY_THRESHOLD} elements only the first and last {@value #EDGE_ITEMS} entries of each
 * dimension around a {@code ...}.
 */
final class TensorFormatter {
    static final int SUMMARY_THRESHOLD = 1000;
    static final int EDGE_ITEMS = 3;

    private TensorFormatter() {
    }

    static String format(Tensor t) {
        Tensor c = t.contiguous();
        boolean summarize = t.size() > SUMMARY_THRESHOLD;
        int width = 1;
        int[] dims = t.shape().toArray();
        String[] cells = new String[t.size()];
        for (int i = 0; i < cells.length; i++) {
            if (!summarize || shown(i, dims)) {
                cells[i] = cell(c, c.offset() + i);
                width = Math.max(width, cells[i].length());
            }
        }
        StringBuilder sb = new StringBuilder("Tensor(").append(t.dtype().numpyName()).append(", shape=")
                .append(t.shape()).append(")\n");
        if (t.rank() == 0) {
            return sb.append(cells[0]).toString();
        }
        append(sb, cells, dims, 0, 0, width, summarize);
        return sb.toString();
    }

    private static boolean shown(int flat, int[] dims) {
        for (int d = dims.length - 1; d >= 0; d--) {
            int i = flat % dims[d];
            flat /= dims[d];
            if (dims[d] > 2 * EDGE_ITEMS && i >= EDGE_ITEMS && i < dims[d] - EDGE_ITEMS) {
                return false;
            }
        }
        return true;
    }

    private static String cell(Tensor c, int pos) {
        double v = c.readAt(pos);
        return switch (c.dtype()) {
            case I32 -> Integer.toString((int) v);
            case F32 -> number(v, Float.toString((float) v));
            case F64 -> number(v, Double.toString(v));
        };
    }

    /** Whole numbers print as {@code 3.}, others as Java's shortest round-trip form. */
    private static String number(double v, String repr) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (repr.endsWith(".0") && !repr.contains("E")) {
            return repr.substring(0, repr.length() - 1);
        }
        return repr;
    }

    private static void append(StringBuilder sb, String[] cells, int[] dims, int depth, int base, int width,
            boolean summarize) {
        int n = dims[depth];
        int stride = 1;
        for (int d = depth + 1; d < dims.length; d++) {
            stride *= dims[d];
        }
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE_ITEMS && i == EDGE_ITEMS) {
                sb.append(depth == dims.length - 1 ? "..., " : "...,\n" + " ".repeat(depth + 1));
                i = n - EDGE_ITEMS - 1;
                continue;
            }
            if (depth == dims.length - 1) {
                String s = cells[base + i];
                sb.append(" ".repeat(width - s.length())).append(s);
                if (i < n - 1) {
                    sb.append(", ");
                }
            } else {
                append(sb, cells, dims, depth + 1, base + i * stride, width, summarize);
                if (i < n - 1) {
                    sb.append(",").append("\n".repeat(dims.length - depth - 1)).append(" ".repeat(depth + 1));
                }
            }
        }
        sb.append(']');
    }
}
