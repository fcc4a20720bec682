package dev.vecgrad.train.plot;

import dev.vecgrad.core.draw.Drawing;
import dev.vecgrad.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes any {@link Drawing} (a chart, a figure, a model's or a tape's graph) as PNG or SVG. PNG
 * is painted with Java2D from the same description that gives the SVG, so both formats show the
 * same picture.
 *
 * <pre>{@code
 * Pictures.write(history.curves(), Path.of("curves.png"));   // or .svg; replaced atomically
 * byte[] png = Pictures.png(model.layerGraph().drawing(), 2);  // sharp on dense screens
 * }</pre>
 *
 * <p>PNG output draws text with the JDK's fonts, so it needs the font support of a desktop JDK
 * (fontconfig and a font such as DejaVu); SVG output needs nothing.
 */
public final class Pictures {
    private Pictures() {
    }

    /** {@code drawing} as PNG bytes, one pixel a unit. */
    public static byte[] png(Drawing drawing) {
        return png(drawing, 1);
    }

    /** {@code drawing} as PNG bytes, {@code scale} pixels a unit (2 for sharp pictures on dense screens). */
    public static byte[] png(Drawing drawing, double scale) {
        if (!(scale > 0) || scale > 8) {
            throw new IllegalArgumentException("PNG scale must be in (0, 8], got " + scale);
        }
        PngCanvas canvas = new PngCanvas(drawing.width(), drawing.height(), scale);
        drawing.draw(canvas);
        return canvas.finish();
    }

    /**
     * Writes {@code drawing} to {@code path}, as SVG or PNG by the file's extension ({@code .svg},
     * {@code .png}, in any case), replacing the file atomically: a reader sees the old picture or
     * the new one, never part of one.
     */
    public static void write(Drawing drawing, Path path) throws IOException {
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        byte[] bytes;
        if (name.endsWith(".svg")) {
            bytes = drawing.toSvg().getBytes(StandardCharsets.UTF_8);
        } else if (name.endsWith(".png")) {
            bytes = png(drawing);
        } else {
            throw new IllegalArgumentException("cannot tell the picture format of " + path
                    + ": name the file .svg or .png");
        }
        AtomicFiles.write(path, bytes);
    }
}
