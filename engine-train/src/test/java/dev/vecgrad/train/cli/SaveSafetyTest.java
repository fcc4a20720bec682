package dev.vecgrad.train.cli;

import static dev.vecgrad.train.cli.CliRuns.assertOneLineError;
import static dev.vecgrad.train.cli.CliRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.io.VersionedDirectory;
import dev.vecgrad.train.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing lost, nothing torn, from the command line: {@code --save} never deletes what vecgrad
 * did not write, everything that can be checked is checked before the first training step (and
 * leaves nothing behind), a diverging run saves nothing, {@code --report} replaces only a report,
 * and {@code predict --output} makes its directory but replaces only a {@code .npy} file.
 */
class SaveSafetyTest {
    @TempDir
    Path dir;
    private Path train;

    @BeforeEach
    void data() throws IOException {
        train = CliRuns.writeSet(dir, "toy", 64, 28, 1);
    }

    private CliRuns.Run trainTo(String save, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--train", train.toString(), "--test", train.toString(),
                "--epochs", "1", "--batch-size", "16", "--threads", "1", "--verbose", "0", "--save", save));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    /** Refused before training: a one-line usage error naming --save, and no sign that training started. */
    private static void assertRefusedBeforeTraining(CliRuns.Run r, String why) {
        assertOneLineError(r);
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--save").contains(why);
        assertThat(r.out()).doesNotContain("Model:").doesNotContain("test_accuracy");
    }

    @Test
    void aDirectoryOfSomethingElseIsRefusedBeforeTrainingAndKeptWhole() throws IOException {
        Path documents = Files.createDirectories(dir.resolve("Documents"));
        Files.writeString(documents.resolve("thesis.tex"), "years of work");
        Files.createDirectories(documents.resolve("photos"));
        Files.writeString(documents.resolve("photos/cat.jpg"), "meow");
        assertRefusedBeforeTraining(trainTo(documents.toString()), "holds files that are not a save");
        assertThat(Files.readString(documents.resolve("thesis.tex"))).isEqualTo("years of work");
        assertThat(Files.readString(documents.resolve("photos/cat.jpg"))).isEqualTo("meow");
        assertThat(names(documents)).containsExactly("photos", "thesis.tex");
    }

    @Test
    void unusableSavePathsAreRefusedBeforeTrainingAndLeaveNoScratch() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("link"), Files.createDirectories(dir.resolve("target")));
        Path readOnly = Files.createDirectories(dir.resolve("read-only"));
        List<String> here = names(Path.of("").toAbsolutePath());
        List<String> before = names(dir);
        assertRefusedBeforeTraining(trainTo(""), "an empty path names no directory");
        assertRefusedBeforeTraining(trainTo("."), "names no directory of its own");
        assertRefusedBeforeTraining(trainTo(dir.resolve("runs/..").toString()), "names no directory of its own");
        assertRefusedBeforeTraining(trainTo(link.toString()), "is a symbolic link");
        assertRefusedBeforeTraining(trainTo(file.toString()), "is a file, not a directory");
        assertRefusedBeforeTraining(trainTo(file.resolve("m").toString()), "is a file, not a directory");
        assertRefusedBeforeTraining(trainTo(dir.resolve("n".repeat(300)).toString()), "longer than 255 bytes");
        if (Files.isDirectory(Path.of("/sys"))) {
            // Read-only even for root: the check tries to make the directory rather than trusting permission bits.
            assertRefusedBeforeTraining(trainTo("/sys/vecgrad-test/m"), "--save '/sys/vecgrad-test/m'");
        }
        if (Files.isDirectory(Path.of("/proc/self"))) {
            // A place where no directory can be made is named as such, not as "does not exist".
            assertRefusedBeforeTraining(trainTo("/proc/vecgrad-test"), "cannot create /proc/vecgrad-test (");
        }
        if (readOnly.toFile().setWritable(false) && !Files.isWritable(readOnly)) {
            assertRefusedBeforeTraining(trainTo(readOnly.resolve("m").toString()), "permission denied");
        }
        readOnly.toFile().setWritable(true);
        assertThat(names(dir)).isEqualTo(before);
        assertThat(names(dir.resolve("target"))).isEmpty();
        assertThat(names(Path.of("").toAbsolutePath())).as("nothing left in the working directory").isEqualTo(here);
    }

    @Test
    void aDivergingRunStopsAtTheFirstNonFiniteLossAndKeepsThePreviousSave() throws IOException {
        Path m = dir.resolve("runs/m");
        CliRuns.Run good = trainTo(m.toString());
        assertThat(good.status()).as(good.err()).isZero();
        Path saved = VersionedDirectory.current(m);
        Map<String, Tensor> weights = Model.load(m).namedWeights();

        CliRuns.Run diverged = trainTo(m.toString(), "--lr", "1e10");
        assertOneLineError(diverged);
        assertThat(diverged.status()).isEqualTo(1);
        assertThat(diverged.err()).containsPattern("training diverged: the loss is (NaN|-?Infinity) at epoch 1, batch \\d+")
                .contains("not saved").contains("lower learning rate than --lr 1e10");
        assertThat(diverged.out()).doesNotContain("test_accuracy").doesNotContain("saved the model");
        assertThat(VersionedDirectory.current(m)).isEqualTo(saved);
        Map<String, Tensor> after = Model.load(m).namedWeights();
        for (Map.Entry<String, Tensor> e : weights.entrySet()) {
            assertThat(after.get(e.getKey()).toDoubleArray()).as(e.getKey()).containsExactly(e.getValue().toDoubleArray());
        }
    }

    @Test
    void anEmptyTestSetIsRefusedBeforeTraining() throws IOException {
        Path empty = CliRuns.writeSet(dir, "empty", 0, 28, 2);
        CliRuns.Run r = run("train", "--train", train.toString(), "--test", empty.toString(), "--epochs", "1");
        assertOneLineError(r);
        assertThat(r.err()).contains("--test " + empty).contains("holds no images");
        assertThat(r.out()).doesNotContain("Model:");
        CliRuns.Run noTrain = run("train", "--train", empty.toString(), "--test", train.toString(), "--epochs", "1");
        assertOneLineError(noTrain);
        assertThat(noTrain.err()).contains("--train " + empty).contains("holds no images");
    }

    @Test
    void predictMakesItsOutputDirectoryAndReplacesOnlyAnNpyFile() throws IOException {
        Path m = dir.resolve("m");
        assertThat(trainTo(m.toString()).status()).isZero();
        Path deep = dir.resolve("out/a/b/pred.npy");
        CliRuns.Run made = run("predict", "--model", m.toString(), "--input", train.toString(), "--output", deep.toString());
        assertThat(made.err()).isEmpty();
        assertThat(deep).isRegularFile();
        CliRuns.Run again = run("predict", "--model", m.toString(), "--input", train.toString(), "--output", deep.toString());
        assertThat(again.status()).as("an .npy file is replaced").isZero();

        Path notes = Files.writeString(dir.resolve("notes.txt"), "keep me");
        CliRuns.Run refused = run("predict", "--model", m.toString(), "--input", train.toString(), "--output",
                notes.toString());
        assertOneLineError(refused);
        assertThat(refused.err()).contains("--output").contains("not a .npy file");
        assertThat(Files.readString(notes)).isEqualTo("keep me");
        CliRuns.Run underFile = run("predict", "--model", m.toString(), "--input", train.toString(), "--output",
                notes.resolve("p.npy").toString());
        assertOneLineError(underFile);
        assertThat(underFile.err()).contains("--output").contains("cannot create its directory")
                .contains(notes + " exists and is not a directory");
        CliRuns.Run empty = run("predict", "--model", m.toString(), "--input", train.toString(), "--output", "");
        assertOneLineError(empty);
        assertThat(empty.err()).contains("--output '': an empty path names no file");
    }

    @Test
    void reportTargetsAreCheckedBeforeTrainingAndOnlyAReportIsReplaced() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Path theirs = Files.createDirectories(dir.resolve("site"));
        Files.writeString(theirs.resolve("report.html"), "<html>my own page</html>");
        List<String> before = names(dir);
        for (String[] bad : new String[][] {{file.toString(), "is a file, not a directory"},
                {file.resolve("r").toString(), "is a file, not a directory"},
                {theirs.toString(), "is not a vecgrad report"}}) {
            CliRuns.Run r = trainTo(dir.resolve("m").toString(), "--report", bad[0]);
            assertOneLineError(r);
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err()).contains("--report '" + bad[0] + "'").contains(bad[1]);
            assertThat(r.out()).doesNotContain("Model:");
        }
        if (Files.isDirectory(Path.of("/sys"))) {
            CliRuns.Run r = trainTo(dir.resolve("m").toString(), "--report", "/sys/vecgrad-test/r");
            assertThat(r.status()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).contains("--report '/sys/vecgrad-test/r'");
        }
        assertThat(Files.readString(theirs.resolve("report.html"))).isEqualTo("<html>my own page</html>");
        assertThat(names(dir)).as("nothing made, nothing saved").isEqualTo(before);

        Path reports = dir.resolve("reports/r");
        for (int run = 0; run < 2; run++) {
            CliRuns.Run r = trainTo(dir.resolve("m").toString(), "--report", reports.toString());
            assertThat(r.status()).as("run %d may replace its report: %s", run, r.err()).isZero();
        }
        assertThat(Files.readString(reports.resolve("report.html"))).contains("<title>vecgrad report: ");
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
