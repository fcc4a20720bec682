package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Rows and columns of zeros around channels-last images, as Keras's {@code ZeroPadding2D}:
 * {@code top} and {@code bottom} rows, {@code left} and {@code right} columns, so
 * {@code (batch, h, w, c)} becomes {@code (batch, top + h + bottom, left + w + right, c)}.
 *
 * <pre>{@code
 * new ZeroPadding2D(1, 1, 2, 2).call(Tensor.zeros(1, 5, 5, 3));   // (1, 7, 9, 3)
 * }</pre>
 */
public final class ZeroPadding2D extends ImageLayer {
    private final int[] padding;

    /** One row and one column of zeros on every side (Keras's default). */
    public ZeroPadding2D() {
        this(1, 1, 1, 1);
    }

    /** The given rows above and below and columns left and right. */
    public ZeroPadding2D(int top, int bottom, int left, int right) {
        this(null, top, bottom, left, right);
    }

    /** The given rows and columns; {@code name} null for the default. */
    public ZeroPadding2D(String name, int top, int bottom, int left, int right) {
        super(name);
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw new IllegalArgumentException("ZeroPadding2D: padding must be non-negative, got (" + top + ", " + bottom
                    + ", " + left + ", " + right + ")");
        }
        this.padding = new int[] {top, bottom, left, right};
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        return x.pad(new int[] {0, padding[0], padding[2], 0}, new int[] {0, padding[1], padding[3], 0}, 0);
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        requireImage(s);
        return Shape.of(s.dim(0), s.dim(1) + padding[0] + padding[1], s.dim(2) + padding[2] + padding[3], s.dim(3));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("padding", List.of(Configs.list(padding[0], padding[1]), Configs.list(padding[2], padding[3])));
        c.put("data_format", "channels_last");
        return c;
    }

    /** Keras writes {@code padding} as an int, a pair (symmetric) or two pairs. */
    @SuppressWarnings("unchecked")
    static ZeroPadding2D fromConfig(Map<String, Object> c) {
        Object p = c.getOrDefault("padding", 1);
        String name = (String) c.get("name");
        if (p instanceof Number n) {
            return new ZeroPadding2D(name, n.intValue(), n.intValue(), n.intValue(), n.intValue());
        }
        List<Object> l = (List<Object>) p;
        if (l.get(0) instanceof Number) {
            int h = ((Number) l.get(0)).intValue();
            int w = ((Number) l.get(1)).intValue();
            return new ZeroPadding2D(name, h, h, w, w);
        }
        List<Object> h = (List<Object>) l.get(0);
        List<Object> w = (List<Object>) l.get(1);
        return new ZeroPadding2D(name, ((Number) h.get(0)).intValue(), ((Number) h.get(1)).intValue(),
                ((Number) w.get(0)).intValue(), ((Number) w.get(1)).intValue());
    }
}
