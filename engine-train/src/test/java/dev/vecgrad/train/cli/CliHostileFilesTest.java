package dev.vecgrad.train.cli;

import static dev.vecgrad.train.cli.CliRuns.assertOneLineError;
import static dev.vecgrad.train.cli.CliRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.io.SafeTensors;
import dev.vecgrad.core.io.VersionedDirectory;
import dev.vecgrad.train.Allocations;
import dev.vecgrad.train.HostileFiles;
import dev.vecgrad.train.Model;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.layers.Conv2D;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.layers.Flatten;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile files of a model directory and of a data set, as a user meets them on the command
 * line: {@code vecgrad evaluate} fails with one {@code error:} line naming the file and what is
 * wrong (exit status 1), within seconds and with allocation, counted on all threads, bounded by
 * what the files hold; or, when the damage is in a file it does not need, it works.
 */
class CliHostileFilesTest {
    private static final long MB = 1 << 20;

    @TempDir
    Path dir;
    private Path model;
    private Path save;
    private Path test;

    @BeforeEach
    void saveAModel() throws IOException {
        test = CliRuns.writeSet(dir, "toy", 32, 28, 3);
        model = save(new Sequential("small").add(new Flatten()).add(new Dense(10)), "small");
        save = VersionedDirectory.current(model);
    }

    private Path save(Sequential m, String name) throws IOException {
        m.build(1, 28, 28, 1);
        m.compile("adam", "sparse_categorical_crossentropy");
        Path d = dir.resolve(name);
        m.save(d);
        return d;
    }

    /** {@code vecgrad evaluate} of {@code modelDir} on {@code testPrefix}, within 20 s, with its allocation on all threads. */
    private static Measured evaluate(Path modelDir, Path testPrefix) {
        long before = Allocations.total();
        CliRuns.Run r = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> run("evaluate", "--model", modelDir.toString(), "--test", testPrefix.toString(), "--threads", "1"));
        return new Measured(r, Allocations.total() - before);
    }

    private record Measured(CliRuns.Run run, long allocated) {
    }

    /** A one-line error, exit status 1, naming {@code file} and saying {@code why}, having allocated less than {@code maxBytes}. */
    private static void assertRefused(Measured m, String file, String why, long maxBytes) {
        assertOneLineError(m.run());
        assertThat(m.run().status()).isEqualTo(1);
        assertThat(m.run().err()).contains(file).contains(why);
        assertThat(m.run().out()).doesNotContain("test_accuracy");
        assertThat(m.allocated()).as("bytes allocated on all threads: %s", m.run().err()).isLessThan(maxBytes);
    }

    private void rewriteConfig(Path saveDir, String from, String to) throws IOException {
        Path config = saveDir.resolve("config.json");
        String text = Files.readString(config);
        assertThat(text).contains(from);
        Files.writeString(config, text.replace(from, to));
    }



    @Test
    void specialFilesAreRefusedWithoutBlockingOrReading() throws Exception {
        for (String name : new String[] {"config.json", "model.safetensors"}) {
            saveAModel();
            HostileFiles.mkfifo(save.resolve(name));
            assertRefused(evaluate(model, test), name, "is a device, FIFO or socket, not a regular file", 8 * MB);
            saveAModel();
            Files.delete(save.resolve(name));
            Files.createSymbolicLink(save.resolve(name), Path.of("/dev/zero"));
            assertRefused(evaluate(model, test), name, "not a regular file", 8 * MB);
        }
    }

    @Test
    void headersThatDeclareMoreThanTheyHoldFailEarly() throws Exception {
        rewriteConfig(save, "\"units\": 10", "\"units\": 1000000");
        assertRefused(evaluate(model, test), "config.json", "more than the 7850 that", 16 * MB);

        saveAModel();
        StringBuilder entries = new StringBuilder("{");
        for (int i = 0; entries.length() < 20 * MB; i++) {
            entries.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{}");
        }
        HostileFiles.writeSparseSafetensors(save.resolve("model.safetensors"), entries.append('}').toString(), 0);
        assertRefused(evaluate(model, test), "model.safetensors", "tensor 't0'", 3 * 20 * MB + 16 * MB);

        StringBuilder oneEntry = new StringBuilder("{\"t\":[");
        for (int i = 0; oneEntry.length() < 20 * MB; i++) {
            oneEntry.append(i == 0 ? "{}" : ",{}");
        }
        HostileFiles.writeSparseSafetensors(save.resolve("model.safetensors"), oneEntry.append("]}").toString(), 0);
        assertRefused(evaluate(model, test), "model.safetensors", "holds more than " + SafeTensors.MAX_ENTRY_VALUES,
                3 * 20 * MB + 16 * MB);
    }

    /** evaluate does not need the optimizer state: a 4 GB sparse tensor there, or no file at all, changes nothing. */
    @Test
    void evaluateNeverReadsTheOptimizerState() throws Exception {
        CliRuns.Run clean = evaluate(model, test).run();
        assertThat(clean.status()).as(clean.err()).isZero();
        long elements = 1L << 30;
        HostileFiles.writeSparseSafetensors(save.resolve("optimizer.safetensors"), "{\"iterations\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]},"
                + "\"dense/kernel/m\":{\"dtype\":\"F32\",\"shape\":[" + elements + "],\"data_offsets\":[8,"
                + (8 + 4 * elements) + "]}}", 8 + 4 * elements);
        Measured sparse = evaluate(model, test);
        assertThat(sparse.run().status()).as(sparse.run().err()).isZero();
        assertThat(sparse.run().out()).isEqualTo(clean.out());
        assertThat(sparse.allocated()).isLessThan(64 * MB);
        Files.delete(save.resolve("optimizer.safetensors"));
        assertThat(evaluate(model, test).run().out()).isEqualTo(clean.out());
    }

    @Test
    void configValuesOutOfPlaceAreNamedInOurWords() throws Exception {
        record Case(String from, String to, String why) {
        }
        for (Case c : new Case[] {
            new Case("\"units\": 10", "\"units\": 4294967552", "'units' must be a whole number from -2147483648 to 2147483647, got 4294967552"),
            new Case("\"units\": 10", "\"units\": 256.9", "'units' must be a whole number from -2147483648 to 2147483647, got 256.9"),
            new Case("\"input_dtype\": \"F32\"", "\"input_dtype\": \"F16\"", "'input_dtype' is 'F16', which is not one of [F32, F64, I32]"),
        }) {
            saveAModel();
            rewriteConfig(save, c.from(), c.to());
            assertRefused(evaluate(model, test), "config.json", c.why(), 16 * MB);
        }
        Path conv = save(new Sequential("conv").add(new Conv2D(2, 3, 3)).add(new Flatten()).add(new Dense(10)), "conv");
        Path convSave = VersionedDirectory.current(conv);
        String text = Files.readString(convSave.resolve("config.json"));
        String kernel = text.substring(text.indexOf("\"kernel_size\""), text.indexOf(']', text.indexOf("\"kernel_size\"")) + 1);
        Files.writeString(convSave.resolve("config.json"), text.replace(kernel, "\"kernel_size\": [3]"));
        assertRefused(evaluate(conv, test), "config.json", "'kernel_size' must be a whole number or a list of two", 16 * MB);
        Files.writeString(convSave.resolve("config.json"), text.replace(kernel, "\"kernel_size\": [30, 30]"));
        assertRefused(evaluate(conv, test), "config.json", "the window 30 (kernel 30, dilation 1) is larger than the input's 28",
                16 * MB);
    }

    @Test
    void damagedTensorsAndMissingFilesAreNamed() throws Exception {
        Path weights = save.resolve("model.safetensors");
        Map<String, Tensor> w = new LinkedHashMap<>(SafeTensors.readAll(weights));
        byte[] bytes = Files.readAllBytes(weights);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        String rank10 = text.replace("\"dense/bias\":{\"dtype\":\"F32\",\"shape\":[10]",
                "\"dense/bias\":{\"dtype\":\"F32\",\"shape\":[1,1,1,1,1,1,1,1,1,10]");
        assertThat(rank10).isNotEqualTo(text);
        ByteBuffer patched = ByteBuffer.wrap(rank10.getBytes(StandardCharsets.ISO_8859_1)).order(ByteOrder.LITTLE_ENDIAN);
        patched.putLong(0, patched.getLong(0) + rank10.length() - text.length());
        Files.write(weights, patched.array());
        assertRefused(evaluate(model, test), "model.safetensors", "tensor 'dense/bias': rank 10 is more than the maximum 8",
                8 * MB);

        for (int i = 0; i < 100_000; i++) {
            w.put("bogus/" + i, Tensor.of(new float[0]));
        }
        SafeTensors.write(weights, w, null);
        Measured many = evaluate(model, test);
        assertRefused(many, "model.safetensors", "100000 problems", 40 * Files.size(weights) + 16 * MB);
        assertThat(many.run().err().length()).isLessThan(2_500);

        Files.delete(weights);
        assertRefused(evaluate(model, test), "model.safetensors", "missing: the save has config.json but no weights", 8 * MB);
        assertThat(evaluate(dir.resolve("nothing-here"), test).run().err()).contains("nothing-here: no such directory");
    }

    /** A sibling whose name merely starts with the model's is another model: {@code m} never loads it. */
    @Test
    void aModelNameMatchesExactly() throws IOException {
        Path m = dir.resolve("m");
        Files.move(model, dir.resolve(".m.new-arch.tmp-1"));
        assertRefused(evaluate(m, test), "m", "no such directory", 8 * MB);
    }

    @Test
    void aGzipDataSetThatLiesAboutItsSizeFailsBoundedByItsData() throws IOException {
        Path liar = dir.resolve("liar");
        // 10^8 pixels announced, 2 MiB of pixels present.
        byte[] pixels = new byte[2 << 20];
        new java.util.Random(5).nextBytes(pixels);
        CliRuns.writeIdx(Path.of(liar + "-images-idx3-ubyte.gz"), new int[] {127_551, 28, 28}, pixels);
        CliRuns.writeIdx(Path.of(liar + "-labels-idx1-ubyte.gz"), new int[] {127_551}, new byte[127_551]);
        assertRefused(evaluate(model, liar), "liar-images-idx3-ubyte.gz", "truncated", 32 * MB);
    }

    /** evaluate beside a process-free writer saving the same model over and over: every run reads one whole save. */
    @Test
    void evaluateBesideAWriterReadsOneWholeSave() throws Exception {
        Model m = Model.load(model);
        String expected = evaluate(model, test).run().out();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                while (writing.get()) {
                    m.save(model);
                }
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        writer.start();
        try {
            for (int i = 0; i < 10; i++) {
                CliRuns.Run r = run("evaluate", "--model", model.toString(), "--test", test.toString(), "--threads", "1");
                assertThat(r.err()).isEmpty();
                assertThat(r.out()).isEqualTo(expected);
            }
        } finally {
            writing.set(false);
            writer.join();
        }
        assertThat(failed.get()).isNull();
    }
}
