package dev.vecgrad.core.io;

import dev.vecgrad.core.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The safetensors format (Hugging Face): named tensors and string metadata in one file, with no
 * code in it.
 *
 * <p>Layout: an 8-byte little-endian unsigned header length {@code N}; {@code N} bytes of UTF-8
 * JSON, an object mapping each tensor name to {@code {"dtype": "F32", "shape": [2, 3],
 * "data_offsets": [begin, end]}} plus an optional {@code "__metadata__"} object of strings
 * (padded with spaces so the data starts 8-byte aligned); then the byte buffer, in which each
 * tensor occupies {@code [begin, end)} (relative to the buffer's start), little-endian, C order.
 *
 * <p>Writing stores F32, F64 and I32 tensors in the map's order, atomically
 * ({@link AtomicFiles}). Reading accepts F32, F64, I32, F16 and BF16 (widened to F32), and
 * I64 (narrowed to I32 when every value fits), I16, U16, I8, U8, BOOL (widened to I32); it maps
 * the file and copies a tensor onto the heap only when {@link SafeTensorsFile#get} asks for it.
 * What reading validates, each failure a {@link TensorFileException} naming the file, the tensor
 * and the problem, is listed on {@link #read(Path)}.
 *
 * <pre>{@code
 * Map<String, Tensor> weights = new LinkedHashMap<>();
 * weights.put("dense/kernel", kernel);
 * SafeTensors.write(path, weights, Map.of("format", "vecgrad"));
 * try (SafeTensorsFile f = SafeTensors.read(path)) {
 *     Tensor k = f.get("dense/kernel");
 * }
 * }</pre>
 */
public final class SafeTensors {
    /** The largest JSON header accepted, in bytes (the limit of the reference implementation). */
    public static final long MAX_HEADER_LENGTH = 100_000_000L;
    /**
     * The most JSON values one header entry may hold, counting the entry itself and everything
     * nested in it: a tensor entry holds its rank plus six, {@code __metadata__} one a string plus
     * one. The header is parsed one entry at a time, so this bounds what any entry's parse costs.
     */
    public static final int MAX_ENTRY_VALUES = 4096;
    /** The reserved key of the metadata object in the header. */
    public static final String METADATA_KEY = "__metadata__";

    private SafeTensors() {
    }

    /**
     * Opens a safetensors file: maps it and validates the whole header. Close the result to unmap.
     *
     * <p>Validated: the file holds the 8-byte length; the header length is at most
     * {@value #MAX_HEADER_LENGTH} bytes and lies inside the file; the header is UTF-8 strict JSON
     * ({@link Json}: no duplicate names, bounded nesting) starting with an opening brace; each entry
     * holds at most {@value #MAX_ENTRY_VALUES} JSON values; metadata is an object of strings; each tensor entry has exactly {@code dtype} (a safetensors dtype),
     * {@code shape} (non-negative integers whose product does not overflow) and
     * {@code data_offsets} (two integers, begin at most end); the byte length matches shape times
     * the dtype's size; the ranges lie inside the byte buffer, do not overlap, and cover it with no
     * holes. A tensor whose dtype or size this engine cannot hold is reported by
     * {@link SafeTensorsFile#get}.
     */
    public static SafeTensorsFile read(Path path) throws IOException {
        MappedFile f = MappedFile.open(path, true);
        try {
            return SafeTensorsFile.parse(f.segment(), path.toString(), f);
        } catch (IOException | RuntimeException | Error e) {
            f.close();
            throw e;
        }
    }

    /** Opens safetensors bytes held in memory, validated as {@link #read(Path)}. */
    public static SafeTensorsFile read(byte[] bytes) throws TensorFileException {
        return SafeTensorsFile.parse(MemorySegment.ofArray(bytes), "<bytes>", null);
    }

    /** Every tensor of the file at {@code path}, in the header's order. */
    public static Map<String, Tensor> readAll(Path path) throws IOException {
        try (SafeTensorsFile f = read(path)) {
            return f.getAll();
        }
    }

    /**
     * Writes {@code tensors} (F32, F64 or I32, any layout, in the map's iteration order: use a
     * {@link LinkedHashMap}) and {@code metadata} (may be null) to {@code path}, atomically.
     *
     * @throws IllegalArgumentException for a null or reserved name ({@value #METADATA_KEY}) or null metadata
     */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Plan plan = plan(tensors, metadata);
        AtomicFiles.write(path, plan::writeTo);
    }

    /** The bytes of a safetensors file holding {@code tensors} and {@code metadata}, as {@link #write}. */
    public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Plan plan = plan(tensors, metadata);
        if (plan.totalBytes() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("SafeTensors.toBytes: " + plan.totalBytes()
                    + " bytes do not fit in a byte array; write to a file instead");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) plan.totalBytes());
        try {
            plan.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    /** The header (already padded) and the tensors to write after it. */
    private record Plan(byte[] header, List<Tensor> tensors, long dataBytes) {
        long totalBytes() {
            return 8L + header.length + dataBytes;
        }

        void writeTo(OutputStream out) throws IOException {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            out.write(header);
            for (Tensor t : tensors) {
                Element.writeLittleEndian(t, out);
            }
        }
    }

    private static Plan plan(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            Map<String, Object> meta = new LinkedHashMap<>();
            metadata.forEach((k, v) -> {
                if (k == null || v == null) {
                    throw new IllegalArgumentException("SafeTensors.write: metadata keys and values must not be null: "
                            + k + " = " + v);
                }
                meta.put(k, v);
            });
            header.put(METADATA_KEY, meta);
        }
        List<Tensor> order = new ArrayList<>(tensors.size());
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            Tensor t = Objects.requireNonNull(e.getValue(), () -> "SafeTensors.write: tensor '" + name + "' is null");
            if (name == null || name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("SafeTensors.write: '" + name + "' cannot name a tensor");
            }
            long bytes = (long) t.size() * t.dtype().byteSize();
            List<Object> shape = new ArrayList<>(t.rank());
            for (int d : t.shape().toArray()) {
                shape.add((long) d);
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", SafeTensorsFile.dtypeName(Element.of(t.dtype())));
            entry.put("shape", shape);
            entry.put("data_offsets", List.of(offset, offset + bytes));
            header.put(name, entry);
            order.add(t);
            offset += bytes;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        // Pad with spaces (allowed by the format) so that the byte buffer starts 8-byte aligned.
        int padded = (json.length + 7) & ~7;
        byte[] headerBytes = java.util.Arrays.copyOf(json, padded);
        java.util.Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
        return new Plan(headerBytes, order, offset);
    }
}
