package dev.vecgrad.train.examples;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.FitOptions;
import dev.vecgrad.train.Model;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.layers.Embedding;
import dev.vecgrad.train.layers.LSTM;
import dev.vecgrad.train.layers.LayerNormalization;
import dev.vecgrad.train.layers.TextVectorization;
import dev.vecgrad.train.layers.TokenAndPositionEmbedding;
import dev.vecgrad.train.layers.TransformerDecoder;
import dev.vecgrad.train.losses.SparseCategoricalCrossentropy;
import dev.vecgrad.train.optimizers.Adam;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * A character-level language model on a collection of fortune-cookie texts, trained with
 * {@code fit} and then asked to write: {@code vecgrad example charlm --arch lstm|transformer}.
 *
 * <p>The text (about 600 kB, the first 2,830 fortunes of the BSD {@code fortune} collection,
 * bundled with its copyright notice) is split 90/10 into training and validation text. The
 * characters become ids through a {@link TextVectorization} adapted to the text, and the input
 * pipeline is {@link Dataset#sequences}: every window of {@link Recipe#context} characters, with
 * the same window shifted by one as its targets, shuffled and batched. Two models read it:
 * <ul>
 *   <li>{@code lstm}: an embedding of 64, two LSTMs of 256 units returning sequences, a Dense
 *       layer to the vocabulary's logits;</li>
 *   <li>{@code transformer}: token and position embeddings of width 128 over a context of 64, two
 *       pre-LN decoder blocks (4 heads, feed-forward 512, GELU), a final layer normalization, a
 *       Dense layer to the logits.</li>
 * </ul>
 * Both train with Adam on the cross-entropy of the next character, report the validation loss
 * (nats per character), and then sample text from a prompt, one character at a time, from the
 * softmax of the last step's logits at a temperature.
 *
 * <pre>{@code
 * CharLmExample.Recipe r = CharLmExample.Recipe.defaults(CharLmExample.Arch.TRANSFORMER);
 * CharLmExample.Result result = CharLmExample.run(r, System.out);
 * }</pre>
 */
public final class CharLmExample {
    /** The bundled text, a gzip file beside this class. */
    private static final String CORPUS = "fortunes.txt.gz";

    private CharLmExample() {
    }

    /** The two models. */
    public enum Arch {
        /** Two stacked LSTMs. */
        LSTM,
        /** A small decoder-only transformer. */
        TRANSFORMER
    }

    /**
     * What a run does.
     *
     * @param arch the model
     * @param steps training steps (batches)
     * @param batchSize windows per batch
     * @param context characters per window
     * @param learningRate Adam's learning rate
     * @param seed weights, shuffling and sampling
     * @param sampleLength characters to write after training (0: none)
     * @param verbose fit's verbosity (0 silent, 1 progress bar, 2 a line per epoch)
     */
    public record Recipe(Arch arch, int steps, int batchSize, int context, double learningRate, long seed,
            int sampleLength, int verbose) {
        /** Checks the numbers. */
        public Recipe {
            if (steps < 1 || batchSize < 1 || context < 1 || !(learningRate > 0) || sampleLength < 0) {
                throw new IllegalArgumentException("charlm: steps, batch size and context must be positive, the learning"
                        + " rate positive and the sample length non-negative");
            }
        }

        /** The defaults: 2,000 steps of 32 windows of 64 characters, learning rate 2e-3, seed 42, 400 sampled characters. */
        public static Recipe defaults(Arch arch) {
            return new Recipe(arch, 2000, 32, 64, 2e-3, 42, 400, 2);
        }
    }

    /**
     * What a run gives.
     *
     * @param validationLoss mean cross-entropy per character on the validation text, in nats
     * @param trainSeconds wall time of {@code fit}
     * @param sample the text written after training
     */
    public record Result(double validationLoss, double trainSeconds, String sample) {
    }

    /** The bundled text. */
    public static String corpus() {
        try (InputStream raw = CharLmExample.class.getResourceAsStream(CORPUS)) {
            if (raw == null) {
                throw new IllegalStateException("the bundled text " + CORPUS + " is missing from the engine-train jar");
            }
            try (InputStream in = new GZIPInputStream(raw)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the bundled text " + CORPUS, e);
        }
    }

    /** The LSTM model over a vocabulary of {@code vocab} ids. */
    public static Sequential lstm(int vocab) {
        return new Sequential("charlm_lstm").add(new Embedding(vocab, 64))
                .add(LSTM.builder(256).returnSequences(true).build())
                .add(LSTM.builder(256).returnSequences(true).build())
                .add(new Dense(vocab));
    }

    /** The transformer model over a vocabulary of {@code vocab} ids and windows of up to {@code context}. */
    public static Sequential transformer(int vocab, int context) {
        Sequential m = new Sequential("charlm_transformer").add(new TokenAndPositionEmbedding(vocab, context, 128));
        for (int i = 0; i < 2; i++) {
            m.add(TransformerDecoder.builder(512, 4).normalizeFirst(true).activation("gelu").build());
        }
        return m.add(new LayerNormalization(null, -1, 1e-5, true, true)).add(new Dense(vocab));
    }

    /** The model of {@code recipe}, compiled with Adam and the cross-entropy of logits. */
    public static Sequential model(Recipe recipe, int vocab) {
        Sequential m = recipe.arch() == Arch.LSTM ? lstm(vocab) : transformer(vocab, recipe.context());
        m.setSeed(recipe.seed());
        m.compile(CompileOptions.of(new Adam(recipe.learningRate()), new SparseCategoricalCrossentropy(true)));
        return m;
    }

    /** Trains the recipe's model on the bundled text, reports the validation loss and writes a sample. */
    public static Result run(Recipe recipe, PrintStream out) {
        String text = corpus();
        int split = text.length() * 9 / 10;
        TextVectorization chars = TextVectorization.characters().adapt(text);
        Tensor trainIds = chars.encode(text.substring(0, split));
        Tensor validIds = chars.encode(text.substring(split));
        out.printf(Locale.ROOT, "charlm %s: %d training and %d validation characters, %d ids%n",
                recipe.arch().name().toLowerCase(Locale.ROOT), trainIds.size(), validIds.size(),
                chars.vocabularySize());

        Dataset train = Dataset.sequences(trainIds, recipe.context(), 1).shuffle(trainIds.size(), recipe.seed())
                .batch(recipe.batchSize(), true).repeat();
        Dataset valid = Dataset.sequences(validIds, recipe.context()).batch(recipe.batchSize());

        Sequential model = model(recipe, chars.vocabularySize());
        int epochs = Math.min(10, recipe.steps());
        long start = System.nanoTime();
        model.fit(FitOptions.of(train).epochs(epochs).stepsPerEpoch(recipe.steps() / epochs)
                .verbose(recipe.verbose()));
        double seconds = (System.nanoTime() - start) / 1e9;
        double validationLoss = model.evaluate(valid).get("loss");
        String sample = recipe.sampleLength() == 0 ? ""
                : sample(model, chars, "A ", recipe.sampleLength(), 0.8, recipe.context(), new Rng(recipe.seed()));
        out.println(model.summary());
        out.println("--- sample (temperature 0.8) ---");
        out.println(sample);
        out.println("---");
        out.printf(Locale.ROOT, "val_loss=%.4f train_seconds=%.1f steps=%d%n", validationLoss, seconds,
                epochs * (recipe.steps() / epochs));
        return new Result(validationLoss, seconds, sample);
    }

    /**
     * Writes {@code length} characters after {@code prompt}: each from the softmax of the model's
     * logits for the last position at {@code temperature}, the model seeing the last
     * {@code context} characters. Padding and the out-of-vocabulary id are never drawn.
     */
    public static String sample(Model model, TextVectorization chars, String prompt, int length, double temperature,
            int context, Rng rng) {
        List<Integer> ids = new ArrayList<>();
        for (int id : chars.encode(prompt).toIntArray()) {
            ids.add(id);
        }
        StringBuilder written = new StringBuilder(prompt);
        try (GradientTape.NoGrad p = GradientTape.noGrad()) {
            for (int n = 0; n < length; n++) {
                int from = Math.max(0, ids.size() - context);
                int[] window = ids.subList(from, ids.size()).stream().mapToInt(Integer::intValue).toArray();
                Tensor logits = model.call(Tensor.of(window, 1, window.length), false);
                Tensor last = logits.slice(1, window.length - 1, window.length).reshape(-1).cast(DType.F64);
                double[] l = last.toDoubleArray();
                int next = draw(l, temperature, rng);
                ids.add(next);
                written.append(chars.getVocabulary().get(next));
            }
        }
        return written.toString();
    }

    /** An id from softmax(logits / temperature) over ids 2 and up. */
    private static int draw(double[] logits, double temperature, Rng rng) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 2; i < logits.length; i++) {
            max = Math.max(max, logits[i]);
        }
        double[] p = new double[logits.length];
        double total = 0;
        for (int i = 2; i < logits.length; i++) {
            p[i] = Math.exp((logits[i] - max) / temperature);
            total += p[i];
        }
        double u = rng.nextDouble() * total;
        for (int i = 2; i < logits.length; i++) {
            u -= p[i];
            if (u <= 0) {
                return i;
            }
        }
        return logits.length - 1;
    }
}
