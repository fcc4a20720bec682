package dev.vecgrad.train;

import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.layers.Conv2D;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.layers.Flatten;
import dev.vecgrad.train.layers.MaxPooling2D;

/**
 * The image classifiers the command-line trainer builds by name ({@code train --model mlp|cnn}),
 * for a program that wants the same model. Each takes images of shape (height, width, channels)
 * and ends in a Dense layer of logits; it comes unbuilt and uncompiled, so that the caller sets
 * its seed and compiles it.
 *
 * <pre>{@code
 * import dev.vecgrad.train.losses.SparseCategoricalCrossentropy;
 * import dev.vecgrad.train.optimizers.Adam;
 *
 * Sequential cnn = ImageClassifiers.cnn(10);
 * cnn.setSeed(1);
 * cnn.compile(CompileOptions.of(new Adam(1e-3), new SparseCategoricalCrossentropy(true)));  // logits
 * }</pre>
 */
public final class ImageClassifiers {
    /** The smallest image side {@link #cnn} takes: two valid 3x3 convolutions and two 2x2 poolings. */
    public static final int CNN_MIN_SIDE = 10;

    private ImageClassifiers() {
    }

    /** Flatten, Dense 256 relu, Dense 128 relu, Dense {@code classes}; named {@code mlp}. */
    public static Sequential mlp(int classes) {
        return new Sequential("mlp")
                .add(new Flatten())
                .add(new Dense(256, Activations.relu()))
                .add(new Dense(128, Activations.relu()))
                .add(new Dense(classes));
    }

    /**
     * Conv2D 32 3x3 relu, max-pool 2, Conv2D 64 3x3 relu, max-pool 2, Flatten, Dense 128 relu, Dense
     * {@code classes}; named {@code cnn}. Its images are at least {@link #CNN_MIN_SIDE} pixels a side.
     */
    public static Sequential cnn(int classes) {
        return new Sequential("cnn")
                .add(Conv2D.builder(32, 3, 3).activation("relu").build())
                .add(new MaxPooling2D())
                .add(Conv2D.builder(64, 3, 3).activation("relu").build())
                .add(new MaxPooling2D())
                .add(new Flatten())
                .add(new Dense(128, Activations.relu()))
                .add(new Dense(classes));
    }
}
