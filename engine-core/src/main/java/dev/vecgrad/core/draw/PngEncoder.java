package dev.vecgrad.core.draw;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

/**
 * Encodes 8-bit RGB pixels as a PNG file with {@code java.util.zip} alone: the signature, an
 * {@code IHDR} chunk, one {@code IDAT} chunk holding the zlib-compressed rows (each row led by
 * filter type 0, none), and {@code IEND}; each chunk ends with the CRC-32 of its type and data.
 */
final class PngEncoder {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte BIT_DEPTH = 8;
    private static final byte TRUE_COLOUR = 2;

    private PngEncoder() {
    }

    /** The PNG bytes of a {@code width x height} image of {@code 0xRRGGBB} pixels in row-major order. */
    static byte[] encode(int width, int height, int[] rgb) {
        if (width < 1 || height < 1 || (long) width * height != rgb.length) {
            throw new IllegalArgumentException("a " + width + "x" + height + " PNG needs " + (long) width * height
                    + " pixels, got " + rgb.length);
        }
        byte[] rows = new byte[height * (1 + 3 * width)];
        int at = 0;
        for (int y = 0; y < height; y++) {
            rows[at++] = 0;
            for (int x = 0; x < width; x++) {
                int p = rgb[y * width + x];
                rows[at++] = (byte) (p >> 16);
                rows[at++] = (byte) (p >> 8);
                rows[at++] = (byte) p;
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(SIGNATURE);
        chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put(BIT_DEPTH).put(TRUE_COLOUR)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(png, "IDAT", deflate(rows));
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static byte[] deflate(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException("compressing PNG rows in memory failed", e);
        }
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        png.writeBytes(name);
        png.writeBytes(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
