package dev.vecgrad.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.cli.Main;
import dev.vecgrad.train.data.Batch;
import dev.vecgrad.train.data.IdxImages;
import dev.vecgrad.train.examples.FunctionalExample;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The second worked example: a two-input, two-output functional model trained on the bundled MNIST sample. */
class FunctionalExampleTest {
    private static final Path MNIST = Path.of("..").toAbsolutePath().normalize().resolve("data/mnist");

    @Test
    void hintsAreRightAsOftenAsAskedAndTheTargetsSaySo() {
        IdxImages test = IdxImages.load(MNIST.resolve("mnist10k-test").toString());
        Batch all = FunctionalExample.data(test, 0.5, new Rng(1)).batch(test.size()).iterator().next();
        int[] labels = all.targets().get("digit").toIntArray();
        float[] hints = all.inputs().get("hint").toFloatArray();
        float[] right = all.targets().get("hint_right").toFloatArray();
        int n = labels.length;
        int rightCount = 0;
        for (int i = 0; i < n; i++) {
            int hint = -1;
            float ones = 0;
            for (int k = 0; k < 10; k++) {
                ones += hints[i * 10 + k];
                hint = hints[i * 10 + k] == 1 ? k : hint;
            }
            assertThat(ones).isEqualTo(1);
            assertThat(right[i]).isEqualTo(hint == labels[i] ? 1f : 0f);
            rightCount += (int) right[i];
        }
        // Half right, within four standard deviations of a fair coin over 2,000 samples.
        assertThat(Math.abs(rightCount - n / 2.0)).isLessThan(4 * Math.sqrt(n / 4.0));
        assertThat(java.util.Arrays.equals(all.inputs().get("image").toFloatArray(), test.images().toFloatArray()))
                .as("the images pass through unchanged").isTrue();
    }

    @Test
    void twoEpochsLearnBothTasksOnMnist() {
        FunctionalExample.Recipe d = FunctionalExample.Recipe.defaults();
        FunctionalExample.Recipe recipe = new FunctionalExample.Recipe(MNIST.resolve("mnist10k-train").toString(),
                MNIST.resolve("mnist10k-test").toString(), 2, d.batchSize(), d.learningRate(), d.hintAccuracy(), d.seed(),
                0);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        FunctionalExample.Result r = FunctionalExample.run(recipe, new PrintStream(text, true, StandardCharsets.UTF_8));
        Map<String, Double> test = r.test();
        // A guess scores 0.1 on the digit and 0.5 on the hint; the model must do far better on both.
        assertThat(test.get("digit_accuracy")).isGreaterThan(0.88);
        assertThat(test.get("hint_right_accuracy")).isGreaterThan(0.85);
        assertThat(test.get("loss")).isCloseTo(test.get("digit_loss") + 0.5 * test.get("hint_right_loss"),
                org.assertj.core.data.Offset.offset(1e-6));
        assertThat(r.history().get("val_digit_accuracy")).hasSize(2);
        String out = text.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("Connected to").contains("hint[0][0]").contains("test: digit_accuracy=");
        Tensor digits = r.model().predictOutputs(FunctionalExample.data(IdxImages.load(
                MNIST.resolve("mnist10k-test").toString()), 0.5, new Rng(2)).batch(500)).get("digit");
        assertThat(digits.shape().dim(0)).isEqualTo(2000);
    }

    @Test
    void theLauncherRunsItByName() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"example", "functional", "--epochs", "0"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("epochs");
        status = Main.run(new String[] {"help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("functional");
    }
}
