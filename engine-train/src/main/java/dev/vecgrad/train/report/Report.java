package dev.vecgrad.train.report;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.io.AtomicFiles;
import dev.vecgrad.train.Model;
import dev.vecgrad.train.callbacks.Callback;
import dev.vecgrad.train.callbacks.History;
import dev.vecgrad.train.optimizers.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A callback that writes one self-contained {@code report.html} about a run: the model summary
 * and layer graph, the compile settings, the training curves, time and steps per second per
 * epoch, the learning rate over the steps, and for a classifier with test data the confusion
 * matrix and a grid of the test images it got most wrong, with predicted and true labels.
 *
 * <pre>{@code
 * Report report = Report.builder(Path.of("runs/r")).testData(xTest, yTest).build();
 * model.fit(FitOptions.of(train).epochs(10).callbacks(report));
 * model.evaluate(test, -1, 0, List.of(report));  // adds the evaluation's results
 * // open runs/r/report.html in a browser, during training or after
 * }</pre>
 *
 * <p>The page needs nothing but itself: styles are inline, pictures are inline SVG or PNG data,
 * and nothing is fetched. While {@code fit} runs the file is rewritten at every epoch end, and
 * within an epoch every {@link Builder#refreshSeconds(int) refresh interval} (less often when
 * writing would take more than 2% of the time); the page reloads itself from disk at that
 * interval, keeping its scroll position. The last write, when training ends, stops the
 * reloading; if {@code fit} fails, the page keeps showing the last write and its time. Each
 * write replaces the file atomically, so a browser never reads half a report. {@code evaluate}
 * and {@code predict} runs given this callback add a line each, and {@link #addPredictions}
 * adds a classifier's confusion matrix for any labelled set.
 */
public final class Report extends Callback {
    /** The report's file name inside its directory. */
    public static final String FILE = "report.html";
    /** At most this many learning-rate points are kept; beyond it every other one is dropped. */
    static final int MAX_RATE_POINTS = 4096;

    /** One epoch: wall time, the part spent on training steps, the steps run, and its logs. */
    record EpochTiming(int epoch, double seconds, double trainSeconds, int steps, Map<String, Double> logs) {
        double stepsPerSecond() {
            return trainSeconds > 0 ? steps / trainSeconds : Double.NaN;
        }
    }

    /** An {@code evaluate} or {@code predict} run seen by the report. */
    record Run(String kind, Map<String, Double> results, double seconds, int batches) {
    }

    private final Path dir;
    private final String title;
    private final Tensor testX;
    private final Tensor testY;
    private final int worstCount;
    private final int refreshSeconds;
    private final int imageZoom;

    // What the page shows; guarded by this.
    private final History history = new History();
    private final List<EpochTiming> timings = new ArrayList<>();
    private final List<double[]> rates = new ArrayList<>();
    private int rateStride = 1;
    private long ratesSeen;
    private final List<Run> runs = new ArrayList<>();
    private Classification classification;
    private String classificationSource;
    /** Why the test data gave no confusion matrix (the model is not a classifier), or null. */
    private String classificationProblem;
    private boolean training;
    private boolean finished;
    private int epoch = -1;
    private int batch = -1;
    private Instant started;
    private int fitEpochs;
    private long fitSteps = -1;
    private double trainSeconds;
    // Timers.
    private long fitStart;
    private long epochStart;
    private long lastBatchEnd;
    private long lastWrite;
    private long writeNanos;
    private long runStart;
    private int runBatches;

    private Report(Builder b) {
        dir = b.dir;
        title = b.title;
        testX = b.testX;
        testY = b.testY;
        worstCount = b.worstCount;
        refreshSeconds = b.refreshSeconds;
        imageZoom = b.imageZoom;
    }

    /** A report written to {@code dir}/{@value #FILE}; the directory is created when missing. */
    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** The settings of a {@link Report}. */
    public static final class Builder {
        private final Path dir;
        private String title;
        private Tensor testX;
        private Tensor testY;
        private int worstCount = 24;
        private int refreshSeconds = 2;
        private int imageZoom = 3;

        private Builder(Path dir) {
            this.dir = Objects.requireNonNull(dir, "report directory");
        }

        /** The page's heading (default: the model's name). */
        public Builder title(String t) {
            title = t;
            return this;
        }

        /**
         * Labelled examples the trained model is tried on when {@code fit} ends, for the confusion
         * matrix and the most-wrong grid; inputs {@code x} (images are shown) and labels {@code y}
         * (class numbers or one-hot rows).
         */
        public Builder testData(Tensor x, Tensor y) {
            testX = Objects.requireNonNull(x, "test inputs");
            testY = Objects.requireNonNull(y, "test labels");
            if (x.rank() < 1 || y.rank() < 1 || x.shape().dim(0) != y.shape().dim(0)) {
                throw new IllegalArgumentException("report: test inputs " + x.shape() + " and labels " + y.shape()
                        + " must have the same number of examples");
            }
            return this;
        }

        /** How many of the worst-classified examples to show (default 24). */
        public Builder worst(int n) {
            if (n < 0 || n > 1000) {
                throw new IllegalArgumentException("report: worst must be 0..1000, got " + n);
            }
            worstCount = n;
            return this;
        }

        /**
         * How often, in seconds, the page reloads while training runs and the file is rewritten
         * within an epoch (default 2).
         */
        public Builder refreshSeconds(int seconds) {
            if (seconds < 1 || seconds > 3600) {
                throw new IllegalArgumentException("report: refreshSeconds must be 1..3600, got " + seconds);
            }
            refreshSeconds = seconds;
            return this;
        }

        /** Screen pixels per image pixel in the most-wrong grid (default 3). */
        public Builder imageZoom(int zoom) {
            if (zoom < 1 || zoom > 16) {
                throw new IllegalArgumentException("report: imageZoom must be 1..16, got " + zoom);
            }
            imageZoom = zoom;
            return this;
        }

        /** The report. */
        public Report build() {
            return new Report(this);
        }
    }

    /** The report's file, {@code dir/report.html}. */
    public Path file() {
        return dir.resolve(FILE);
    }

    // ---------------------------------------------------------------------------------------
    // Training.

    @Override
    public synchronized void onTrainBegin(Map<String, Double> logs) {
        training = true;
        finished = false;
        started = Instant.now();
        fitStart = System.nanoTime();
        fitEpochs = params().epochs();
        fitSteps = params().steps();
        write();
    }

    @Override
    public synchronized void onEpochBegin(int epoch, Map<String, Double> logs) {
        this.epoch = epoch;
        batch = -1;
        epochStart = System.nanoTime();
        lastBatchEnd = epochStart;
    }

    @Override
    public synchronized void onTrainBatchBegin(int batch, Map<String, Double> logs) {
        Optimizer opt = model() == null ? null : model().optimizer();
        if (opt != null) {
            addRate(opt.iterations(), opt.learningRate());
        }
    }

    @Override
    public synchronized void onTrainBatchEnd(int batch, Map<String, Double> logs) {
        this.batch = batch;
        lastBatchEnd = System.nanoTime();
        // Within an epoch, write at the refresh interval, but never spend more than 2% of the time writing.
        if (lastBatchEnd - lastWrite >= Math.max(refreshSeconds * 1_000_000_000L, 50 * writeNanos)) {
            write();
        }
    }

    @Override
    public synchronized void onEpochEnd(int epoch, Map<String, Double> logs) {
        long now = System.nanoTime();
        history.onEpochEnd(epoch, logs);
        timings.add(new EpochTiming(epoch, (now - epochStart) / 1e9, (lastBatchEnd - epochStart) / 1e9, batch + 1,
                new LinkedHashMap<>(logs)));
        trainSeconds = (now - fitStart) / 1e9;
        write();
    }

    @Override
    public synchronized void onTrainEnd(Map<String, Double> logs) {
        trainSeconds = (System.nanoTime() - fitStart) / 1e9;
        training = false;
        finished = true;
        if (testX != null && model() != null) {
            Tensor yPred = model().predict(testX, 256);
            try {
                classification = Classification.of(testX, testY, yPred, worstCount, imageZoom);
                classificationSource = "the test data after training";
            } catch (IllegalArgumentException e) {
                // A model that is not a classifier still gets its report, which says why this part is missing.
                classificationProblem = e.getMessage();
            }
        }
        write();
    }

    private void addRate(long step, double rate) {
        if (ratesSeen++ % rateStride != 0) {
            return;
        }
        rates.add(new double[] {step, rate});
        if (rates.size() > MAX_RATE_POINTS) {
            List<double[]> kept = new ArrayList<>();
            for (int i = 0; i < rates.size(); i += 2) {
                kept.add(rates.get(i));
            }
            rates.clear();
            rates.addAll(kept);
            rateStride *= 2;
        }
    }

    // ---------------------------------------------------------------------------------------
    // evaluate and predict (outside fit: inside it, tests are the validation passes).

    @Override
    public synchronized void onTestBegin(Map<String, Double> logs) {
        beginRun();
    }

    @Override
    public synchronized void onTestBatchEnd(int batch, Map<String, Double> logs) {
        runBatches = batch + 1;
    }

    @Override
    public synchronized void onTestEnd(Map<String, Double> logs) {
        endRun("evaluate", logs);
    }

    @Override
    public synchronized void onPredictBegin(Map<String, Double> logs) {
        beginRun();
    }

    @Override
    public synchronized void onPredictBatchEnd(int batch, Map<String, Double> logs) {
        runBatches = batch + 1;
    }

    @Override
    public synchronized void onPredictEnd(Map<String, Double> logs) {
        endRun("predict", Map.of());
    }

    private void beginRun() {
        if (!training) {
            runStart = System.nanoTime();
            runBatches = 0;
        }
    }

    private void endRun(String kind, Map<String, Double> results) {
        if (!training) {
            runs.add(new Run(kind, new LinkedHashMap<>(results), (System.nanoTime() - runStart) / 1e9, runBatches));
            write();
        }
    }

    /**
     * Adds (or replaces) the classification section: the confusion matrix of {@code yPred}
     * against {@code yTrue}, and the inputs {@code x} the model got most wrong. {@code source}
     * says which data it is ("the test set").
     */
    public synchronized void addPredictions(String source, Tensor x, Tensor yTrue, Tensor yPred) {
        classification = Classification.of(x, yTrue, yPred, worstCount, imageZoom);
        classificationSource = Objects.requireNonNull(source, "source");
        classificationProblem = null;
        write();
    }

    // ---------------------------------------------------------------------------------------
    // Writing.

    /** Writes the report now (replacing the file atomically). */
    public synchronized void write() {
        long start = System.nanoTime();
        String html = ReportPage.render(snapshot());
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(file(), html.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("report: cannot write " + file() + ": " + e.getMessage(), e);
        }
        lastWrite = System.nanoTime();
        writeNanos = lastWrite - start;
    }

    /** Everything the page shows, rendered while the report's lock is held. */
    record Snapshot(String title, Model model, boolean training, boolean finished, int epoch, int batch,
            int epochs, long steps, Instant started, double trainSeconds, History history, List<EpochTiming> timings,
            List<double[]> rates, List<Run> runs, Classification classification, String classificationSource,
            String classificationProblem,
            int refreshSeconds) {
    }

    private Snapshot snapshot() {
        Model m = model();
        String t = title != null ? title : m != null ? m.name() : "run";
        return new Snapshot(t, m, training, finished, epoch, batch, fitEpochs, fitSteps, started,
                trainSeconds, history, List.copyOf(timings), List.copyOf(rates), List.copyOf(runs), classification,
                classificationSource, classificationProblem, refreshSeconds);
    }
}
