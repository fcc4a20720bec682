package dev.vecgrad.train.callbacks;

import static dev.vecgrad.train.callbacks.CallbackFixtures.filled;
import static dev.vecgrad.train.callbacks.CallbackFixtures.logs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.train.FitOptions;
import dev.vecgrad.train.Model;
import dev.vecgrad.train.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCheckpointsTest {
    @TempDir
    Path dir;

    /** Ends epochs with {@code val_loss} values, the model's weights filled with the epoch number first. */
    private static void drive(Callback cb, Sequential m, double... valLoss) {
        cb.setModel(m);
        cb.onTrainBegin(new LinkedHashMap<>());
        for (int e = 0; e < valLoss.length; e++) {
            m.setWeights(filled(m, e));
            Map<String, Double> logs = logs("val_loss", valLoss[e]);
            logs.put("loss", 10.0 + e);
            cb.onEpochBegin(e, new LinkedHashMap<>());
            cb.onEpochEnd(e, logs);
        }
    }

    @Test
    void weightFilesAreNamedFromEpochAndLogsAsKeras() throws IOException {
        Sequential m = CallbackFixtures.model();
        String template = dir.resolve("ckpt/w{epoch:02d}-{val_loss:.3f}-{loss:03d}.safetensors").toString();
        drive(ModelCheckpoint.builder(template, true).build(), m, 1.0, 0.9, 0.95);
        try (Stream<Path> s = Files.list(dir.resolve("ckpt"))) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted()).containsExactly(
                    "w01-1.000-010.safetensors", "w02-0.900-011.safetensors", "w03-0.950-012.safetensors");
        }
        m.loadWeights(dir.resolve("ckpt/w02-0.900-011.safetensors"));
        assertThat(m.getWeights().get(0).toFloatArray()).containsOnly(1f);
    }

    @Test
    void bestOnlyModelDirectoryHoldsTheBestEpoch() throws IOException {
        Sequential m = CallbackFixtures.model();
        Path best = dir.resolve("best");
        ModelCheckpoint ckpt = ModelCheckpoint.builder(best.toString(), false).monitor("val_loss").saveBestOnly(true)
                .build();
        drive(ckpt, m, 1.0, 0.9, 0.95, 0.97);
        Model loaded = Model.load(best);
        assertThat(loaded.getWeights().get(0).toFloatArray()).containsOnly(1f);
        assertThat(loaded.getWeights().get(1).toFloatArray()).containsOnly(1f);
        assertThat(loaded.isCompiled()).isTrue();
    }

    @Test
    void checkpointDuringFitLoadsAsTheTrainedModel() throws IOException {
        Sequential m = CallbackFixtures.model();
        Path last = dir.resolve("last");
        m.fit(FitOptions.of(CallbackFixtures.x(), CallbackFixtures.y()).epochs(3).batchSize(2).shuffle(false).verbose(0)
                .callbacks(ModelCheckpoint.builder(last.toString(), false).build()));
        Model loaded = Model.load(last);
        assertThat(loaded.getWeights().get(0).toFloatArray()).containsExactly(m.getWeights().get(0).toFloatArray());
        assertThat(loaded.optimizer().iterations()).isEqualTo(6);
    }

    @Test
    void trainingResumedFromAnEpochCheckpointEndsAsTheUninterruptedRun() throws IOException {
        Sequential m = CallbackFixtures.model();
        m.compile("adam", "mse");
        String template = dir.resolve("run/epoch{epoch}").toString();
        FitOptions opts = FitOptions.of(CallbackFixtures.x(), CallbackFixtures.y()).batchSize(3).shuffle(false).verbose(0);
        m.fit(opts.epochs(4).callbacks(ModelCheckpoint.builder(template, false).build()));

        Model resumed = Model.load(dir.resolve("run/epoch2"));
        assertThat(resumed.optimizer().iterations()).isEqualTo(4);
        resumed.fit(FitOptions.of(CallbackFixtures.x(), CallbackFixtures.y()).batchSize(3).shuffle(false).verbose(0)
                .epochs(4).initialEpoch(2));
        for (int i = 0; i < m.weights().size(); i++) {
            assertThat(resumed.getWeights().get(i).toFloatArray()).containsExactly(m.getWeights().get(i).toFloatArray());
        }
        assertThat(Model.load(dir.resolve("run/epoch4")).getWeights().get(0).toFloatArray())
                .containsExactly(m.getWeights().get(0).toFloatArray());
    }

    @Test
    void badTemplatesAreClearErrors() {
        assertThatThrownBy(() -> new FileCheckpoints("w{epoch:x}", true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format spec 'x'");
        Sequential m = CallbackFixtures.model();
        ModelCheckpoint ckpt = ModelCheckpoint.builder(dir.resolve("w{val_acc}").toString(), true).build();
        assertThatThrownBy(() -> drive(ckpt, m, 1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'{val_acc}'").hasMessageContaining("val_loss");
    }
}
