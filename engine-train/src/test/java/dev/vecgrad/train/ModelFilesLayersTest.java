package dev.vecgrad.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.io.SafeTensors;
import dev.vecgrad.core.io.TensorFileException;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.layers.Activation;
import dev.vecgrad.train.layers.AveragePooling2D;
import dev.vecgrad.train.layers.BatchNormalization;
import dev.vecgrad.train.layers.Conv2D;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.layers.Dropout;
import dev.vecgrad.train.layers.Embedding;
import dev.vecgrad.train.layers.Flatten;
import dev.vecgrad.train.layers.GlobalAveragePooling2D;
import dev.vecgrad.train.layers.Layer;
import dev.vecgrad.train.layers.LayerNormalization;
import dev.vecgrad.train.layers.Layers;
import dev.vecgrad.train.layers.MaxPooling2D;
import dev.vecgrad.train.layers.Reshape;
import dev.vecgrad.train.registry.CustomObjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Save and load across every built-in layer, other input dtypes, nesting, and damaged directories. */
class ModelFilesLayersTest {
    @TempDir
    Path tmp;

    private static void assertSamePredictions(Model a, Model b, Tensor x) {
        Tensor pa = a.predict(x, 3);
        Tensor pb = b.predict(x, 3);
        assertThat(pb.shape()).isEqualTo(pa.shape());
        assertThat(pb.contiguousCopy().toDoubleArray()).containsExactly(pa.contiguousCopy().toDoubleArray());
    }

    @Test
    void everyImageLayerRoundTripsWithItsNonTrainableState() throws IOException {
        Sequential m = new Sequential(
                new Conv2D(4, 3, 3), new BatchNormalization(), new Activation(Activations.relu(), "act"),
                new MaxPooling2D(), new Conv2D(3, 2, 2), new AveragePooling2D(), new Reshape(-1, 3),
                new LayerNormalization(), new Flatten(), new Dropout(0.3), new Dense(5));
        m.setSeed(3);
        m.compile("rmsprop", "mse");
        Tensor x = Tensor.randomUniform(new Rng(1), 0f, 1f, 6, 10, 10, 1);
        Tensor y = Tensor.randomUniform(new Rng(2), 0f, 1f, 6, 5);
        m.fit(FitOptions.of(x, y).epochs(2).batchSize(3).verbose(0));   // moving statistics move away from 0 and 1
        Path dir = tmp.resolve("cnn");
        m.save(dir);
        Model loaded = Model.load(dir);
        assertThat(loaded.layers()).extracting(Layer::className).containsExactly("Conv2D", "BatchNormalization",
                "Activation", "MaxPooling2D", "Conv2D", "AveragePooling2D", "Reshape", "LayerNormalization", "Flatten",
                "Dropout", "Dense");
        assertThat(loaded.nonTrainableWeights()).hasSize(2);
        assertSamePredictions(m, loaded, x);
        // The moving statistics came back too (they differ from their initial zeros).
        assertThat(loaded.namedWeights().get("batch_normalization/moving_mean").toFloatArray())
                .containsExactly(m.namedWeights().get("batch_normalization/moving_mean").toFloatArray())
                .isNotEqualTo(new float[4]);
    }

    @Test
    void integerInputsF64WeightsAndNestedSequentials() throws IOException {
        Sequential emb = new Sequential(new Embedding(7, 3), new GlobalAveragePooling2DFree(), new Dense(2));
        Tensor ids = Tensor.of(new int[] {0, 1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5}, 3, 4);
        emb.predict(ids, 3);
        Path a = tmp.resolve("emb");
        emb.save(a);
        assertThatThrownBy(() -> Model.load(a)).isInstanceOf(TensorFileException.class)
                .hasMessageContaining("'Mean1' is neither built in nor registered");
        Model embLoaded = Model.load(a, new CustomObjects().register(Layers.REGISTRY, "Mean1",
                c -> new GlobalAveragePooling2DFree((String) c.get("name"))));
        assertSamePredictions(emb, embLoaded, ids);

        Sequential inner = new Sequential("inner").add(new Dense(3, Activations.tanh()));
        Sequential outer = new Sequential("outer").add(inner).add(new Dense(1));
        outer.build(1, 2);
        Tensor x64 = Tensor.of(new double[] {0.1, -0.2, 0.3, 0.4, -0.5, 0.6}, 3, 2);
        Sequential f64 = new Sequential(new Dense(2), new Dense(1));
        f64.predict(x64, 3);
        assertThat(f64.dtype()).isEqualTo(DType.F64);
        f64.save(tmp.resolve("f64"));
        Model f64Loaded = Model.load(tmp.resolve("f64"));
        assertThat(f64Loaded.weights().get(0).dtype()).isEqualTo(DType.F64);
        assertSamePredictions(f64, f64Loaded, x64);

        outer.save(tmp.resolve("nested"));
        Model nested = Model.load(tmp.resolve("nested"));
        assertThat(nested.layers().get(0)).isInstanceOf(Sequential.class);
        // Each model names its layers in its own scope: the nested model's name tells its weights apart.
        assertThat(nested.namedWeights().keySet()).containsExactly("inner/dense/kernel", "inner/dense/bias",
                "dense/kernel", "dense/bias");
        assertSamePredictions(outer, nested, Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
        // The optimizer's slots are keyed as the weights are, so both 'dense/kernel' variables keep their own
        // moments: training resumed from the files goes on exactly as the original does.
        outer.compile("adam", "mse");
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, -1, 0.5f}, 3, 2);
        Tensor y = Tensor.of(new float[] {1, 0, -1}, 3, 1);
        outer.fit(FitOptions.of(x, y).epochs(2).batchSize(3).verbose(0));
        outer.save(tmp.resolve("nested2"));
        Model resumed = Model.load(tmp.resolve("nested2"));
        outer.fit(FitOptions.of(x, y).epochs(1).batchSize(3).verbose(0));
        resumed.fit(FitOptions.of(x, y).epochs(1).batchSize(3).verbose(0));
        assertSamePredictions(outer, resumed, x);
    }

    /** Averages over axis 1 of (batch, steps, features): a custom layer without weights. */
    static final class GlobalAveragePooling2DFree extends Layer {
        GlobalAveragePooling2DFree() {
            super(null);
        }

        GlobalAveragePooling2DFree(String name) {
            super(name);
        }

        @Override
        public String className() {
            return "Mean1";
        }

        @Override
        protected Tensor forward(Tensor x, boolean training) {
            return x.mean(new int[] {1}, false);
        }

        @Override
        public dev.vecgrad.core.Shape computeOutputShape(dev.vecgrad.core.Shape s) {
            return dev.vecgrad.core.Shape.of(s.dim(0), s.dim(2));
        }
    }

    /** A model class of the user's own: a residual sum of two explicitly named Dense layers. */
    static final class Residual extends Model {
        private final int units;
        private final Dense a;
        private final Dense b;

        Residual(String name, int units) {
            super(name);
            this.units = units;
            a = track(Dense.builder(units).name("a").activation(Activations.relu()).build());
            b = track(Dense.builder(units).name("b").build());
        }

        @Override
        protected Tensor forward(Tensor x, boolean training) {
            Tensor h = a.call(x, training);
            return h.add(b.call(h, training));
        }

        @Override
        public Map<String, Object> getConfig() {
            Map<String, Object> c = super.getConfig();
            c.put("units", units);
            return c;
        }
    }

    @Test
    void aRegisteredModelSubclassRoundTripsCompiled() throws IOException {
        Residual m = new Residual("res", 3);
        m.compile("adam", "mse");
        Tensor x = TestModels.inputs(6, 3, 4);
        m.fit(FitOptions.of(x, x).epochs(2).batchSize(3).shuffle(false).verbose(0));
        m.save(tmp.resolve("res"));
        CustomObjects custom = new CustomObjects().register(Layers.REGISTRY, "Residual",
                c -> new Residual((String) c.get("name"), ((Number) c.get("units")).intValue()));
        Model loaded = Model.load(tmp.resolve("res"), custom);
        assertThat(loaded).isInstanceOf(Residual.class);
        assertThat(loaded.name()).isEqualTo("res");
        assertThat(loaded.namedWeights().keySet()).containsExactly("a/kernel", "a/bias", "b/kernel", "b/bias");
        assertSamePredictions(m, loaded, x);
        assertThat(loaded.optimizer().iterations()).isEqualTo(4);
        // Both continue the same way.
        m.fit(FitOptions.of(x, x).epochs(1).batchSize(3).shuffle(false).verbose(0));
        loaded.fit(FitOptions.of(x, x).epochs(1).batchSize(3).shuffle(false).verbose(0));
        assertSamePredictions(m, loaded, x);
    }

    @Test
    void hostileOrDamagedDirectoriesAreRefusedWithTheFileNamed() throws IOException {
        Sequential m = TestModels.regression(3, 7);
        m.compile("adam", "mse");
        Tensor x = TestModels.inputs(8, 3, 1);
        m.fit(FitOptions.of(x, TestModels.targets(x)).epochs(1).batchSize(4).verbose(0));
        Path dir = tmp.resolve("m");
        m.save(dir);
        String config = Files.readString(TestModels.saved(dir, "config.json"));

        // A class name from the file is only looked up, never loaded.
        Files.writeString(TestModels.saved(dir, "config.json"), config.replace("\"Dense\"", "\"java.lang.ProcessBuilder\""));
        assertThatThrownBy(() -> Model.load(dir)).isInstanceOf(TensorFileException.class)
                .hasMessageContaining("'java.lang.ProcessBuilder' is neither built in nor registered");
        Files.writeString(TestModels.saved(dir, "config.json"), config.replace("\"units\": 8", "\"units\": \"eight\""));
        assertThatThrownBy(() -> Model.load(dir)).isInstanceOf(TensorFileException.class)
                .hasMessageContaining("config.json").hasMessageContaining("dense");
        Files.writeString(TestModels.saved(dir, "config.json"), config.replace("\"format_version\": 1", "\"format_version\": 9"));
        assertThatThrownBy(() -> Model.load(dir)).isInstanceOf(TensorFileException.class)
                .hasMessageContaining("'format_version' is 9");
        // The architecture says 8 units, the weights have 8: change the architecture and all four mismatches show.
        Files.writeString(TestModels.saved(dir, "config.json"), config.replace("\"units\": 8", "\"units\": 6"));
        assertThatThrownBy(() -> Model.load(dir)).isInstanceOf(TensorFileException.class)
                .hasMessageContaining("model.safetensors").hasMessageContaining("3 problems")
                .hasMessageContaining("'dense/kernel' has shape (3, 8), the model needs (3, 6)")
                .hasMessageContaining("'dense/bias'").hasMessageContaining("'dense_1/kernel'");
        Files.writeString(TestModels.saved(dir, "config.json"), config);

        // Optimizer state for a weight the model does not have, and a slot of the wrong shape.
        Map<String, Tensor> state = SafeTensors.readAll(TestModels.saved(dir, "optimizer.safetensors"));
        state.put("ghost/kernel/m", Tensor.zeros(2));
        state.put("dense/bias/m", Tensor.zeros(3));
        SafeTensors.write(TestModels.saved(dir, "optimizer.safetensors"), state, null);
        assertThatThrownBy(() -> Model.load(dir)).isInstanceOf(TensorFileException.class)
                .hasMessageContaining("optimizer.safetensors").hasMessageContaining("'ghost/kernel/m'")
                .hasMessageContaining("'dense/bias/m' is F32 (3,), its weight is F32 (8,)");
    }
}
