package dev.vecgrad.train.cli;

import static dev.vecgrad.train.cli.CliRuns.assertOneLineError;
import static dev.vecgrad.train.cli.CliRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.io.Idx;
import dev.vecgrad.core.io.Npy;
import dev.vecgrad.core.io.VersionedDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands' normal runs, and their usage and file errors; saving and hostile files have their own tests. */
class MainTest {
    @TempDir
    Path dir;

    private Path writeSet(String name, int n, int side, long seed) throws IOException {
        return CliRuns.writeSet(dir, name, n, side, seed);
    }

    @Test
    void trainsAndReportsTestAccuracyOnOneLine() throws IOException {
        Path train = writeSet("toy-train", 300, 28, 1);
        Path test = writeSet("toy-test", 100, 28, 2);
        CliRuns.Run r = run("train", "--train", train.toString(), "--test", test.toString(), "--epochs", "3",
                "--batch-size", "32", "--seed", "3", "--threads", "1", "--verbose", "2");
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Model: \"mlp\"").contains("Total params: 235,146").contains("Epoch 3/3");
        List<String> lines = r.out().lines().toList();
        String last = lines.get(lines.size() - 1);
        assertThat(last).matches("test_accuracy=\\d\\.\\d{4} test_loss=\\d+\\.\\d{4} train_seconds=\\d+\\.\\d");
        double accuracy = Double.parseDouble(last.substring("test_accuracy=".length(), last.indexOf(' ')));
        assertThat(accuracy).isGreaterThan(0.9);
    }

    @Test
    void reportFlagWritesTheRunReportWithValidationCurvesAndTheConfusionMatrix() throws IOException {
        Path train = writeSet("toy-train", 200, 12, 1);
        Path test = writeSet("toy-test", 60, 12, 2);
        Path runs = dir.resolve("runs/r");
        CliRuns.Run r = run("train", "--train", train.toString(), "--test", test.toString(), "--epochs", "2",
                "--batch-size", "50", "--threads", "1", "--verbose", "0", "--report", runs.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("report: " + runs.resolve("report.html"));
        String html = Files.readString(runs.resolve("report.html"));
        assertThat(html).contains("mlp on toy-train", "finished: 2 epochs", "data-name=\"val_accuracy\"",
                "id=\"confusion\"", "dense_2 (Dense)", "<td class=\"name\">evaluate</td>");
        assertThat(html).contains("of 60 right");
    }

    @Test
    void savedModelEvaluatesAndPredictsAsTheTrainedOne() throws IOException {
        Path train = writeSet("toy-train", 200, 28, 1);
        Path test = writeSet("toy-test", 60, 28, 2);
        Path saved = dir.resolve("saved");
        CliRuns.Run r = run("train", "--train", train.toString(), "--test", test.toString(), "--epochs", "2",
                "--batch-size", "32", "--seed", "3", "--threads", "1", "--verbose", "0", "--save", saved.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("saved the model to " + saved);
        assertThat(VersionedDirectory.current(saved).resolve("config.json")).exists();
        List<String> lines = r.out().lines().toList();
        String trained = lines.get(lines.size() - 1);
        String trainedResult = trained.substring(0, trained.indexOf(" train_seconds"));

        CliRuns.Run evaluate = run("evaluate", "--model", saved.toString(), "--test", test.toString(), "--batch-size", "7");
        assertThat(evaluate.err()).isEmpty();
        assertThat(evaluate.status()).isZero();
        assertThat(evaluate.out().strip()).isEqualTo(trainedResult);
        CliRuns.Run bundled = run("evaluate", "--model", saved.toString());   // --test defaults to the bundled sample
        assertThat(bundled.out() + bundled.err()).contains(TrainCommand.DEFAULT_TEST);

        Path npy = dir.resolve("pred.npy");
        CliRuns.Run predict = run("predict", "--model", saved.toString(), "--input", test.toString(), "--output", npy.toString());
        assertThat(predict.err()).isEmpty();
        assertThat(predict.status()).isZero();
        Tensor logits = Npy.read(npy);
        assertThat(logits.shape()).isEqualTo(Shape.of(60, 10));
        // The argmax of the written logits, against the labels, gives the accuracy evaluate printed.
        int[] labels = Idx.readLabels(Path.of(test + "-labels-idx1-ubyte.gz")).i32Array();
        float[] v = logits.f32Array();
        int correct = 0;
        for (int i = 0; i < 60; i++) {
            int best = 0;
            for (int k = 1; k < 10; k++) {
                if (v[i * 10 + k] > v[i * 10 + best]) {
                    best = k;
                }
            }
            correct += best == labels[i] ? 1 : 0;
        }
        assertThat(trainedResult).startsWith(String.format(java.util.Locale.ROOT, "test_accuracy=%.4f", correct / 60.0));

        CliRuns.Run noDir = run("evaluate", "--model", dir.resolve("nope").toString(), "--test", test.toString());
        assertOneLineError(noDir);
        assertThat(noDir.status()).isEqualTo(1);
        assertThat(noDir.err()).contains("cannot load model").contains("nope").contains("no such directory");
        Path notModel = Files.createDirectory(dir.resolve("empty"));
        CliRuns.Run empty = run("predict", "--model", notModel.toString(), "--input", test.toString(), "--output", npy.toString());
        assertOneLineError(empty);
        assertThat(empty.err()).contains("not a model directory");
        Files.writeString(VersionedDirectory.current(saved).resolve("config.json"), "{\"format\": 1}");
        CliRuns.Run corrupt = run("evaluate", "--model", saved.toString(), "--test", test.toString());
        assertOneLineError(corrupt);
        assertThat(corrupt.err()).contains("config.json").contains("'format'");
        CliRuns.Run badOutput = run("predict", "--model", notModel.toString(), "--input", test.toString());
        assertOneLineError(badOutput);
        assertThat(badOutput.status()).isEqualTo(2);
        assertThat(badOutput.err()).contains("--output is required");
    }

    @Test
    void badFlagsAreOneLineErrorsWithUsageStatus() {
        CliRuns.Run unknown = run("train", "--epoch", "3");
        assertOneLineError(unknown);
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown flag --epoch");
        CliRuns.Run notNumber = run("train", "--epochs", "ten");
        assertOneLineError(notNumber);
        assertThat(notNumber.err()).contains("--epochs must be a positive integer");
        assertOneLineError(run("train", "--lr", "-1"));
        assertOneLineError(run("train", "--model", "rnn"));
        assertOneLineError(run("train", "--epochs"));
        assertOneLineError(run("fly"));
        assertOneLineError(run("train", "--optimizer", "nope"));
    }

    @Test
    void helpDemoAndNotYetAvailableCommands() {
        CliRuns.Run help = run("--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("usage: vecgrad train").contains("--batch-size");
        for (String[] asked : new String[][] {{"help"}, {"-h"}, {"evaluate", "--help"}, {"train", "--epochs", "3", "-h"}}) {
            CliRuns.Run r = run(asked);
            assertThat(r.status()).as(String.join(" ", asked)).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).contains("usage: vecgrad train");
        }
        CliRuns.Run demo = run("demo");
        assertThat(demo.status()).isZero();
        assertThat(demo.out()).contains("Metrics Before Fit: {loss=10.0").contains("Epoch 10/10")
                .contains("Predictions Shape: (1000, 1)");
        CliRuns.Run evaluate = run("evaluate");
        assertOneLineError(evaluate);
        assertThat(evaluate.status()).isEqualTo(2);
        assertThat(evaluate.err()).contains("--model is required");
    }

    @Test
    void theLaunchersOwnCommandsAreListedAndNamedAsTheLaunchersWhenGivenToTheJavaEntryPoint() {
        assertThat(run("help").out()).contains("vecgrad bench [JMH args]").contains("vecgrad run CLASS [args]");
        for (String command : new String[] {"bench", "run"}) {
            var r = run(command, "Elementwise");
            assertOneLineError(r);
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err()).contains(command + " is a command of the launcher: ./vecgrad " + command);
        }
    }

    @Test
    void missingFilesAndMismatchedImagesAreOneLineErrors() throws IOException {
        CliRuns.Run missing = run("train", "--train", dir.resolve("nothing").toString());
        assertOneLineError(missing);
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).contains("no such file").contains("nothing-images-idx3-ubyte");

        Path train = writeSet("a", 20, 28, 1);
        Path test = writeSet("b", 20, 20, 1);
        CliRuns.Run sizes = run("train", "--train", train.toString(), "--test", test.toString(), "--epochs", "1");
        assertOneLineError(sizes);
        assertThat(sizes.err()).contains("image sizes differ").contains("28x28").contains("20x20");

        Files.write(Path.of(train + "-labels-idx1-ubyte.gz"), new byte[] {1, 2, 3});
        CliRuns.Run corrupt = run("train", "--train", train.toString(), "--test", train.toString(), "--epochs", "1");
        assertOneLineError(corrupt);
    }
}
