package dev.vecgrad.train.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.FitOptions;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.callbacks.History;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.layers.Dense;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupAndRestoreTest {
    @TempDir
    Path dir;

    private static Sequential model() {
        Sequential m = new Sequential().add(new Dense(8, Activations.tanh())).add(new Dense(1));
        m.setSeed(3);
        m.build(1, 4);
        m.compile(CompileOptions.of("adam", "mse"));
        return m;
    }

    private static Dataset data() {
        Rng rng = new Rng(8);
        Tensor x = Tensor.randomUniform(rng, -1f, 1f, 64, 4);
        return Dataset.fromTensorSlices(x, x.sum(new int[] {1}, true).sin()).batch(16);
    }

    /** Fails the fit at the end of an epoch, after the backup of that epoch is written. */
    private static final class Crash extends Callback {
        private final int atEpoch;

        Crash(int atEpoch) {
            this.atEpoch = atEpoch;
        }

        @Override
        public void onEpochEnd(int epoch, Map<String, Double> logs) {
            if (epoch == atEpoch) {
                throw new IllegalStateException("the machine went away");
            }
        }
    }

    @Test
    void aRunInterruptedAfterAnEpochResumesFromItsBackupAndEndsAsTheUninterruptedRun() {
        Sequential whole = model();
        whole.fit(FitOptions.of(data()).epochs(4).verbose(0));

        Sequential first = model();
        assertThatThrownBy(() -> first.fit(FitOptions.of(data()).epochs(4).verbose(0)
                .callbacks(new BackupAndRestore(dir), new Crash(1)))).hasMessageContaining("went away");
        assertThat(dir.resolve("backup").resolve(BackupAndRestore.STATE)).exists();

        Sequential second = model(); // a new process: fresh weights and optimizer
        History h = second.fit(FitOptions.of(data()).epochs(4).verbose(0).callbacks(new BackupAndRestore(dir)));
        assertThat(h.history().get("loss")).hasSize(2); // epochs 3 and 4
        List<Tensor> a = whole.getWeights();
        List<Tensor> b = second.getWeights();
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).toFloatArray()).containsExactly(a.get(i).toFloatArray());
        }
        assertThat(second.optimizer().iterations()).isEqualTo(whole.optimizer().iterations());
        assertThat(dir.resolve("backup")).doesNotExist(); // a completed run leaves no backup
    }

    @Test
    void aBackupOfAnotherModelIsAnErrorNamingIt() throws Exception {
        Sequential m = model();
        m.fit(FitOptions.of(data()).epochs(1).verbose(0).callbacks(new BackupAndRestore(dir, false)));
        Sequential other = new Sequential().add(new Dense(3));
        other.build(1, 4);
        other.compile(CompileOptions.of("adam", "mse"));
        assertThatThrownBy(() -> other.fit(FitOptions.of(data()).epochs(2).verbose(0)
                .callbacks(new BackupAndRestore(dir)))).hasMessageContaining(dir.resolve("backup").toString());
        assertThat(Files.exists(dir.resolve("backup"))).isTrue();
    }
}
