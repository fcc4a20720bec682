package dev.vecgrad.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.data.Dataset;
import dev.vecgrad.train.data.Tensors;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.layers.Input;
import dev.vecgrad.train.layers.Layer;
import dev.vecgrad.train.layers.Masked;
import dev.vecgrad.train.layers.SymbolicTensor;
import dev.vecgrad.train.optimizers.SGD;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionalTest {
    @TempDir
    Path tmp;

    /** Adds its inputs: a merge layer written against Layer's several-input API. */
    static final class AddInputs extends Layer {
        AddInputs() {
            this(null);
        }

        AddInputs(String name) {
            super(name);
        }

        @Override
        protected Tensor forward(Tensor x, boolean training) {
            return x;
        }

        @Override
        protected Tensor forward(List<Tensor> inputs, List<Tensor> masks, boolean training) {
            Tensor sum = inputs.get(0);
            for (int i = 1; i < inputs.size(); i++) {
                sum = sum.add(inputs.get(i));
            }
            return sum;
        }

        @Override
        public Shape computeOutputShape(Shape inputShape) {
            return inputShape;
        }

        @Override
        public Shape computeOutputShape(List<Shape> inputShapes) {
            for (Shape s : inputShapes) {
                if (!s.equals(inputShapes.get(0))) {
                    throw new IllegalArgumentException("inputs of shapes " + inputShapes + " cannot be added");
                }
            }
            return inputShapes.get(0);
        }
    }

    /** Gives its input and its negation: a layer with two outputs. */
    static final class PlusMinus extends Layer {
        PlusMinus() {
            this(null);
        }

        PlusMinus(String name) {
            super(name);
        }

        @Override
        protected Tensor forward(Tensor x, boolean training) {
            return x;
        }

        @Override
        protected List<Masked> forwardOutputs(List<Tensor> inputs, List<Tensor> masks, boolean training) {
            return List.of(new Masked(inputs.get(0), null), new Masked(inputs.get(0).neg(), null));
        }

        @Override
        public Shape computeOutputShape(Shape inputShape) {
            return inputShape;
        }

        @Override
        public List<Shape> computeOutputShapes(List<Shape> inputShapes) {
            return List.of(inputShapes.get(0), inputShapes.get(0));
        }
    }

    /** Two inputs (3 and 2 features), a shared Dense, a merge, a two-output layer, a nested model, two heads. */
    static Functional twoHeads(long seed) {
        SymbolicTensor wide = Input.of("wide", 3);
        SymbolicTensor narrow = Input.of("narrow", 2);
        Dense up = new Dense(4);
        SymbolicTensor h = new Dense(4, Activations.tanh()).call(wide);
        SymbolicTensor g = up.call(narrow);
        SymbolicTensor g2 = up.call(new Dense(2).call(g));    // shared: the same weights twice
        SymbolicTensor merged = new AddInputs().call(h, g, g2);
        List<SymbolicTensor> pm = new PlusMinus().callOutputs(List.of(merged));
        SymbolicTensor innerIn = Input.of(4);
        Functional inner = Model.of("inner", List.of(innerIn), List.of(new Dense(3, Activations.relu()).call(innerIn)));
        SymbolicTensor a = Dense.builder(2).name("a").build().call(inner.call(pm.get(0)));
        SymbolicTensor b = Dense.builder(1).name("b").build().call(new Sequential(new Dense(2)).call(pm.get(1)));
        Functional m = Model.of("two_heads", List.of(wide, narrow), List.of(a, b));
        return m;
    }

    private static Tensors inputs(int n, long seed) {
        Map<String, Tensor> x = new LinkedHashMap<>();
        x.put("wide", TestModels.inputs(n, 3, seed));
        x.put("narrow", TestModels.inputs(n, 2, seed + 1));
        return Tensors.of(x);
    }

    @Test
    void aFunctionalModelComputesWhatItsLayersComputeInOrder() {
        Functional m = twoHeads(1);
        assertThat(m.isBuilt()).isTrue();
        assertThat(m.inputNames()).containsExactly("wide", "narrow");
        assertThat(m.outputNames()).containsExactly("a", "b");
        Tensors x = inputs(5, 3);
        Tensors out = m.call(x, false);

        // The same computation, layer by layer.
        List<Layer> ls = m.layers();
        Dense hDense = (Dense) ls.stream().filter(l -> l.name().equals("dense")).findFirst().orElseThrow();
        Dense up = (Dense) ls.stream().filter(l -> l.name().equals("dense_1")).findFirst().orElseThrow();
        Dense mid = (Dense) ls.stream().filter(l -> l.name().equals("dense_2")).findFirst().orElseThrow();
        Model inner = (Model) ls.stream().filter(l -> l.name().equals("inner")).findFirst().orElseThrow();
        Model seq = (Model) ls.stream().filter(l -> l instanceof Sequential).findFirst().orElseThrow();
        Layer a = ls.stream().filter(l -> l.name().equals("a")).findFirst().orElseThrow();
        Layer b = ls.stream().filter(l -> l.name().equals("b")).findFirst().orElseThrow();
        Tensor g = up.call(x.get("narrow"));
        Tensor merged = hDense.call(x.get("wide")).add(g).add(up.call(mid.call(g)));
        Tensor expectA = a.call(inner.call(merged));
        Tensor expectB = b.call(seq.call(merged.neg()));
        assertThat(out.names()).containsExactly("a", "b");
        assertThat(out.get("a").toFloatArray()).containsExactly(expectA.toFloatArray());
        assertThat(out.get("b").toFloatArray()).containsExactly(expectB.toFloatArray());

        // By position gives the same; named inputs may come in any order.
        Tensors byPosition = Tensors.of(x.get(0), x.get(1));
        assertThat(m.call(byPosition, false).get(0).toFloatArray()).containsExactly(expectA.toFloatArray());
        Tensors swapped = Tensors.of(new LinkedHashMap<>(Map.of("narrow", x.get("narrow"), "wide", x.get("wide"))));
        assertThat(m.call(swapped, false).get("b").toFloatArray()).containsExactly(expectB.toFloatArray());
        // The shared layer holds one kernel and one bias.
        assertThat(m.namedWeights().keySet()).filteredOn(k -> k.startsWith("dense_1/")).containsExactly(
                "dense_1/kernel", "dense_1/bias");
        assertThat(m.namedWeights().keySet()).contains("inner/dense/kernel", "sequential/dense/kernel");
    }

    @Test
    void perOutputLossesLossWeightsAndMetricsAddUpAsKerasDoes() {
        Functional m = twoHeads(1);
        m.compile(CompileOptions.of(new SGD(0.01), Map.of("a", "mse", "b", "mae"))
                .lossWeights(Map.of("b", 0.5))
                .metricsFor("a", "mae").metricsFor("b", "mse"));
        Tensors x = inputs(7, 11);
        Tensor ya = TestModels.inputs(7, 2, 13);
        Tensor yb = TestModels.inputs(7, 1, 14);
        Tensors y = Tensors.of(new LinkedHashMap<>(Map.of("b", yb, "a", ya)));
        Map<String, Double> r = m.evaluate(x, y, 7);

        Tensors p = m.call(x, false);
        double mseA = p.get("a").sub(ya).square().mean().item();
        double maeA = p.get("a").sub(ya).abs().mean().item();
        double maeB = p.get("b").sub(yb).abs().mean().item();
        double mseB = p.get("b").sub(yb).square().mean().item();
        assertThat(r.keySet()).containsExactly("loss", "a_mae", "b_mse", "a_loss", "b_loss");
        assertThat(r.get("loss")).isCloseTo(mseA + 0.5 * maeB, within(1e-6));
        assertThat(r.get("a_loss")).isCloseTo(mseA, within(1e-6));
        assertThat(r.get("b_loss")).isCloseTo(maeB, within(1e-6));
        assertThat(r.get("a_mae")).isCloseTo(maeA, within(1e-6));
        assertThat(r.get("b_mse")).isCloseTo(mseB, within(1e-6));
        // Targets by position go with the outputs in order.
        assertThat(m.evaluate(x, Tensors.of(ya, yb), 7)).isEqualTo(r);
        assertThatThrownBy(() -> m.evaluate(x, Tensors.of(ya), 7)).hasMessageContaining("2 outputs [a, b]");
        assertThatThrownBy(() -> m.compile(CompileOptions.of("sgd", Map.of("c", "mse"))))
                .hasMessageContaining("'c', which is not an output").hasMessageContaining("[a, b]");
        assertThatThrownBy(() -> m.compile(CompileOptions.of("sgd", "mse").metrics(
                new dev.vecgrad.train.metrics.MeanAbsoluteError()))).hasMessageContaining("metricsFor");
    }

    @Test
    void fitTrainsEveryHeadWithDataByNameOrByPositionAlike() {
        Tensors x = inputs(40, 21);
        Tensor ya = x.get("wide").slice(1, 0, 2).mul(2f);
        Tensor yb = x.get("narrow").sum(new int[] {1}, true);
        Functional byName = twoHeads(1);
        Functional byPosition = twoHeads(1);
        for (Functional m : List.of(byName, byPosition)) {
            m.compile(CompileOptions.of("adam", "mse").metricsFor("b", "mae"));
        }
        Map<String, Tensor> named = new LinkedHashMap<>();
        named.put("a", ya);
        named.put("b", yb);
        Map<String, Double> before = byName.evaluate(x, Tensors.of(named), 8);
        byName.fit(FitOptions.of(Dataset.fromTensorSlices(x, Tensors.of(named)).batch(8)).epochs(30).verbose(0));
        byPosition.fit(FitOptions.of(Dataset.fromTensorSlices(Tensors.of(x.get(0), x.get(1)), Tensors.of(ya, yb))
                .batch(8)).epochs(30).verbose(0));
        Map<String, Double> after = byName.evaluate(x, Tensors.of(named), 8);
        assertThat(after.get("a_loss")).isLessThan(before.get("a_loss") / 2);
        assertThat(after.get("b_loss")).isLessThan(before.get("b_loss") / 2);
        assertThat(byPosition.evaluate(x, Tensors.of(ya, yb), 8)).isEqualTo(after);
        Tensors predicted = byName.predictOutputs(x, 16);
        assertThat(predicted.names()).containsExactly("a", "b");
        assertThat(predicted.get("b").toFloatArray()).containsExactly(byName.call(x, false).get("b").toFloatArray());
        assertThatThrownBy(() -> byName.predict(Dataset.fromTensorSlices(x, null).batch(8)))
                .hasMessageContaining("predictOutputs");
    }

    @Test
    void theWholeGraphSavesAndLoadsAndTrainingGoesOnExactly() throws IOException {
        Functional m = twoHeads(1);
        m.compile(CompileOptions.of("adam", Map.of("a", "mse", "b", "mae")).lossWeights(Map.of("a", 2.0))
                .metricsFor("a", "mae").weightedMetricsFor("b", "mse"));
        Tensors x = inputs(12, 31);
        Tensors y = Tensors.of(TestModels.inputs(12, 2, 32), TestModels.inputs(12, 1, 33));
        m.fit(FitOptions.of(Dataset.fromTensorSlices(x, y).batch(4)).epochs(2).verbose(0));
        m.save(tmp.resolve("m"));
        Model loaded = Model.load(tmp.resolve("m"),
                new dev.vecgrad.train.registry.CustomObjects()
                        .register(dev.vecgrad.train.layers.Layers.REGISTRY, "AddInputs", c -> new AddInputs((String) c.get("name")))
                        .register(dev.vecgrad.train.layers.Layers.REGISTRY, "PlusMinus", c -> new PlusMinus((String) c.get("name"))));
        assertThat(loaded).isInstanceOf(Functional.class);
        assertThat(loaded.outputNames()).containsExactly("a", "b");
        assertThat(loaded.namedWeights().keySet()).containsExactlyElementsOf(m.namedWeights().keySet());
        assertThat(loaded.call(x, false).get("a").toFloatArray()).containsExactly(m.call(x, false).get("a").toFloatArray());
        assertThat(loaded.summary()).isEqualTo(m.summary());
        Dataset data = Dataset.fromTensorSlices(x, y).batch(4);
        assertThat(loaded.evaluate(data)).isEqualTo(m.evaluate(data));
        m.fit(FitOptions.of(data).epochs(1).verbose(0));
        loaded.fit(FitOptions.of(data).epochs(1).verbose(0));
        assertThat(loaded.call(x, false).get("b").toFloatArray()).containsExactly(m.call(x, false).get("b").toFloatArray());
    }

    @Test
    void summaryShowsTheConnectionsAndTheGraphDraws() throws IOException {
        Functional m = twoHeads(1);
        String s = m.summary();
        assertThat(s).contains("Connected to").contains("wide (InputLayer)").contains("narrow[0][0]")
                .contains("dense_1[0][0]").contains("plus_minus[0][1]").contains("inner (Functional)");
        // The shared layer is listed once with both of its calls.
        assertThat(s.lines().filter(l -> l.startsWith(" dense_1 (Dense)")).count()).isEqualTo(1);
        assertThat(s).contains("dense_2[0][0]");
        String dot = m.layerGraph().toDot();
        assertThat(dot).contains("wide [").contains("\"dense_1#1\" [").contains("dense_2 -> \"dense_1#1\"");
        m.plot(tmp.resolve("m.svg"));
        assertThat(java.nio.file.Files.readString(tmp.resolve("m.svg"))).startsWith("<svg").contains("plus_minus");
    }

    @Test
    void graphsThatCannotWorkAreClearErrors() {
        SymbolicTensor x = Input.of("x", 3);
        SymbolicTensor other = Input.of("other", 3);
        SymbolicTensor y = new AddInputs().call(x, other);
        assertThatThrownBy(() -> Model.of(x, y)).hasMessageContaining("depend on the input 'other'");
        assertThatThrownBy(() -> Model.of(y, y)).hasMessageContaining("must be made with Input.of");
        assertThatThrownBy(() -> new Dense(2).call(x, other)).hasMessageContaining("takes one input, got 2");
        assertThatThrownBy(() -> new AddInputs().call(x, Input.of(4))).hasMessageContaining("cannot be added");
        assertThatThrownBy(() -> Input.of(0, 3)).hasMessageContaining("at least 1");
        Functional m = Model.of(List.of(x, other), List.of(y));
        assertThatThrownBy(() -> m.call(Tensors.of(Tensor.zeros(2, 3)), false)).hasMessageContaining("takes 2 inputs");
        assertThatThrownBy(() -> m.call(Tensors.of(Map.of("x", Tensor.zeros(2, 3), "z", Tensor.zeros(2, 3))), false))
                .hasMessageContaining("takes inputs [x, other]");
        assertThatThrownBy(() -> m.call(Tensors.of(Tensor.zeros(2, 3), Tensor.zeros(2, 4)), false))
                .hasMessageContaining("(1, 3)");
    }
}
