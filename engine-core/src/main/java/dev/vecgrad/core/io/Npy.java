package dev.vecgrad.core.io;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * NumPy's {@code .npy} format: one array per file.
 *
 * <p>Layout: the magic {@code \x93NUMPY}, a major and minor version byte, the header length
 * (2 bytes little-endian for version 1.0, 4 bytes for 2.0 and 3.0), the header (a Python dict
 * literal such as {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }} padded
 * with spaces and a newline), then the elements in C order.
 *
 * <p>Reading accepts versions 1.0, 2.0 and 3.0, either byte order, and the dtypes
 * {@code f4 f8 i4} (loaded as F32, F64, I32), {@code f2} (widened to F32), {@code i8} (narrowed
 * to I32 when every value fits), {@code i2 u2 i1 u1 b1} (widened to I32). Fortran order (for rank
 * 2 and more), object arrays (which would need unpickling: loading never runs code), structured
 * and other dtypes, a header longer than {@value #MAX_HEADER_LENGTH} bytes, and any mismatch
 * between the header and the file's length are a {@link TensorFileException}.
 *
 * <p>Writing produces exactly what {@code numpy.save} writes: version 1.0, little-endian
 * {@code <f4}, {@code <f8} or {@code <i4}, the header padded so that the data starts at a
 * multiple of 64 bytes; files are written atomically ({@link AtomicFiles}).
 *
 * <pre>{@code
 * Npy.write(Path.of("w.npy"), Tensor.arange(0, 6, 1, DType.F32).reshape(2, 3));
 * Tensor t = Npy.read(Path.of("w.npy"));   // np.load("w.npy") gives the same array
 * }</pre>
 */
public final class Npy {
    /** The longest header accepted, in bytes; NumPy's own writer never comes near it. */
    public static final int MAX_HEADER_LENGTH = 1 << 20;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    private static final String BYTES = "<bytes>";

    private Npy() {
    }

    /** Reads the array in {@code path}; the file is mapped, and only the array is copied onto the heap. */
    public static Tensor read(Path path) throws IOException {
        try (MappedFile f = MappedFile.open(path, false)) {
            return parse(f.segment(), path.toString());
        }
    }

    /** Reads an array from the bytes of a {@code .npy} file. */
    public static Tensor read(byte[] bytes) throws TensorFileException {
        return parse(MemorySegment.ofArray(bytes), BYTES);
    }

    /** Writes {@code t} (any layout) to {@code path} atomically, as {@code numpy.save} would. */
    public static void write(Path path, Tensor t) throws IOException {
        AtomicFiles.write(path, out -> writeTo(t, out));
    }

    /** The bytes of a {@code .npy} file holding {@code t}. */
    public static byte[] toBytes(Tensor t) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(t, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    private static void writeTo(Tensor t, OutputStream out) throws IOException {
        String descr = switch (t.dtype()) {
            case F32 -> "<f4";
            case F64 -> "<f8";
            case I32 -> "<i4";
        };
        StringBuilder dims = new StringBuilder("(");
        for (int i = 0; i < t.rank(); i++) {
            dims.append(i > 0 ? ", " : "").append(t.shape().dim(i));
        }
        dims.append(t.rank() == 1 ? ",)" : ")");
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + dims + ", }";
        // As numpy.lib.format: pad with 1 to 64 spaces and a newline so that the data is 64-byte aligned.
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = ALIGN - unpadded % ALIGN;
        byte[] header = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        out.write(MAGIC);
        out.write(new byte[] {1, 0, (byte) header.length, (byte) (header.length >>> 8)});
        out.write(header);
        Element.writeLittleEndian(t, out);
    }

    // ---- reading ------------------------------------------------------------------------------

    static Tensor parse(MemorySegment seg, String source) throws TensorFileException {
        long size = seg.byteSize();
        if (size < 10) {
            throw new TensorFileException(source, null, -1, "file of " + size
                    + " bytes is too short for a .npy preamble (at least 10 bytes)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (seg.get(ValueLayout.JAVA_BYTE, i) != MAGIC[i]) {
                throw new TensorFileException(source, null, i, "not a .npy file: the magic bytes are not \\x93NUMPY");
            }
        }
        int major = seg.get(ValueLayout.JAVA_BYTE, 6) & 0xff;
        int minor = seg.get(ValueLayout.JAVA_BYTE, 7) & 0xff;
        long headerLength;
        int headerStart;
        if (major == 1 && minor == 0) {
            headerLength = seg.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8) & 0xffff;
            headerStart = 10;
        } else if ((major == 2 || major == 3) && minor == 0) {
            if (size < 12) {
                throw new TensorFileException(source, null, -1, "file of " + size
                        + " bytes is too short for a version " + major + ".0 preamble (12 bytes)");
            }
            headerLength = seg.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw new TensorFileException(source, null, 6, "unsupported .npy version " + major + "." + minor
                    + " (supported: 1.0, 2.0, 3.0)");
        }
        if (headerLength > MAX_HEADER_LENGTH) {
            throw new TensorFileException(source, null, 8, "header length " + headerLength + " is more than the limit of "
                    + MAX_HEADER_LENGTH + " bytes");
        }
        long dataStart = headerStart + headerLength;
        if (dataStart > size) {
            throw new TensorFileException(source, null, 8, "header length " + headerLength
                    + " runs past the end of the file (" + size + " bytes)");
        }
        byte[] raw = seg.asSlice(headerStart, headerLength).toArray(ValueLayout.JAVA_BYTE);
        String text = decodeHeader(raw, major, source, headerStart);
        Header h = new HeaderParser(text, source, headerStart).parse();
        long expected = Math.multiplyExact((long) h.shape.size(), h.element.byteSize());
        long actual = size - dataStart;
        if (actual < expected) {
            throw new TensorFileException(source, null, dataStart, "truncated: shape " + h.shape + " of " + h.descr
                    + " needs " + expected + " bytes of data, the file has " + actual);
        }
        if (actual > expected) {
            throw new TensorFileException(source, null, dataStart + expected, (actual - expected)
                    + " bytes of trailing data after the array of shape " + h.shape + " (" + expected + " bytes)");
        }
        return h.element.decode(seg, dataStart, h.order, h.shape, source, null);
    }

    private static String decodeHeader(byte[] raw, int major, String source, long at) throws TensorFileException {
        if (major < 3) {
            return new String(raw, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new TensorFileException(source, null, at, "the version 3.0 header is not valid UTF-8");
        }
    }

    private record Header(String descr, Element element, ByteOrder order, Shape shape) {
    }

    /**
     * A parser for the one Python literal NumPy writes: a dict with the keys {@code descr},
     * {@code fortran_order} and {@code shape}, whose values are a string, {@code True}/{@code False}
     * and a tuple of integers. Nothing is evaluated.
     */
    private static final class HeaderParser {
        private final String s;
        private final String source;
        private final long base;
        private int pos;

        HeaderParser(String s, String source, long base) {
            this.s = s;
            this.source = source;
            this.base = base;
        }

        Header parse() throws TensorFileException {
            String descr = null;
            Boolean fortran = null;
            long[] dims = null;
            skipSpace();
            expect('{');
            skipSpace();
            while (peek() != '}') {
                int keyAt = pos;
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                switch (key) {
                    case "descr" -> {
                        if (descr != null) {
                            throw error(keyAt, "key 'descr' appears twice");
                        }
                        if (peek() != '\'' && peek() != '"') {
                            throw error(pos, "'descr' is not a simple dtype string; structured arrays are not supported");
                        }
                        descr = string();
                    }
                    case "fortran_order" -> {
                        if (fortran != null) {
                            throw error(keyAt, "key 'fortran_order' appears twice");
                        }
                        fortran = bool();
                    }
                    case "shape" -> {
                        if (dims != null) {
                            throw error(keyAt, "key 'shape' appears twice");
                        }
                        dims = tuple();
                    }
                    default -> throw error(keyAt, "unexpected key '" + Messages.quote(key) + "' (expected descr, fortran_order, shape)");
                }
                skipSpace();
                if (peek() == ',') {
                    pos++;
                    skipSpace();
                } else if (peek() != '}') {
                    throw error(pos, "expected ',' or '}' in the header dict, got " + describe(pos));
                }
            }
            pos++;
            skipSpace();
            if (pos < s.length()) {
                throw error(pos, "unexpected " + describe(pos) + " after the header dict");
            }
            if (descr == null || fortran == null || dims == null) {
                throw error(0, "the header dict lacks " + (descr == null ? "'descr'" : fortran == null ? "'fortran_order'" : "'shape'"));
            }
            Shape shape = shape(dims);
            if (fortran && shape.rank() > 1) {
                throw error(0, "Fortran-order arrays are not supported; save np.ascontiguousarray(a) instead");
            }
            return dtype(descr, shape);
        }

        private Header dtype(String descr, Shape shape) throws TensorFileException {
            if (descr.length() < 2) {
                throw error(0, "dtype '" + descr + "' is not understood");
            }
            char orderChar = descr.charAt(0);
            String code = descr.substring(1);
            if (code.equals("O")) {
                throw error(0, "object arrays ('" + descr + "') are not supported: loading them would mean unpickling,"
                        + " and loading never runs code");
            }
            Element e = switch (code) {
                case "f4" -> Element.F32;
                case "f8" -> Element.F64;
                case "i4" -> Element.I32;
                case "f2" -> Element.F16;
                case "i8" -> Element.I64;
                case "i2" -> Element.I16;
                case "u2" -> Element.U16;
                case "i1" -> Element.I8;
                case "u1" -> Element.U8;
                case "b1" -> Element.BOOL;
                default -> null;
            };
            if (e == null) {
                throw error(0, "dtype '" + descr + "' is not supported (supported: f4, f8, i4, and f2, i8, i2, u2, i1, u1, b1"
                        + " converted to float32 or int32)");
            }
            ByteOrder order = switch (orderChar) {
                case '<' -> ByteOrder.LITTLE_ENDIAN;
                case '>' -> ByteOrder.BIG_ENDIAN;
                case '|' -> {
                    if (e.byteSize() != 1) {
                        throw error(0, "dtype '" + descr + "' has no byte order ('|' is only for one-byte types)");
                    }
                    yield ByteOrder.LITTLE_ENDIAN;
                }
                default -> throw error(0, "dtype '" + descr + "' has an unknown byte order '" + orderChar
                        + "' (expected '<', '>' or '|')");
            };
            return new Header(descr, e, order, shape);
        }

        private Shape shape(long[] dims) throws TensorFileException {
            if (dims.length > Shape.MAX_RANK) {
                throw error(0, "rank " + dims.length + " is more than the maximum " + Shape.MAX_RANK);
            }
            int[] out = new int[dims.length];
            long n = 1;
            for (int i = 0; i < dims.length; i++) {
                if (dims[i] > Integer.MAX_VALUE) {
                    throw error(0, "dimension " + dims[i] + " is larger than " + Integer.MAX_VALUE);
                }
                out[i] = (int) dims[i];
                n *= dims[i];
                if (n > Integer.MAX_VALUE) {
                    throw error(0, "shape " + java.util.Arrays.toString(dims) + " has more than " + Integer.MAX_VALUE
                            + " elements");
                }
            }
            return Shape.of(out);
        }

        private String string() throws TensorFileException {
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw error(pos, "expected a quoted string, got " + describe(pos));
            }
            int start = ++pos;
            while (pos < s.length() && s.charAt(pos) != quote) {
                char c = s.charAt(pos);
                if (c == '\\' || c < 0x20) {
                    throw error(pos, "unexpected " + describe(pos) + " in a string");
                }
                pos++;
            }
            if (pos >= s.length()) {
                throw error(start - 1, "unterminated string");
            }
            return s.substring(start, pos++);
        }

        private boolean bool() throws TensorFileException {
            if (s.startsWith("True", pos)) {
                pos += 4;
                return true;
            }
            if (s.startsWith("False", pos)) {
                pos += 5;
                return false;
            }
            throw error(pos, "expected True or False, got " + describe(pos));
        }

        private long[] tuple() throws TensorFileException {
            int start = pos;
            expect('(');
            long[] dims = new long[Shape.MAX_RANK + 1];
            int n = 0;
            boolean trailingComma = false;
            skipSpace();
            while (peek() != ')') {
                if (n == dims.length) {
                    throw error(pos, "shape has more than " + Shape.MAX_RANK + " dimensions (the maximum rank)");
                }
                dims[n++] = integer();
                skipSpace();
                trailingComma = false;
                if (peek() == ',') {
                    pos++;
                    trailingComma = true;
                    skipSpace();
                } else if (peek() != ')') {
                    throw error(pos, "expected ',' or ')' in the shape, got " + describe(pos));
                }
            }
            pos++;
            if (n == 1 && !trailingComma) {
                throw error(start, "shape " + s.substring(start, pos) + " is not a tuple");
            }
            return java.util.Arrays.copyOf(dims, n);
        }

        private long integer() throws TensorFileException {
            int start = pos;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                pos++;
            }
            if (pos == start) {
                throw error(pos, "expected a non-negative integer in the shape, got " + describe(pos));
            }
            if (pos - start > 18) {
                throw error(start, "dimension " + s.substring(start, Math.min(pos, start + 30)) + " is too large");
            }
            long v = Long.parseLong(s, start, pos, 10);
            if (peek() == 'L') {
                pos++; // NumPy under Python 2 wrote long integers as 3L
            }
            return v;
        }

        private void expect(char c) throws TensorFileException {
            if (peek() != c) {
                throw error(pos, "expected '" + c + "', got " + describe(pos));
            }
            pos++;
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private void skipSpace() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\n' || s.charAt(pos) == '\t'
                    || s.charAt(pos) == '\r')) {
                pos++;
            }
        }

        private String describe(int at) {
            if (at >= s.length()) {
                return "the end of the header";
            }
            char c = s.charAt(at);
            return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
        }

        private TensorFileException error(int at, String problem) {
            return new TensorFileException(source, null, base + at, "header: " + problem);
        }
    }
}
