package dev.vecgrad.core.draw;

/**
 * What a {@link Drawing} draws on: the few primitives every back end can do, so one drawing gives
 * the same picture as SVG text ({@link Drawing#toSvg()}) and as pixels (engine-train's
 * {@code dev.vecgrad.train.plot.Pictures}, which paints with Java2D). Implement it to draw
 * pictures some other way. Coordinates are in pixels of the drawing, y downwards; a null colour
 * means none.
 */
public interface Canvas {
    /** Where a text's {@code x} is: its start, middle or end. */
    enum Anchor {
        /** x is where the text starts. */
        START,
        /** x is the text's middle. */
        MIDDLE,
        /** x is where the text ends. */
        END
    }

    /** A line's pattern. */
    enum Dash {
        /** Unbroken. */
        SOLID,
        /** Dashes. */
        DASHED,
        /** Dots. */
        DOTTED
    }

    /**
     * Opens a group of elements: in SVG a {@code <g>} with this class, a {@code data-name}
     * attribute when {@code name} is not null, and a hover text when {@code tooltip} is not null.
     */
    void begin(String cssClass, String name, String tooltip);

    /** Opens a group whose contents are moved by (dx, dy). */
    void beginShifted(double dx, double dy);

    /** Closes the innermost open group. */
    void end();

    /** A rectangle with corners rounded by {@code radius}. */
    void rect(double x, double y, double w, double h, double radius, Rgb fill, Rgb stroke, double strokeWidth);

    /** A path, filled and/or stroked. */
    void path(PathData path, Rgb fill, Rgb stroke, double strokeWidth, Dash dash);

    /** A circle. */
    void circle(double cx, double cy, double r, Rgb fill, Rgb stroke, double strokeWidth);

    /** One line of text whose baseline is at {@code y}, turned by {@code degrees} about (x, y). */
    void text(double x, double y, String text, TextStyle style, Rgb color, Anchor anchor, double degrees);

    /** A bitmap scaled to the given box, without smoothing (pixels stay square). */
    void image(double x, double y, double w, double h, Bitmap bitmap);

    /** A straight line. */
    default void line(double x1, double y1, double x2, double y2, Rgb stroke, double strokeWidth, Dash dash) {
        path(new PathData().moveTo(x1, y1).lineTo(x2, y2), null, stroke, strokeWidth, dash);
    }
}
