package dev.vecgrad.bench;

import dev.vecgrad.core.Rng;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.ImageClassifiers;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.losses.SparseCategoricalCrossentropy;
import dev.vecgrad.train.optimizers.Adam;

/**
 * The MNIST-shaped models the step benchmarks share, and their random labels: one definition, so
 * that every benchmark of "the MLP" (and {@code benchmarks/scripts/torch_mlp_step.py}, PyTorch's
 * copy of it) times the same model. The CNN is the command-line trainer's; the MLP has the
 * trainer's layers without its leading Flatten, since it takes rows of 784 pixels, as its PyTorch
 * copy does.
 */
final class MnistModels {
    private MnistModels() {
    }

    /** The MLP 784-256-128-10 with ReLU, seeded and built for 784 inputs (not compiled). */
    static Sequential mlp() {
        Sequential m = new Sequential()
                .add(new Dense(256, Activations.relu()))
                .add(new Dense(128, Activations.relu()))
                .add(new Dense(10));
        m.setSeed(1);
        m.build(1, 784);
        return m;
    }

    /**
     * The command-line trainer's CNN ({@link ImageClassifiers#cnn}: Conv2D 32 3x3 ReLU, max-pool,
     * Conv2D 64 3x3 ReLU, max-pool, Dense 128 ReLU, Dense 10), seeded and built for 28x28x1 inputs
     * (not compiled).
     */
    static Sequential cnn() {
        Sequential m = ImageClassifiers.cnn(10);
        m.setSeed(1);
        m.build(1, 28, 28, 1);
        return m;
    }

    /** How the benchmarks compile them: Adam 1e-3, sparse softmax cross-entropy on logits, accuracy. */
    static CompileOptions options() {
        return CompileOptions.of(new Adam(1e-3), new SparseCategoricalCrossentropy(true)).metrics("accuracy");
    }

    /** {@code n} class labels, 0 to 9, drawn from {@code rng}. */
    static int[] labels(Rng rng, int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(10);
        }
        return y;
    }
}
