package dev.vecgrad.core.io;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An opened safetensors file whose header has been validated ({@link SafeTensors#read(java.nio.file.Path)}):
 * the tensor names in the header's order, the metadata, and each tensor on demand. A file opened
 * from a path stays mapped until {@link #close()}; {@link #get} copies one tensor onto the heap,
 * so the returned tensors stay valid after closing. {@code get} may be called from several
 * threads, but not concurrently with {@code close}.
 */
public final class SafeTensorsFile implements AutoCloseable {
    /** The byte size of every dtype the format defines; those in {@link #LOADABLE} can be loaded. */
    private static final Map<String, Integer> DTYPE_SIZES = Map.ofEntries(
            Map.entry("BOOL", 1), Map.entry("U8", 1), Map.entry("I8", 1), Map.entry("F8_E5M2", 1),
            Map.entry("F8_E4M3", 1), Map.entry("I16", 2), Map.entry("U16", 2), Map.entry("F16", 2),
            Map.entry("BF16", 2), Map.entry("I32", 4), Map.entry("U32", 4), Map.entry("F32", 4),
            Map.entry("F64", 8), Map.entry("I64", 8), Map.entry("U64", 8), Map.entry("C64", 8));
    private static final Map<String, Element> LOADABLE = Map.ofEntries(
            Map.entry("F32", Element.F32), Map.entry("F64", Element.F64), Map.entry("I32", Element.I32),
            Map.entry("F16", Element.F16), Map.entry("BF16", Element.BF16), Map.entry("I64", Element.I64),
            Map.entry("I16", Element.I16), Map.entry("U16", Element.U16), Map.entry("I8", Element.I8),
            Map.entry("U8", Element.U8), Map.entry("BOOL", Element.BOOL));
    private static final Set<String> ENTRY_KEYS = Set.of("dtype", "shape", "data_offsets");

    /**
     * Where one tensor lies: its name, safetensors dtype name ({@code "F32"}, {@code "BF16"}, ...),
     * shape, and byte range {@code [begin, end)} relative to the start of the byte buffer.
     */
    public record TensorInfo(String name, String dtype, List<Long> shape, long begin, long end) {
        /** The number of elements, the product of the shape (checked not to overflow when the header was read). */
        public long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private final String source;
    private final MemorySegment segment;
    private final MappedFile mapping;
    private final long dataStart;
    private final Map<String, TensorInfo> infos;
    private final Map<String, String> metadata;
    private volatile boolean closed;

    private SafeTensorsFile(String source, MemorySegment segment, MappedFile mapping, long dataStart,
            Map<String, TensorInfo> infos, Map<String, String> metadata) {
        this.source = source;
        this.segment = segment;
        this.mapping = mapping;
        this.dataStart = dataStart;
        this.infos = infos;
        this.metadata = metadata;
    }

    /** The file's name, or {@code <bytes>}. */
    public String source() {
        return source;
    }

    /** Tensor names in the header's order. */
    public List<String> names() {
        return List.copyOf(infos.keySet());
    }

    /** The {@code __metadata__} entries in the header's order (empty when there are none). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Where tensor {@code name} lies, without loading it. */
    public TensorInfo info(String name) {
        return requireInfo(name);
    }

    /** Whether the file holds a tensor called {@code name}. */
    public boolean contains(String name) {
        return infos.containsKey(name);
    }

    /**
     * Tensor {@code name}, copied onto the heap.
     *
     * @throws IllegalArgumentException when there is no such tensor
     * @throws TensorFileException when its dtype cannot be loaded (U32, U64, F8, C64), its rank is
     *     more than {@value Shape#MAX_RANK}, it has more elements than a Java array can hold, or an
     *     I64 value does not fit in I32
     */
    public Tensor get(String name) throws TensorFileException {
        TensorInfo info = requireInfo(name);
        if (closed) {
            throw new IllegalStateException(source + " is closed");
        }
        Element element = LOADABLE.get(info.dtype());
        if (element == null) {
            throw new TensorFileException(source, name, -1, "dtype " + info.dtype()
                    + " is not supported (loadable: F32, F64, I32, F16, BF16, I64, I16, U16, I8, U8, BOOL)");
        }
        if (info.shape().size() > Shape.MAX_RANK) {
            throw new TensorFileException(source, name, -1, "rank " + info.shape().size() + " is more than the maximum "
                    + Shape.MAX_RANK);
        }
        long elements = (info.end() - info.begin()) / element.byteSize();
        if (elements > Integer.MAX_VALUE) {
            throw new TensorFileException(source, name, -1, elements + " elements are more than a Java array can hold");
        }
        int[] dims = new int[info.shape().size()];
        for (int i = 0; i < dims.length; i++) {
            // Only an empty tensor can get here with a dimension beyond an int, e.g. [0, 3000000000].
            long d = info.shape().get(i);
            if (d > Integer.MAX_VALUE) {
                throw new TensorFileException(source, name, -1, "dimension " + d + " is larger than " + Integer.MAX_VALUE);
            }
            dims[i] = (int) d;
        }
        return element.decode(segment, dataStart + info.begin(), ByteOrder.LITTLE_ENDIAN, Shape.of(dims), source, name);
    }

    /** Every tensor, in the header's order. */
    public Map<String, Tensor> getAll() throws TensorFileException {
        Map<String, Tensor> all = new LinkedHashMap<>();
        for (String name : infos.keySet()) {
            all.put(name, get(name));
        }
        return all;
    }

    /** Unmaps the file (nothing to do for in-memory bytes). Tensors already loaded stay valid. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (mapping != null) {
                mapping.close();
            }
        }
    }

    private TensorInfo requireInfo(String name) {
        TensorInfo info = infos.get(name);
        if (info == null) {
            List<String> some = infos.keySet().stream().limit(10).map(Messages::quote).toList();
            throw new IllegalArgumentException(Messages.line(source) + " has no tensor '" + Messages.quote(name) + "'; it has "
                    + infos.size() + " tensors" + (some.isEmpty() ? "" : ", such as " + some));
        }
        return info;
    }

    /** The safetensors dtype name an element type is written as. */
    static String dtypeName(Element e) {
        return e.name();
    }

    // ---- validation -------------------------------------------------------------------------

    static SafeTensorsFile parse(MemorySegment seg, String source, MappedFile mapping) throws TensorFileException {
        long size = seg.byteSize();
        if (size < 8) {
            throw new TensorFileException(source, null, -1, "file of " + size
                    + " bytes is shorter than the 8-byte header length");
        }
        long n = seg.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (n < 0 || n > SafeTensors.MAX_HEADER_LENGTH) {
            throw new TensorFileException(source, null, 0, "header length " + Long.toUnsignedString(n)
                    + " is more than the limit of " + SafeTensors.MAX_HEADER_LENGTH + " bytes");
        }
        if (n > size - 8) {
            throw new TensorFileException(source, null, 0, "header length " + n + " runs past the end of the file ("
                    + size + " bytes)");
        }
        byte[] raw = seg.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
        if (n == 0 || raw[0] != '{') {
            throw new TensorFileException(source, null, 8, "the header does not start with '{'");
        }
        requireUtf8(raw, source);
        String text = new String(raw, StandardCharsets.UTF_8);
        raw = null; // the header is held once, as text, while it is parsed
        long bufferStart = 8 + n;
        long bufferLength = size - bufferStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, TensorInfo> infos = new LinkedHashMap<>();
        try {
            // Member by member: each tensor entry is checked as it is read and kept as a TensorInfo,
            // so no tree of the whole header is built and the first bad entry stops the parse.
            Json.parseMembers(text, (int) SafeTensors.MAX_HEADER_LENGTH, SafeTensors.MAX_ENTRY_VALUES, (name, value) -> {
                if (name.equals(SafeTensors.METADATA_KEY)) {
                    metadata.putAll(metadata(value, source));
                } else {
                    infos.put(name, entry(name, value, bufferLength, source));
                }
            });
        } catch (JsonException e) {
            long at = 8 + text.substring(0, Math.min(e.offset(), text.length())).getBytes(StandardCharsets.UTF_8).length;
            throw new TensorFileException(source, null, at, "header JSON: " + e.problem(), e);
        }
        checkCoverage(infos, bufferStart, bufferLength, source);
        return new SafeTensorsFile(source, seg, mapping, bufferStart, Collections.unmodifiableMap(infos),
                Collections.unmodifiableMap(metadata));
    }

    /** Fails unless {@code raw} is valid UTF-8, decoding it through a small buffer rather than into a copy. */
    private static void requireUtf8(byte[] raw, String source) throws TensorFileException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(raw);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (r.isError()) {
                throw new TensorFileException(source, null, 8 + in.position(), "the header is not valid UTF-8");
            }
            if (r.isUnderflow()) {
                break;
            }
            out.clear();
        }
        out.clear();
        if (decoder.flush(out).isError()) {
            throw new TensorFileException(source, null, 8 + raw.length, "the header is not valid UTF-8");
        }
    }

    private static Map<String, String> metadata(Object value, String source) throws TensorFileException {
        if (!(value instanceof Map<?, ?> map)) {
            throw new TensorFileException(source, null, -1, SafeTensors.METADATA_KEY + " is a JSON " + Json.typeName(value)
                    + ", not an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new TensorFileException(source, null, -1, SafeTensors.METADATA_KEY + " entry '" + Messages.quote((String) e.getKey())
                        + "' is a JSON " + Json.typeName(e.getValue()) + ", not a string");
            }
            out.put((String) e.getKey(), s);
        }
        return out;
    }

    private static TensorInfo entry(String name, Object value, long bufferLength, String source) throws TensorFileException {
        if (!(value instanceof Map<?, ?> map)) {
            throw new TensorFileException(source, name, -1, "the entry is a JSON " + Json.typeName(value) + ", not an object");
        }
        for (Object key : map.keySet()) {
            if (!ENTRY_KEYS.contains(key)) {
                throw new TensorFileException(source, name, -1, "unexpected key '" + Messages.quote((String) key)
                        + "' (an entry has exactly dtype, shape and data_offsets)");
            }
        }
        if (!(map.get("dtype") instanceof String dtype)) {
            throw new TensorFileException(source, name, -1, "'dtype' is " + describe(map, "dtype") + ", not a string");
        }
        Integer width = DTYPE_SIZES.get(dtype);
        if (width == null) {
            throw new TensorFileException(source, name, -1, "unknown dtype '" + Messages.quote(dtype) + "'");
        }
        List<Long> shape = integers(map, "shape", name, source);
        List<Long> offsets = integers(map, "data_offsets", name, source);
        if (offsets.size() != 2) {
            throw new TensorFileException(source, name, -1, "'data_offsets' has " + offsets.size()
                    + " integers, not two [begin, end]");
        }
        long begin = offsets.get(0);
        long end = offsets.get(1);
        if (begin > end) {
            throw new TensorFileException(source, name, -1, "'data_offsets' [" + begin + ", " + end + "] ends before it begins");
        }
        if (end > bufferLength) {
            throw new TensorFileException(source, name, -1, "'data_offsets' [" + begin + ", " + end
                    + "] reach past the end of the byte buffer (" + bufferLength + " bytes)");
        }
        long bytes;
        try {
            long elements = 1;
            for (long d : shape) {
                elements = Math.multiplyExact(elements, d);
            }
            bytes = Math.multiplyExact(elements, width);
        } catch (ArithmeticException e) {
            throw new TensorFileException(source, name, -1, "the product of shape " + shape + " overflows");
        }
        if (bytes != end - begin) {
            throw new TensorFileException(source, name, -1, "shape " + shape + " of " + dtype + " needs " + bytes
                    + " bytes, but 'data_offsets' [" + begin + ", " + end + "] span " + (end - begin));
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static List<Long> integers(Map<?, ?> map, String key, String name, String source) throws TensorFileException {
        if (!(map.get(key) instanceof List<?> list)) {
            throw new TensorFileException(source, name, -1, "'" + key + "' is " + describe(map, key)
                    + ", not an array of integers");
        }
        List<Long> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof Long v) || v < 0) {
                throw new TensorFileException(source, name, -1, "'" + key + "' holds " + Messages.quote(String.valueOf(o))
                        + ", not a non-negative integer");
            }
            out.add(v);
        }
        return List.copyOf(out);
    }

    private static String describe(Map<?, ?> map, String key) {
        return map.containsKey(key) ? "a JSON " + Json.typeName(map.get(key)) : "missing";
    }

    /** The ranges, sorted, must tile the buffer exactly: no overlap, no hole, nothing left over. */
    private static void checkCoverage(Map<String, TensorInfo> infos, long bufferStart, long bufferLength, String source)
            throws TensorFileException {
        List<TensorInfo> sorted = new ArrayList<>(infos.values());
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long covered = 0;
        TensorInfo previous = null;
        for (TensorInfo t : sorted) {
            if (t.begin() < covered) {
                throw new TensorFileException(source, t.name(), bufferStart + t.begin(), "bytes [" + t.begin() + ", "
                        + t.end() + ") overlap tensor '" + previous.name() + "' [" + previous.begin() + ", "
                        + previous.end() + ")");
            }
            if (t.begin() > covered) {
                throw new TensorFileException(source, t.name(), bufferStart + covered, "bytes [" + covered + ", "
                        + t.begin() + ") of the byte buffer before this tensor belong to no tensor");
            }
            covered = t.end();
            previous = t;
        }
        if (covered != bufferLength) {
            throw new TensorFileException(source, null, bufferStart + covered, "bytes [" + covered + ", " + bufferLength
                    + ") at the end of the byte buffer belong to no tensor");
        }
    }
}
