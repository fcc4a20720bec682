package dev.vecgrad.train.cli;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.io.Npy;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.Model;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.data.IdxImages;
import dev.vecgrad.train.registry.CustomObjects;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code evaluate} and {@code predict}: run a model directory written by {@code train --save}
 * (or {@link Model#save}) on an IDX image set.
 */
final class SavedModelCommands {
    static final Set<String> EVALUATE_FLAGS = Set.of("model", "test", "batch-size", "threads");
    static final Set<String> PREDICT_FLAGS = Set.of("model", "input", "output", "batch-size", "threads");

    private SavedModelCommands() {
    }

    /** {@code evaluate --model DIR --test PREFIX}: prints {@code test_accuracy=... test_loss=...}. */
    static void evaluate(String[] args, PrintStream out) {
        Flags f = Flags.parse("evaluate", args, 1, EVALUATE_FLAGS);
        String dir = required(f, "evaluate", "model");
        String testPrefix = f.string("test", TrainCommand.DEFAULT_TEST);
        int batchSize = f.positiveInt("batch-size", 128);
        Preflight.threads(f);
        Model model = load(dir);
        if (!model.isCompiled()) {
            throw new IllegalArgumentException("model " + dir + " was saved without a loss; it cannot be evaluated");
        }
        // Accuracy is asked for whatever metrics the model was saved with; the optimizer is not used.
        model.compile(CompileOptions.of(model.optimizer(), model.loss()).metrics("accuracy"));
        IdxImages test = Preflight.loading("the test set " + testPrefix, () -> IdxImages.load(testPrefix));
        if (test.size() == 0) {
            throw new IllegalArgumentException("--test " + testPrefix + " holds no images; evaluating needs at least one");
        }
        Map<String, Double> result = model.evaluate(test.dataset().batch(batchSize));
        out.printf(Locale.ROOT, "test_accuracy=%.4f test_loss=%.4f%n", result.get("accuracy"), result.get("loss"));
    }

    /**
     * {@code predict --model DIR --input PREFIX --output FILE.npy}: writes the model's outputs for
     * every image, as they are (logits for the {@code train} recipes), as an F32 (n, classes)
     * {@code .npy} file, creating its directory when missing.
     */
    static void predict(String[] args, PrintStream out) {
        Flags f = Flags.parse("predict", args, 1, PREDICT_FLAGS);
        String dir = required(f, "predict", "model");
        String inputPrefix = required(f, "predict", "input");
        Path output = Preflight.outputFile("predict", required(f, "predict", "output"));
        int batchSize = f.positiveInt("batch-size", 128);
        Preflight.threads(f);
        Model model = load(dir);
        Tensor images = Preflight.loading("the images " + inputPrefix, () -> IdxImages.loadImages(inputPrefix));
        Tensor predictions = model.predict(Dataset.fromTensorSlices(images).batch(batchSize));
        try {
            Npy.write(output, predictions);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + output + ": " + e.getMessage(), e);
        }
        out.println("wrote predictions " + predictions.shape() + " to " + output);
    }

    /** The model in {@code dir}, without its optimizer state, which evaluating and predicting do not use. */
    private static Model load(String dir) {
        return Preflight.loading("the model " + dir, () -> {
            try {
                return Model.load(Path.of(dir), new CustomObjects(), false);
            } catch (NoSuchFileException e) {
                throw new UncheckedIOException("cannot load model " + dir + ": " + e.getMessage()
                        + (e.getReason() == null ? ": no such file" : ""), e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load model " + dir + ": " + e.getMessage(), e);
            }
        });
    }

    private static String required(Flags f, String command, String flag) {
        if (!f.has(flag)) {
            throw new UsageException(command + ": --" + flag + " is required");
        }
        return f.string(flag, null);
    }
}
