package dev.vecgrad.train.cli;

import static dev.vecgrad.train.cli.CliRuns.assertOneLineError;
import static dev.vecgrad.train.cli.CliRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.io.SafeTensors;
import dev.vecgrad.core.io.VersionedDirectory;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.layers.Flatten;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's errors say what is wrong in one line of their own, whatever the flags, the JVM settings or the files hold. */
class CliMessagesTest {
    @TempDir
    Path dir;

    /** A model directory evaluate and predict accept: a compiled classifier of 28x28 images. */
    private Path savedModel() throws IOException {
        Sequential m = new Sequential("small").add(new Flatten()).add(new Dense(10));
        m.build(1, 28, 28, 1);
        m.compile("adam", "sparse_categorical_crossentropy");
        Path saved = dir.resolve("small");
        m.save(saved);
        return saved;
    }

    @Test
    void threadCountsBeyondTheBoundGiveTheReason() {
        for (String bad : new String[] {"40000", "0", "-3", "many"}) {
            CliRuns.Run r = run("train", "--threads", bad);
            assertOneLineError(r);
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err()).contains("--threads must be a whole number from 1 to 1024, got '" + bad + "'");
        }
    }

    /**
     * In a process, as a user runs it: a bad {@code -Dvecgrad.threads} is blamed on itself, not on
     * the model file, and each error is the only line on standard error (no log lines before it).
     */
    @Test
    void inAProcessEachErrorIsTheOnlyLineAndNamesItsCause() throws Exception {
        Path saved = savedModel();
        CliRuns.Run property = CliRuns.runInJvm(List.of("-Dvecgrad.threads=0"), "evaluate", "--model", saved.toString());
        assertOneLineError(property);
        assertThat(property.err()).contains("-Dvecgrad.threads must be a whole number from 1 to 1024, got '0'")
                .doesNotContain("config.json");
        CliRuns.Run missing = CliRuns.runInJvm(List.of(), "evaluate", "--model", dir.resolve("nope").toString());
        assertOneLineError(missing);
        assertThat(missing.err()).contains("nope").contains("no such directory");
        CliRuns.Run usage = CliRuns.runInJvm(List.of(), "train", "--threads", "40000");
        assertOneLineError(usage);
        assertThat(usage.status()).isEqualTo(2);
    }

    /** A tensor named like a result line cannot print one: the error stays one line and stdout stays empty. */
    @Test
    void aTensorNameCannotForgeAResultLine() throws IOException {
        Path saved = savedModel();
        Path weights = VersionedDirectory.current(saved).resolve("model.safetensors");
        Map<String, Tensor> w = new LinkedHashMap<>(SafeTensors.readAll(weights));
        w.put("x\ntest_accuracy=0.9990 test_loss=0.0010", Tensor.of(new float[] {1}));
        SafeTensors.write(weights, w, null);
        CliRuns.Run r = run("evaluate", "--model", saved.toString());
        assertOneLineError(r);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("x\\ntest_accuracy=0.9990");
    }

    @Test
    void aMissingWeightsFileIsNamedAsMissing() throws IOException {
        Path saved = savedModel();
        java.nio.file.Files.delete(VersionedDirectory.current(saved).resolve("model.safetensors"));
        CliRuns.Run r = run("evaluate", "--model", saved.toString());
        assertOneLineError(r);
        assertThat(r.err()).contains("model.safetensors: missing").doesNotContain("no such directory");
    }
}
