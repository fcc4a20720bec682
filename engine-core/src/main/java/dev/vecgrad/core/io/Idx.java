package dev.vecgrad.core.io;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
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
 * <p>Only regular files are read (a FIFO or a device is refused before it is opened). Every
 * header field is checked before anything is allocated: the zero bytes, the type code, 1 to
 * {@value Shape#MAX_RANK} dimensions, sizes that fit an {@code int} and whose product does too,
 * that the loaded tensor fits the Java heap ({@link HeapLimit}), and a data length that matches
 * the file exactly. For gzip the announced length must be one the compressed file can hold (at
 * most {@value #MAX_INFLATION} bytes a compressed byte), and the stream is inflated and decoded
 * in chunks of 64 KiB into an output that grows with the data actually decoded, so a header that
 * lies about its count cannot make the reader allocate more than the data really holds. A mismatch
 * is a {@link TensorFileException} naming the file.
 *
 * <pre>{@code
 * Tensor images = Idx.readImagesScaled(Path.of("data/mnist/mnist10k-train-images-idx3-ubyte.gz")); // F32 [n, 28, 28]
 * Tensor labels = Idx.readLabels(Path.of("data/mnist/mnist10k-train-labels-idx1-ubyte.gz"));      // I32 [n]
 * }</pre>
 */
public final class Idx {
    /**
     * The most a deflate stream can inflate to, per compressed byte (the format's limit is about
     * 1032:1). A gzip file whose header announces more data than this times its own size cannot
     * hold it, whatever it says.
     */
    public static final int MAX_INFLATION = 1032;

    private static final String BYTES = "<bytes>";
    private static final int TYPE_U8 = 0x08;
    /** Bytes decoded at a time from a stream: a multiple of every element size. */
    private static final int CHUNK = 1 << 16;
    /** Elements a growing output starts with, so a header that lies cannot make the reader allocate what it says up front. */
    private static final int FIRST_ELEMENTS = 1 << 20;
    /**
     * How much the output grows when full: a header that lies makes the reader allocate at most
     * this many times the data really decoded, and a true one costs its output about 1.3 times.
     */
    private static final long GROWTH = 4;

    private Idx() {
    }

    /** Reads an IDX file of any supported type and rank. */
    public static Tensor read(Path path) throws IOException {
        return load(path, null).tensor();
    }

    /** Reads an IDX file, plain or gzip-compressed, from its bytes. */
    public static Tensor read(byte[] bytes) throws TensorFileException {
        try {
            return isGzip(bytes) ? readGzip(new ByteArrayInputStream(bytes), bytes.length, BYTES, null).tensor()
                    : parse(MemorySegment.ofArray(bytes), BYTES, null).tensor();
        } catch (TensorFileException e) {
            throw e;
        } catch (IOException e) {
            throw new TensorFileException(BYTES, null, -1, "cannot decompress: " + e.getMessage(), e);
        }
    }

    /** The images of an idx3 unsigned-byte file as I32 {@code [n, rows, cols]}, each pixel 0 to 255. */
    public static Tensor readImages(Path path) throws IOException {
        return load(path, Want.IMAGES).tensor();
    }

    /**
     * The images of an idx3 unsigned-byte file as F32 {@code [n, rows, cols]}, each pixel divided
     * by 255 (decoded straight to floats, without an integer copy).
     */
    public static Tensor readImagesScaled(Path path) throws IOException {
        return load(path, Want.SCALED_IMAGES).tensor();
    }

    /** The labels of an idx1 unsigned-byte file as I32 {@code [n]}. */
    public static Tensor readLabels(Path path) throws IOException {
        return load(path, Want.LABELS).tensor();
    }

    /** Pixels 0..255 (I32, any layout) to floats in [0, 1] (F32). */
    public static Tensor scale(Tensor pixels) {
        Tensor c = pixels.contiguous();
        int[] in = TensorInternals.i32(c);
        int off = c.offset();
        float[] out = new float[c.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = in[off + i] / 255f;
        }
        return TensorInternals.wrap(DType.F32, c.shape(), out);
    }

    /** What a typed reader requires of the file and how it loads it; null: any type and rank, as stored. */
    private enum Want {
        IMAGES(3, "idx3 images", false),
        SCALED_IMAGES(3, "idx3 images", true),
        LABELS(1, "idx1 labels", false);

        final int rank;
        final String what;
        final boolean scaled;

        Want(int rank, String what, boolean scaled) {
            this.rank = rank;
            this.what = what;
            this.scaled = scaled;
        }
    }

    /** A tensor and the element type it was stored as. */
    private record Loaded(Element element, Tensor tensor) {
    }

    private static Loaded load(Path path, Want want) throws IOException {
        RegularFiles.require(path);
        try (InputStream probe = Files.newInputStream(path)) {
            if (isGzip(probe.readNBytes(2))) {
                try (InputStream in = Files.newInputStream(path)) {
                    return readGzip(in, Files.size(path), path.toString(), want);
                }
            }
        }
        try (MappedFile f = MappedFile.open(path, false)) {
            return parse(f.segment(), path.toString(), want);
        }
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

    /**
     * Fails when {@code want} asks for a type or rank the header does not have, or the loaded
     * tensor would need more memory than the heap can give; both before any data is decoded.
     */
    private static void check(Header h, Want want, String source) throws TensorFileException {
        if (want != null && (h.shape().rank() != want.rank || h.element() != Element.U8)) {
            throw new TensorFileException(source, null, -1, "expected " + want.what + " (" + want.rank
                    + " dimension(s) of unsigned bytes), got " + h.element() + " " + h.shape());
        }
        HeapLimit.require(source, "the " + h.shape() + " elements", (double) h.shape().size()
                * dtype(h, want).byteSize());
    }

    private static DType dtype(Header h, Want want) {
        return want != null && want.scaled ? DType.F32 : h.element().target();
    }

    private static Loaded parse(MemorySegment seg, String source, Want want) throws TensorFileException {
        Header h = header(seg, source);
        long expected = h.dataBytes();
        long actual = seg.byteSize() - h.dataStart();
        if (actual != expected) {
            throw new TensorFileException(source, null, h.dataStart(), lengthProblem(h, expected, actual));
        }
        check(h, want, source);
        if (want == null || !want.scaled) {
            return new Loaded(h.element(), h.element().decode(seg, h.dataStart(), ByteOrder.BIG_ENDIAN, h.shape(), source,
                    null));
        }
        int n = h.shape().size();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (seg.get(ValueLayout.JAVA_BYTE, h.dataStart() + (long) i) & 0xff) / 255f;
        }
        return new Loaded(h.element(), TensorInternals.wrap(DType.F32, h.shape(), out));
    }

    private static String lengthProblem(Header h, long expected, long actual) {
        String what = "the header says " + h.shape() + " elements of " + h.element().byteSize() + " byte(s), " + expected
                + " bytes of data, ";
        return actual < expected ? "truncated: " + what + "but only " + actual + " follow"
                : what + "but " + actual + " follow (" + (actual - expected) + " trailing)";
    }

    /**
     * Reads a gzip-compressed IDX stream of {@code compressedBytes} bytes. The header's data
     * length must be one the stream can hold ({@value #MAX_INFLATION} bytes a compressed byte at
     * most); the data is then inflated and decoded {@value #CHUNK} bytes at a time into an output
     * that grows with the data actually decoded, so memory follows the real data, never the
     * header's claim.
     */
    private static Loaded readGzip(InputStream raw, long compressedBytes, String source, Want want) throws IOException {
        try (InputStream in = new GZIPInputStream(raw, CHUNK)) {
            byte[] magic = in.readNBytes(4);
            int ndims = magic.length == 4 ? magic[3] & 0xff : 0;
            int headerBytes = 4 + 4 * Math.min(ndims, Shape.MAX_RANK + 1);
            byte[] head = Arrays.copyOf(magic, headerBytes);
            int got = magic.length + in.readNBytes(head, magic.length, headerBytes - magic.length);
            Header h = header(MemorySegment.ofArray(Arrays.copyOf(head, got)), source + " (decompressed)");
            long expected = h.dataBytes();
            if (expected > compressedBytes * MAX_INFLATION) {
                throw new TensorFileException(source, null, -1, "the header says " + h.shape() + " elements, "
                        + expected + " bytes of data, more than a gzip stream of " + compressedBytes
                        + " bytes can hold (at most " + MAX_INFLATION + " bytes a compressed byte)");
            }
            check(h, want, source);
            DType dtype = dtype(h, want);
            int n = h.shape().size();
            int width = h.element().byteSize();
            Object out = Tensor.allocate(dtype, Math.min(n, FIRST_ELEMENTS));
            int capacity = Math.min(n, FIRST_ELEMENTS);
            byte[] chunk = new byte[CHUNK];
            MemorySegment chunkSegment = MemorySegment.ofArray(chunk);
            int done = 0;
            while (done < n) {
                int count = Math.min(CHUNK / width, n - done);
                int read = in.readNBytes(chunk, 0, count * width);
                if (read < count * width) {
                    throw new TensorFileException(source, null, -1, "decompressed data is " + lengthProblem(h, expected,
                            (long) done * width + read));
                }
                if (done + count > capacity) {
                    capacity = (int) Math.min(n, Math.max(done + count, GROWTH * capacity));
                    out = grow(out, capacity);
                }
                if (dtype == DType.F32 && want != null && want.scaled) {
                    float[] f = (float[]) out;
                    for (int i = 0; i < count; i++) {
                        f[done + i] = (chunk[i] & 0xff) / 255f;
                    }
                } else {
                    h.element().decodeInto(chunkSegment, 0, ByteOrder.BIG_ENDIAN, out, done, count, -1, source, null);
                }
                done += count;
            }
            if (in.read() >= 0) {
                throw new TensorFileException(source, null, -1, "decompressed data continues after the " + expected
                        + " bytes the header announces (" + h.shape() + ")");
            }
            return new Loaded(h.element(), TensorInternals.wrap(dtype, h.shape(), out));
        } catch (EOFException e) {
            throw new TensorFileException(source, null, -1, "corrupt gzip stream: it ends before its data does", e);
        } catch (ZipException e) {
            throw new TensorFileException(source, null, -1, "corrupt gzip stream: "
                    + (e.getMessage() != null ? e.getMessage() : "invalid compressed data"), e);
        }
    }

    private static Object grow(Object array, int length) {
        return switch (array) {
            case float[] a -> Arrays.copyOf(a, length);
            case double[] a -> Arrays.copyOf(a, length);
            case int[] a -> Arrays.copyOf(a, length);
            default -> throw new IllegalStateException("not a tensor array: " + array.getClass());
        };
    }
}
