package dev.vecgrad.train.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.io.AtomicFiles;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.FitOptions;
import dev.vecgrad.train.ImageClassifiers;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.callbacks.History;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.data.IdxImages;
import dev.vecgrad.train.losses.SparseCategoricalCrossentropy;
import dev.vecgrad.train.report.HeadlessChromium;
import dev.vecgrad.train.report.SvgCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The pictures in {@code docs/training.md} and {@code docs/autodiff.md}, made by the code they
 * show, and checked: the graphs laid out without overlapping boxes, the curves with their
 * series. Run normally, it writes them under {@code target/doc-pictures} from a short training
 * run; to regenerate the checked-in files (full training runs and the report's screenshot):
 *
 * <pre>
 * mvn -q -pl engine-train -am test -Dtest=DocPicturesTest -Dsurefire.failIfNoSpecifiedTests=false -Dvecgrad.docPictures=write
 * </pre>
 */
class DocPicturesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final boolean WRITE = "write".equals(System.getProperty("vecgrad.docPictures"));
    private static final Path OUT = WRITE ? ROOT.resolve("docs/pictures") : Path.of("target/doc-pictures");

    private static void save(String name, String svg) throws Exception {
        Files.createDirectories(OUT);
        AtomicFiles.write(OUT.resolve(name), svg.getBytes(StandardCharsets.UTF_8));
    }

    private static IdxImages digits(String set) {
        return IdxImages.load(ROOT.resolve("data/mnist/" + set).toString());
    }

    @Test
    void tapeOfTheWalkthroughExampleWithItsGradients() throws Exception {
        // docs/autodiff.md, "The whole thing in one example"
        Variable w = new Variable("w", Tensor.of(new float[][] {{1, 2}, {3, 4}}), true);
        Tensor x = Tensor.of(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        try (GradientTape tape = GradientTape.open()) {
            Tensor loss = x.matmul(w.value()).sum();
            String svg = tape.toSvg(loss, true);
            SvgCheck check = new SvgCheck(svg);
            check.assertNoOverlaps();
            assertThat(check.count("//g[@class='node']")).isEqualTo(3);
            assertThat(check.texts("//g[@class='edge-label']/text")).contains("[[9, 9], [12, 12]]");
            save("tape-walkthrough.svg", svg);
        }
    }

    @Test
    void tapeOfOneCnnLossWithGradientNorms() throws Exception {
        // docs/autodiff.md: what one training step of the command line's CNN records.
        Sequential cnn = ImageClassifiers.cnn(TrainCommand.CLASSES);
        cnn.setSeed(1);
        cnn.build(1, 28, 28, 1);
        IdxImages test = digits("mnist10k-test");
        Tensor x = test.images().slice(0, 0, 8);
        Tensor y = test.labels().slice(0, 0, 8);
        try (GradientTape tape = GradientTape.open()) {
            Tensor loss = new SparseCategoricalCrossentropy(true).call(y, cnn.call(x, true));
            String svg = tape.toSvg(loss, true);
            SvgCheck check = new SvgCheck(svg);
            check.assertNoOverlaps();
            assertThat(check.texts("//g[@class='node']/text")).contains("conv2d/kernel", "dense_1/bias");
            assertThat(check.count("//g[@class='edge-label']")).isEqualTo(check.count("//g[@class='edge']"));
            save("tape-cnn.svg", svg);
        }
    }

    @Test
    void layerGraphsOfTheCommandLineModels() throws Exception {
        for (String name : new String[] {"mlp", "cnn"}) {
            Sequential model = TrainCommand.model(name, TrainCommand.CLASSES);
            model.build(1, 28, 28, 1);
            String svg = model.layerGraph().drawing().toSvg();
            SvgCheck check = new SvgCheck(svg);
            check.assertNoOverlaps();
            assertThat(check.count("//g[@class='node']")).isEqualTo(model.layers().size() + 1);
            if (name.equals("cnn")) {
                save("model-cnn.svg", svg);
            }
        }
    }

    @Test
    void trainingCurvesOfTheMlp() throws Exception {
        // docs/training.md: what ./vecgrad train --report shows, from History.plot.
        IdxImages train = digits("mnist10k-train");
        IdxImages test = digits("mnist10k-test");
        int n = WRITE ? train.size() : 2000;
        int epochs = WRITE ? 10 : 2;
        Sequential mlp = ImageClassifiers.mlp(TrainCommand.CLASSES);
        mlp.setSeed(42);
        mlp.build(1, 28, 28, 1);
        mlp.compile(CompileOptions.of("adam", new SparseCategoricalCrossentropy(true)).metrics("accuracy"));
        Dataset ds = Dataset.fromTensorSlices(train.images().slice(0, 0, n), train.labels().slice(0, 0, n))
                .shuffle(n, 42).batch(128);
        History h = mlp.fit(FitOptions.of(ds).epochs(epochs).verbose(0)
                .validationData(test.dataset().batch(128)));
        String svg = h.curves().toSvg();
        SvgCheck check = new SvgCheck(svg);
        assertThat(check.texts("//g[@class='chart']/text[1]")).containsExactly("loss", "accuracy");
        assertThat(check.count("//g[@class='series']")).isEqualTo(4);
        assertThat(check.count("//g[@class='mark']")).isEqualTo(2);
        save("curves-mlp.svg", svg);
        if (!WRITE) {
            return;
        }
        // The report's screenshot, from the command line itself.
        String[] chromium = HeadlessChromium.find();
        assertThat(chromium[0]).as(chromium[1]).isNotNull();
        Path runs = Files.createTempDirectory("vecgrad-report-");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"train", "--report", runs.toString(), "--verbose", "0",
            "--train", ROOT.resolve(TrainCommand.DEFAULT_TRAIN).toString(),
            "--test", ROOT.resolve(TrainCommand.DEFAULT_TEST).toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(status).as(out.toString(StandardCharsets.UTF_8)).isZero();
        try (HeadlessChromium browser = HeadlessChromium.start(chromium[0])) {
            assertThat(browser.open(runs.resolve("report.html"), 1200, 1400).problems()).isEmpty();
            AtomicFiles.write(OUT.resolve("report.png"), browser.screenshot(1200, 1400));
        } finally {
            Files.deleteIfExists(runs.resolve(dev.vecgrad.train.report.Report.FILE));
            Files.delete(runs);
        }
    }
}
