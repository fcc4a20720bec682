package dev.vecgrad.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.activations.ActivationFunction;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.callbacks.EarlyStopping;
import dev.vecgrad.train.callbacks.History;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.data.Tensors;
import dev.vecgrad.train.layers.Concatenate;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.layers.Flatten;
import dev.vecgrad.train.layers.Input;
import dev.vecgrad.train.layers.Layer;
import dev.vecgrad.train.layers.Layers;
import dev.vecgrad.train.layers.SymbolicTensor;
import dev.vecgrad.train.losses.MeanSquaredError;
import dev.vecgrad.train.losses.Reduction;
import dev.vecgrad.train.metrics.MeanAbsolutePercentageError;
import dev.vecgrad.train.registry.CustomObjects;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Javadoc examples of the model API ({@link Functional}, {@link CompileOptions},
 * {@link FitOptions}, {@link CustomObjects}), as {@code {@snippet}} regions: the Javadoc shows the code between
 * {@code @start} and {@code @end}, this test compiles and runs it and checks what it made.
 */
class TrainSnippetsTest {

    /** Functional's example: two inputs, two named outputs. */
    static Model twoHeads() {
        // @start region=functional
        SymbolicTensor image = Input.of("image", 28, 28, 1);
        SymbolicTensor hint = Input.of("hint", 10);
        SymbolicTensor h = new Dense(64, Activations.relu()).call(new Flatten().call(image));
        SymbolicTensor digit = Dense.builder(10).name("digit").build().call(h);
        SymbolicTensor right = Dense.builder(1).activation("sigmoid").name("hint_right").build()
                .call(new Concatenate().call(h, hint));
        Model model = Model.of(List.of(image, hint), List.of(digit, right));
        // @end
        return model;
    }

    @Test
    void aFunctionalModelTakesItsInputsAndNamesItsOutputs() {
        Model model = twoHeads();
        assertThat(model.inputNames()).containsExactly("image", "hint");
        assertThat(model.outputNames()).containsExactly("digit", "hint_right");
    }

    @Test
    void compileOptionsForOneOutputAndForTwo() {
        Model model = new Sequential().add(new Dense(1));
        Model twoHeads = twoHeads();
        // @start region=compile-options
        model.compile(CompileOptions.of("sgd", new MeanSquaredError("mean_squared_error", Reduction.SUM))
                .metrics(new MeanAbsolutePercentageError())
                .stepsPerExecution(5));
        twoHeads.compile(CompileOptions.of("adam", Map.of("digit", "sparse_categorical_crossentropy",
                        "hint_right", "binary_crossentropy"))
                .lossWeights(Map.of("digit", 1.0, "hint_right", 0.5))
                .metricsFor("digit", "accuracy")
                .metricsFor("hint_right", "accuracy", "auc"));
        // @end
        Map<String, Double> one = model.evaluate(Tensor.zeros(10, 3), Tensor.ones(10, 1), 5);
        assertThat(one).containsOnlyKeys("loss", "mean_absolute_percentage_error");
        Tensors x = Tensors.of(Map.of("image", Tensor.zeros(4, 28, 28, 1), "hint", Tensor.zeros(4, 10)));
        Tensors y = Tensors.of(Map.of("digit", Tensor.zeros(4), "hint_right", Tensor.ones(4, 1)));
        Map<String, Double> two = twoHeads.evaluate(x, y, 4);
        assertThat(two).containsKeys("loss", "digit_loss", "hint_right_loss", "digit_accuracy",
                "hint_right_accuracy", "hint_right_auc");
    }

    @Test
    void fitOptionsFromTensorsAndFromDatasets() {
        Model model = new Sequential().add(new Dense(1));
        model.compile("sgd", "mse");
        Tensor x = Tensor.zeros(1000, 10);
        Tensor y = Tensor.ones(1000, 1);
        Dataset trainDs = Dataset.fromTensorSlices(x, y).batch(100);
        Dataset valDs = Dataset.fromTensorSlices(x, y).batch(500);
        EarlyStopping stop = EarlyStopping.builder().monitor("val_loss").patience(1).build();
        // @start region=fit-options
        History h = model.fit(FitOptions.of(x, y).epochs(10).batchSize(128).validationSplit(0.1));
        History more = model.fit(FitOptions.of(trainDs).epochs(5).validationData(valDs).callbacks(stop));
        // @end
        assertThat(h.get("loss")).hasSize(10);
        assertThat(h.get("val_loss")).hasSize(10);
        assertThat(more.get("val_loss")).hasSizeBetween(1, 5);
    }

    @Test
    void customObjectsRebuildAModelWithALayerAndAnActivationOfYourOwn(@TempDir Path dir) throws IOException {
        Model saved = new Sequential(new Scale("scale", 3.0), new Dense(2, new Mish()));
        saved.build(1, 4);
        saved.save(dir);
        // @start region=custom-objects
        CustomObjects custom = new CustomObjects()
                .register(Layers.REGISTRY, "Scale", c -> new Scale((String) c.get("name"), ((Number) c.get("factor")).doubleValue()))
                .register(Activations.REGISTRY, "mish", c -> new Mish(), "mish");
        Model m = Model.load(dir, custom);
        try (CustomObjects.Scope s = custom.activate()) {
            m.compile("sgd", "mse");          // names see the custom classes here
        }
        // @end
        Tensor x = Tensor.ones(1, 4);
        assertThat(m.predict(x, 1).toFloatArray()).containsExactly(saved.predict(x, 1).toFloatArray());
    }

    /** A layer of the user's own: multiplies by a constant factor. */
    static final class Scale extends Layer {
        private final double factor;

        Scale(String name, double factor) {
            super(name);
            this.factor = factor;
        }

        @Override
        protected Tensor forward(Tensor x, boolean training) {
            return x.mul(factor);
        }

        @Override
        public Shape computeOutputShape(Shape inputShape) {
            return inputShape;
        }

        @Override
        public Map<String, Object> getConfig() {
            Map<String, Object> config = new java.util.LinkedHashMap<>(super.getConfig());
            config.put("factor", factor);
            return config;
        }
    }

    /** An activation of the user's own: x·tanh(softplus(x)). */
    static final class Mish implements ActivationFunction {
        @Override
        public Tensor apply(Tensor x) {
            return x.mul(x.softplus().tanh());
        }

        @Override
        public String name() {
            return "mish";
        }

        @Override
        public Map<String, Object> parameters() {
            return Map.of();
        }
    }
}
