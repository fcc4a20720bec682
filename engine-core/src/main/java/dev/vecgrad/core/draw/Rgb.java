package dev.vecgrad.core.draw;

import java.util.List;
import java.util.Locale;

/**
 * An opaque colour, {@code 0xRRGGBB}, with the palette the charts and graphs use.
 *
 * @param value the colour as {@code 0xRRGGBB}
 */
public record Rgb(int value) {
    /** Black. */
    public static final Rgb BLACK = new Rgb(0x000000);
    /** White. */
    public static final Rgb WHITE = new Rgb(0xFFFFFF);
    /** The colour of text and axes. */
    public static final Rgb INK = new Rgb(0x222222);
    /** Secondary text: tick labels, captions. */
    public static final Rgb MUTED = new Rgb(0x666666);
    /** Grid lines. */
    public static final Rgb GRID = new Rgb(0xE4E4E4);

    /**
     * Series colours in order: the first is training data, the second validation data (blue and
     * orange, as matplotlib's first two), then distinct hues that stay apart for colour-blind readers.
     */
    public static final List<Rgb> SERIES = List.of(new Rgb(0x1F77B4), new Rgb(0xFF7F0E), new Rgb(0x2CA02C),
            new Rgb(0xD62728), new Rgb(0x9467BD), new Rgb(0x8C564B), new Rgb(0xE377C2), new Rgb(0x17BECF));

    /** Checks that the value fits in 24 bits. */
    public Rgb {
        if ((value & ~0xFFFFFF) != 0) {
            throw new IllegalArgumentException("an Rgb is 0xRRGGBB, got 0x" + Integer.toHexString(value));
        }
    }

    /** The colour of the given components, each 0..255. */
    public static Rgb of(int red, int green, int blue) {
        for (int c : new int[] {red, green, blue}) {
            if (c < 0 || c > 255) {
                throw new IllegalArgumentException("colour components are 0..255, got (" + red + ", " + green + ", "
                        + blue + ")");
            }
        }
        return new Rgb(red << 16 | green << 8 | blue);
    }

    /** The {@code i}-th series colour, cycling through {@link #SERIES}. */
    public static Rgb series(int i) {
        return SERIES.get(Math.floorMod(i, SERIES.size()));
    }

    /** Red, 0..255. */
    public int red() {
        return value >> 16 & 0xFF;
    }

    /** Green, 0..255. */
    public int green() {
        return value >> 8 & 0xFF;
    }

    /** Blue, 0..255. */
    public int blue() {
        return value & 0xFF;
    }

    /** This colour mixed with white: {@code amount} 0 is this colour, 1 is white. */
    public Rgb tint(double amount) {
        double a = Math.max(0, Math.min(1, amount));
        return of(mix(red(), a), mix(green(), a), mix(blue(), a));
    }

    private static int mix(int c, double a) {
        return (int) Math.round(c + (255 - c) * a);
    }

    /** {@code #rrggbb}, as CSS and SVG write it. */
    public String hex() {
        return String.format(Locale.ROOT, "#%06x", value);
    }
}
