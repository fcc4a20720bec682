package dev.vecgrad.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.io.Json;
import dev.vecgrad.core.io.SafeTensors;
import dev.vecgrad.core.io.SafeTensorsFile;
import dev.vecgrad.core.io.TensorFileException;
import dev.vecgrad.core.io.VersionedDirectory;
import dev.vecgrad.train.layers.Conv2D;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.registry.CustomObjects;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model directories made hostile one file at a time: every load fails with one clear error
 * naming the file (or loads), in bounded time and with allocation, measured across all threads,
 * bounded by what the files hold rather than by what they declare.
 */
class HostileModelTest {
    private static final long MB = 1 << 20;

    @TempDir
    Path tmp;
    private Path dir;
    private Path save;

    @BeforeEach
    void saveAModel() throws IOException {
        Sequential m = new Sequential("m").add(new Dense(8)).add(new Dense(2));
        m.build(1, 3);
        m.compile("adam", "mse");
        Tensor x = TestModels.inputs(8, 3, 1);
        m.fit(FitOptions.of(x, Tensor.zeros(dev.vecgrad.core.DType.F32, 8, 2)).epochs(1).batchSize(4).verbose(0));
        dir = tmp.resolve("m");
        m.save(dir);
        save = VersionedDirectory.current(dir);
    }

    /** Runs {@code load}, which must fail with {@code type}, within {@code seconds} and {@code maxBytes} of allocation on all threads. */
    private static Throwable failsWithin(Class<? extends Throwable> type, int seconds, long maxBytes, Load load) {
        long before = Allocations.total();
        Throwable thrown = assertTimeoutPreemptively(Duration.ofSeconds(seconds), () -> {
            try {
                load.run();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        long allocated = Allocations.total() - before;
        assertThat(thrown).as("the load must fail").isInstanceOf(type);
        assertThat(thrown.getMessage()).doesNotContain("\n");
        assertThat(allocated).as("bytes allocated on all threads").isLessThan(maxBytes);
        return thrown;
    }

    @FunctionalInterface
    private interface Load {
        void run() throws Exception;
    }

    private void rewriteConfig(String from, String to) throws IOException {
        Path config = save.resolve("config.json");
        String text = Files.readString(config);
        assertThat(text).contains(from);
        Files.writeString(config, text.replace(from, to));
    }


    @Test
    void aFifoInPlaceOfAnyFileIsRefusedWithoutWaitingForAWriter() throws Exception {
        for (String name : new String[] {"config.json", "model.safetensors", "optimizer.safetensors"}) {
            saveAModel();
            HostileFiles.mkfifo(save.resolve(name));
            Throwable t = failsWithin(TensorFileException.class, 5, 8 * MB, () -> Model.load(dir));
            assertThat(t).hasMessageContaining(name).hasMessageContaining("FIFO");
        }
    }

    @Test
    void aLinkToADeviceIsRefusedBeforeItIsRead() throws Exception {
        for (String name : new String[] {"config.json", "model.safetensors"}) {
            saveAModel();
            Files.delete(save.resolve(name));
            Files.createSymbolicLink(save.resolve(name), Path.of("/dev/zero"));
            Throwable t = failsWithin(TensorFileException.class, 5, 8 * MB, () -> Model.load(dir));
            assertThat(t).hasMessageContaining(name).hasMessageContaining("not a regular file");
        }
    }

    /**
     * A sparse optimizer file of 4 GB holding one tensor that is no slot of the model: a load
     * without optimizer state never reads it, a full load refuses it by its header, neither
     * allocating more than a few megabytes.
     */
    @Test
    void aHugeForeignOptimizerTensorIsNeverDecoded() throws Exception {
        long elements = 1L << 30;
        String header = "{\"iterations\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]},"
                + "\"huge\":{\"dtype\":\"F32\",\"shape\":[" + elements + "],\"data_offsets\":[8," + (8 + 4 * elements) + "]}}";
        HostileFiles.writeSparseSafetensors(save.resolve("optimizer.safetensors"), header, 8 + 4 * elements);
        long before = Allocations.total();
        Model withoutState = Model.load(dir, new CustomObjects(), false);
        assertThat(Allocations.total() - before).isLessThan(16 * MB);
        assertThat(withoutState.isCompiled()).isTrue();
        Throwable t = failsWithin(TensorFileException.class, 5, 16 * MB, () -> Model.load(dir));
        assertThat(t).hasMessageContaining("optimizer.safetensors").hasMessageContaining("unexpected 'huge'");
    }


    @Test
    void aConfigThatDescribesABiggerModelThanItsWeightsFailsBeforeAllocatingIt() throws Exception {
        rewriteConfig("\"units\": 8", "\"units\": 1000000");
        Throwable t = failsWithin(TensorFileException.class, 5, 16 * MB, () -> Model.load(dir));
        assertThat(t).hasMessageContaining("config.json").hasMessageContaining("dense/kernel")
                .hasMessageContaining("model.safetensors");
    }

    @Test
    void weightsBeyondTheHeapAreAnErrorNamingTheFileNotAnOutOfMemoryError() throws Exception {
        long heap = Runtime.getRuntime().maxMemory();
        long units = heap / 4 / 3 + 1;   // a [3, units] F32 kernel is more than the heap
        if (3 * units > Integer.MAX_VALUE) {
            return; // a heap over 8 GB: no F32 tensor can exceed it
        }
        rewriteConfig("\"units\": 8", "\"units\": " + units);
        Map<String, SafeTensorsFile.TensorInfo> real = new LinkedHashMap<>();
        try (SafeTensorsFile f = SafeTensors.read(save.resolve("model.safetensors"))) {
            for (String n : f.names()) {
                real.put(n, f.info(n));
            }
        }
        long k = 3 * units * 4;
        long b = units * 4;
        String header = "{\"dense/kernel\":{\"dtype\":\"F32\",\"shape\":[3," + units + "],\"data_offsets\":[0," + k + "]},"
                + "\"dense/bias\":{\"dtype\":\"F32\",\"shape\":[" + units + "],\"data_offsets\":[" + k + "," + (k + b) + "]},"
                + "\"dense_1/kernel\":{\"dtype\":\"F32\",\"shape\":[" + units + ",2],\"data_offsets\":[" + (k + b) + ","
                + (k + b + 8 * units) + "]},"
                + "\"dense_1/bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + (k + b + 8 * units) + ","
                + (k + b + 8 * units + 8) + "]}}";
        HostileFiles.writeSparseSafetensors(save.resolve("model.safetensors"), header, k + b + 8 * units + 8);
        Throwable t = failsWithin(TensorFileException.class, 10, 16 * MB, () -> Model.load(dir, new CustomObjects(), false));
        assertThat(t).hasMessageContaining("model.safetensors").hasMessageContaining("Java heap's limit")
                .hasMessageContaining("-Xmx");
    }

    /** A 20 MB header of empty entries fails at the first one, holding the header and little else. */
    @Test
    void aHugeHeaderOfEmptyEntriesStopsAtTheFirst() throws Exception {
        StringBuilder h = new StringBuilder("{");
        for (int i = 0; h.length() < 20 * MB; i++) {
            h.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{}");
        }
        HostileFiles.writeSparseSafetensors(save.resolve("model.safetensors"), h.append('}').toString(), 0);
        Throwable t = failsWithin(TensorFileException.class, 10, 3 * 20 * MB + 8 * MB, () -> Model.load(dir));
        assertThat(t).hasMessageContaining("model.safetensors").hasMessageContaining("tensor 't0'");
    }

    /**
     * The same 20 MB of empty objects inside one entry (an array of them, or an object of them):
     * an entry holds at most {@link SafeTensors#MAX_ENTRY_VALUES} values, so the parse stops a few
     * kilobytes in instead of building a tree of the whole header.
     */
    @Test
    void aHugeHeaderEntryStopsAtItsValueLimit() throws Exception {
        for (boolean array : new boolean[] {true, false}) {
            StringBuilder h = new StringBuilder(array ? "{\"t\":[" : "{\"t\":{");
            for (int i = 0; h.length() < 20 * MB; i++) {
                h.append(i == 0 ? "" : ",").append(array ? "{}" : "\"k" + i + "\":{}");
            }
            HostileFiles.writeSparseSafetensors(save.resolve("model.safetensors"), h.append(array ? "]}" : "}}").toString(), 0);
            Throwable t = failsWithin(TensorFileException.class, 10, 3 * 20 * MB + 8 * MB, () -> Model.load(dir));
            assertThat(t).hasMessageContaining("model.safetensors")
                    .hasMessageContaining("the value of \"t\" holds more than " + SafeTensors.MAX_ENTRY_VALUES);
        }
    }

    /**
     * Names from the file cannot forge output: a tensor named like a result line stays on the
     * error's one line, escaped; and a hundred thousand bogus names make a short message that
     * counts them, allocating a bounded multiple of the header.
     */
    @Test
    void namesFromTheFileAreEscapedAndTheirListCut() throws Exception {
        Map<String, Tensor> w = new LinkedHashMap<>(SafeTensors.readAll(save.resolve("model.safetensors")));
        w.put("x\ntest_accuracy=0.9990\u001b[2K", Tensor.of(new float[] {1}));
        SafeTensors.write(save.resolve("model.safetensors"), w, null);
        Throwable forged = failsWithin(TensorFileException.class, 5, 8 * MB, () -> Model.load(dir));
        assertThat(forged).hasMessageContaining("x\\ntest_accuracy=0.9990\\u001b[2K").hasMessageNotContaining("\u001b");

        int bogus = 100_000;
        for (int i = 0; i < bogus; i++) {
            w.put("bogus/" + i, Tensor.of(new float[0]));
        }
        SafeTensors.write(save.resolve("model.safetensors"), w, null);
        long header = Files.size(save.resolve("model.safetensors"));
        // Each entry is parsed, kept as a record and matched against the model: about 35 bytes a header byte in all.
        Throwable many = failsWithin(TensorFileException.class, 10, 40 * header + 8 * MB, () -> Model.load(dir));
        assertThat(many.getMessage().length()).isLessThan(2_500);
        assertThat(many).hasMessageContaining((bogus + 1) + " problems").hasMessageContaining("and " + (bogus + 1 - 10)
                + " more");
    }

    @Test
    void aStepCountThatIsNoCountIsRefused() throws Exception {
        for (double bad : new double[] {Double.NaN, -5, 2.5, Double.POSITIVE_INFINITY, 1e300}) {
            Map<String, Tensor> state = new LinkedHashMap<>(SafeTensors.readAll(save.resolve("optimizer.safetensors")));
            state.put("iterations", Tensor.scalar(bad));
            SafeTensors.write(save.resolve("optimizer.safetensors"), state, null);
            Throwable t = failsWithin(TensorFileException.class, 5, 8 * MB, () -> Model.load(dir));
            assertThat(t).as("iterations %s", bad).hasMessageContaining("optimizer.safetensors")
                    .hasMessageContaining("iterations").hasMessageContaining("a whole number from 0 to 2^53");
        }
        Map<String, Tensor> state = new LinkedHashMap<>(SafeTensors.readAll(save.resolve("optimizer.safetensors")));
        state.put("iterations", Tensor.of(new double[] {1, 2}));
        SafeTensors.write(save.resolve("optimizer.safetensors"), state, null);
        assertThatThrownBy(() -> Model.load(dir)).hasMessageContaining("'iterations' has shape (2,), expected a scalar");
    }

    @Test
    void missingFilesAreNamedAsMissing() throws Exception {
        Files.delete(save.resolve("optimizer.safetensors"));
        assertThatThrownBy(() -> Model.load(dir)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("optimizer.safetensors").hasMessageContaining("says the model is compiled");
        assertThat(Model.load(dir, new CustomObjects(), false).isCompiled()).isTrue();
        Files.delete(save.resolve("model.safetensors"));
        assertThatThrownBy(() -> Model.load(dir)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("model.safetensors: missing: the save has config.json but no weights")
                .hasMessageNotContaining("no such directory");
    }

    @Test
    void aTensorOfRankTenIsRefusedNamingTheFile() throws Exception {
        Map<String, Tensor> w = new LinkedHashMap<>(SafeTensors.readAll(save.resolve("model.safetensors")));
        SafeTensors.write(save.resolve("model.safetensors"), w, null);
        byte[] bytes = Files.readAllBytes(save.resolve("model.safetensors"));
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        // dense_1/bias is [2]: make it [1,1,1,1,1,1,1,1,1,2] (same bytes, rank 10).
        String patched = text.replace("\"dense_1/bias\":{\"dtype\":\"F32\",\"shape\":[2]",
                "\"dense_1/bias\":{\"dtype\":\"F32\",\"shape\":[1,1,1,1,1,1,1,1,1,2]");
        assertThat(patched).isNotEqualTo(text);
        Files.write(save.resolve("model.safetensors"), fixHeaderLength(patched.getBytes(StandardCharsets.ISO_8859_1),
                patched.length() - text.length()));
        Throwable t = failsWithin(TensorFileException.class, 5, 8 * MB, () -> Model.load(dir));
        assertThat(t).hasMessageContaining("model.safetensors").hasMessageContaining("dense_1/bias")
                .hasMessageContaining("rank 10");
    }

    /** A safetensors file whose header grew by {@code delta} bytes, with its length field updated. */
    private static byte[] fixHeaderLength(byte[] b, int delta) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(0, buf.getLong(0) + delta);
        return b;
    }

    @Test
    void configNumbersAndNamesOutOfPlaceAreRefusedInOurWords() throws Exception {
        record Case(String from, String to, String message) {
        }
        for (Case c : new Case[] {
            new Case("\"units\": 8", "\"units\": 4294967552", "'units' must be a whole number"),
            new Case("\"units\": 8", "\"units\": 256.9", "'units' must be a whole number"),
            new Case("\"units\": 8", "\"units\": \"8\"", "'units' must be a whole number from -2147483648 to 2147483647,"
                    + " got \"8\""),
            new Case("\"use_bias\": true", "\"use_bias\": \"yes\"", "'use_bias' must be true or false, got \"yes\""),
            new Case("\"input_dtype\": \"F32\"", "\"input_dtype\": \"F16\"", "'input_dtype' is 'F16', which is not one of"),
            new Case("\"format_version\": 1", "\"format_version\": 1.5", "'format_version' is 1.5"),
            new Case("\"steps_per_execution\": 1", "\"steps_per_execution\": 1e40", "'steps_per_execution' must be a whole"),
        }) {
            saveAModel();
            rewriteConfig(c.from(), c.to());
            Throwable t = failsWithin(TensorFileException.class, 5, 8 * MB, () -> Model.load(dir));
            assertThat(t).as(c.to()).hasMessageContaining("config.json").hasMessageContaining(c.message());
        }
        Sequential conv = new Sequential("c").add(new Conv2D(2, 3, 3));
        conv.build(1, 5, 5, 1);
        Path convDir = tmp.resolve("conv");
        conv.save(convDir);
        Path config = VersionedDirectory.current(convDir).resolve("config.json");
        Map<String, Object> parsed = Json.parseObject(Files.readString(config));
        String text = Files.readString(config);
        String k = text.substring(text.indexOf("\"kernel_size\""), text.indexOf(']', text.indexOf("\"kernel_size\"")) + 1);
        Files.writeString(config, text.replace(k, "\"kernel_size\": [3]"));
        assertThat(parsed).isNotEmpty();
        assertThatThrownBy(() -> Model.load(convDir)).isInstanceOf(TensorFileException.class)
                .hasMessageContaining("'kernel_size' must be a whole number or a list of two");
    }

    @Test
    void anOversizedConfigIsRefusedByWhatIsReadNotByWhatTheFileSystemSays() throws Exception {
        Files.writeString(save.resolve("config.json"), " ".repeat((int) (5 * MB)) + "{}");
        Throwable t = failsWithin(TensorFileException.class, 5, 16 * MB, () -> Model.load(dir));
        assertThat(t).hasMessageContaining("config.json").hasMessageContaining("more than the limit of 4194304 bytes");
    }
}
