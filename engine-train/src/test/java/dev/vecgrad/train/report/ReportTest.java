package dev.vecgrad.train.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.FitOptions;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.callbacks.Callback;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.layers.Flatten;
import dev.vecgrad.train.losses.SparseCategoricalCrossentropy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    static final int CLASSES = 3;
    static final int SIDE = 8;

    @TempDir
    Path dir;

    /** {@code n} 8x8 images of 3 classes: class k is bright in the k-th third of its columns, plus noise. */
    static Tensor[] images(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * SIDE * SIDE];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(CLASSES);
            for (int row = 0; row < SIDE; row++) {
                for (int col = 0; col < SIDE; col++) {
                    boolean bright = col * CLASSES / SIDE == y[i];
                    x[(i * SIDE + row) * SIDE + col] = (bright ? 0.6f : 0f) + 0.5f * r.nextFloat();
                }
            }
        }
        return new Tensor[] {Tensor.of(x, n, SIDE, SIDE, 1), Tensor.of(y, n)};
    }

    static Sequential classifier() {
        Sequential model = new Sequential("tiny").add(new Flatten()).add(new Dense(16, dev.vecgrad.train.activations.Activations.relu())).add(new Dense(CLASSES));
        model.setSeed(5);
        model.build(1, SIDE, SIDE, 1);
        model.compile(CompileOptions.of("adam", new SparseCategoricalCrossentropy(true)).metrics("accuracy"));
        return model;
    }

    private String read(Report report) throws Exception {
        return Files.readString(report.file(), StandardCharsets.UTF_8);
    }

    @Test
    void afterTrainingTheReportHasEverySectionAndStopsReloading() throws Exception {
        Tensor[] train = images(240, 1);
        Tensor[] test = images(90, 2);
        Sequential model = classifier();
        Report report = Report.builder(dir.resolve("run")).testData(test[0], test[1]).worst(5).build();
        List<String> duringTraining = new ArrayList<>();
        Callback peek = new Callback() {
            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
                try {
                    duringTraining.add(read(report));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        };
        Dataset ds = Dataset.fromTensorSlices(train[0], train[1]).batch(32);
        model.fit(FitOptions.of(ds).epochs(3).verbose(0).validationData(test[0], test[1]).callbacks(report, peek));
        Map<String, Double> evaluated = model.evaluate(Dataset.fromTensorSlices(test[0], test[1]).batch(30), -1, 0,
                List.of(report));
        model.predict(Dataset.fromTensorSlices(test[0]).batch(45), -1, 0, List.of(report));

        // While training: the page reloads itself and says where training is.
        assertThat(duringTraining).hasSize(3);
        assertThat(duringTraining.get(0)).contains("<meta http-equiv=\"refresh\" content=\"2\">")
                .contains("training: epoch 1 of 3");
        assertThat(duringTraining.get(2)).contains("training: epoch 3 of 3, step 8 of 8");

        String html = read(report);
        assertThat(html).doesNotContain("http-equiv=\"refresh\"").contains("finished: 3 epochs");
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        for (String id : List.of("curves", "confusion", "worst", "timing", "learning-rate", "runs", "model", "compile")) {
            assertThat(html).contains("id=\"" + id + "\"");
        }
        // Self-contained: no external reference of any kind (the SVG namespace is a name, not a fetch).
        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).doesNotContain("http://", "https://", "src=\"/", "<link rel=\"stylesheet\"")
                .doesNotContainPattern("src=\"(?!data:)");
        // The curves: loss and accuracy, training and validation.
        assertThat(html).contains("data-name=\"val_loss\"", "data-name=\"val_accuracy\"", "best at epoch ");
        // The model and its settings.
        assertThat(html).contains("Model: &quot;tiny&quot;", "Adam", "SparseCategoricalCrossentropy",
                "class=\"graph\"", "dense_1 (Dense)");
        // The evaluation's results, as evaluate returned them, and the predict run.
        assertThat(html).contains("<td class=\"name\">evaluate</td><td>3</td>", "<td class=\"name\">predict</td><td>2</td>")
                .contains("accuracy " + dev.vecgrad.core.draw.Numbers.significant(evaluated.get("accuracy"), 4));
        // One timing row an epoch, with 8 steps of 32 (240 examples).
        assertThat(Pattern.compile("<tr><td>\\d</td><td>[\\d.]+</td><td>[\\d.]+</td><td>8</td>").matcher(html)
                .results().count()).isEqualTo(3);

        // The confusion matrix counts what the model predicts, worked out here independently.
        int[] truth = test[1].toIntArray();
        float[] logits = model.predict(test[0], 45).toFloatArray();
        long[][] expected = new long[CLASSES][CLASSES];
        for (int i = 0; i < truth.length; i++) {
            int best = 0;
            for (int c = 1; c < CLASSES; c++) {
                if (logits[i * CLASSES + c] > logits[i * CLASSES + best]) {
                    best = c;
                }
            }
            expected[truth[i]][best]++;
        }
        String table = html.substring(html.indexOf("<table class=\"confusion\""), html.indexOf("</table>",
                html.indexOf("<table class=\"confusion\"")));
        Matcher cells = Pattern.compile("<td[^>]*style=\"background[^>]*>(\\d+)</td>").matcher(table);
        for (int t = 0; t < CLASSES; t++) {
            for (int p = 0; p < CLASSES; p++) {
                assertThat(cells.find()).isTrue();
                assertThat(Long.parseLong(cells.group(1))).as("true %d predicted %d", t, p).isEqualTo(expected[t][p]);
            }
        }
        long misses = 0;
        for (int t = 0; t < CLASSES; t++) {
            for (int p = 0; p < CLASSES; p++) {
                misses += t == p ? 0 : expected[t][p];
            }
        }
        assertThat(Pattern.compile("<figure class=\"miss\"><img").matcher(html).results().count())
                .isEqualTo(Math.min(5, misses));
    }

    @Test
    void everyWriteReplacesTheFileWhole() throws Exception {
        Tensor[] test = images(60, 3);
        Sequential model = classifier();
        Report report = Report.builder(dir).build();
        report.setModel(model);
        Tensor logits = model.predict(test[0], 30);
        report.addPredictions("a set", test[0], test[1], logits);
        AtomicBoolean stop = new AtomicBoolean();
        List<String> broken = new ArrayList<>();
        int[] reads = {0};
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                try {
                    String s = Files.readString(report.file(), StandardCharsets.UTF_8);
                    reads[0]++;
                    if (!s.startsWith("<!DOCTYPE html>") || !s.endsWith("</html>\n")) {
                        broken.add(s.length() + " characters");
                    }
                } catch (Exception e) {
                    broken.add(e.toString());
                }
            }
        });
        reader.start();
        for (int i = 0; i < 40; i++) {
            report.write();
        }
        stop.set(true);
        reader.join();
        assertThat(broken).isEmpty();
        assertThat(reads[0]).isPositive();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(Report.FILE);
        }
    }

    @Test
    void testDataOfARegressorGiveNoConfusionMatrixAndSayWhy() throws Exception {
        Sequential model = new Sequential("regressor").add(new Flatten()).add(new Dense(1));
        model.build(1, SIDE, SIDE, 1);
        model.compile("sgd", "mse");
        Tensor[] data = images(40, 4);
        Tensor targets = data[1].cast(dev.vecgrad.core.DType.F32).mul(0.37f);
        Report report = Report.builder(dir).testData(data[0], targets).build();
        model.fit(FitOptions.of(Dataset.fromTensorSlices(data[0], targets).batch(20)).epochs(1).verbose(0)
                .callbacks(report));
        assertThat(read(report)).contains("finished: 1 epoch", "No confusion matrix", "is not a class number")
                .doesNotContain("id=\"confusion\"");
    }

    @Test
    void aReportOfAnUntrainedModelSaysSo() throws Exception {
        Report report = Report.builder(dir).title("<script>alert(1)</script>").build();
        report.write();
        String html = read(report);
        assertThat(html).contains("not trained here", "No epoch has finished yet", "&lt;script&gt;alert(1)")
                .doesNotContain("<script>alert");
    }

    @Test
    void badSettingsAreClearErrors() {
        Tensor[] data = images(10, 1);
        assertThatThrownBy(() -> Report.builder(dir).testData(data[0], Tensor.of(new int[] {1, 2}, 2)))
                .hasMessageContaining("same number of examples");
        assertThatThrownBy(() -> Report.builder(dir).worst(-1)).hasMessageContaining("0..1000");
        assertThatThrownBy(() -> Report.builder(dir).refreshSeconds(0)).hasMessageContaining("1..3600");
    }
}
