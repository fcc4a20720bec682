package dev.vecgrad.train.plot;

import dev.vecgrad.core.draw.Bitmap;
import dev.vecgrad.core.draw.Canvas;
import dev.vecgrad.core.draw.PathData;
import dev.vecgrad.core.draw.Rgb;
import dev.vecgrad.core.draw.TextStyle;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.imageio.ImageIO;

/** A {@link Canvas} that paints pixels with Java2D and encodes them as PNG; works headless. */
final class PngCanvas implements Canvas {
    private static final int MAX_PIXELS = 64 << 20;

    private final BufferedImage image;
    private final Graphics2D g;
    private final Deque<AffineTransform> saved = new ArrayDeque<>();

    PngCanvas(double width, double height, double scale) {
        long w = (long) Math.ceil(width * scale);
        long h = (long) Math.ceil(height * scale);
        if (w < 1 || h < 1 || w * h > MAX_PIXELS) {
            throw new IllegalArgumentException("a PNG of " + w + "x" + h + " pixels is outside 1.." + MAX_PIXELS
                    + " pixels; draw it smaller or write SVG");
        }
        image = new BufferedImage((int) w, (int) h, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, (int) w, (int) h);
        g.scale(scale, scale);
    }

    @Override
    public void begin(String cssClass, String name, String tooltip) {
        saved.push(g.getTransform());
    }

    @Override
    public void beginShifted(double dx, double dy) {
        saved.push(g.getTransform());
        g.translate(dx, dy);
    }

    @Override
    public void end() {
        if (saved.isEmpty()) {
            throw new IllegalStateException("end() without begin()");
        }
        g.setTransform(saved.pop());
    }

    @Override
    public void rect(double x, double y, double w, double h, double radius, Rgb fill, Rgb stroke, double strokeWidth) {
        paint(new RoundRectangle2D.Double(x, y, w, h, 2 * radius, 2 * radius), fill, stroke, strokeWidth, Dash.SOLID);
    }

    @Override
    public void path(PathData path, Rgb fill, Rgb stroke, double strokeWidth, Dash dash) {
        Path2D.Double p = new Path2D.Double();
        path.forEach((kind, c) -> {
            switch (kind) {
                case MOVE -> p.moveTo(c[0], c[1]);
                case LINE -> p.lineTo(c[0], c[1]);
                case CUBIC -> p.curveTo(c[0], c[1], c[2], c[3], c[4], c[5]);
                case CLOSE -> p.closePath();
            }
        });
        paint(p, fill, stroke, strokeWidth, dash);
    }

    @Override
    public void circle(double cx, double cy, double r, Rgb fill, Rgb stroke, double strokeWidth) {
        paint(new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r), fill, stroke, strokeWidth, Dash.SOLID);
    }

    private void paint(java.awt.Shape shape, Rgb fill, Rgb stroke, double strokeWidth, Dash dash) {
        if (fill != null) {
            g.setColor(new Color(fill.value()));
            g.fill(shape);
        }
        if (stroke != null && strokeWidth > 0) {
            float w = (float) strokeWidth;
            float[] pattern = switch (dash) {
                case SOLID -> null;
                case DASHED -> new float[] {6, 4};
                case DOTTED -> new float[] {1.5f, 3};
            };
            g.setStroke(new BasicStroke(w, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10, pattern, 0));
            g.setColor(new Color(stroke.value()));
            g.draw(shape);
        }
    }

    @Override
    public void text(double x, double y, String text, TextStyle style, Rgb color, Anchor anchor, double degrees) {
        Font font = new Font(style.mono() ? Font.MONOSPACED : Font.SANS_SERIF,
                (style.bold() ? Font.BOLD : 0) | (style.italic() ? Font.ITALIC : 0), 1).deriveFont((float) style.size());
        g.setFont(font);
        g.setColor(new Color(color.value()));
        double width = font.getStringBounds(text, g.getFontRenderContext()).getWidth();
        double dx = switch (anchor) {
            case START -> 0;
            case MIDDLE -> -width / 2;
            case END -> -width;
        };
        AffineTransform before = g.getTransform();
        if (degrees != 0) {
            g.rotate(Math.toRadians(degrees), x, y);
        }
        g.drawString(text, (float) (x + dx), (float) y);
        g.setTransform(before);
    }

    @Override
    public void image(double x, double y, double w, double h, Bitmap bitmap) {
        Object before = g.getRenderingHint(RenderingHints.KEY_INTERPOLATION);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        AffineTransform t = g.getTransform();
        g.translate(x, y);
        g.scale(w / bitmap.columns(), h / bitmap.rows());
        g.drawImage(pixels(bitmap), 0, 0, null);
        g.setTransform(t);
        if (before != null) {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, before);
        }
    }

    private static BufferedImage pixels(Bitmap bitmap) {
        BufferedImage img = new BufferedImage(bitmap.columns(), bitmap.rows(), BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < bitmap.rows(); r++) {
            for (int c = 0; c < bitmap.columns(); c++) {
                img.setRGB(c, r, bitmap.rgb(r, c));
            }
        }
        return img;
    }

    /** The PNG bytes of what was drawn. */
    byte[] finish() {
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("this JDK has no PNG writer in javax.imageio");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a PNG in memory failed", e);
        }
        return out.toByteArray();
    }
}
