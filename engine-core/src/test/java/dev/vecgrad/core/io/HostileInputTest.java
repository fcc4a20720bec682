package dev.vecgrad.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;

/**
 * Every reader against mutated valid files (see {@link Mutation}): each outcome must be a correct
 * load or the documented exception ({@link TensorFileException}; {@link JsonException} for JSON),
 * never another exception or error (OutOfMemoryError, NegativeArraySizeException, index errors),
 * within {@value #CASE_MILLIS} ms of the reading thread's CPU time and {@value #CASE_ALLOCATION_MB} MB
 * of allocation a case (on all threads), which is what catches a loop or an allocation sized by an
 * unchecked length long before it could exhaust time or memory. CPU time rather than wall-clock
 * time, so that a busy or paused machine does not fail a case that did little work. The same files are also read from disk (mapped, or streamed through gzip), as
 * users' files are. Runs are fixed-seed; {@code -Dvecgrad.seed=random -Dvecgrad.tries=N} runs long.
 * A load is correct when the values match the bytes (decoded again here with {@link ByteBuffer})
 * and survive a write and a read.
 */
class HostileInputTest {
    private static final int TRIES = 10_000;
    private static final int FILE_TRIES = 1_000;
    private static final int CASE_MILLIS = 2_000;
    private static final int CASE_ALLOCATION_MB = 32;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @FunctionalInterface
    private interface Load {
        String run() throws Exception;
    }

    // ---- safetensors --------------------------------------------------------------------------

    @Property(tries = TRIES, generation = GenerationMode.RANDOMIZED, shrinking = ShrinkingMode.BOUNDED)
    void safetensors(@ForAll("safetensorsFiles") byte[] base, @ForAll("edits") List<Mutation> edits) {
        byte[] input = Mutation.apply(base, edits, MutationFormats.SAFETENSORS);
        check("safetensors", input, TensorFileException.class, () -> loadSafetensors(input));
    }

    private static String loadSafetensors(byte[] input) throws TensorFileException {
        try (SafeTensorsFile f = SafeTensors.read(input)) {
            long dataStart = 8 + ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            Map<String, Tensor> loaded = new LinkedHashMap<>();
            int refused = 0;
            for (String name : f.names()) {
                SafeTensorsFile.TensorInfo info = f.info(name);
                Tensor t;
                try {
                    t = f.get(name);
                } catch (TensorFileException e) {
                    assertThat(e.tensor()).isEqualTo(name);
                    refused++;
                    continue;
                }
                long elements = info.shape().stream().reduce(1L, Math::multiplyExact);
                assertThat((long) t.size()).isEqualTo(elements);
                matchesBytes(t, info.dtype(), input, dataStart + info.begin());
                loaded.put(name, t);
            }
            try (SafeTensorsFile again = SafeTensors.read(SafeTensors.toBytes(loaded, f.metadata()))) {
                assertThat(again.metadata()).isEqualTo(f.metadata());
                for (Map.Entry<String, Tensor> e : loaded.entrySet()) {
                    assertSameValues(again.get(e.getKey()), e.getValue());
                }
            }
            return refused == 0 ? "loaded" : "opened, some tensors refused";
        }
    }

    /** The values of an F32, F64 or I32 tensor equal the file's bytes, decoded independently. */
    private static void matchesBytes(Tensor t, String dtype, byte[] input, long at) {
        ByteBuffer b = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < t.size(); i++) {
            switch (dtype) {
                case "F32" -> assertThat(Float.floatToRawIntBits(TensorInternals.f32(t)[i])).isEqualTo(b.getInt((int) at + 4 * i));
                case "F64" -> assertThat(Double.doubleToRawLongBits(TensorInternals.f64(t)[i])).isEqualTo(b.getLong((int) at + 8 * i));
                case "I32" -> assertThat(TensorInternals.i32(t)[i]).isEqualTo(b.getInt((int) at + 4 * i));
                default -> {
                    return; // converted dtypes are checked against known values in SafeTensorsTest
                }
            }
        }
    }

    @Provide
    Arbitrary<byte[]> safetensorsFiles() {
        Map<String, Tensor> small = new LinkedHashMap<>();
        small.put("w", Tensor.of(new float[] {1.5f, -2f, 0f, 3f, 4f, 5f}, 2, 3));
        small.put("b", Tensor.of(new double[] {0.25, -1}));
        small.put("i", Tensor.of(new int[] {7, -8, 9}));
        return Arbitraries.of(Fixtures.bytes("safetensors/mixed.safetensors"),
                SafeTensors.toBytes(small, Map.of("format", "vecgrad", "epoch", "3")),
                SafeTensors.toBytes(Map.of("s", Tensor.scalar(2f)), null));
    }

    // ---- .npy ---------------------------------------------------------------------------------

    @Property(tries = TRIES, generation = GenerationMode.RANDOMIZED, shrinking = ShrinkingMode.BOUNDED)
    void npy(@ForAll("npyFiles") byte[] base, @ForAll("edits") List<Mutation> edits) {
        byte[] input = Mutation.apply(base, edits, MutationFormats.NPY);
        check("npy", input, TensorFileException.class, () -> {
            Tensor t = Npy.read(input);
            assertThat((long) t.size() * Math.min(t.dtype().byteSize(), 1)).isLessThanOrEqualTo(input.length);
            assertSameValues(Npy.read(Npy.toBytes(t)), t);
            return "loaded";
        });
    }

    @Provide
    Arbitrary<byte[]> npyFiles() {
        return Arbitraries.of(Stream.of("f32_2x3", "f64_3x4", "i32_5", "f32_v2_2x3", "f32_big_endian_2x2", "u8_3x2",
                "f16_4", "i64_4", "f32_scalar", "i32_2x2x3").map(n -> Fixtures.bytes("npy/" + n + ".npy")).toList());
    }

    // ---- IDX ----------------------------------------------------------------------------------

    @Property(tries = TRIES, generation = GenerationMode.RANDOMIZED, shrinking = ShrinkingMode.BOUNDED)
    void idx(@ForAll("idxFiles") byte[] base, @ForAll("edits") List<Mutation> edits) {
        byte[] input = Mutation.apply(base, edits, MutationFormats.IDX);
        check("idx", input, TensorFileException.class, () -> {
            Tensor t = Idx.read(input);
            boolean gzip = input.length >= 2 && (input[0] & 0xff) == 0x1f && (input[1] & 0xff) == 0x8b;
            if (!gzip) {
                int width = switch (input[2]) {
                    case 0x08, 0x09 -> 1;
                    case 0x0B -> 2;
                    case 0x0C, 0x0D -> 4;
                    default -> 8;
                };
                assertThat(4L + 4L * t.rank() + (long) t.size() * width).isEqualTo(input.length);
                if (input[2] == 0x08) {
                    for (int i = 0; i < t.size(); i++) {
                        assertThat(TensorInternals.i32(t)[i]).isEqualTo(input[4 + 4 * t.rank() + i] & 0xff);
                    }
                }
            }
            return gzip ? "loaded gzip" : "loaded plain";
        });
    }

    @Provide
    Arbitrary<byte[]> idxFiles() {
        byte[] pixels = new byte[3 * 4 * 5];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 37);
        }
        byte[] images = IdxTest.idx(0x08, new int[] {3, 4, 5}, pixels);
        byte[] labels = IdxTest.idx(0x08, new int[] {10}, new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        byte[] floats = IdxTest.idx(0x0D, new int[] {2, 3}, ByteBuffer.allocate(24).putFloat(1.5f).putFloat(-3f).array());
        byte[] shorts = IdxTest.idx(0x0B, new int[] {4}, new byte[] {0, 1, (byte) 0xff, (byte) 0xff, 0x12, 0x34, 0, 0});
        return Arbitraries.of(images, labels, floats, shorts, IdxTest.gzip(images), IdxTest.gzip(labels));
    }

    // ---- JSON ---------------------------------------------------------------------------------

    @Property(tries = TRIES, generation = GenerationMode.RANDOMIZED, shrinking = ShrinkingMode.BOUNDED)
    void json(@ForAll("jsonTexts") byte[] base, @ForAll("edits") List<Mutation> edits) {
        String text = new String(Mutation.apply(base, edits, Mutation.RAW), StandardCharsets.UTF_8);
        check("json", text.getBytes(StandardCharsets.UTF_8), JsonException.class, () -> {
            Object v = Json.parse(text);
            assertThat(Json.parse(Json.write(v))).isEqualTo(v);
            return "parsed";
        });
    }

    @Provide
    Arbitrary<byte[]> jsonTexts() {
        byte[] st = Fixtures.bytes("safetensors/mixed.safetensors");
        int n = (int) ByteBuffer.wrap(st).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        String header = new String(st, 8, n, StandardCharsets.UTF_8);
        String config = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"mlp \\\"1\\\"\", \"layers\": ["
                + "{\"class_name\": \"Dense\", \"config\": {\"units\": 128, \"activation\": \"relu\", \"rate\": 1.5e-3,"
                + " \"use_bias\": true, \"seed\": null, \"shape\": [-1, 784]}}]}, \"note\": \"\\u00e9\\ud83d\\ude00\\n\\t\"}";
        String arrays = "[[1, 2.5, -3e2], [], {}, [[[\"\u2713\"]]], false, 0, -0.0, 9223372036854775807]";
        return Arbitraries.of(header, config, arrays).map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<List<Mutation>> edits() {
        return Mutation.lists();
    }

    // ---- the same, from files -----------------------------------------------------------------

    /** A mutated file of each format read through its path: mapped (safetensors, .npy, plain IDX) or streamed (gzip IDX). */
    @Property(tries = FILE_TRIES, generation = GenerationMode.RANDOMIZED, shrinking = ShrinkingMode.BOUNDED)
    void fromFiles(@ForAll("anyFormat") int format, @ForAll("edits") List<Mutation> edits) throws IOException {
        byte[] base = switch (format) {
            case 0 -> Fixtures.bytes("safetensors/mixed.safetensors");
            case 1 -> Fixtures.bytes("npy/f32_2x3.npy");
            case 2 -> IdxTest.idx(0x08, new int[] {3, 4, 5}, new byte[60]);
            default -> IdxTest.gzip(IdxTest.idx(0x08, new int[] {3, 4, 5}, new byte[60]));
        };
        Mutation.Format f = switch (format) {
            case 0 -> MutationFormats.SAFETENSORS;
            case 1 -> MutationFormats.NPY;
            default -> MutationFormats.IDX;
        };
        byte[] input = Mutation.apply(base, edits, f);
        Path file = Files.createTempFile("hostile", ".bin");
        try {
            Files.write(file, input);
            check("file " + format, input, TensorFileException.class, () -> {
                switch (format) {
                    case 0 -> {
                        try (SafeTensorsFile st = SafeTensors.read(file)) {
                            for (String name : st.names()) {
                                try {
                                    st.get(name);
                                } catch (TensorFileException e) {
                                    assertThat(e.tensor()).isEqualTo(name);
                                }
                            }
                        }
                    }
                    case 1 -> Npy.read(file);
                    default -> Idx.read(file);
                }
                return "loaded";
            });
        } finally {
            Files.delete(file);
        }
    }

    @Provide
    Arbitrary<Integer> anyFormat() {
        return Arbitraries.integers().between(0, 3);
    }

    // ---- the check shared by every format ------------------------------------------------------

    private static void check(String format, byte[] input, Class<? extends Exception> documented, Load load) {
        long allocatedBefore = THREADS.getTotalThreadAllocatedBytes();
        long start = THREADS.getCurrentThreadCpuTime();
        String outcome;
        try {
            outcome = load.run();
        } catch (Exception e) {
            if (!documented.isInstance(e)) {
                throw new AssertionError(format + ": " + input.length + " bytes raised an undocumented " + e, e);
            }
            assertThat(e.getMessage()).isNotBlank();
            outcome = "rejected";
        }
        long millis = (THREADS.getCurrentThreadCpuTime() - start) / 1_000_000;
        long allocatedMb = (THREADS.getTotalThreadAllocatedBytes() - allocatedBefore) >> 20;
        assertThat(millis).as(format + " case CPU time (ms)").isLessThan(CASE_MILLIS);
        assertThat(allocatedMb).as(format + " case allocation (MB)").isLessThan(CASE_ALLOCATION_MB);
        Statistics.collect(outcome);
    }

    private static void assertSameValues(Tensor actual, Tensor expected) {
        assertThat(actual.dtype()).isEqualTo(expected.dtype());
        assertThat(actual.shape()).isEqualTo(expected.shape());
        if (expected.dtype() == DType.I32) {
            assertThat(actual.toIntArray()).isEqualTo(expected.toIntArray());
        } else {
            assertThat(Arrays.equals(actual.toDoubleArray(), expected.toDoubleArray())).isTrue();
        }
    }

    /** Loading never deserializes Java objects, loads classes or evaluates anything named in a file. */
    @Example
    void readersRunNoCode() throws IOException {
        Path sources = Path.of("src/main/java/dev/vecgrad/core/io");
        try (Stream<Path> files = Files.list(sources)) {
            for (Path f : files.toList()) {
                String code = Files.readString(f);
                for (String forbidden : List.of("ObjectInputStream", "readObject", "Serializable", "Class.forName",
                        "loadClass", "ScriptEngine", "MethodHandles", "getMethod(", "newInstance")) {
                    assertThat(code).as(f + " uses " + forbidden).doesNotContain(forbidden);
                }
            }
        }
    }
}
