package dev.vecgrad.core.draw;

import java.util.Arrays;
import java.util.List;

/**
 * One line of a {@link Chart}: points (x, y) joined in order. A non-finite y (and on a log axis
 * a y at or below zero) leaves a gap.
 *
 * @param name the legend's label
 * @param x the x values
 * @param y the y values, as many as x
 * @param color the line's colour, or null for the chart's next series colour
 * @param dashed whether the line is dashed
 */
public record Series(String name, double[] x, double[] y, Rgb color, boolean dashed) {
    /** Checks the lengths and copies the arrays. */
    public Series {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a series needs a name for the legend");
        }
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but " + y.length
                    + " y values");
        }
        for (double v : x) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("series '" + name + "': x values must be finite, got " + v);
            }
        }
        x = x.clone();
        y = y.clone();
    }

    /** A solid series in the chart's next colour. */
    public static Series of(String name, double[] x, double[] y) {
        return new Series(name, x, y, null, false);
    }

    /** A solid series of {@code y} against 1, 2, 3, ... in the chart's next colour. */
    public static Series of(String name, List<Double> y) {
        double[] xs = new double[y.size()];
        double[] ys = new double[y.size()];
        for (int i = 0; i < ys.length; i++) {
            xs[i] = i + 1;
            Double v = y.get(i);
            ys[i] = v == null ? Double.NaN : v;
        }
        return of(name, xs, ys);
    }

    /** This series in another colour. */
    public Series withColor(Rgb c) {
        return new Series(name, x, y, c, dashed);
    }

    /** This series dashed. */
    public Series withDashes() {
        return new Series(name, x, y, color, true);
    }

    /** The x values (a copy). */
    @Override
    public double[] x() {
        return x.clone();
    }

    /** The y values (a copy). */
    @Override
    public double[] y() {
        return y.clone();
    }

    /** The number of points. */
    public int size() {
        return x.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Series s && s.name.equals(name) && Arrays.equals(s.x, x) && Arrays.equals(s.y, y)
                && java.util.Objects.equals(s.color, color) && s.dashed == dashed;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(y);
    }

    @Override
    public String toString() {
        return "Series[" + name + ", " + x.length + " points]";
    }
}
