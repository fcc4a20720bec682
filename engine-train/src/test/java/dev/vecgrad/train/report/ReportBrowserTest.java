package dev.vecgrad.train.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.io.AtomicFiles;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.FitOptions;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.callbacks.Callback;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.data.IdxImages;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.layers.Flatten;
import dev.vecgrad.train.losses.SparseCategoricalCrossentropy;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run report opened in a real headless Chromium: it loads without console errors or
 * network requests, shows the curves, the confusion matrix and decodable images, reloads itself
 * from disk while training runs, and its screenshot is kept in {@code target/} as an artifact.
 */
class ReportBrowserTest {
    /** Where the screenshot is kept, relative to the module. */
    static final Path SCREENSHOT = Path.of("target", "report-screenshot.png");
    private static String chromium;

    @TempDir
    Path dir;

    @BeforeAll
    static void findBrowser() {
        String[] found = HeadlessChromium.find();
        Assumptions.assumeTrue(found[0] != null, found[1]);
        chromium = found[0];
    }

    /** An MLP trained for three epochs on 1,000 digits of the bundled MNIST sample, reported on 500 others. */
    private static Report trainedReport(Path dir, Callback... more) {
        IdxImages digits = IdxImages.load(Path.of("..").toAbsolutePath().normalize()
                .resolve("data/mnist/mnist10k-test").toString());
        Tensor x = digits.images();
        Tensor y = digits.labels();
        Tensor trainX = x.slice(0, 0, 1000);
        Tensor trainY = y.slice(0, 0, 1000);
        Tensor testX = x.slice(0, 1500, 2000);
        Tensor testY = y.slice(0, 1500, 2000);
        Sequential model = new Sequential("mlp").add(new Flatten()).add(new Dense(64, Activations.relu()))
                .add(new Dense(10));
        model.setSeed(11);
        model.build(1, 28, 28, 1);
        model.compile(CompileOptions.of("adam", new SparseCategoricalCrossentropy(true)).metrics("accuracy"));
        Report report = Report.builder(dir).testData(testX, testY).refreshSeconds(1).build();
        List<Callback> callbacks = new java.util.ArrayList<>(List.of(report));
        callbacks.addAll(List.of(more));
        model.fit(FitOptions.of(Dataset.fromTensorSlices(trainX, trainY).shuffle(1000, 3).batch(100)).epochs(3)
                .verbose(0).validationData(testX, testY).callbacks(callbacks));
        model.evaluate(Dataset.fromTensorSlices(testX, testY).batch(100), -1, 0, List.of(report));
        return report;
    }

    @Test
    void theReportLoadsCleanlyAndShowsCurvesConfusionMatrixAndImages() throws Exception {
        Path live = dir.resolve("live.html");
        Callback keepLivePage = new Callback() {
            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
                try {
                    if (epoch == 0) {
                        Files.copy(dir.resolve(Report.FILE), live);
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        Report report = trainedReport(dir, keepLivePage);
        try (HeadlessChromium browser = HeadlessChromium.start(chromium)) {
            HeadlessChromium.PageLoad load = browser.open(report.file(), 1280, 900);
            assertThat(load.problems()).as("console errors, warnings and uncaught exceptions").isEmpty();
            assertThat(load.requests()).as("requests other than the page and its inline data")
                    .allMatch(url -> url.equals(report.file().toUri().toString()) || url.startsWith("data:"));

            assertThat((String) browser.evaluate("document.getElementById('status').textContent"))
                    .startsWith("finished: 3 epochs in ");
            // The curves: loss and accuracy charts, each with training and validation lines, drawn at a readable size.
            assertThat(number(browser.evaluate("document.querySelectorAll('#curves svg g.series').length")))
                    .isEqualTo(4);
            assertThat(number(browser.evaluate(
                    "document.querySelector('#curves svg').getBoundingClientRect().width"))).isGreaterThan(600);
            assertThat(number(browser.evaluate(
                    "document.querySelectorAll('#curves g.series path').item(0).getTotalLength()"))).isGreaterThan(50);
            // The confusion matrix: ten rows of ten counts and a recall, over the 500 test digits.
            assertThat(number(browser.evaluate("document.querySelectorAll('#confusion tr').length"))).isEqualTo(11);
            assertThat(number(browser.evaluate("document.querySelectorAll('#confusion td[style]').length")))
                    .isEqualTo(100);
            assertThat(number(browser.evaluate("Array.from(document.querySelectorAll('#confusion td[style]'))"
                    + ".reduce((s, td) => s + Number(td.textContent), 0)"))).isEqualTo(500);
            // The most-wrong grid: every image decoded by the browser.
            assertThat(number(browser.evaluate("document.querySelectorAll('figure.miss img').length"))).isEqualTo(24);
            assertThat(browser.evaluate("Array.from(document.images).every(i => i.complete && i.naturalWidth === 28)"))
                    .isEqualTo(true);

            byte[] png = browser.screenshot(1280, 8000);
            Files.createDirectories(SCREENSHOT.getParent());
            AtomicFiles.write(SCREENSHOT, png);
            BufferedImage shot = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(shot.getWidth()).isEqualTo(1280);
            assertThat(shot.getHeight()).isGreaterThan(2000);

            // The page written after the first epoch reloads itself: replace it on disk with the
            // finished report and it shows that within a few reloads.
            HeadlessChromium.PageLoad liveLoad = browser.open(live, 1280, 900);
            assertThat(liveLoad.problems()).isEmpty();
            assertThat(status(browser)).startsWith("training: epoch 1 of 3");
            AtomicFiles.write(live, Files.readAllBytes(report.file()));
            String status = "";
            for (int i = 0; i < 50 && !status.startsWith("finished"); i++) {
                Thread.sleep(200);
                status = status(browser);
            }
            assertThat(status).startsWith("finished: 3 epochs");
        }
    }

    /** The status line; a read that meets a reload in progress is tried again. */
    private static String status(HeadlessChromium browser) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                return String.valueOf(browser.evaluate(
                        "document.getElementById('status') ? document.getElementById('status').textContent : ''"));
            } catch (java.io.IOException e) {
                if (attempt == 5) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static double number(Object v) {
        return ((Number) v).doubleValue();
    }
}
