package dev.vecgrad.core.draw;

/**
 * A small raster image, such as one input image of a network, drawn with square pixels at
 * {@code zoom} units a pixel.
 *
 * <pre>{@code
 * Bitmap digit = Bitmap.intensity(pixels, 28, 28, 3);   // 84x84, dark strokes on white
 * byte[] png = digit.pixelsPng();                        // 28x28, for a page to scale
 * }</pre>
 */
public final class Bitmap extends Drawing {
    private static final int MAX_SIDE = 4096;

    private final int rows;
    private final int columns;
    private final int[] rgb;
    private final double zoom;

    private Bitmap(int rows, int columns, int[] rgb, double zoom) {
        if (rows < 1 || columns < 1 || rows > MAX_SIDE || columns > MAX_SIDE) {
            throw new IllegalArgumentException("a bitmap is 1.." + MAX_SIDE + " pixels a side, got " + rows + "x"
                    + columns);
        }
        if (!(zoom > 0) || zoom > 64) {
            throw new IllegalArgumentException("bitmap zoom must be in (0, 64], got " + zoom);
        }
        this.rows = rows;
        this.columns = columns;
        this.rgb = rgb;
        this.zoom = zoom;
    }

    /**
     * A grey image of {@code rows x columns} intensities in row-major order, scaled so the
     * smallest value is white and the largest black (ink on paper); a constant image is white.
     */
    public static Bitmap intensity(float[] values, int rows, int columns, double zoom) {
        checkLength(values.length, rows, columns, 1);
        float[] range = range(values);
        int[] rgb = new int[values.length];
        for (int i = 0; i < rgb.length; i++) {
            int v = 255 - level(values[i], range);
            rgb[i] = v << 16 | v << 8 | v;
        }
        return new Bitmap(rows, columns, rgb, zoom);
    }

    /**
     * A colour image of {@code rows x columns x 3} channel values (red, green, blue, channels
     * last), scaled together so the smallest value is black and the largest full brightness.
     */
    public static Bitmap color(float[] values, int rows, int columns, double zoom) {
        checkLength(values.length, rows, columns, 3);
        float[] range = range(values);
        int[] rgb = new int[rows * columns];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = level(values[3 * i], range) << 16 | level(values[3 * i + 1], range) << 8
                    | level(values[3 * i + 2], range);
        }
        return new Bitmap(rows, columns, rgb, zoom);
    }

    private static void checkLength(int length, int rows, int columns, int channels) {
        if ((long) rows * columns * channels != length) {
            throw new IllegalArgumentException("a " + rows + "x" + columns + " bitmap of " + channels
                    + " channel(s) needs " + (long) rows * columns * channels + " values, got " + length);
        }
    }

    private static float[] range(float[] values) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            if (Float.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return new float[] {lo, hi};
    }

    /** {@code v} on 0..255 within the range; a non-finite value or an empty range is 0. */
    private static int level(float v, float[] range) {
        if (!Float.isFinite(v) || !(range[1] > range[0])) {
            return 0;
        }
        return (int) Math.round(255.0 * (v - range[0]) / (range[1] - range[0]));
    }

    /** Rows of pixels. */
    public int rows() {
        return rows;
    }

    /** Columns of pixels. */
    public int columns() {
        return columns;
    }

    @Override
    public double width() {
        return columns * zoom;
    }

    @Override
    public double height() {
        return rows * zoom;
    }

    /** The colour of one pixel as {@code 0xRRGGBB}. */
    public int rgb(int row, int column) {
        if (row < 0 || row >= rows || column < 0 || column >= columns) {
            throw new IndexOutOfBoundsException("pixel (" + row + ", " + column + ") is outside this " + rows + "x"
                    + columns + " bitmap");
        }
        return rgb[row * columns + column];
    }

    @Override
    public void draw(Canvas canvas) {
        canvas.image(0, 0, width(), height(), this);
    }

    /** The pixels as PNG bytes, one to a pixel (what an SVG or HTML page embeds and scales). */
    public byte[] pixelsPng() {
        return PngEncoder.encode(columns, rows, rgb);
    }
}
