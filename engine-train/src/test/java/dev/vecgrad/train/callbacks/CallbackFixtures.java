package dev.vecgrad.train.callbacks;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.layers.Dense;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small compiled model and log helpers for the callback tests. */
final class CallbackFixtures {
    private CallbackFixtures() {
    }

    static Sequential model() {
        Sequential m = new Sequential().add(new Dense(1));
        m.setSeed(5);
        m.build(1, 2);
        m.compile(CompileOptions.of("sgd", "mse").metrics("mae"));
        m.optimizer().setLearningRate(0.1);
        return m;
    }

    /** A mutable log map with one entry. */
    static Map<String, Double> logs(String key, double value) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(key, value);
        return m;
    }

    /** Weights whose every element is {@code v}, shaped like the model's. */
    static List<Tensor> filled(Sequential m, float v) {
        return m.getWeights().stream().map(t -> Tensor.full(v, t.dtype(), t.shape().toArray())).toList();
    }

    static Tensor x() {
        return Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2);
    }

    static Tensor y() {
        return Tensor.of(new float[] {1, 0, 1, 0}, 4, 1);
    }
}
