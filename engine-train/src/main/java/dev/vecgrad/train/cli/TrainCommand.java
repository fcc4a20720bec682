package dev.vecgrad.train.cli;

import dev.vecgrad.core.Engine;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.FitOptions;
import dev.vecgrad.train.ImageClassifiers;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.callbacks.Callback;
import dev.vecgrad.train.callbacks.ProgbarLogger;
import dev.vecgrad.train.cli.spi.ClusterTraining;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.data.IdxImages;
import dev.vecgrad.train.losses.SparseCategoricalCrossentropy;
import dev.vecgrad.train.optimizers.Optimizer;
import dev.vecgrad.train.optimizers.Optimizers;
import dev.vecgrad.train.report.Report;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * {@code train}: fits the MLP or CNN recipe on an IDX image set and reports test accuracy. Inputs
 * are scaled to [0, 1]; the loss is sparse categorical cross-entropy on logits. With a cluster's
 * flag ({@code --spark MASTER}, see {@link ClusterTraining}) the same recipe trains on that cluster.
 */
final class TrainCommand {
    static final String DEFAULT_TRAIN = "data/mnist/mnist10k-train";
    static final String DEFAULT_TEST = "data/mnist/mnist10k-test";
    static final int CLASSES = 10;
    static final Set<String> FLAGS = Set.of("train", "test", "model", "epochs", "batch-size", "optimizer", "lr",
            "seed", "threads", "save", "verbose", "report");

    private TrainCommand() {
    }

    static void run(String[] args, PrintStream out) {
        List<ClusterTraining> clusters = ServiceLoader.load(ClusterTraining.class).stream().map(ServiceLoader.Provider::get)
                .toList();
        Set<String> known = new HashSet<>(FLAGS);
        for (ClusterTraining c : clusters) {
            known.add(c.flag());
            known.addAll(c.flags());
        }
        if (clusters.isEmpty() && Arrays.asList(args).contains("--spark")) {
            throw new UsageException("train: --spark needs engine-spark and Spark on the class path; run it through the"
                    + " vecgrad launcher, which adds them");
        }
        Flags f = Flags.parse("train", args, 1, known);
        String trainPrefix = f.string("train", DEFAULT_TRAIN);
        String testPrefix = f.string("test", DEFAULT_TEST);
        String modelName = f.string("model", "mlp");
        int epochs = f.positiveInt("epochs", 10);
        int batchSize = f.positiveInt("batch-size", 128);
        String optimizerName = f.string("optimizer", "adam");
        double lr = f.positiveDouble("lr", 1e-3);
        long seed = f.longValue("seed", 42);
        int verbose = f.has("verbose") ? verbosity(f.string("verbose", "1")) : 1;
        Preflight.threads(f);
        Path saveDir = f.has("save") ? Preflight.saveTarget("train", f.string("save", null)) : null;
        Path reportDir = f.has("report") ? Preflight.reportTarget("train", f.string("report", null)) : null;
        Sequential model = model(modelName, CLASSES);
        Optimizer optimizer = optimizer(optimizerName);
        optimizer.setLearningRate(lr);
        ClusterTraining cluster = clusters.stream().filter(c -> f.has(c.flag())).findFirst().orElse(null);
        if (cluster == null) {
            IdxImages train = Preflight.loading("the training set " + trainPrefix, () -> IdxImages.load(trainPrefix));
            IdxImages test = Preflight.loading("the test set " + testPrefix, () -> IdxImages.load(testPrefix));
            checkImages(train, test, trainPrefix, testPrefix, modelName);
            int[] side = train.imageSize();
            Dataset trainData = train.dataset().shuffle(train.size(), seed).batch(batchSize).prefetch(2);
            train(model, optimizer, new int[] {side[0], side[1], 1}, trainData, test.dataset().batch(batchSize), 1,
                    new Run(seed, epochs, verbose, saveDir, reportDir), f, out, null, test);
            return;
        }
        try (ClusterTraining.Session session = cluster.open(f.string(cluster.flag(), null), f.only(cluster.flags()), seed)) {
            out.println(session.describe());
            ClusterTraining.Images train = session.images(trainPrefix, batchSize, seed, CLASSES);
            ClusterTraining.Images test = session.images(testPrefix, batchSize, null, CLASSES);
            if (!Arrays.equals(train.imageShape(), test.imageShape())) {
                throw new IllegalArgumentException("image sizes differ: " + trainPrefix + " has "
                        + Arrays.toString(train.imageShape()) + ", " + testPrefix + " has "
                        + Arrays.toString(test.imageShape()));
            }
            checkSide(train.imageShape(), modelName);
            model.setStrategy(session.strategy());
            // The report draws from the test images, so they are read here too (test sets are small).
            IdxImages reported = reportDir != null
                    ? Preflight.loading("the test set " + testPrefix, () -> IdxImages.load(testPrefix))
                    : null;
            train(model, optimizer, train.imageShape(), train.data(), test.data(),
                    session.stepsPerExecution(train.data().cardinality()), new Run(seed, epochs, verbose, saveDir, reportDir),
                    f, out, session, reported);
        }
    }

    /**
     * The seed, epochs and verbosity of a run, the model directory to save to and the report's
     * directory (null: none), both checked before training.
     */
    private record Run(long seed, int epochs, int verbose, Path saveDir, Path reportDir) {
    }

    /**
     * Builds and compiles {@code model} for images of {@code shape}, fits, evaluates, saves and
     * reports; {@code test} (held here) feeds the {@code --report} page.
     */
    private static void train(Sequential model, Optimizer optimizer, int[] shape, Dataset trainData, Dataset testData,
            int stepsPerExecution, Run run, Flags f, PrintStream out, ClusterTraining.Session session, IdxImages test) {
        model.setSeed(run.seed());
        model.build(1, shape[0], shape[1], shape[2]);
        model.compile(CompileOptions.of(optimizer, new SparseCategoricalCrossentropy(true)).metrics("accuracy")
                .stepsPerExecution(stepsPerExecution));
        out.println(Engine.get().describe());
        out.print(model.summary());
        out.flush();

        long start = System.nanoTime();
        boolean terminal = out == System.out && System.console() != null;
        List<Callback> callbacks = new ArrayList<>(List.of(new ProgbarLogger(out, terminal),
                new StopOnDivergence(f.string("lr", "0.001"))));
        FitOptions fit = FitOptions.of(trainData).epochs(run.epochs()).verbose(run.verbose());
        Report report = null;
        if (run.reportDir() != null) {
            // As Keras's MNIST examples do, the test set doubles as validation data, so the curves show both.
            fit.validationData(test.dataset().batch(f.positiveInt("batch-size", 128)));
            report = Report.builder(run.reportDir())
                    .title(f.string("model", "mlp") + " on " + Path.of(f.string("train", DEFAULT_TRAIN)).getFileName())
                    .testData(test.images(), test.labels()).build();
            callbacks.add(report);
            out.println("report: " + report.file() + " (open it in a browser; it updates while training runs)");
        }
        model.fit(fit.callbacks(callbacks));
        double seconds = (System.nanoTime() - start) / 1e9;
        if (session != null && !session.report().isEmpty()) {
            out.println(session.report());
        }

        Map<String, Double> result = model.evaluate(testData, -1, 0, report == null ? List.of() : List.of(report));
        if (run.saveDir() != null) {
            save(model, run.saveDir(), out);
        }
        out.printf(Locale.ROOT, "test_accuracy=%.4f test_loss=%.4f train_seconds=%.1f%n", result.get("accuracy"),
                result.get("loss"), seconds);
    }

    /** Saves the trained model (architecture, weights, optimizer state) to {@code dir} as its new current save. */
    private static void save(Sequential model, Path dir, PrintStream out) {
        try {
            model.save(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the model to " + dir + ": " + e.getMessage(), e);
        }
        out.println("saved the model to " + dir);
    }

    private static int verbosity(String v) {
        return switch (v) {
            case "0" -> 0;
            case "1" -> 1;
            case "2" -> 2;
            default -> throw new UsageException("train: --verbose must be 0, 1 or 2, got '" + v + "'");
        };
    }

    /** The model {@code --model} names ({@code mlp} or {@code cnn}) for {@code classes} classes. */
    static Sequential model(String name, int classes) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "mlp" -> ImageClassifiers.mlp(classes);
            case "cnn" -> ImageClassifiers.cnn(classes);
            default -> throw new UsageException("train: --model must be mlp or cnn, got '" + name + "'");
        };
    }

    private static Optimizer optimizer(String name) {
        try {
            return Optimizers.get(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException("train: --optimizer: " + e.getMessage());
        }
    }

    private static void checkImages(IdxImages train, IdxImages test, String trainPrefix, String testPrefix,
            String model) {
        int[] a = train.imageSize();
        int[] b = test.imageSize();
        if (train.size() == 0 || test.size() == 0) {
            String flag = train.size() == 0 ? "--train " + trainPrefix : "--test " + testPrefix;
            throw new IllegalArgumentException(flag + " holds no images; "
                    + (train.size() == 0 ? "training" : "measuring the test accuracy") + " needs at least one");
        }
        if (!Arrays.equals(a, b)) {
            throw new IllegalArgumentException("image sizes differ: " + trainPrefix + " has " + a[0] + "x" + a[1] + ", "
                    + testPrefix + " has " + b[0] + "x" + b[1]);
        }
        checkSide(a, model);
        checkLabels(train.labels(), trainPrefix);
        checkLabels(test.labels(), testPrefix);
    }

    private static void checkSide(int[] side, String model) {
        if (model.equalsIgnoreCase("cnn") && (side[0] < ImageClassifiers.CNN_MIN_SIDE || side[1] < ImageClassifiers.CNN_MIN_SIDE)) {
            throw new IllegalArgumentException("images of " + side[0] + "x" + side[1] + " are too small for the cnn (at least "
                    + ImageClassifiers.CNN_MIN_SIDE + "x" + ImageClassifiers.CNN_MIN_SIDE + ")");
        }
    }

    private static void checkLabels(Tensor labels, String prefix) {
        for (int v : TensorInternals.i32(labels)) {
            if (v < 0 || v >= CLASSES) {
                throw new IllegalArgumentException(prefix + ": label " + v + " is outside the " + CLASSES + " classes 0.."
                        + (CLASSES - 1));
            }
        }
    }
}
