package dev.vecgrad.core.draw;

import java.util.ArrayList;
import java.util.List;

/**
 * A line chart: a title, a legend, axes with ticks at round numbers and grid lines, a linear or
 * logarithmic y axis, one line a {@link Series} with a dot at each point when there are few,
 * and marks (a ring and a dotted line, for the best epoch, explained in the legend). Nothing is
 * drawn over the data but the data and the marks.
 *
 * <pre>{@code
 * Chart chart = Chart.builder()
 *         .title("loss").xLabel("epoch")
 *         .series(Series.of("loss", List.of(0.9, 0.4, 0.3)))
 *         .series(Series.of("val_loss", List.of(1.0, 0.6, 0.5)))
 *         .mark(3, 0.5, "best val_loss 0.5 (epoch 3)")
 *         .build();
 * chart.write(Path.of("loss.svg"));
 * }</pre>
 *
 * <p>The y axis is logarithmic when asked, or by default when every value is positive and the
 * largest is at least 100 times the smallest (a curve that spans decades).
 */
public final class Chart extends Drawing {
    /** The default width and height. */
    public static final double WIDTH = 480;
    /** The default height. */
    public static final double HEIGHT = 320;
    /** Series with at most this many points get a dot at each point. */
    static final int DOTS_UP_TO = 60;
    /** Where the lines may not reach: the plot area's inner margin, so dots at the ends stay whole. */
    static final double INSET = 6;

    private static final double PAD = 10;
    private static final TextStyle TITLE = TextStyle.sans(14).withBold(true);
    private static final TextStyle LABEL = TextStyle.sans(11);
    private static final TextStyle TICK = TextStyle.sans(10.5);
    private static final double SWATCH = 18;

    /** A labelled point. */
    private record Mark(double x, double y, String label) {
    }

    /** A legend entry placed at (x, row): a series' line, or a mark's ring. */
    private record LegendItem(String text, Series series, double x, int row) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final double width;
    private final double height;
    private final List<Series> series;
    private final List<Mark> marks;
    private final boolean logY;
    private final boolean integerX;
    private final boolean empty;
    // Layout, fixed at construction.
    private final double left;
    private final double top;
    private final double right;
    private final double bottom;
    private final double x0;
    private final double x1;
    private final double y0;
    private final double y1;
    private final List<Double> xTicks;
    private final List<Double> yTicks;
    private final double xStep;
    private final double yStep;
    private final List<LegendItem> legend = new ArrayList<>();
    private final double legendTop;

    private Chart(Builder b) {
        title = b.title;
        xLabel = b.xLabel;
        yLabel = b.yLabel;
        width = b.width;
        height = b.height;
        integerX = b.integerX;
        List<Series> colored = new ArrayList<>();
        for (int i = 0; i < b.series.size(); i++) {
            Series s = b.series.get(i);
            colored.add(s.color() != null ? s : s.withColor(Rgb.series(i)));
        }
        series = List.copyOf(colored);
        marks = List.copyOf(b.marks);

        double[] xr = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] yr = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] positive = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (Series s : series) {
            double[] xs = s.x();
            double[] ys = s.y();
            for (int i = 0; i < xs.length; i++) {
                extend(xr, xs[i]);
                if (Double.isFinite(ys[i])) {
                    extend(yr, ys[i]);
                    if (ys[i] > 0) {
                        extend(positive, ys[i]);
                    }
                }
            }
        }
        empty = !(yr[0] <= yr[1]);
        boolean allPositive = !empty && yr[0] > 0;
        logY = b.logY != null ? b.logY && positive[0] <= positive[1]
                : b.yRange == null && allPositive && yr[1] / yr[0] >= 100;

        // Vertical layout: title, legend rows, plot, tick labels, x label.
        double y = PAD;
        if (title != null) {
            y += TITLE.lineHeight();
        }
        legendTop = y + 2;
        double legendX = PAD;
        int row = 0;
        List<LegendItem> entries = new ArrayList<>();
        for (Series s : series) {
            entries.add(new LegendItem(s.name(), s, 0, 0));
        }
        for (Mark m : marks) {
            if (m.label() != null) {
                entries.add(new LegendItem(m.label(), null, 0, 0));
            }
        }
        for (LegendItem item : entries) {
            double w = SWATCH + 5 + LABEL.width(item.text()) + 14;
            if (legendX > PAD && legendX + w > width - PAD) {
                row++;
                legendX = PAD;
            }
            legend.add(new LegendItem(item.text(), item.series(), legendX, row));
            legendX += w;
        }
        top = legendTop + (legend.isEmpty() ? 0 : (row + 1) * LABEL.lineHeight()) + 8;
        bottom = height - PAD - (xLabel != null ? LABEL.lineHeight() : 0) - TICK.lineHeight() - 4;
        if (bottom - top < 40) {
            throw new IllegalArgumentException("a chart of " + width + "x" + height + " has no room left to plot; make it"
                    + " taller");
        }

        // The y axis: data range, then round ticks (on a log axis whole decades).
        int yTarget = Math.max(2, (int) ((bottom - top) / 45));
        if (empty) {
            y0 = 0;
            y1 = 1;
            yStep = 0.25;
            yTicks = Ticks.inside(0, 1, yStep);
        } else if (logY) {
            int lo = (int) Math.floor(Math.log10(positive[0]) + 1e-9);
            int hi = Math.max(lo + 1, (int) Math.ceil(Math.log10(positive[1]) - 1e-9));
            y0 = Math.pow(10, lo);
            y1 = Math.pow(10, hi);
            yStep = Double.NaN;
            yTicks = Ticks.log(lo, hi, yTarget);
        } else if (b.yRange != null) {
            y0 = b.yRange[0];
            y1 = b.yRange[1];
            yStep = Ticks.niceStep(y1 - y0, yTarget);
            yTicks = Ticks.inside(y0, y1, yStep);
        } else {
            double lo = yr[0];
            double hi = yr[1];
            if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
                double d = Math.max(Math.abs(hi) * 0.1, 1e-3);
                lo -= d;
                hi += d;
            }
            yStep = Ticks.niceStep(hi - lo, yTarget);
            yTicks = Ticks.covering(lo, hi, yStep);
            y0 = yTicks.get(0);
            y1 = yTicks.get(yTicks.size() - 1);
        }

        // Left margin from the widest tick label.
        double widest = 0;
        for (double t : yTicks) {
            widest = Math.max(widest, TICK.width(yTickLabel(t)));
        }
        left = PAD + (yLabel != null ? LABEL.lineHeight() + 2 : 0) + widest + 7;
        right = width - PAD - 6;
        if (right - left < 40) {
            throw new IllegalArgumentException("a chart " + width + " wide has no room left to plot; make it wider");
        }

        // The x axis.
        if (empty) {
            x0 = 0;
            x1 = 1;
        } else if (xr[1] > xr[0]) {
            x0 = xr[0];
            x1 = xr[1];
        } else {
            x0 = xr[0] - 1;
            x1 = xr[0] + 1;
        }
        int xTarget = Math.max(2, (int) ((right - left) / 70));
        double step = Ticks.niceStep(x1 - x0, xTarget);
        xStep = integerX ? Math.max(1, step) : step;
        xTicks = empty ? List.of() : Ticks.inside(x0, x1, xStep);
    }

    private static void extend(double[] range, double v) {
        range[0] = Math.min(range[0], v);
        range[1] = Math.max(range[1], v);
    }

    /** A new chart's settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** The settings of a {@link Chart}. */
    public static final class Builder {
        private String title;
        private String xLabel;
        private String yLabel;
        private double width = WIDTH;
        private double height = HEIGHT;
        private final List<Series> series = new ArrayList<>();
        private final List<Mark> marks = new ArrayList<>();
        private Boolean logY;
        private double[] yRange;
        private boolean integerX;

        private Builder() {
        }

        /** The title, drawn in bold above the legend. */
        public Builder title(String t) {
            title = t;
            return this;
        }

        /** The x axis's label. */
        public Builder xLabel(String label) {
            xLabel = label;
            return this;
        }

        /** The y axis's label. */
        public Builder yLabel(String label) {
            yLabel = label;
            return this;
        }

        /** The size in pixels (default {@value #WIDTH} x {@value #HEIGHT}). */
        public Builder size(double w, double h) {
            if (!(w >= 100 && h >= 100 && w <= 10_000 && h <= 10_000)) {
                throw new IllegalArgumentException("a chart is 100..10000 pixels a side, got " + w + "x" + h);
            }
            width = w;
            height = h;
            return this;
        }

        /** Adds a line. */
        public Builder series(Series s) {
            series.add(java.util.Objects.requireNonNull(s, "series"));
            return this;
        }

        /** A logarithmic (true) or linear (false) y axis, instead of the automatic choice. */
        public Builder logY(boolean log) {
            logY = log;
            return this;
        }

        /** A fixed linear y range instead of one fitted to the data. */
        public Builder yRange(double lo, double hi) {
            if (!(Double.isFinite(lo) && Double.isFinite(hi) && hi > lo)) {
                throw new IllegalArgumentException("a y range needs finite lo < hi, got " + lo + ", " + hi);
            }
            yRange = new double[] {lo, hi};
            return this;
        }

        /** Ticks on the x axis at whole numbers only (epochs, steps). */
        public Builder integerX() {
            integerX = true;
            return this;
        }

        /** Marks the point (x, y) with a ring and a dotted line across the plot; {@code label} goes in the legend. */
        public Builder mark(double x, double y, String label) {
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                throw new IllegalArgumentException("a mark needs a finite point, got (" + x + ", " + y + ")");
            }
            marks.add(new Mark(x, y, label));
            return this;
        }

        /** The chart. */
        public Chart build() {
            return new Chart(this);
        }
    }

    @Override
    public double width() {
        return width;
    }

    @Override
    public double height() {
        return height;
    }

    /** Whether the y axis is logarithmic. */
    public boolean isLogY() {
        return logY;
    }

    /** The pixel column of {@code x}. */
    double px(double x) {
        return left + INSET + (x - x0) / (x1 - x0) * (right - left - 2 * INSET);
    }

    /** The pixel row of {@code y}; NaN where a log axis cannot show it. */
    double py(double y) {
        double f = logY ? (y > 0 ? (Math.log10(y) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0)) : Double.NaN)
                : (y - y0) / (y1 - y0);
        return bottom - f * (bottom - top);
    }

    private String yTickLabel(double t) {
        return Ticks.format(t, logY ? t : yStep);
    }

    @Override
    public void draw(Canvas c) {
        c.begin("chart", title, null);
        if (title != null) {
            c.text(PAD, PAD + TITLE.baselineOffset(), title, TITLE, Rgb.INK, Canvas.Anchor.START, 0);
        }
        drawLegend(c);
        drawAxes(c);
        if (empty) {
            c.text((left + right) / 2, (top + bottom) / 2, "no data yet", LABEL, Rgb.MUTED, Canvas.Anchor.MIDDLE, 0);
        }
        for (Series s : series) {
            drawSeries(c, s);
        }
        for (Mark m : marks) {
            drawMark(c, m);
        }
        c.end();
    }

    private void drawLegend(Canvas c) {
        if (legend.isEmpty()) {
            return;
        }
        c.begin("legend", null, null);
        for (LegendItem item : legend) {
            double mid = legendTop + item.row() * LABEL.lineHeight() + LABEL.lineHeight() / 2;
            Series s = item.series();
            if (s != null) {
                c.line(item.x(), mid, item.x() + SWATCH, mid, s.color(), 2,
                        s.dashed() ? Canvas.Dash.DASHED : Canvas.Dash.SOLID);
                c.circle(item.x() + SWATCH / 2, mid, 2.5, s.color(), null, 0);
            } else {
                c.circle(item.x() + SWATCH / 2, mid, 5, null, Rgb.INK, 1.5);
            }
            c.text(item.x() + SWATCH + 5, mid + LABEL.size() * 0.35, item.text(), LABEL, Rgb.INK,
                    Canvas.Anchor.START, 0);
        }
        c.end();
    }

    private void drawAxes(Canvas c) {
        c.begin("axes", null, null);
        for (double t : yTicks) {
            double y = py(t);
            c.line(left, y, right, y, Rgb.GRID, 1, Canvas.Dash.SOLID);
            c.text(left - 5, y + TICK.size() * 0.35, yTickLabel(t), TICK, Rgb.MUTED, Canvas.Anchor.END, 0);
        }
        for (double t : xTicks) {
            double x = px(t);
            c.line(x, bottom, x, bottom + 4, Rgb.MUTED, 1, Canvas.Dash.SOLID);
            c.text(x, bottom + 4 + TICK.baselineOffset(), Ticks.format(t, xStep), TICK, Rgb.MUTED, Canvas.Anchor.MIDDLE,
                    0);
        }
        c.line(left, top, left, bottom, Rgb.MUTED, 1, Canvas.Dash.SOLID);
        c.line(left, bottom, right, bottom, Rgb.MUTED, 1, Canvas.Dash.SOLID);
        if (xLabel != null) {
            c.text((left + right) / 2, height - PAD - 2, xLabel, LABEL, Rgb.INK, Canvas.Anchor.MIDDLE, 0);
        }
        if (yLabel != null) {
            c.text(PAD + LABEL.size(), (top + bottom) / 2, yLabel, LABEL, Rgb.INK, Canvas.Anchor.MIDDLE, -90);
        }
        if (logY) {
            c.text(right, top - 3, "log scale", TICK, Rgb.MUTED, Canvas.Anchor.END, 0);
        }
        c.end();
    }

    private void drawSeries(Canvas c, Series s) {
        double[] xs = s.x();
        double[] ys = s.y();
        c.begin("series", s.name(), s.name());
        PathData path = new PathData();
        boolean pen = false;
        boolean any = false;
        for (int i = 0; i < xs.length; i++) {
            double y = Double.isFinite(ys[i]) ? py(ys[i]) : Double.NaN;
            if (Double.isNaN(y)) {
                pen = false;
                continue;
            }
            if (pen) {
                path.lineTo(px(xs[i]), y);
            } else {
                path.moveTo(px(xs[i]), y);
                pen = true;
            }
            any = true;
        }
        if (any) {
            c.path(path, null, s.color(), 2, s.dashed() ? Canvas.Dash.DASHED : Canvas.Dash.SOLID);
        }
        if (xs.length <= DOTS_UP_TO) {
            for (int i = 0; i < xs.length; i++) {
                double y = Double.isFinite(ys[i]) ? py(ys[i]) : Double.NaN;
                if (!Double.isNaN(y)) {
                    c.begin("point", null, s.name() + " at " + Ticks.value(xs[i]) + ": " + Ticks.value(ys[i]));
                    c.circle(px(xs[i]), y, 3, s.color(), Rgb.WHITE, 1);
                    c.end();
                }
            }
        }
        c.end();
    }

    private void drawMark(Canvas c, Mark m) {
        double x = px(m.x());
        double y = py(m.y());
        if (Double.isNaN(y)) {
            return;
        }
        c.begin("mark", m.label(), m.label());
        c.line(x, top, x, bottom, Rgb.MUTED, 1.2, Canvas.Dash.DOTTED);
        c.circle(x, y, 6, null, Rgb.INK, 1.5);
        c.end();
    }
}
