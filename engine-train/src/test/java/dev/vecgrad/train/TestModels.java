package dev.vecgrad.train;

import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.io.VersionedDirectory;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.layers.Dense;
import java.io.IOException;
import java.nio.file.Path;

/** Small models and data shared by the training tests. */
final class TestModels {
    private TestModels() {
    }

    /** Dense(8, relu) then Dense(1), seeded, built for inputs of {@code features}. */
    static Sequential regression(int features, long seed) {
        Sequential m = new Sequential().add(new Dense(8, Activations.relu())).add(new Dense(1));
        m.setSeed(seed);
        m.build(1, features);
        return m;
    }

    /** Inputs uniform in [-1, 1). */
    static Tensor inputs(int n, int features, long seed) {
        return Tensor.randomUniform(new Rng(seed), -1f, 1f, n, features);
    }

    /** A smooth target: the sum of the inputs' squares, one column. */
    static Tensor targets(Tensor x) {
        return x.square().sum(new int[] {1}, true);
    }

    /** File {@code name} of the current save in model directory {@code dir}. */
    static Path saved(Path dir, String name) throws IOException {
        return VersionedDirectory.current(dir).resolve(name);
    }
}
