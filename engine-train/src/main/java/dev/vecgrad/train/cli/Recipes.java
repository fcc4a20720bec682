package dev.vecgrad.train.cli;

import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.layers.Conv2D;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.layers.Flatten;
import dev.vecgrad.train.layers.MaxPooling2D;
import java.util.Locale;

/** The models the trainer knows by name; each ends in a Dense layer of logits. */
final class Recipes {
    private Recipes() {
    }

    /** The smallest image side the CNN takes: two 3x3 valid convolutions and two 2x2 poolings. */
    static final int CNN_MIN_SIDE = 10;

    /** {@code mlp} or {@code cnn} for {@code classes} classes. */
    static Sequential model(String name, int classes) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "mlp" -> mlp(classes);
            case "cnn" -> cnn(classes);
            default -> throw new UsageException("train: --model must be mlp or cnn, got '" + name + "'");
        };
    }

    /** Flatten, Dense 256 relu, Dense 128 relu, Dense classes. */
    static Sequential mlp(int classes) {
        return new Sequential("mlp")
                .add(new Flatten())
                .add(new Dense(256, Activations.relu()))
                .add(new Dense(128, Activations.relu()))
                .add(new Dense(classes));
    }

    /** Conv 32 3x3 relu, max-pool 2, conv 64 3x3 relu, max-pool 2, Flatten, Dense 128 relu, Dense classes. */
    static Sequential cnn(int classes) {
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
