package dev.vecgrad.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
import dev.vecgrad.core.io.VersionedDirectory;
import dev.vecgrad.train.layers.Dense;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real crash: a child JVM saves a model to one directory in a loop, printing each iteration's
 * number once {@code save} returned, and is killed (SIGKILL) at random moments. After every kill the
 * directory must load, and its weights must be exactly those of the last iteration printed or of
 * the one after it (saved, but killed before printing) — never a mixture, never a partial file.
 */
class SaveCrashTest {
    static final int FEATURES = 32;
    static final int UNITS = 64;
    static final int KILLS = 20;

    @TempDir
    Path tmp;

    @Test
    void killedSavesLeaveALoadableCompleteVersion() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path dir = tmp.resolve("model");
        Random random = new Random(7);
        int lastPrinted = 0;
        int killedMidLoop = 0;
        int killedMidSave = 0;
        for (int round = 0; round < KILLS; round++) {
            Process child = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), Child.class.getName(), dir.toString(),
                    Integer.toString(lastPrinted + 1)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            AtomicInteger printed = new AtomicInteger(lastPrinted);
            AtomicInteger lines = new AtomicInteger();
            Thread reader = Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        printed.set(Integer.parseInt(line.trim()));
                        lines.incrementAndGet();
                    }
                } catch (IOException | NumberFormatException e) {
                    // The pipe breaks when the child is killed; what was read so far counts.
                }
            });
            try {
                // A JVM's start, build and first save take well under a second, but a busy machine can
                // stall the child for long: the kill must come after the first save, so wait for it.
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                while (lines.get() == 0 && child.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
                assertThat(child.isAlive()).as("round %d: the child still saving", round).isTrue();
                assertThat(lines.get()).as("round %d: the child's first save within 3 minutes", round).isPositive();
                Thread.sleep(random.nextInt(60));
            } finally {
                // Through its handle: Process.destroyForcibly also closes the output stream, and the
                // reader would lose the lines still in the pipe.
                child.toHandle().destroyForcibly();
                child.waitFor();
            }
            // The child is dead, so the pipe ends once read: wait for every line it printed.
            assertThat(reader.join(Duration.ofMinutes(2))).as("round %d: the child's output read to its end", round)
                    .isTrue();
            killedMidLoop++;
            lastPrinted = printed.get();
            try (Stream<Path> s = Files.list(dir)) {
                // A save the pointer does not name, or a pointer's temporary file, means the kill came mid-save.
                String current = VersionedDirectory.current(dir).getFileName().toString();
                killedMidSave += s.map(p -> p.getFileName().toString())
                        .anyMatch(n -> n.endsWith(".tmp") || (n.startsWith("save-") && !n.equals(current))) ? 1 : 0;
            }

            Model loaded = Model.load(dir);
            int found = iterationOf(loaded.namedWeights());
            assertThat(found).as("round %d: the directory holds iteration %d, the child last printed %d", round, found,
                    lastPrinted).isIn(lastPrinted, lastPrinted + 1);
            assertThat(loaded.namedWeights()).as("round %d", round).satisfies(w -> assertWeightsOf(found, w));
            lastPrinted = found;
            // Nothing is written beside the model directory, and inside it only what a save writes.
            try (Stream<Path> s = Files.list(tmp)) {
                assertThat(s.map(p -> p.getFileName().toString())).containsExactly("model");
            }
            try (Stream<Path> s = Files.list(dir)) {
                assertThat(s.map(p -> p.getFileName().toString()))
                        .allMatch(n -> n.equals("current") || n.equals(".lock") || n.startsWith("save-")
                                || n.matches("\\.current\\.[0-9a-f]{16}\\.tmp|\\.probe-[0-9a-f]{16}"));
            }
        }
        assertThat(killedMidLoop).isGreaterThanOrEqualTo(KILLS);
        // The child does little but save, so most kills land inside one; at least one must have.
        assertThat(killedMidSave).as("kills that interrupted a save").isPositive();
        // Each child saved at least once before its kill (we wait for its first line), and each resumed where the last stopped.
        assertThat(lastPrinted).as("the children made progress").isGreaterThanOrEqualTo(KILLS);
    }

    /** The iteration a loaded model's weights came from, read off the first bias element (checked in full afterwards). */
    private static int iterationOf(Map<String, Tensor> w) {
        float first = TensorInternals.f32(w.get("dense/bias").contiguousCopy())[0];
        return Math.round(first / 0.5f);
    }

    /** The weights of iteration {@code k}, computed independently of the saving code: value(k, i) = k/2 + i/4096. */
    static float value(int k, int i) {
        return k * 0.5f + i / 4096f;
    }

    private static void assertWeightsOf(int k, Map<String, Tensor> w) {
        assertThat(w.keySet()).containsExactly("dense/kernel", "dense/bias");
        float[] kernel = TensorInternals.f32(w.get("dense/kernel").contiguousCopy());
        float[] bias = TensorInternals.f32(w.get("dense/bias").contiguousCopy());
        assertThat(kernel).hasSize(FEATURES * UNITS);
        assertThat(bias).hasSize(UNITS);
        for (int i = 0; i < kernel.length; i++) {
            if (kernel[i] != value(k, i + UNITS)) {
                throw new AssertionError("iteration " + k + ": kernel[" + i + "] = " + kernel[i] + ", expected "
                        + value(k, i + UNITS));
            }
        }
        for (int i = 0; i < bias.length; i++) {
            if (bias[i] != value(k, i)) {
                throw new AssertionError("iteration " + k + ": bias[" + i + "] = " + bias[i] + ", expected " + value(k, i));
            }
        }
    }

    /** The saver run in the child JVM: args are the directory and the first iteration. */
    static final class Child {
        public static void main(String[] args) throws IOException {
            Path dir = Path.of(args[0]);
            Sequential model = new Sequential().add(new Dense(UNITS));
            model.build(1, FEATURES);
            model.compile("adam", "mse");
            for (int k = Integer.parseInt(args[1]); ; k++) {
                float[] bias = new float[UNITS];
                float[] kernel = new float[FEATURES * UNITS];
                for (int i = 0; i < bias.length; i++) {
                    bias[i] = value(k, i);
                }
                for (int i = 0; i < kernel.length; i++) {
                    kernel[i] = value(k, i + UNITS);
                }
                Map<String, Tensor> w = new LinkedHashMap<>();
                w.put("dense/kernel", Tensor.of(kernel, FEATURES, UNITS));
                w.put("dense/bias", Tensor.of(bias, UNITS));
                model.setNamedWeights(w);
                model.save(dir);
                System.out.println(k);
                System.out.flush();
            }
        }
    }
}
