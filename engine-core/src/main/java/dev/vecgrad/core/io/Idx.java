package dev.vecgrad.core.io;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The IDX format of the MNIST files, plain or gzip-compressed (recognised by the gzip magic bytes
 * {@code 1f 8b}, whatever the file name).
 *
 * <p>Layout, big-endian: two zero bytes, a type code ({@code 08} unsigned byte, {@code 09}
 * signed byte, {@code 0B} short, {@code 0C} int, {@code 0D} float, {@code 0E} double), the
 * number of dimensions, one 32-bit size a dimension, then the elements in row-major order.
 * Integer types load as I32, float as F32, double as F64.
 *
 * <p>Every header field is checked before anything is allocated: the zero bytes, the type code,
 * 1 to {@value Shape#MAX_RANK} dimensions, sizes that fit an {@code int} and whose product does
 * too, and a data length that matches the file exactly (for gzip, the decompressed stream, which
 * is read in growing chunks so a header that lies about its count cannot make the reader allocate
 * more than the data really holds). A mismatch is a {@link TensorFileException} naming the file.
 *
 * <pre>{@code
 * Tensor images = Idx.readImagesScaled(Path.of("data/mnist/mnist10k-train-images-idx3-ubyte.gz")); // F32 [n, 28, 28]
 * Tensor labels = Idx.readLabels(Path.of("data/mnist/mnist10k-train-labels-idx1-ubyte.gz"));      // I32 [n]
 * }</pre>
 */
public final class Idx {
    private static final String BYTES = "<bytes>";
    private static final int TYPE_U8 = 0x08;
    private static final int FIRST_CHUNK = 1 << 16;

    private Idx() {
    }

    /** Reads an IDX file of any supported type and rank. */
    public static Tensor read(Path path) throws IOException {
        return load(path).tensor();
    }

    /** Reads an IDX file, plain or gzip-compressed, from its bytes. */
    public static Tensor read(byte[] bytes) throws TensorFileException {
        try {
            return isGzip(bytes) ? readGzip(new ByteArrayInputStream(bytes), BYTES).tensor()
                    : parse(MemorySegment.ofArray(bytes), BYTES).tensor();
        } catch (TensorFileException e) {
            throw e;
        } catch (IOException e) {
            throw new TensorFileException(BYTES, null, -1, "cannot decompress: " + e.getMessage(), e);
        }
    }

    /** The images of an idx3 unsigned-byte file as I32 {@code [n, rows, cols]}, each pixel 0 to 255. */
    public static Tensor readImages(Path path) throws IOException {
        return require(load(path), 3, "idx3 images", path);
    }

    /** The images of an idx3 unsigned-byte file as F32 {@code [n, rows, cols]}, each pixel divided by 255. */
    public static Tensor readImagesScaled(Path path) throws IOException {
        return scale(readImages(path));
    }

    /** The labels of an idx1 unsigned-byte file as I32 {@code [n]}. */
    public static Tensor readLabels(Path path) throws IOException {
        return require(load(path), 1, "idx1 labels", path);
    }

    /** Pixels 0..255 (I32, any layout) to floats in [0, 1] (F32). */
    public static Tensor scale(Tensor pixels) {
        Tensor c = pixels.contiguous();
        int[] in = c.i32Array();
        int off = c.offset();
        float[] out = new float[c.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = in[off + i] / 255f;
        }
        return Tensor.wrap(DType.F32, c.shape(), out);
    }

    /** A tensor and the element type it was stored as. */
    private record Loaded(Element element, Tensor tensor) {
    }

    private static Loaded load(Path path) throws IOException {
        try (InputStream probe = Files.newInputStream(path)) {
            if (isGzip(probe.readNBytes(2))) {
                try (InputStream in = Files.newInputStream(path)) {
                    return readGzip(in, path.toString());
                }
            }
        }
        try (MappedFile f = MappedFile.open(path, false)) {
            return parse(f.segment(), path.toString());
        }
    }

    private static Tensor require(Loaded l, int rank, String what, Path path) throws TensorFileException {
        if (l.tensor().rank() != rank || l.element() != Element.U8) {
            throw new TensorFileException(path.toString(), null, -1, "expected " + what + " (" + rank
                    + " dimension(s) of unsigned bytes), got " + l.element() + " " + l.tensor().shape());
        }
        return l.tensor();
    }

    private static boolean isGzip(byte[] head) {
        return head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }

    /** What the header says: the element type, the shape, and where the data starts. */
    private record Header(Element element, Shape shape, int dataStart) {
        long dataBytes() {
            return (long) shape.size() * element.byteSize();
        }
    }

    /** Validates the header in {@code head}, which holds at least the 4-byte magic. */
    private static Header header(MemorySegment head, String source) throws TensorFileException {
        long size = head.byteSize();
        if (size < 4) {
            throw new TensorFileException(source, null, 0, "file of " + size + " bytes is too short for an IDX magic number");
        }
        int b0 = head.get(ValueLayout.JAVA_BYTE, 0) & 0xff;
        int b1 = head.get(ValueLayout.JAVA_BYTE, 1) & 0xff;
        int type = head.get(ValueLayout.JAVA_BYTE, 2) & 0xff;
        int ndims = head.get(ValueLayout.JAVA_BYTE, 3) & 0xff;
        if (b0 != 0 || b1 != 0) {
            throw new TensorFileException(source, null, 0, String.format(
                    "wrong magic number 0x%02x%02x%02x%02x: an IDX file starts with two zero bytes", b0, b1, type, ndims));
        }
        Element e = switch (type) {
            case TYPE_U8 -> Element.U8;
            case 0x09 -> Element.I8;
            case 0x0B -> Element.I16;
            case 0x0C -> Element.I32;
            case 0x0D -> Element.F32;
            case 0x0E -> Element.F64;
            default -> null;
        };
        if (e == null) {
            throw new TensorFileException(source, null, 2, String.format(
                    "unsupported IDX type code 0x%02x (supported: 08, 09, 0B, 0C, 0D, 0E)", type));
        }
        if (ndims < 1 || ndims > Shape.MAX_RANK) {
            throw new TensorFileException(source, null, 3, "number of dimensions " + ndims + " is not between 1 and "
                    + Shape.MAX_RANK);
        }
        int dataStart = 4 + 4 * ndims;
        if (size < dataStart) {
            throw new TensorFileException(source, null, size, "truncated header: " + ndims + " dimensions need "
                    + dataStart + " header bytes, the file has " + size);
        }
        int[] dims = new int[ndims];
        long n = 1;
        for (int i = 0; i < ndims; i++) {
            long d = head.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 4 + 4L * i) & 0xffffffffL;
            if (d > Integer.MAX_VALUE) {
                throw new TensorFileException(source, null, 4 + 4L * i, "dimension " + i + " is " + d + ", more than "
                        + Integer.MAX_VALUE);
            }
            dims[i] = (int) d;
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new TensorFileException(source, null, 4 + 4L * i, "dimensions " + Arrays.toString(Arrays.copyOf(dims, i + 1))
                        + " make more than " + Integer.MAX_VALUE + " elements");
            }
        }
        return new Header(e, Shape.of(dims), dataStart);
    }

    private static Loaded parse(MemorySegment seg, String source) throws TensorFileException {
        Header h = header(seg, source);
        long expected = h.dataBytes();
        long actual = seg.byteSize() - h.dataStart();
        if (actual != expected) {
            throw new TensorFileException(source, null, h.dataStart(), lengthProblem(h, expected, actual));
        }
        return new Loaded(h.element(), h.element().decode(seg, h.dataStart(), ByteOrder.BIG_ENDIAN, h.shape(), source, null));
    }

    private static String lengthProblem(Header h, long expected, long actual) {
        String what = "the header says " + h.shape() + " elements of " + h.element().byteSize() + " byte(s), " + expected
                + " bytes of data, ";
        return actual < expected ? "truncated: " + what + "but only " + actual + " follow"
                : what + "but " + actual + " follow (" + (actual - expected) + " trailing)";
    }

    private static Loaded readGzip(InputStream raw, String source) throws IOException {
        try (InputStream in = new GZIPInputStream(raw, FIRST_CHUNK)) {
            byte[] magic = in.readNBytes(4);
            int ndims = magic.length == 4 ? magic[3] & 0xff : 0;
            int headerBytes = 4 + 4 * Math.min(ndims, Shape.MAX_RANK + 1);
            byte[] head = Arrays.copyOf(magic, headerBytes);
            int got = magic.length + in.readNBytes(head, magic.length, headerBytes - magic.length);
            Header h = header(MemorySegment.ofArray(Arrays.copyOf(head, got)), source + " (decompressed)");
            long expected = h.dataBytes();
            // Grow with the data actually decompressed, so a lying count cannot make us allocate it up front.
            byte[] data = new byte[(int) Math.min(expected, FIRST_CHUNK)];
            int filled = 0;
            while (filled < expected) {
                if (filled == data.length) {
                    data = Arrays.copyOf(data, (int) Math.min(expected, Math.max(FIRST_CHUNK, 2L * data.length)));
                }
                int r = in.read(data, filled, data.length - filled);
                if (r < 0) {
                    throw new TensorFileException(source, null, -1, "decompressed data is " + lengthProblem(h, expected, filled));
                }
                filled += r;
            }
            if (in.read() >= 0) {
                throw new TensorFileException(source, null, -1, "decompressed data continues after the " + expected
                        + " bytes the header announces (" + h.shape() + ")");
            }
            return new Loaded(h.element(), h.element().decode(MemorySegment.ofArray(data), 0, ByteOrder.BIG_ENDIAN, h.shape(),
                    source, null));
        } catch (EOFException e) {
            throw new TensorFileException(source, null, -1, "corrupt gzip stream: it ends before its data does", e);
        } catch (ZipException e) {
            throw new TensorFileException(source, null, -1, "corrupt gzip stream: "
                    + (e.getMessage() != null ? e.getMessage() : "invalid compressed data"), e);
        }
    }
}
