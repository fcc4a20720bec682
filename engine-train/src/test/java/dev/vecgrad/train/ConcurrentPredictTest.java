package dev.vecgrad.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.layers.BatchNormalization;
import dev.vecgrad.train.layers.Conv2D;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.layers.Flatten;
import dev.vecgrad.train.layers.MaxPooling2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Model#predict} on one loaded model from several threads at once, as a server would call
 * it: every call returns exactly the outputs of a call made alone (the README promises this).
 */
class ConcurrentPredictTest {
    @TempDir
    Path tmp;

    @Test
    void predictFromManyThreadsIsBitIdenticalToASingleCall() throws Exception {
        Sequential m = new Sequential("cnn").add(new Conv2D(4, 3, 3)).add(new BatchNormalization())
                .add(new MaxPooling2D()).add(new Flatten()).add(new Dense(5));
        m.setSeed(4);
        m.compile("adam", "mse");
        Tensor x = Tensor.randomUniform(new Rng(1), 0f, 1f, 16, 12, 12, 1);
        m.fit(FitOptions.of(x, Tensor.randomUniform(new Rng(2), 0f, 1f, 16, 5)).epochs(1).batchSize(8).verbose(0));
        m.save(tmp.resolve("cnn"));
        Model loaded = Model.load(tmp.resolve("cnn"));
        float[] alone = loaded.predict(x, 5).toFloatArray();

        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 10; i++) {
                        assertThat(loaded.predict(x, 5).toFloatArray()).containsExactly(alone);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).isEmpty();
    }
}
