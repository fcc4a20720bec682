package dev.vecgrad.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    /** fixtures/safetensors/mixed.safetensors, written with struct and json by make_safetensors_fixture.py. */
    @Test
    void readsTheFixtureWrittenFromTheSpecification() throws IOException {
        try (SafeTensorsFile f = SafeTensors.read(Fixtures.path("safetensors/mixed.safetensors"))) {
            assertThat(f.names()).containsExactly("weight", "bias", "ids", "half", "brain", "empty", "scalar");
            assertThat(f.metadata()).containsExactly(Map.entry("format", "pt"),
                    Map.entry("note", "caf\u00e9 \u2713 written by struct"));

            Tensor w = f.get("weight");
            assertThat(w.dtype()).isEqualTo(DType.F32);
            assertThat(w.shape()).isEqualTo(Shape.of(2, 3));
            assertThat(w.toFloatArray()).containsExactly(-1f, -0.5f, 0f, 0.5f, 1f, 1.5f);

            Tensor b = f.get("bias");
            assertThat(b.dtype()).isEqualTo(DType.F64);
            assertThat(TensorInternals.f64(b)).containsExactly(0.0, 1 / 3.0, 2 / 3.0);

            assertThat(TensorInternals.i32(f.get("ids"))).containsExactly(-2, 0, 7, Integer.MAX_VALUE);

            Tensor h = f.get("half");
            assertThat(h.dtype()).isEqualTo(DType.F32);
            assertThat(h.shape()).isEqualTo(Shape.of(2, 2));
            assertThat(h.toFloatArray()).containsExactly(1f, -2.5f, (float) Math.pow(2, -14), 65504f);

            Tensor bf = f.get("brain");
            assertThat(bf.dtype()).isEqualTo(DType.F32);
            assertThat(bf.toFloatArray()).containsExactly(1f, -3.5f, 0.15625f, (float) (1.5 * Math.pow(2, 100)));

            assertThat(f.get("empty").shape()).isEqualTo(Shape.of(0, 4));
            Tensor s = f.get("scalar");
            assertThat(s.shape()).isEqualTo(Shape.SCALAR);
            assertThat(s.item()).isEqualTo(42.0);

            assertThat(f.info("ids")).isEqualTo(new SafeTensorsFile.TensorInfo("ids", "I32", List.of(4L), 0, 16));
        }
    }

    @Test
    void roundTripsInOrderWithMetadataThroughAFile() throws IOException {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("z/last-name-first", Tensor.of(new float[] {1.5f, -2f, Float.MIN_VALUE, Float.NaN}, 2, 2));
        in.put("a.f64", Tensor.of(new double[] {Math.PI, -0.0, Double.MAX_VALUE}));
        in.put("m.i32", Tensor.of(new int[] {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE, 42}, 1, 2, 3));
        in.put("view", Tensor.arange(0, 12, 1, DType.F32).reshape(3, 4).transpose()); // non-contiguous
        in.put("scalar", Tensor.scalar(7));
        in.put("empty", Tensor.zeros(DType.F64, 0, 5));
        in.put("caf\u00e9 \uD83D\uDE00", Tensor.ones(1));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "vecgrad");
        meta.put("quote\"and\\slash", "line\nbreak");
        Path p = dir.resolve("model.safetensors");
        SafeTensors.write(p, in, meta);

        byte[] raw = Files.readAllBytes(p);
        long n = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat((8 + n) % 8).as("byte buffer aligned").isZero();
        Map<String, Object> header = Json.parseObject(new String(raw, 8, (int) n, StandardCharsets.UTF_8).strip());
        assertThat(header.keySet()).first().isEqualTo("__metadata__");

        try (SafeTensorsFile f = SafeTensors.read(p)) {
            assertThat(f.names()).containsExactlyElementsOf(in.keySet());
            assertThat(f.metadata()).isEqualTo(meta);
            for (Map.Entry<String, Tensor> e : in.entrySet()) {
                Tensor back = f.get(e.getKey());
                assertThat(back.dtype()).isEqualTo(e.getValue().dtype());
                assertThat(back.shape()).isEqualTo(e.getValue().shape());
                assertThat(back.toDoubleArray()).containsExactly(e.getValue().toDoubleArray());
            }
        }
        assertThat(SafeTensors.readAll(p).keySet()).containsExactlyElementsOf(in.keySet());
        assertThat(SafeTensors.read(SafeTensors.toBytes(in, meta)).get("view").toFloatArray())
                .containsExactly(0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
    }

    @Test
    void opensALargeFileWithoutCopyingItOntoTheHeap() throws IOException {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("big", Tensor.zeros(8 << 20)); // 32 MB of F32
        in.put("small", Tensor.of(new float[] {1, 2, 3}));
        Path p = dir.resolve("large.safetensors");
        SafeTensors.write(p, in, null);
        assertThat(Files.size(p)).isGreaterThan(32L << 20);
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        try (SafeTensorsFile f = SafeTensors.read(p)) {
            assertThat(f.get("small").toFloatArray()).containsExactly(1, 2, 3);
            assertThat(f.info("big").end()).isEqualTo(32L << 20);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated to open the file and load the small tensor").isLessThan(1L << 20);
    }

    @Test
    void tensorsOutliveTheMappingButTheFileDoesNotOutliveClose() throws IOException {
        Path p = dir.resolve("t.safetensors");
        SafeTensors.write(p, Map.of("x", Tensor.of(new float[] {1, 2, 3})), null);
        Tensor x;
        SafeTensorsFile f = SafeTensors.read(p);
        x = f.get("x");
        f.close();
        assertThat(x.toFloatArray()).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> f.get("x")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> SafeTensors.read(SafeTensors.toBytes(Map.of("x", Tensor.ones(1)), null)).get("y"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no tensor 'y'").hasMessageContaining("[x]");
    }

    @Test
    void writerRejectsReservedAndNullNames() {
        assertThatThrownBy(() -> SafeTensors.toBytes(Map.of("__metadata__", Tensor.ones(1)), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'__metadata__' cannot name a tensor");
        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("k", null);
        assertThatThrownBy(() -> SafeTensors.toBytes(Map.of("x", Tensor.ones(1)), nullValue))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be null");
    }

    // ---- validation: each case builds a file by hand from a header text and a buffer ---------

    private static final String X = "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    @Test
    void acceptsAHandBuiltFile() throws IOException {
        try (SafeTensorsFile f = SafeTensors.read(file(X + "}", 8))) {
            assertThat(f.get("x").toFloatArray()).containsExactly(0f, 0f);
            assertThat(f.metadata()).isEmpty();
        }
        // Trailing spaces padding the header are allowed by the format.
        assertThat(SafeTensors.read(file(X + "}     ", 8)).names()).containsExactly("x");
    }

    @Test
    void rejectsBadHeaderLengths() {
        assertBad(new byte[7], null, "file of 7 bytes is shorter than the 8-byte header length");
        assertBad(lengthOnly(-1L), null, "header length 18446744073709551615 is more than the limit of 100000000 bytes");
        assertBad(lengthOnly(100_000_001L), null, "header length 100000001 is more than the limit");
        assertBad(lengthOnly(50), null, "header length 50 runs past the end of the file (8 bytes)");
        assertBad(lengthOnly(0), null, "does not start with '{'");
        assertBad(file(" " + X + "}", 8), null, "does not start with '{'");
    }

    @Test
    void rejectsBadJson() {
        assertBad(file(X + ",}", 8), null, "header JSON: expected a string key");
        assertBad(file(X + ",\"x\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,8]}}", 8), null,
                "duplicate key \"x\"");
        assertBad(file("[1]", 0), null, "does not start with '{'");
        assertBad(file("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}", 0), null, "nesting deeper than the limit");
        byte[] badUtf8 = file("{\"\u00e9\":1}", 0);
        badUtf8[10] = (byte) 0xff;
        assertBad(badUtf8, null, "not valid UTF-8");
        assertBad(file(X + "} x", 8), null, "after the end of the value");
    }

    @Test
    void rejectsBadEntries() {
        assertBad(file("{\"x\":[]}", 0), "x", "the entry is a JSON array, not an object");
        assertBad(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8), "x", "'data_offsets' is missing");
        assertBad(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"extra\":1}}", 8), "x",
                "unexpected key 'extra'");
        assertBad(file("{\"x\":{\"dtype\":\"F31\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "x", "unknown dtype 'F31'");
        assertBad(file("{\"x\":{\"dtype\":4,\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "x", "'dtype' is a JSON integer");
        assertBad(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8), "x", "holds -2");
        assertBad(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", 8), "x", "holds 2.0");
        assertBad(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,9]}}", 8), "x", "3 integers, not two");
        assertBad(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8), "x", "ends before it begins");
        assertBad(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 7), "x",
                "reach past the end of the byte buffer (7 bytes)");
        assertBad(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), "x",
                "shape [3] of F32 needs 12 bytes, but 'data_offsets' [0, 8] span 8");
        assertBad(file("{\"x\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", 8), "x",
                "the product of shape [4294967296, 4294967296] overflows");
        assertBad(file("{\"x\":{\"dtype\":\"F64\",\"shape\":[2305843009213693952],\"data_offsets\":[0,8]}}", 8), "x",
                "overflows"); // 2^61 elements of 8 bytes
        assertBad(file("{\"__metadata__\":{\"a\":1}}", 0), null, "entry 'a' is a JSON integer, not a string");
        assertBad(file("{\"__metadata__\":[]}", 0), null, "__metadata__ is a JSON array");
    }

    @Test
    void rejectsOverlapsHolesAndLeftovers() {
        String two = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[%d,%d]},"
                + "\"b\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[%d,%d]}}";
        assertBad(file(two.formatted(0, 8, 4, 8), 8), "b", "overlap tensor 'a' [0, 8)");
        assertBad(file(two.formatted(0, 8, 0, 4), 8), "a", "overlap tensor 'b' [0, 4)");
        assertBad(file(two.formatted(0, 8, 12, 16), 16), "b", "bytes [8, 12) of the byte buffer before this tensor belong to no tensor");
        assertBad(file(two.formatted(4, 12, 12, 16), 16), "a", "bytes [0, 4)");
        assertBad(file(two.formatted(0, 8, 8, 12), 20), null, "bytes [12, 20) at the end of the byte buffer belong to no tensor");
        assertBad(file("{}", 1), null, "bytes [0, 1) at the end");
    }

    @Test
    void getReportsWhatCannotBeLoaded() throws IOException {
        SafeTensorsFile u32 = SafeTensors.read(file("{\"u\":{\"dtype\":\"U32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4));
        assertThatThrownBy(() -> u32.get("u")).isInstanceOf(TensorFileException.class)
                .hasMessageContaining("tensor 'u'").hasMessageContaining("dtype U32 is not supported");
        SafeTensorsFile deep = SafeTensors.read(file("{\"d\":{\"dtype\":\"U8\",\"shape\":[1,1,1,1,1,1,1,1,1],"
                + "\"data_offsets\":[0,1]}}", 1));
        assertThatThrownBy(() -> deep.get("d")).isInstanceOf(TensorFileException.class).hasMessageContaining("rank 9");
        byte[] big = file("{\"i\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}", 16);
        ByteBuffer.wrap(big).order(ByteOrder.LITTLE_ENDIAN).putLong(big.length - 16, 5).putLong(big.length - 8, 1L << 31);
        assertThatThrownBy(() -> SafeTensors.read(big).get("i")).isInstanceOf(TensorFileException.class)
                .hasMessageContaining("tensor 'i'").hasMessageContaining("2147483648 at element 1 does not fit in int32");
        byte[] small = file("{\"b\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[0,3]},"
                + "\"u\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[3,4]},"
                + "\"h\":{\"dtype\":\"I16\",\"shape\":[1],\"data_offsets\":[4,6]}}", 6);
        int buf = small.length - 6;
        small[buf] = 0;
        small[buf + 1] = 1;
        small[buf + 2] = 5;
        small[buf + 3] = (byte) 200;
        small[buf + 4] = (byte) 0xfe;
        small[buf + 5] = (byte) 0xff;
        SafeTensorsFile f = SafeTensors.read(small);
        assertThat(TensorInternals.i32(f.get("b"))).containsExactly(0, 1, 1);
        assertThat(TensorInternals.i32(f.get("u"))).containsExactly(200);
        assertThat(TensorInternals.i32(f.get("h"))).containsExactly(-2);
    }

    @Test
    void namesTheFileOnDisk() throws IOException {
        Path p = dir.resolve("broken.safetensors");
        Files.write(p, file("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8));
        assertThatThrownBy(() -> SafeTensors.read(p)).isInstanceOfSatisfying(TensorFileException.class, e -> {
            assertThat(e.source()).isEqualTo(p.toString());
            assertThat(e.tensor()).isEqualTo("x");
            assertThat(e.getMessage()).startsWith(p + ", tensor 'x': shape [3]");
        });
    }

    private static void assertBad(byte[] bytes, String tensor, String problem) {
        assertThatThrownBy(() -> SafeTensors.read(bytes)).isInstanceOfSatisfying(TensorFileException.class, e -> {
            assertThat(e.getMessage()).startsWith("<bytes>").contains(problem);
            assertThat(e.tensor()).isEqualTo(tensor);
        });
    }

    private static byte[] lengthOnly(long n) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(n).array();
    }

    /** A file built by hand: the length, this header text, and a zeroed buffer of {@code bufferBytes}. */
    private static byte[] file(String header, int bufferBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + bufferBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).array();
    }
}
