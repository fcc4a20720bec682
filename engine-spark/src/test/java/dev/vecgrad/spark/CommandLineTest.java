package dev.vecgrad.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.train.Model;
import dev.vecgrad.train.cli.Main;
import dev.vecgrad.train.cli.spi.ClusterTraining;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vecgrad train --spark local[2]}: the command-line trainer's recipe through both strategies. */
class CommandLineTest {
    @TempDir
    Path dir;

    private static final Pattern RESULT = Pattern.compile("test_accuracy=(\\d\\.\\d+) test_loss=");

    private String train(String... flags) {
        LocalSpark.stop(); // the command starts its own context
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = new String[flags.length + 11];
        String[] common = {"train", "--spark", "local[2]", "--train", "../data/mnist/mnist10k-test", "--test",
            "../data/mnist/mnist10k-test", "--epochs", "2", "--batch-size", "100"};
        System.arraycopy(common, 0, args, 0, common.length);
        System.arraycopy(flags, 0, args, common.length, flags.length);
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return text;
    }

    private static double accuracy(String output) {
        Matcher m = RESULT.matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void theMirroredStrategyTrainsTheRecipeAndSavesAModelThatEvaluatesAlike() throws Exception {
        Path saved = dir.resolve("mlp");
        String output = train("--save", saved.toString());
        assertThat(output).contains("MultiWorkerMirroredStrategy(2 workers)").contains("Epoch 2/2").contains("spark: ");
        double acc = accuracy(output);
        assertThat(acc).isGreaterThan(0.8);
        Model loaded = Model.load(saved);
        Map<String, Double> again = loaded.evaluate(LocalSpark.mnistTest(2000)[0], LocalSpark.mnistTest(2000)[1], 100);
        assertThat(again.get("accuracy")).isCloseTo(acc, org.assertj.core.api.Assertions.within(1e-4));
    }

    @Test
    void theParameterServerStrategyTrainsTheRecipe() {
        String output = train("--strategy", "ps", "--staleness", "1");
        assertThat(output).contains("ParameterServerStrategy(2 workers, asynchronous, staleness <= 1)");
        assertThat(accuracy(output)).isGreaterThan(0.7);
    }

    @Test
    void theSparkBackEndIsTheClusterServiceTheTrainerFinds() {
        assertThat(ServiceLoader.load(ClusterTraining.class).stream().map(ServiceLoader.Provider::type))
                .containsExactly(SparkClusterTraining.class);
    }

    @Test
    void aBadSparkFlagIsAUsageErrorNamingIt() {
        LocalSpark.stop();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"train", "--spark", "local[2]", "--sync-every", "4", "--strategy", "ps"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--sync-every goes with --strategy mirrored");
    }
}
