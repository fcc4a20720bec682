package dev.vecgrad.train.conformance;

import static dev.vecgrad.train.conformance.Keras.close;
import static dev.vecgrad.train.conformance.Keras.raises;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.FitOptions;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.initializers.Constant;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.optimizers.Adam;
import dev.vecgrad.train.optimizers.AdamW;
import dev.vecgrad.train.optimizers.Optimizer;
import dev.vecgrad.train.optimizers.Optimizers;
import dev.vecgrad.train.optimizers.SGD;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The literal expectations of Keras 3's {@code optimizers/optimizer_test.py} (the base optimizer:
 * step counting, missing gradients, clipping, moving averages, gradient accumulation, callable
 * learning rates) and the moving-average tests of {@code adam_test.py}.
 */
class KerasOptimizerTest {
    private static Variable var(double... v) {
        return new Variable("v", Tensor.of(v, 2, 2).cast(DType.F32), true);
    }

    private static Tensor grads(double value) {
        return Tensor.full(value, DType.F32, 2, 2);
    }

    @Test
    void iterationsCounter() {
        Variable v = var(1, 2, 3, 4);
        Adam adam = new Adam(1.0);
        assertThat(adam.iterations()).isZero();
        adam.applyGradients(List.of(grads(1)), List.of(v));
        assertThat(adam.iterations()).isEqualTo(1);
        adam.applyGradients(List.of(grads(1)), List.of(v));
        assertThat(adam.iterations()).isEqualTo(2);
    }

    @Test
    void emptyGradients() {
        Variable v = var(3, 4, 5, 6);
        raises(() -> new SGD(1.0).applyGradients(Arrays.asList((Tensor) null), List.of(v)),
                "no gradients provided for any variable");
        Variable v2 = var(3, 4, 5, 6);
        new SGD(1.0).applyGradients(Arrays.asList(null, grads(1)), List.of(v, v2));
        close(v.value(), 3, 4, 5, 6);
        close(v2.value(), 2, 3, 4, 5);
    }

    @Test
    void clipping() {
        assertThat(new SGD(1.0).setClipnorm(0.1).getConfig()).containsEntry("clipnorm", 0.1);
        assertThat(new SGD(1.0).setClipvalue(0.1).getConfig()).containsEntry("clipvalue", 0.1);
        assertThat(new SGD(1.0).setGlobalClipnorm(0.1).getConfig()).containsEntry("global_clipnorm", 0.1);
        raises(() -> new SGD(1.0).setClipnorm(0.1).setClipvalue(0.1), "only one of clipnorm, clipvalue and"
                + " globalClipnorm can be set");
        raises(() -> new SGD(1.0).setClipnorm(0.1).setGlobalClipnorm(0.1), "only one of clipnorm, clipvalue and"
                + " globalClipnorm can be set");
        Tensor g = Tensor.of(new float[] {100, 100});
        close(new SGD().setClipnorm(1.0).clipGradients(List.of(g)).get(0), Math.sqrt(2) / 2, Math.sqrt(2) / 2);
        close(new SGD().setClipvalue(1.0).clipGradients(List.of(g)).get(0), 1.0, 1.0);
        Tensor g2 = Tensor.of(new float[] {50, 100});
        double norm = Math.sqrt(50 * 50 + 100 * 100);
        close(new SGD().setGlobalClipnorm(1.0).clipGradients(List.of(g2)).get(0), 50 / norm, 100 / norm);
    }

    @Test
    void ema() {
        Variable v = var(3, 4, 5, 6);
        Optimizer sgd = new SGD(1.0).setEma(0.9, 3);
        sgd.applyGradients(List.of(grads(1)), List.of(v));
        close(v.value(), 2, 3, 4, 5);
        close(sgd.movingAverage(v), 2, 3, 4, 5);
        sgd.applyGradients(List.of(grads(1)), List.of(v));
        close(v.value(), 1, 2, 3, 4);
        close(sgd.movingAverage(v), 1.9, 2.9, 3.9, 4.9);
        sgd.applyGradients(List.of(grads(1)), List.of(v));
        close(v.value(), 1.71, 2.71, 3.71, 4.71);
        close(sgd.movingAverage(v), 1.71, 2.71, 3.71, 4.71);
    }

    /** A Dense(units) without bias and with a kernel of ones, the model of Keras's EMA-with-fit tests. */
    private static Sequential onesModel(int inputs, int units, Optimizer optimizer) {
        Sequential m = new Sequential().add(Dense.builder(units).useBias(false).kernelInitializer(new Constant(1))
                .build());
        m.build(1, inputs);
        m.compile(CompileOptions.of(optimizer, "mse"));
        return m;
    }

    @Test
    void emaWithModelFit() {
        Optimizer sgd = new SGD(0.1).setEma(0.9, null);
        Sequential m = onesModel(1, 2, sgd);
        m.fit(FitOptions.of(Tensor.ones(DType.F32, 1, 1), Tensor.zeros(DType.F32, 1, 1)).batchSize(1).epochs(2)
                .verbose(0));
        Variable kernel = m.trainableWeights().get(0);
        close(sgd.movingAverage(kernel), new double[] {0.891, 0.891}, 0, 1e-5);
        close(kernel.value(), new double[] {0.891, 0.891}, 0, 1e-5);
    }

    @Test
    void adamEma() {
        Optimizer adam = new Adam(1.0).setEma(0.9, null);
        Variable v = new Variable("v", Tensor.of(new float[] {1, 2}), true);
        Tensor g = Tensor.of(new float[] {0.1f, 0.2f});
        adam.applyGradients(List.of(g), List.of(v));
        double[] v1 = v.value().toDoubleArray();
        close(adam.movingAverage(v), v1);
        adam.applyGradients(List.of(g), List.of(v));
        double[] v2 = v.value().toDoubleArray();
        double[] expected = {0.9 * v1[0] + 0.1 * v2[0], 0.9 * v1[1] + 0.1 * v2[1]};
        close(adam.movingAverage(v), expected);
        adam.finalizeVariableValues(List.of(v));
        close(v.value(), expected);
        // fit() ends on the moving averages.
        Optimizer fitted = new Adam().setEma(0.9, null);
        Sequential m = onesModel(5, 10, fitted);
        m.fit(FitOptions.of(Tensor.ones(DType.F32, 1, 5), Tensor.zeros(DType.F32, 1, 10)).verbose(0));
        Variable kernel = m.trainableWeights().get(0);
        close(kernel.value(), fitted.movingAverage(kernel).toDoubleArray());
    }

    @Test
    void adamEmaOverwriteFrequency() {
        Optimizer adam = new Adam(1.0).setEma(0.9, 2);
        Optimizer plain = new Adam(1.0);
        Variable v = new Variable("v", Tensor.of(new float[] {1, 2}), true);
        Variable w = new Variable("w", Tensor.of(new float[] {1, 2}), true);
        Tensor g = Tensor.of(new float[] {0.1f, 0.2f});
        adam.applyGradients(List.of(g), List.of(v));
        plain.applyGradients(List.of(g), List.of(w));
        double[] v1 = w.value().toDoubleArray();
        close(v.value(), v1);
        adam.applyGradients(List.of(g), List.of(v));
        plain.applyGradients(List.of(g), List.of(w));
        double[] v2 = w.value().toDoubleArray();
        double[] expected = {0.9 * v1[0] + 0.1 * v2[0], 0.9 * v1[1] + 0.1 * v2[1]};
        close(v.value(), expected);
        close(adam.movingAverage(v), expected);
    }

    @Test
    void getMethod() {
        assertThat(Optimizers.get("sgd")).isInstanceOf(SGD.class);
        assertThat(Optimizers.get("adamw")).isInstanceOf(AdamW.class);
        raises(() -> Optimizers.get("typo"), "unknown optimizer");
    }

    @Test
    void gradientAccumulation() {
        Variable v = var(1, 2, 3, 4);
        Optimizer sgd = new SGD(1.0).setGradientAccumulationSteps(3);
        assertThat(sgd.gradientAccumulationSteps()).isEqualTo(3);
        double[][] values = {{1, 2, 3, 4}, {1, 2, 3, 4}, {0, 1, 2, 3}, {0, 1, 2, 3}};
        double[] accumulated = {1, 2, 0, 1};
        long[] updates = {0, 0, 1, 1};
        for (int call = 0; call < 4; call++) {
            sgd.applyGradients(List.of(grads(1)), List.of(v));
            close(v.value(), values[call]);
            close(sgd.accumulatedGradient(v), accumulated[call], accumulated[call], accumulated[call],
                    accumulated[call]);
            assertThat(sgd.state().get("iterations").item()).isEqualTo(call + 1);
            assertThat(sgd.iterations()).isEqualTo(updates[call]);
        }
    }

    @Test
    void gradientAccumulationWithWeightDecay() {
        Rng rng = new Rng(42);
        for (String name : List.of("adam", "sgd", "adamw", "adagrad", "rmsprop", "adamax", "lion", "nadam")) {
            Map<String, Object> config = new HashMap<>(Map.of("weight_decay", 0.05));
            Optimizer o1 = Optimizers.fromConfig(Optimizers.get(name).className(), config);
            config.put("gradient_accumulation_steps", 3);
            Optimizer o3 = Optimizers.fromConfig(Optimizers.get(name).className(), config);
            Variable v1 = new Variable("v1", Tensor.of(new float[] {0.9f, 0.5f}, 2, 1), true);
            Variable v3 = new Variable("v3", Tensor.of(new float[] {0.9f, 0.5f}, 2, 1), true);
            for (int epoch = 0; epoch < 8; epoch++) {
                Tensor batches = Tensor.randomUniform(rng, 0, 1, 3, 2, 1);
                o1.applyGradients(List.of(batches.mean(new int[] {0}, false)), List.of(v1));
                for (int b = 0; b < 3; b++) {
                    o3.applyGradients(List.of(batches.slice(0, b, b + 1).reshape(2, 1)), List.of(v3));
                }
            }
            close(v3.value(), v1.value().toDoubleArray(), 1e-6, 1e-6);
        }
    }

    @Test
    void callableLearningRate() {
        Variable v = var(1, 2, 3, 4);
        SGD sgd = new SGD(step -> 0.1, 0, false);
        assertThat(sgd.iterations()).isZero();
        sgd.applyGradients(List.of(grads(1)), List.of(v));
        close(v.value(), new double[] {0.9, 1.9, 2.9, 3.9}, 1e-6, 1e-6);
        assertThat(sgd.iterations()).isEqualTo(1);
    }
}
