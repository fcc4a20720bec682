package dev.vecgrad.core.draw;

import dev.vecgrad.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A picture of a known size that can be written as SVG or PNG from the same description: a
 * {@link Chart}, a {@link Figure} of several, a laid-out {@link Graph}, a {@link Bitmap}.
 *
 * <pre>{@code
 * Chart chart = Chart.builder().title("loss").series(Series.of("loss", epochs, losses)).build();
 * chart.write(Path.of("loss.png"));          // or .svg; replaced atomically
 * String svg = chart.toSvg();                // to embed in HTML
 * }</pre>
 *
 * <p>PNG output draws text with the JDK's fonts, so it needs the font support of a desktop JDK
 * (fontconfig and a font such as DejaVu); SVG output needs nothing.
 */
public abstract sealed class Drawing permits Chart, Figure, GraphDrawing, Bitmap {
    Drawing() {
    }

    /** The width in pixels. */
    public abstract double width();

    /** The height in pixels. */
    public abstract double height();

    /** Draws the picture with its top left corner at (0, 0). */
    abstract void draw(Canvas canvas);

    /** The picture as one self-contained SVG document. */
    public final String toSvg() {
        SvgCanvas canvas = new SvgCanvas(width(), height());
        draw(canvas);
        return canvas.finish();
    }

    /** The picture as PNG bytes, one pixel a unit. */
    public final byte[] toPng() {
        return toPng(1);
    }

    /** The picture as PNG bytes, {@code scale} pixels a unit (2 for sharp pictures on dense screens). */
    public final byte[] toPng(double scale) {
        if (!(scale > 0) || scale > 8) {
            throw new IllegalArgumentException("PNG scale must be in (0, 8], got " + scale);
        }
        ImageCanvas canvas = new ImageCanvas(width(), height(), scale);
        draw(canvas);
        return canvas.finish();
    }

    /**
     * Writes the picture to {@code path}, as SVG or PNG by the file's extension ({@code .svg},
     * {@code .png}), replacing the file atomically: a reader sees the old picture or the new one,
     * never part of one.
     */
    public final void write(Path path) throws IOException {
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        byte[] bytes;
        if (name.endsWith(".svg")) {
            bytes = toSvg().getBytes(StandardCharsets.UTF_8);
        } else if (name.endsWith(".png")) {
            bytes = toPng();
        } else {
            throw new IllegalArgumentException("cannot tell the picture format of " + path
                    + ": name the file .svg or .png");
        }
        AtomicFiles.write(path, bytes);
    }
}
