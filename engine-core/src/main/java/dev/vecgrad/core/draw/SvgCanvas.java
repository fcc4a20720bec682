package dev.vecgrad.core.draw;

import java.util.Base64;

/** A {@link Canvas} that writes SVG 1.1 text: one self-contained {@code <svg>} element. */
final class SvgCanvas implements Canvas {
    static final String SANS = "DejaVu Sans, Verdana, Arial, sans-serif";
    static final String MONO = "DejaVu Sans Mono, Menlo, Consolas, monospace";

    private final StringBuilder sb = new StringBuilder();
    private int open;

    SvgCanvas(double width, double height) {
        String w = PathData.num(width);
        String h = PathData.num(height);
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" viewBox=\"0 0 ").append(w).append(' ').append(h).append("\" font-family=\"").append(SANS)
                .append("\">\n");
        rect(0, 0, width, height, 0, Rgb.WHITE, null, 0);
    }

    @Override
    public void begin(String cssClass, String name, String tooltip) {
        sb.append("<g class=\"").append(escape(cssClass)).append('"');
        if (name != null) {
            sb.append(" data-name=\"").append(escape(name)).append('"');
        }
        sb.append(">\n");
        if (tooltip != null) {
            sb.append("<title>").append(escape(tooltip)).append("</title>\n");
        }
        open++;
    }

    @Override
    public void beginShifted(double dx, double dy) {
        sb.append("<g transform=\"translate(").append(PathData.num(dx)).append(' ').append(PathData.num(dy))
                .append(")\">\n");
        open++;
    }

    @Override
    public void end() {
        if (open == 0) {
            throw new IllegalStateException("end() without begin()");
        }
        open--;
        sb.append("</g>\n");
    }

    @Override
    public void rect(double x, double y, double w, double h, double radius, Rgb fill, Rgb stroke, double strokeWidth) {
        sb.append("<rect x=\"").append(PathData.num(x)).append("\" y=\"").append(PathData.num(y)).append("\" width=\"")
                .append(PathData.num(w)).append("\" height=\"").append(PathData.num(h)).append('"');
        if (radius > 0) {
            sb.append(" rx=\"").append(PathData.num(radius)).append('"');
        }
        paint(fill, stroke, strokeWidth, Dash.SOLID);
        sb.append("/>\n");
    }

    @Override
    public void path(PathData path, Rgb fill, Rgb stroke, double strokeWidth, Dash dash) {
        sb.append("<path d=\"").append(path.svg()).append('"');
        paint(fill, stroke, strokeWidth, dash);
        if (stroke != null) {
            sb.append(" stroke-linejoin=\"round\" stroke-linecap=\"round\"");
        }
        sb.append("/>\n");
    }

    @Override
    public void circle(double cx, double cy, double r, Rgb fill, Rgb stroke, double strokeWidth) {
        sb.append("<circle cx=\"").append(PathData.num(cx)).append("\" cy=\"").append(PathData.num(cy))
                .append("\" r=\"").append(PathData.num(r)).append('"');
        paint(fill, stroke, strokeWidth, Dash.SOLID);
        sb.append("/>\n");
    }

    @Override
    public void text(double x, double y, String text, TextStyle style, Rgb color, Anchor anchor, double degrees) {
        sb.append("<text x=\"").append(PathData.num(x)).append("\" y=\"").append(PathData.num(y))
                .append("\" font-size=\"").append(PathData.num(style.size())).append('"');
        if (style.mono()) {
            sb.append(" font-family=\"").append(MONO).append('"');
        }
        if (style.bold()) {
            sb.append(" font-weight=\"bold\"");
        }
        if (style.italic()) {
            sb.append(" font-style=\"italic\"");
        }
        if (anchor != Anchor.START) {
            sb.append(" text-anchor=\"").append(anchor == Anchor.MIDDLE ? "middle" : "end").append('"');
        }
        if (degrees != 0) {
            sb.append(" transform=\"rotate(").append(PathData.num(degrees)).append(' ').append(PathData.num(x))
                    .append(' ').append(PathData.num(y)).append(")\"");
        }
        if (!color.equals(Rgb.BLACK)) {
            sb.append(" fill=\"").append(color.hex()).append('"');
        }
        sb.append('>').append(escape(text)).append("</text>\n");
    }

    @Override
    public void image(double x, double y, double w, double h, Bitmap bitmap) {
        sb.append("<image x=\"").append(PathData.num(x)).append("\" y=\"").append(PathData.num(y))
                .append("\" width=\"").append(PathData.num(w)).append("\" height=\"").append(PathData.num(h))
                .append("\" style=\"image-rendering:pixelated\" preserveAspectRatio=\"none\" href=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(bitmap.pixelsPng())).append("\"/>\n");
    }

    private void paint(Rgb fill, Rgb stroke, double strokeWidth, Dash dash) {
        sb.append(" fill=\"").append(fill == null ? "none" : fill.hex()).append('"');
        if (stroke != null && strokeWidth > 0) {
            sb.append(" stroke=\"").append(stroke.hex()).append("\" stroke-width=\"").append(PathData.num(strokeWidth))
                    .append('"');
            if (dash != Dash.SOLID) {
                sb.append(" stroke-dasharray=\"").append(dash == Dash.DASHED ? "6 4" : "1.5 3").append('"');
            }
        }
    }

    /** The finished document. */
    String finish() {
        if (open != 0) {
            throw new IllegalStateException(open + " group(s) left open");
        }
        return sb.append("</svg>\n").toString();
    }

    private static String escape(String s) {
        return Markup.escape(s);
    }
}
