package dev.vecgrad.core.draw;

/**
 * How a piece of text is set, and how wide it comes out. Layout needs widths before anything is
 * drawn and without a font system (SVG is text), so widths are estimated: monospaced text is
 * exact for the usual monospaced fonts (0.6 em a character: DejaVu Sans Mono, Menlo, Courier),
 * proportional text is estimated from DejaVu Sans's widths, a little generously for narrower
 * fonts.
 *
 * @param size the font size in pixels
 * @param bold whether the text is bold
 * @param mono whether the font is monospaced (else a sans-serif)
 * @param italic whether the text is italic
 */
public record TextStyle(double size, boolean bold, boolean mono, boolean italic) {
    /** The monospaced advance, in em. */
    static final double MONO_EM = 0.602;

    /** Checks that the size is positive. */
    public TextStyle {
        if (!(size > 0)) {
            throw new IllegalArgumentException("text size must be positive, got " + size);
        }
    }

    static TextStyle sans(double size) {
        return new TextStyle(size, false, false, false);
    }

    static TextStyle mono(double size) {
        return new TextStyle(size, false, true, false);
    }

    TextStyle withBold(boolean b) {
        return new TextStyle(size, b, mono, italic);
    }

    TextStyle withItalic(boolean i) {
        return new TextStyle(size, bold, mono, i);
    }

    /** The estimated width of {@code s} set in this style. */
    double width(String s) {
        double em = 0;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            em += mono ? MONO_EM : sansEm(c);
        }
        return em * size * (bold && !mono ? 1.08 : 1);
    }

    /** The distance from the top of a line to its baseline, for a line {@link #lineHeight()} tall. */
    double baselineOffset() {
        return size * 1.02;
    }

    /** The height of one line of this text, leading included. */
    double lineHeight() {
        return size * 1.3;
    }

    private static double sansEm(int c) {
        if (c == ' ' || "ijl.,:;|!'`".indexOf(c) >= 0) {
            return 0.32;
        }
        if ("frt()[]{}/\\-".indexOf(c) >= 0) {
            return 0.42;
        }
        if (c == 'm' || c == 'w' || c == 'M' || c == 'W') {
            return 0.95;
        }
        if (c >= 'A' && c <= 'Z') {
            return 0.72;
        }
        if (c >= '0' && c <= '9') {
            return 0.64;
        }
        return 0.62;
    }
}
