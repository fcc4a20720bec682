package dev.vecgrad.core.draw;

import java.util.List;

/**
 * Several drawings side by side, in rows of a fixed number of columns; each cell is as wide as
 * the widest drawing in its column and as tall as the tallest in its row.
 *
 * <pre>{@code
 * String svg = Figure.row(lossChart, accuracyChart).toSvg();
 * }</pre>
 */
public final class Figure extends Drawing {
    private static final double GAP = 12;

    private final List<Drawing> cells;
    private final int columns;
    private final double[] columnWidths;
    private final double[] rowHeights;

    private Figure(int columns, List<? extends Drawing> cells) {
        if (cells.isEmpty()) {
            throw new IllegalArgumentException("a figure needs at least one drawing");
        }
        if (columns < 1) {
            throw new IllegalArgumentException("a figure needs at least one column, got " + columns);
        }
        this.cells = List.copyOf(cells);
        this.columns = Math.min(columns, cells.size());
        int rows = (cells.size() + this.columns - 1) / this.columns;
        columnWidths = new double[this.columns];
        rowHeights = new double[rows];
        for (int i = 0; i < cells.size(); i++) {
            Drawing d = cells.get(i);
            columnWidths[i % this.columns] = Math.max(columnWidths[i % this.columns], d.width());
            rowHeights[i / this.columns] = Math.max(rowHeights[i / this.columns], d.height());
        }
    }

    /** The drawings in one row. */
    public static Figure row(Drawing... drawings) {
        return new Figure(drawings.length, List.of(drawings));
    }

    /** The drawings in rows of {@code columns}, left to right then top to bottom. */
    public static Figure grid(int columns, List<? extends Drawing> drawings) {
        return new Figure(columns, drawings);
    }

    @Override
    public double width() {
        return sum(columnWidths);
    }

    @Override
    public double height() {
        return sum(rowHeights);
    }

    private static double sum(double[] sizes) {
        double s = GAP * (sizes.length - 1);
        for (double v : sizes) {
            s += v;
        }
        return s;
    }

    @Override
    public void draw(Canvas canvas) {
        double y = 0;
        for (int r = 0; r < rowHeights.length; r++) {
            double x = 0;
            for (int col = 0; col < columns && r * columns + col < cells.size(); col++) {
                canvas.beginShifted(x, y);
                cells.get(r * columns + col).draw(canvas);
                canvas.end();
                x += columnWidths[col] + GAP;
            }
            y += rowHeights[r] + GAP;
        }
    }
}
