package dev.vecgrad.core.draw;

import java.util.Arrays;
import java.util.Locale;

/**
 * A path of straight and cubic segments, as SVG's {@code d} attribute and Java2D's {@code Path2D}.
 * Drawings build paths; a {@link Canvas} reads one with {@link #forEach}.
 */
public final class PathData {
    /** A segment's kind, stored beside its coordinates. */
    public enum Kind {
        /** Starts a new subpath at (x, y): two coordinates. */
        MOVE,
        /** A straight line to (x, y): two coordinates. */
        LINE,
        /** A cubic Bézier through two control points to (x, y): six coordinates. */
        CUBIC,
        /** Closes the subpath: no coordinates. */
        CLOSE
    }

    private Kind[] kinds = new Kind[8];
    private double[] coords = new double[16];
    private int segments;
    private int used;

    PathData() {
    }

    PathData moveTo(double x, double y) {
        return add(Kind.MOVE, x, y);
    }

    PathData lineTo(double x, double y) {
        return add(Kind.LINE, x, y);
    }

    /** A cubic Bézier segment through two control points to (x, y). */
    PathData curveTo(double c1x, double c1y, double c2x, double c2y, double x, double y) {
        return add(Kind.CUBIC, c1x, c1y, c2x, c2y, x, y);
    }

    PathData close() {
        return add(Kind.CLOSE);
    }

    private PathData add(Kind kind, double... xy) {
        if (segments == 0 && kind != Kind.MOVE) {
            throw new IllegalStateException("a path starts with moveTo");
        }
        for (double v : xy) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("path coordinates must be finite, got " + Arrays.toString(xy));
            }
        }
        if (segments == kinds.length) {
            kinds = Arrays.copyOf(kinds, segments * 2);
        }
        if (used + xy.length > coords.length) {
            coords = Arrays.copyOf(coords, Math.max(coords.length * 2, used + xy.length));
        }
        kinds[segments++] = kind;
        System.arraycopy(xy, 0, coords, used, xy.length);
        used += xy.length;
        return this;
    }

    /** Calls {@code visitor} with each segment in order. */
    public void forEach(SegmentVisitor visitor) {
        int at = 0;
        for (int i = 0; i < segments; i++) {
            Kind k = kinds[i];
            int n = switch (k) {
                case MOVE, LINE -> 2;
                case CUBIC -> 6;
                case CLOSE -> 0;
            };
            visitor.segment(k, Arrays.copyOfRange(coords, at, at + n));
            at += n;
        }
    }

    /** Receives the segments of a path. */
    @FunctionalInterface
    public interface SegmentVisitor {
        /** One segment: its kind and its coordinates as x, y pairs (a fresh array). */
        void segment(Kind kind, double[] coords);
    }

    /** The SVG {@code d} attribute of this path. */
    String svg() {
        StringBuilder sb = new StringBuilder();
        forEach((kind, c) -> {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(switch (kind) {
                case MOVE -> 'M';
                case LINE -> 'L';
                case CUBIC -> 'C';
                case CLOSE -> 'Z';
            });
            for (int i = 0; i < c.length; i++) {
                sb.append(i == 0 ? "" : i % 2 == 0 ? " " : ",").append(num(c[i]));
            }
        });
        return sb.toString();
    }

    /** A coordinate with at most two decimals and no trailing zeros. */
    static String num(double v) {
        double r = Math.round(v * 100) / 100.0;
        if (r == Math.rint(r) && Math.abs(r) < 1e15) {
            return Long.toString((long) r);
        }
        String s = String.format(Locale.ROOT, "%.2f", r);
        return s.endsWith("0") ? s.substring(0, s.length() - 1) : s;
    }
}
