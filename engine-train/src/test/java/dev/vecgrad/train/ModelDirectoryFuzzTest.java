package dev.vecgrad.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.io.VersionedDirectory;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.layers.Flatten;
import dev.vecgrad.train.layers.LayerNormalization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Whole model directories made hostile: a saved model's {@code config.json},
 * {@code model.safetensors} and {@code optimizer.safetensors} edited together (numbers, names,
 * bytes, lengths), each case loaded with {@link Model#load}. Every outcome must be a loaded
 * model that predicts, or an {@link IOException} (the documented failures), never another
 * exception or error, within {@value #CASE_MILLIS} ms of the loading thread's CPU time (not wall-clock
 * time, which a busy or paused machine stretches) and {@value #CASE_MB} MB allocated on all threads. The run is fixed-seed and small in CI; {@code -Dvecgrad.tries} makes it long.
 */
class ModelDirectoryFuzzTest {
    private static final int CASE_MILLIS = 3_000;
    private static final int CASE_MB = 48;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final String[] FILES = {"config.json", "model.safetensors", "optimizer.safetensors"};
    private static final List<String> NUMBERS = List.of("0", "-1", "1", "3", "1000000", "4294967552", "256.9", "1e400",
            "-0", "2147483647", "9223372036854775807", "99999999999999999999", "0.5", "1e-300", "NaN", "true", "null",
            "[3]", "[]", "{}", "\"8\"");
    private static final List<String> STRINGS = List.of("\"Dense\"", "\"Conv2D\"", "\"Sequential\"", "\"Nope\"", "\"F16\"",
            "\"F64\"", "\"I32\"", "\"U32\"", "\"relu\"", "\"same\"", "\"\"", "\"dense/kernel\"", "\"x\\ny\"", "\"\\u0000\"",
            "\"iterations\"", "\"vecgrad.model\"", "\"SparseCategoricalCrossentropy\"", "\"Adam\"", "\"accuracy\"", "1");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

    private static byte[][] base;
    private static Tensor input;

    @BeforeContainer
    static void saveABaseModel() throws IOException {
        Path tmp = Files.createTempDirectory("fuzz-base");
        Sequential m = new Sequential("m").add(new Flatten()).add(new Dense(6)).add(new LayerNormalization())
                .add(new Dense(3));
        m.build(1, 2, 4);
        m.compile("adam", "sparse_categorical_crossentropy", "accuracy");
        input = TestModels.inputs(4, 8, 3).reshape(4, 2, 4);
        m.fit(FitOptions.of(input, Tensor.of(new int[] {0, 1, 2, 1})).epochs(1).batchSize(2).verbose(0));
        m.save(tmp.resolve("m"));
        Path save = VersionedDirectory.current(tmp.resolve("m"));
        base = new byte[FILES.length][];
        for (int i = 0; i < FILES.length; i++) {
            base[i] = Files.readAllBytes(save.resolve(FILES[i]));
        }
        deleteTree(tmp);
    }

    @AfterContainer
    static void release() {
        base = null;
        input = null;
    }

    /** One edit: which file, what kind, where (a count of tokens or bytes), with what. */
    record Edit(int file, int kind, int where, int what) {
    }

    @Provide
    Arbitrary<List<Edit>> edits() {
        Arbitrary<Edit> one = Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 1 << 16), Arbitraries.integers().between(0, 1 << 16)).as(Edit::new);
        return one.list().ofMinSize(1).ofMaxSize(3);
    }

    @Property(tries = 300, generation = GenerationMode.RANDOMIZED, shrinking = ShrinkingMode.BOUNDED)
    void editedModelDirectoriesLoadWholeOrFailWithOneClearError(@ForAll("edits") List<Edit> edits) throws IOException {
        byte[][] files = new byte[FILES.length][];
        for (int i = 0; i < files.length; i++) {
            files[i] = base[i].clone();
        }
        for (Edit e : edits) {
            files[e.file()] = e.file() == 0 ? editText(files[0], e) : editSafetensors(files[e.file()], e);
        }
        Path save = Files.createTempDirectory("fuzz-case");
        try {
            for (int i = 0; i < FILES.length; i++) {
                Files.write(save.resolve(FILES[i]), files[i]);
            }
            long before = Allocations.total();
            long start = CPU.getCurrentThreadCpuTime();
            String outcome;
            try {
                Model loaded = Model.load(save);
                assertThat(loaded.predict(input, 2).shape().dim(0)).isEqualTo(4);
                outcome = "loaded";
            } catch (IOException expected) {
                assertThat(expected.getMessage()).isNotBlank().doesNotContain("\n");
                outcome = expected.getClass().getSimpleName();
            } catch (RuntimeException | Error e) {
                throw new AssertionError("an undocumented " + e + " for edits " + edits, e);
            }
            assertThat((CPU.getCurrentThreadCpuTime() - start) / 1_000_000).as("case CPU time (ms)").isLessThan(CASE_MILLIS);
            assertThat((Allocations.total() - before) >> 20).as("case allocation (MB)").isLessThan(CASE_MB);
            Statistics.collect(outcome);
        } finally {
            deleteTree(save);
        }
    }

    /** config.json with one token replaced, or bytes deleted, inserted, truncated or repeated. */
    private static byte[] editText(byte[] b, Edit e) {
        String text = new String(b, StandardCharsets.UTF_8);
        return switch (e.kind()) {
            case 0 -> replaceToken(text, NUMBER, e.where(), NUMBERS.get(e.what() % NUMBERS.size()))
                    .getBytes(StandardCharsets.UTF_8);
            case 1 -> replaceToken(text, STRING, e.where(), STRINGS.get(e.what() % STRINGS.size()))
                    .getBytes(StandardCharsets.UTF_8);
            default -> editBytes(b, e);
        };
    }

    /** A safetensors file with a header token replaced (its length field kept true), or its bytes edited. */
    private static byte[] editSafetensors(byte[] b, Edit e) {
        if (b.length < 8 || e.kind() > 1) {
            return e.kind() == 5 && b.length >= 8 ? withLength(b, NUMBERS.get(e.what() % NUMBERS.size()).length() * 7919L
                    * e.what()) : editBytes(b, e);
        }
        long n = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        if (n < 0 || n > b.length - 8) {
            return editBytes(b, e);
        }
        String header = new String(b, 8, (int) n, StandardCharsets.UTF_8);
        String edited = e.kind() == 0 ? replaceToken(header, NUMBER, e.where(), NUMBERS.get(e.what() % NUMBERS.size()))
                : replaceToken(header, STRING, e.where(), STRINGS.get(e.what() % STRINGS.size()));
        byte[] h = edited.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(b.length - (int) n + h.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(h.length).put(h).put(b, 8 + (int) n, b.length - 8 - (int) n);
        return out.array();
    }

    private static byte[] withLength(byte[] b, long length) {
        byte[] out = b.clone();
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
        return out;
    }

    private static String replaceToken(String text, Pattern token, int which, String with) {
        Matcher m = token.matcher(text);
        int count = 0;
        while (m.find()) {
            count++;
        }
        if (count == 0) {
            return text;
        }
        m.reset();
        for (int i = 0; i <= which % count; i++) {
            m.find();
        }
        return text.substring(0, m.start()) + with + text.substring(m.end());
    }

    /** A flipped bit, a cut, a deleted byte, or a copied chunk, at a position taken modulo the length. */
    private static byte[] editBytes(byte[] b, Edit e) {
        if (b.length == 0) {
            return b;
        }
        int at = e.where() % b.length;
        return switch (e.kind() % 4) {
            case 0 -> {
                byte[] out = b.clone();
                out[at] ^= (byte) (1 << (e.what() % 8));
                yield out;
            }
            case 1 -> Arrays.copyOf(b, at);
            case 2 -> {
                byte[] out = new byte[b.length - 1];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + 1, out, at, b.length - at - 1);
                yield out;
            }
            default -> {
                int len = Math.min(b.length - at, 1 + e.what() % 64);
                byte[] out = new byte[b.length + len];
                System.arraycopy(b, 0, out, 0, at + len);
                System.arraycopy(b, at, out, at + len, b.length - at);
                yield out;
            }
        };
    }

    /** Deletes a temporary tree. */
    private static void deleteTree(Path root) {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
