package dev.vecgrad.core.draw;

/**
 * A picture of a known size, described once and drawn on any {@link Canvas}: a {@link Chart}, a
 * {@link Figure} of several, a laid-out {@link Graph}, a {@link Bitmap}. This package writes it as
 * SVG; engine-train's {@code dev.vecgrad.train.plot.Pictures} paints the same drawing as PNG.
 *
 * <pre>{@code
 * Chart chart = Chart.builder().title("loss").series(Series.of("loss", epochs, losses)).build();
 * String svg = chart.toSvg();                               // to embed in HTML
 * AtomicFiles.write(Path.of("loss.svg"), svg.getBytes(StandardCharsets.UTF_8));
 * }</pre>
 */
public abstract sealed class Drawing permits Chart, Figure, GraphDrawing, Bitmap {
    Drawing() {
    }

    /** The width in pixels. */
    public abstract double width();

    /** The height in pixels. */
    public abstract double height();

    /** Draws the picture on {@code canvas} with its top left corner at (0, 0). */
    public abstract void draw(Canvas canvas);

    /** The picture as one self-contained SVG document. */
    public final String toSvg() {
        SvgCanvas canvas = new SvgCanvas(width(), height());
        draw(canvas);
        return canvas.finish();
    }
}
