package dev.vecgrad.train.examples;

import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.FitOptions;
import dev.vecgrad.train.Functional;
import dev.vecgrad.train.Model;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.callbacks.History;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.data.IdxImages;
import dev.vecgrad.train.data.Tensors;
import dev.vecgrad.train.layers.Activation;
import dev.vecgrad.train.layers.Concatenate;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.layers.Flatten;
import dev.vecgrad.train.layers.Input;
import dev.vecgrad.train.layers.SymbolicTensor;
import dev.vecgrad.train.losses.BinaryCrossentropy;
import dev.vecgrad.train.losses.SparseCategoricalCrossentropy;
import dev.vecgrad.train.optimizers.Adam;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A functional model with two inputs and two outputs on MNIST: {@code vecgrad example functional}.
 *
 * <p>Each sample is a digit image and a <em>hint</em>, a label that is the right one half of the
 * time and a wrong one otherwise (one-hot, 10 values). The model reads both and answers two
 * questions at once: which digit it is ({@code digit}, 10 logits) and whether the hint is right
 * ({@code hint_right}, a probability). The digit head sees only the image; the hint head sees the
 * digit head's probabilities beside the hint, so it learns to compare them:
 *
 * <pre>
 *   image (28, 28, 1) ─ Flatten ─ Dense 128 relu ─ Dense 10 ─────────────────── digit (logits)
 *                                                      └ softmax ─┐
 *   hint (10) ─────────────────────────────────────────── Concatenate ─ Dense 32 relu ─ Dense 1 sigmoid ─ hint_right
 * </pre>
 *
 * Each output has its own loss (sparse cross-entropy of logits for the digit, binary cross-entropy
 * for the hint; the latter weighted 0.5) and its own metrics, and the data reaches the model by
 * name: inputs {@code image} and {@code hint}, targets {@code digit} and {@code hint_right}.
 *
 * <pre>{@code
 * FunctionalExample.Result r = FunctionalExample.run(FunctionalExample.Recipe.defaults(), System.out);
 * }</pre>
 */
public final class FunctionalExample {
    private FunctionalExample() {
    }

    /**
     * What a run does.
     *
     * @param train the IDX prefix of the training images and labels
     * @param test the IDX prefix of the test images and labels
     * @param epochs passes over the training data
     * @param batchSize samples per batch
     * @param learningRate Adam's learning rate
     * @param hintAccuracy the share of hints that are right
     * @param seed weights, hints and shuffling
     * @param verbose fit's verbosity (0 silent, 1 progress bar, 2 a line per epoch)
     */
    public record Recipe(String train, String test, int epochs, int batchSize, double learningRate, double hintAccuracy,
            long seed, int verbose) {
        /** Checks the numbers. */
        public Recipe {
            if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || !(hintAccuracy >= 0 && hintAccuracy <= 1)) {
                throw new IllegalArgumentException("functional: epochs and batch size must be positive, the learning rate"
                        + " positive and the hint accuracy in [0, 1]");
            }
        }

        /** The defaults: the bundled MNIST sample, 5 epochs of batches of 64, Adam at 1e-3, hints right half the time. */
        public static Recipe defaults() {
            return new Recipe("data/mnist/mnist10k-train", "data/mnist/mnist10k-test", 5, 64, 1e-3, 0.5, 42, 2);
        }
    }

    /**
     * What a run gives.
     *
     * @param test the test set's losses and metrics, by log name
     * @param history the fit's epoch logs
     * @param model the trained model
     */
    public record Result(Map<String, Double> test, History history, Functional model) {
    }

    /** The two-input, two-output model, unbuilt layers named for what they do. */
    public static Functional model() {
        SymbolicTensor image = Input.of("image", 28, 28, 1);
        SymbolicTensor hint = Input.of("hint", 10);
        SymbolicTensor features = Dense.builder(128).activation("relu").name("features").build()
                .call(new Flatten().call(image));
        SymbolicTensor digit = Dense.builder(10).name("digit").build().call(features);
        SymbolicTensor belief = new Activation(Activations.softmax(), "belief").call(digit);
        SymbolicTensor compared = Dense.builder(32).activation("relu").name("compare").build()
                .call(new Concatenate().call(belief, hint));
        SymbolicTensor right = Dense.builder(1).activation("sigmoid").name("hint_right").build().call(compared);
        return Model.of("digit_and_hint", List.of(image, hint), List.of(digit, right));
    }

    /**
     * The inputs and targets of a set of images: each image with a one-hot hint that is its label
     * with probability {@code hintAccuracy} and another label (drawn uniformly) otherwise.
     */
    public static Dataset data(IdxImages images, double hintAccuracy, Rng rng) {
        int[] labels = images.labels().toIntArray();
        int n = labels.length;
        float[] hints = new float[n * 10];
        float[] right = new float[n];
        for (int i = 0; i < n; i++) {
            int hint = labels[i];
            if (rng.nextDouble() >= hintAccuracy) {
                hint = (labels[i] + 1 + rng.nextInt(9)) % 10;
            }
            hints[i * 10 + hint] = 1;
            right[i] = hint == labels[i] ? 1 : 0;
        }
        Map<String, Tensor> x = new LinkedHashMap<>();
        x.put("image", images.images());
        x.put("hint", Tensor.of(hints, n, 10));
        Map<String, Tensor> y = new LinkedHashMap<>();
        y.put("digit", images.labels());
        y.put("hint_right", Tensor.of(right, n, 1));
        return Dataset.fromTensorSlices(Tensors.of(x), Tensors.of(y));
    }

    /** Trains the model on the recipe's data, prints its summary, progress and test results, and returns them. */
    public static Result run(Recipe recipe, PrintStream out) {
        IdxImages train = IdxImages.load(recipe.train());
        IdxImages test = IdxImages.load(recipe.test());
        Rng rng = new Rng(recipe.seed());
        Dataset trainData = data(train, recipe.hintAccuracy(), rng).shuffle(train.size(), recipe.seed())
                .batch(recipe.batchSize());
        Dataset testData = data(test, recipe.hintAccuracy(), rng).batch(recipe.batchSize());

        Functional model = model();
        model.compile(CompileOptions.of(new Adam(recipe.learningRate()),
                        Map.of("digit", new SparseCategoricalCrossentropy(true), "hint_right", new BinaryCrossentropy()))
                .lossWeights(Map.of("hint_right", 0.5))
                .metricsFor("digit", "accuracy")
                .metricsFor("hint_right", "accuracy", "auc"));
        out.print(model.summary());
        History history = model.fit(FitOptions.of(trainData).epochs(recipe.epochs()).validationData(testData)
                .verbose(recipe.verbose()));
        Map<String, Double> result = model.evaluate(testData);
        out.printf(Locale.ROOT, "test: digit_accuracy=%.4f hint_right_accuracy=%.4f hint_right_auc=%.4f loss=%.4f%n",
                result.get("digit_accuracy"), result.get("hint_right_accuracy"), result.get("hint_right_auc"),
                result.get("loss"));
        return new Result(result, history, model);
    }

    /** Runs the defaults on standard output. */
    public static void main(String[] args) {
        run(Recipe.defaults(), System.out);
    }
}
