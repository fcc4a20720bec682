package dev.vecgrad.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.io.Json;
import dev.vecgrad.core.io.SafeTensors;
import dev.vecgrad.core.io.SafeTensorsFile;
import dev.vecgrad.core.io.TensorFileException;
import dev.vecgrad.train.initializers.Initializers;
import dev.vecgrad.train.layers.Layer;
import dev.vecgrad.train.layers.Layers;
import dev.vecgrad.train.losses.MeanSquaredError;
import dev.vecgrad.train.optimizers.Adam;
import dev.vecgrad.train.optimizers.schedules.ExponentialDecay;
import dev.vecgrad.train.registry.CustomObjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSavingTest {
    @TempDir
    Path tmp;

    private static void assertSameBits(List<Tensor> a, List<Tensor> b) {
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).shape()).isEqualTo(b.get(i).shape());
            assertThat(a.get(i).contiguousCopy().f32Array()).as("weight %d", i).containsExactly(
                    b.get(i).contiguousCopy().f32Array());
        }
    }

    @Test
    void saveWeightsReplacesOnlyAWeightsFile() throws IOException {
        Sequential m = TestModels.regression(3, 7);
        Path file = tmp.resolve("w.safetensors");
        m.saveWeights(file);
        m.saveWeights(file); // its own file is replaced
        Path notes = Files.writeString(tmp.resolve("notes.safetensors"), "{\"not\": \"weights\"}");
        assertThatThrownBy(() -> m.saveWeights(notes)).hasMessageContaining(notes.toString())
                .hasMessageContaining("exists and is not a safetensors file");
        assertThat(Files.readString(notes)).isEqualTo("{\"not\": \"weights\"}");
    }

    @Test
    void weightsFileHoldsReadableNamesAndExactValues() throws IOException {
        Sequential m = TestModels.regression(3, 7);
        Path file = tmp.resolve("new/sub/w.safetensors");    // missing directories are created
        m.saveWeights(file);
        try (SafeTensorsFile f = SafeTensors.read(file)) {
            assertThat(f.names()).containsExactly("dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias");
            assertThat(f.get("dense/kernel").shape()).isEqualTo(Shape.of(3, 8));
            assertThat(f.get("dense_1/kernel").f32Array()).containsExactly(m.weights().get(2).peek().contiguousCopy()
                    .f32Array());
        }
        Sequential other = TestModels.regression(3, 99);
        assertThat(other.getWeights().get(0).f32Array()).isNotEqualTo(m.getWeights().get(0).f32Array());
        other.loadWeights(file);
        assertSameBits(other.getWeights(), m.getWeights());
    }

    @Test
    void loadingReportsEveryMismatchAtOnceAndAssignsNothing() throws IOException {
        Sequential m = TestModels.regression(3, 7);
        List<Tensor> before = m.getWeights();
        Map<String, Tensor> bad = new LinkedHashMap<>();
        bad.put("dense/kernel", Tensor.zeros(4, 8));          // wrong shape
        // dense/bias missing
        bad.put("dense_1/kernel", Tensor.zeros(8, 1));
        bad.put("dense_1/bias", Tensor.zeros(1));
        bad.put("extra/thing", Tensor.zeros(2));               // unexpected
        Path file = tmp.resolve("bad.safetensors");
        SafeTensors.write(file, bad, null);
        assertThatThrownBy(() -> m.loadWeights(file)).isInstanceOf(TensorFileException.class)
                .hasMessageContaining("bad.safetensors")
                .hasMessageContaining("3 problems")
                .hasMessageContaining("'dense/kernel' has shape (4, 8), the model needs (3, 8)")
                .hasMessageContaining("missing 'dense/bias'")
                .hasMessageContaining("unexpected 'extra/thing'");
        assertSameBits(m.getWeights(), before);
        Map<String, Tensor> wrongDtype = m.namedWeights();
        wrongDtype.put("dense/bias", Tensor.zeros(dev.vecgrad.core.DType.F64, 8));
        assertThatThrownBy(() -> m.setNamedWeights(wrongDtype)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'dense/bias' is F64, the model needs F32");
    }

    @Test
    void savedModelLoadsWithBitIdenticalPredictionsAndItsCompileSettings() throws IOException {
        Sequential m = TestModels.regression(3, 7);
        m.compile(CompileOptions.of(new Adam(0.01), "mse").metrics("mae"));
        Tensor x = TestModels.inputs(20, 3, 1);
        m.fit(FitOptions.of(x, TestModels.targets(x)).epochs(1).batchSize(5).verbose(0));
        Path dir = tmp.resolve("runs/model");
        m.save(dir);
        assertThat(TestModels.saved(dir, "config.json")).exists();
        assertThat(TestModels.saved(dir, "model.safetensors")).exists();
        assertThat(TestModels.saved(dir, "optimizer.safetensors")).exists();
        Map<String, Object> config = Json.parseObject(Files.readString(TestModels.saved(dir, "config.json")));
        assertThat(Json.write(config)).contains("\"class_name\":\"Sequential\"").contains("\"class_name\":\"Dense\"")
                .contains("\"class_name\":\"Adam\"").contains("\"class_name\":\"MeanSquaredError\"");

        Model loaded = Model.load(dir);
        assertThat(loaded).isInstanceOf(Sequential.class);
        assertThat(loaded.layers()).extracting(Layer::name).containsExactly("dense", "dense_1");
        assertThat(loaded.predict(x, 7).f32Array()).containsExactly(m.predict(x, 7).f32Array());
        assertThat(loaded.isCompiled()).isTrue();
        assertThat(loaded.optimizer()).isInstanceOf(Adam.class);
        assertThat(loaded.optimizer().learningRate()).isEqualTo(0.01);
        assertThat(loaded.optimizer().iterations()).isEqualTo(4);
        assertThat(loaded.loss()).isInstanceOf(MeanSquaredError.class);
        assertThat(loaded.evaluate(x, TestModels.targets(x), 20)).containsOnlyKeys("loss", "mae");
    }

    @Test
    void resumedFitMatchesAnUninterruptedRun() throws IOException {
        Tensor x = TestModels.inputs(24, 3, 2);
        Tensor y = TestModels.targets(x);
        Sequential straight = TestModels.regression(3, 11);
        straight.compile(CompileOptions.of(new Adam(new ExponentialDecay(0.05, 3, 0.5, false), 0.9, 0.999, 1e-7),
                "mse"));
        straight.fit(FitOptions.of(x, y).epochs(4).batchSize(5).shuffle(false).verbose(0));

        Sequential first = TestModels.regression(3, 11);
        first.compile(CompileOptions.of(new Adam(new ExponentialDecay(0.05, 3, 0.5, false), 0.9, 0.999, 1e-7),
                "mse"));
        first.fit(FitOptions.of(x, y).epochs(2).batchSize(5).shuffle(false).verbose(0));
        Path dir = tmp.resolve("ckpt");
        first.save(dir);

        Model resumed = Model.load(dir);
        resumed.fit(FitOptions.of(x, y).epochs(4).initialEpoch(2).batchSize(5).shuffle(false).verbose(0));
        assertThat(resumed.optimizer().iterations()).isEqualTo(straight.optimizer().iterations());
        assertSameBits(resumed.getWeights(), straight.getWeights());

        // Without the optimizer state (fresh moments, step 0) the result differs: the test can tell.
        Sequential fresh = TestModels.regression(3, 11);
        fresh.loadWeights(TestModels.saved(dir, "model.safetensors"));
        fresh.compile(CompileOptions.of(new Adam(new ExponentialDecay(0.05, 3, 0.5, false), 0.9, 0.999, 1e-7), "mse"));
        fresh.fit(FitOptions.of(x, y).epochs(4).initialEpoch(2).batchSize(5).shuffle(false).verbose(0));
        assertThat(fresh.getWeights().get(0).f32Array()).isNotEqualTo(straight.getWeights().get(0).f32Array());
    }

    /** A layer of the user's own: multiplies by a learned per-feature factor. */
    static final class Scale extends Layer {
        private Variable factor;

        Scale(String name) {
            super(name);
        }

        @Override
        protected void build(Shape inputShape) {
            factor = addWeight("factor", new int[] {inputShape.dim(-1)}, Initializers.ones(), null, true);
        }

        @Override
        protected Tensor forward(Tensor x, boolean training) {
            return x.mul(factor.value());
        }

        @Override
        public Shape computeOutputShape(Shape inputShape) {
            return inputShape;
        }
    }

    /** A subclassed model whose layers are unnamed, with a plain layer nesting two more inside it. */
    static final class Net extends Model {
        private final dev.vecgrad.train.layers.Dense first = track(new dev.vecgrad.train.layers.Dense(3));
        private final Pair pair = track(new Pair());

        @Override
        protected Tensor forward(Tensor x, boolean training) {
            return pair.call(first.call(x, training), training);
        }
    }

    /** A plain layer (not a model) tracking two Dense layers. */
    static final class Pair extends Layer {
        private final dev.vecgrad.train.layers.Dense a = track(new dev.vecgrad.train.layers.Dense(2));
        private final dev.vecgrad.train.layers.Dense b = track(new dev.vecgrad.train.layers.Dense(1));

        Pair() {
            super(null);
        }

        @Override
        protected void build(Shape inputShape) {
            a.maybeBuild(inputShape, dtype());
            b.maybeBuild(a.computeOutputShape(inputShape), dtype());
        }

        @Override
        protected Tensor forward(Tensor x, boolean training) {
            return b.call(a.call(x, training), training);
        }

        @Override
        public Shape computeOutputShape(Shape inputShape) {
            return b.computeOutputShape(a.computeOutputShape(inputShape));
        }
    }

    @Test
    void twoInstancesOfOneModelClassNameAndInitialiseTheirWeightsAlike() throws IOException {
        // Layers built elsewhere on this thread must not shift the names.
        new dev.vecgrad.train.layers.Dense(5).maybeBuild(Shape.of(1, 2), dev.vecgrad.core.DType.F32);
        Net one = new Net();
        Net two = new Net();
        one.build(1, 4);
        two.build(1, 4);
        assertThat(one.namedWeights().keySet()).containsExactly("dense/kernel", "dense/bias", "dense_1/kernel",
                "dense_1/bias", "dense_2/kernel", "dense_2/bias");
        assertThat(two.namedWeights().keySet()).isEqualTo(one.namedWeights().keySet());
        assertSameBits(one.getWeights(), two.getWeights());

        Net third = new Net();
        third.setSeed(99);
        third.build(1, 4);
        third.saveWeights(tmp.resolve("third.safetensors"));
        one.loadWeights(tmp.resolve("third.safetensors"));
        assertSameBits(one.getWeights(), third.getWeights());
        Tensor x = TestModels.inputs(3, 4, 8);
        assertThat(one.predict(x, 3).toFloatArray()).containsExactly(third.predict(x, 3).toFloatArray());
    }

    @Test
    void customLayersLoadOnlyThroughTheRegistry() throws IOException {
        Sequential m = new Sequential().add(new Scale("scale")).add(new dev.vecgrad.train.layers.Dense(2));
        m.build(1, 3);
        Map<String, Tensor> w = m.namedWeights();
        w.put("scale/factor", Tensor.of(new float[] {2, -1, 0.5f}, 3));
        m.setNamedWeights(w);
        Path dir = tmp.resolve("custom");
        m.save(dir);
        assertThatThrownBy(() -> Model.load(dir)).isInstanceOf(TensorFileException.class)
                .hasMessageContaining("config.json").hasMessageContaining("'Scale' is neither built in nor registered");
        Model loaded = Model.load(dir,
                new CustomObjects().register(Layers.REGISTRY, "Scale", c -> new Scale((String) c.get("name"))));
        Tensor x = TestModels.inputs(4, 3, 5);
        assertThat(loaded.predict(x, 4).f32Array()).containsExactly(m.predict(x, 4).f32Array());
        assertThat(loaded.isCompiled()).isFalse();
        assertThat(TestModels.saved(dir, "optimizer.safetensors")).doesNotExist();
    }

    @Test
    void badDirectoriesAndFilesGiveOneClearError() throws IOException {
        assertThatThrownBy(() -> Model.load(tmp.resolve("absent"))).isInstanceOf(NoSuchFileException.class);
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertThatThrownBy(() -> Model.load(empty)).isInstanceOf(TensorFileException.class)
                .hasMessageContaining("not a model directory");
        Sequential m = TestModels.regression(3, 7);
        Path dir = tmp.resolve("m");
        m.save(dir);
        Files.writeString(TestModels.saved(dir, "config.json"), "{\"format\": \"vecgrad.model\", ");
        assertThatThrownBy(() -> Model.load(dir)).isInstanceOf(TensorFileException.class)
                .hasMessageContaining("config.json").hasMessageContaining("invalid JSON");
        m.save(dir);
        Files.write(TestModels.saved(dir, "model.safetensors"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> Model.load(dir)).isInstanceOf(TensorFileException.class)
                .hasMessageContaining("model.safetensors");
        assertThatThrownBy(() -> new Sequential().add(new dev.vecgrad.train.layers.Dense(1)).save(tmp.resolve("x")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not built");
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    @Test
    void aModelWhoseLearningRateIsALambdaSavesItsWeightsButLoadsUncompiled() throws IOException {
        Sequential m = TestModels.regression(3, 7);
        m.compile(CompileOptions.of(new dev.vecgrad.train.optimizers.SGD(step -> 0.01, 0, false), "mse"));
        Tensor x = TestModels.inputs(10, 3, 3);
        m.fit(FitOptions.of(x, TestModels.targets(x)).epochs(1).batchSize(5).verbose(0));
        Path dir = tmp.resolve("lambda");
        m.save(dir);
        Model loaded = Model.load(dir);
        assertThat(loaded.isCompiled()).isFalse();
        assertThat(loaded.predict(x, 7).toFloatArray()).containsExactly(m.predict(x, 7).toFloatArray());
    }
}
