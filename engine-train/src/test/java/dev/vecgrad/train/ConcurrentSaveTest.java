package dev.vecgrad.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.io.VersionedDirectory;
import dev.vecgrad.train.layers.Dense;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Model#load} beside {@link Model#save}s of the same directory by two threads: each save
 * holds weights and an optimizer step count computed from one number, and every load must come
 * back with all of them from the same number (never the weights of one save with the optimizer
 * state of another, never a "missing" file), while the saves take turns.
 */
class ConcurrentSaveTest {
    private static final int FEATURES = 6;
    private static final int UNITS = 5;

    @TempDir
    Path tmp;

    /** value(k, i) = k + i/64, exact in F32 for the numbers used here. */
    private static float value(int k, int i) {
        return k + i / 64f;
    }

    private static Sequential model() {
        Sequential m = new Sequential("m").add(new Dense(UNITS));
        m.build(1, FEATURES);
        m.compile("adam", "mse");
        return m;
    }

    /** Sets {@code m}'s weights and optimizer step count from {@code k}. */
    private static void become(Sequential m, int k) {
        float[] kernel = new float[FEATURES * UNITS];
        float[] bias = new float[UNITS];
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] = value(k, i);
        }
        for (int i = 0; i < bias.length; i++) {
            bias[i] = value(k, i);
        }
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("dense/kernel", Tensor.of(kernel, FEATURES, UNITS));
        w.put("dense/bias", Tensor.of(bias, UNITS));
        m.setNamedWeights(w);
        m.optimizer().loadState(Map.of("iterations", Tensor.scalar((double) k)));
    }

    /** The number a loaded model came from, after checking that all of it came from that number. */
    private static int numberOf(Model loaded) {
        Map<String, Tensor> w = loaded.namedWeights();
        float[] bias = w.get("dense/bias").toFloatArray();
        float[] kernel = w.get("dense/kernel").toFloatArray();
        int k = Math.round(bias[0]);
        for (int i = 0; i < bias.length; i++) {
            assertThat(bias[i]).as("bias[%d] of save %d", i, k).isEqualTo(value(k, i));
        }
        for (int i = 0; i < kernel.length; i++) {
            assertThat(kernel[i]).as("kernel[%d] of save %d", i, k).isEqualTo(value(k, i));
        }
        assertThat(loaded.optimizer().iterations()).as("the optimizer state of save %d", k).isEqualTo(k);
        return k;
    }

    @Test
    void loadsBesideTwoWritersEachGetOneWholeSave() throws Exception {
        Path dir = tmp.resolve("runs/m");
        Sequential first = model();
        become(first, 1);
        first.save(dir);
        int savesPerWriter = 25;
        AtomicInteger next = new AtomicInteger(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger loads = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            writers.add(Thread.ofPlatform().start(() -> {
                try {
                    Sequential m = model();
                    for (int i = 0; i < savesPerWriter; i++) {
                        become(m, next.incrementAndGet());
                        m.save(dir);
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                while (writing.get()) {
                    numberOf(Model.load(dir));
                    loads.incrementAndGet();
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        });
        for (Thread t : writers) {
            t.join();
        }
        writing.set(false);
        reader.join();
        assertThat(failures).isEmpty();
        assertThat(loads.get()).isPositive();
        assertThat(VersionedDirectory.current(dir).getFileName().toString())
                .startsWith(String.format("save-%06d-", 1 + 2 * savesPerWriter));
        assertThat(numberOf(Model.load(dir))).isBetween(2, 1 + 2 * savesPerWriter);
    }

    /** The save of directory {@code m} is never found under a sibling whose name merely starts with it. */
    @Test
    void siblingsWithALongerNameAreOtherModels() throws IOException {
        Sequential a = model();
        become(a, 3);
        a.save(tmp.resolve("m"));
        Sequential b = model();
        become(b, 7);
        b.save(tmp.resolve("m.new-arch"));
        b.save(tmp.resolve(".m.new-arch.tmp-1"));
        assertThat(numberOf(Model.load(tmp.resolve("m")))).isEqualTo(3);
        assertThat(numberOf(Model.load(tmp.resolve("m.new-arch")))).isEqualTo(7);
    }
}
