package dev.vecgrad.train.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.FitOptions;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.callbacks.History;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.layers.Activation;
import dev.vecgrad.train.layers.BatchNormalization;
import dev.vecgrad.train.layers.Conv2D;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.layers.Dropout;
import dev.vecgrad.train.layers.Flatten;
import dev.vecgrad.train.layers.MaxPooling2D;
import dev.vecgrad.train.losses.SparseCategoricalCrossentropy;
import dev.vecgrad.train.optimizers.Adam;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** fit, evaluate and predict with compiled steps give exactly what eager steps give. */
class CompiledFitTest {

    private static Sequential mlp() {
        Sequential m = new Sequential()
                .add(new Dense(16, Activations.relu()))
                .add(new Dense(8, Activations.relu()))
                .add(new Dense(3));
        m.setSeed(3);
        m.build(1, 5);
        return m;
    }

    private static Dataset classes(int n) {
        Rng rng = new Rng(11);
        Tensor x = Tensor.randomUniform(rng, -1, 1, n, 5);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(3);
        }
        return Dataset.fromTensorSlices(x, Tensor.of(y)).batch(16);
    }

    private static CompileOptions options(boolean jit, int stepsPerExecution) {
        return CompileOptions.of(new Adam(1e-2), new SparseCategoricalCrossentropy(true)).metrics("accuracy")
                .stepsPerExecution(stepsPerExecution).jitCompile(jit);
    }

    @Test
    void anMlpTrainsBitForBitAsEagerIncludingTheShortLastBatch() {
        for (int spe : new int[] {1, 3}) {
            Sequential eager = mlp();
            Sequential compiled = mlp();
            eager.compile(options(false, spe));
            compiled.compile(options(true, spe));
            Dataset data = classes(70); // 4 batches of 16 and one of 6
            History he = eager.fit(FitOptions.of(data).epochs(4).verbose(0));
            History hc = compiled.fit(FitOptions.of(data).epochs(4).verbose(0));
            assertThat(hc.history()).isEqualTo(he.history());
            assertSameWeights(compiled::weights, eager::weights);
            assertThat(compiled.evaluate(data)).isEqualTo(eager.evaluate(data));
            assertThat(compiled.predict(data).toFloatArray()).isEqualTo(eager.predict(data).toFloatArray());
        }
    }

    private static Sequential cnn() {
        Sequential m = new Sequential()
                .add(new Conv2D(4, 3, 3))
                .add(new BatchNormalization())
                .add(new Activation("relu"))
                .add(new MaxPooling2D())
                .add(new Dropout(0.25))
                .add(new Flatten())
                .add(new Dense(3));
        m.setSeed(5);
        m.build(1, 8, 8, 1);
        return m;
    }

    @Test
    void aCnnWithBatchNormAndDropoutTrainsBitForBitAsEager() {
        Rng rng = new Rng(2);
        Tensor x = Tensor.randomUniform(rng, 0, 1, 40, 8, 8, 1);
        int[] y = new int[40];
        for (int i = 0; i < y.length; i++) {
            y[i] = rng.nextInt(3);
        }
        Dataset data = Dataset.fromTensorSlices(x, Tensor.of(y)).batch(16); // 16, 16, 8
        Sequential eager = cnn();
        Sequential compiled = cnn();
        eager.compile(options(false, 1));
        compiled.compile(options(true, 1));
        History he = eager.fit(FitOptions.of(data).epochs(3).verbose(0));
        History hc = compiled.fit(FitOptions.of(data).epochs(3).verbose(0));
        assertThat(hc.history()).isEqualTo(he.history());
        // weights() includes batch normalization's moving statistics, updated by a host call.
        assertSameWeights(compiled::weights, eager::weights);
        assertThat(compiled.predict(data).toFloatArray()).isEqualTo(eager.predict(data).toFloatArray());
    }

    static void assertSameWeights(Supplier<List<Variable>> a, Supplier<List<Variable>> b) {
        List<Variable> x = a.get();
        List<Variable> y = b.get();
        assertThat(x).hasSameSizeAs(y);
        for (int i = 0; i < x.size(); i++) {
            assertThat(x.get(i).peek().toDoubleArray()).as(x.get(i).name()).isEqualTo(y.get(i).peek().toDoubleArray());
        }
    }
}
