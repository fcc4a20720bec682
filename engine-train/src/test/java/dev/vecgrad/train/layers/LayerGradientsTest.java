package dev.vecgrad.train.layers;

import static dev.vecgrad.train.layers.CoreLayersTest.random;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.autodiff.GradCheck;
import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.regularizers.Regularizers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every layer's gradients, with respect to its input and its weights, against finite differences in F64. */
class LayerGradientsTest {

    /** Builds {@code layer} on {@code x}, then checks input and weight gradients. */
    private static void checkLayer(Layer layer, Tensor x, boolean training) {
        layer.call(x, training);
        GradCheck.check(in -> layer.call(in.get(0), training), x).assertPassed();
        if (!layer.trainableWeights().isEmpty()) {
            int n = WeightGradCheck.check(() -> layer.call(x, training), layer.trainableWeights());
            assertThat(n).isPositive();
        }
    }

    @Test
    void dense() {
        checkLayer(Dense.builder(3).activation("tanh").build(), random(1, 4, 5), true);
        checkLayer(Dense.builder(2).useBias(false).build(), random(2, 2, 3, 4), true);
    }

    @Test
    void activationLayers() {
        for (String a : List.of("relu", "sigmoid", "tanh", "softmax", "gelu", "gelu_approximate", "silu", "elu",
                "leaky_relu", "softplus", "linear")) {
            // Keep away from relu's kink at 0, where finite differences are not a derivative.
            Tensor x = random(3, 3, 4).add(0.01);
            checkLayer(new Activation(a), x, true);
        }
    }

    @Test
    void shapeLayers() {
        checkLayer(new Flatten(), random(4, 2, 3, 2), true);
        checkLayer(new Reshape(3, 2), random(5, 2, 6), true);
    }

    @Test
    void dropoutPassesGradientThroughItsMask() {
        Dropout d = new Dropout(0.5);
        Tensor x = random(6, 8, 8).add(3);
        checkLayer(d, x, false);
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(x);
            Tensor y = d.call(x, true);
            Tensor g = tape.gradient(y.sum(), x).get(0);
            double[] ys = y.toDoubleArray();
            double[] xs = x.toDoubleArray();
            double[] gs = g.toDoubleArray();
            for (int i = 0; i < gs.length; i++) {
                assertThat(gs[i]).isEqualTo(ys[i] / xs[i], org.assertj.core.data.Offset.offset(1e-12));
            }
        }
    }

    @Test
    void batchNormInTrainingAndInference() {
        BatchNormalization bn = new BatchNormalization(null, -1, 0.9, 1e-3, true, true);
        Tensor x = random(7, 5, 3).mul(2);
        checkLayer(bn, x, true);
        checkLayer(bn, x, false);
        BatchNormalization channels = new BatchNormalization(null, 1, 0.9, 1e-3, true, true);
        checkLayer(channels, random(8, 2, 3, 2), true);
    }

    @Test
    void convolutionAndPooling() {
        checkLayer(Conv2D.builder(3, 3, 2).activation("tanh").build(), random(13, 2, 5, 4, 2), true);
        checkLayer(Conv2D.builder(3, 2, 3).activation("relu").build(), random(19, 2, 5, 4, 2), true); // fused relu
        checkLayer(Conv2D.builder(2, 2, 2).strides(2, 1).dilation(1, 1).padding("same").build(), random(14, 1, 5, 5, 3),
                true);
        checkLayer(Conv2D.builder(2, 2, 2).dilation(2, 2).padding("same").useBias(false).build(),
                random(15, 1, 5, 4, 2), true);
        // Distinct values keep every max-pool window's winner away from ties.
        Tensor distinct = Tensor.arange(0, 48, 1, DType.F64).mul(0.37).sin().reshape(1, 4, 6, 2);
        checkLayer(new MaxPooling2D(null, new int[] {2, 2}, new int[] {1, 2}, dev.vecgrad.core.ops.Padding.SAME),
                distinct, true);
        checkLayer(new AveragePooling2D(null, new int[] {3, 2}, null, dev.vecgrad.core.ops.Padding.SAME),
                random(16, 2, 5, 4, 2), true);
        checkLayer(new GlobalAveragePooling2D(), random(17, 2, 3, 3, 2), true);
    }

    @Test
    void smallConvNetStack() {
        List<Layer> stack = List.of(
                Conv2D.builder(3, 3, 3).padding("same").activation("relu").name("c1").build(),
                new MaxPooling2D(),
                Conv2D.builder(2, 2, 2).activation("tanh").name("c2").build(),
                new Flatten(),
                Dense.builder(3).activation("softmax").name("out").build());
        Tensor x = random(18, 2, 6, 6, 1);
        java.util.function.Supplier<Tensor> model = () -> {
            Tensor h = x;
            for (Layer l : stack) {
                h = l.call(h, true);
            }
            return h;
        };
        assertThat(model.get().shape()).isEqualTo(Shape.of(2, 3));
        List<Variable> weights = new ArrayList<>();
        stack.forEach(l -> weights.addAll(l.trainableWeights()));
        assertThat(WeightGradCheck.check(model, weights)).isEqualTo(27 + 3 + 24 + 2 + 8 * 3 + 3);
    }

    @Test
    void layerNorm() {
        checkLayer(new LayerNormalization(), random(9, 3, 4).mul(3), true);
        checkLayer(new LayerNormalization(null, new int[] {1, 2}, 1e-3, true, true), random(9, 2, 3, 4).mul(3), true);
    }

    @Test
    void embeddingTableGetsScatteredGradients() {
        Embedding e = new Embedding(null, 6, 3, new dev.vecgrad.train.initializers.RandomUniform(-1, 1), null, DType.F64);
        Tensor ids = Tensor.of(new int[] {1, 4, 1, 0, 5, 1}, 2, 3);
        e.call(ids);
        WeightGradCheck.check(() -> e.call(ids), e.trainableWeights());
        try (GradientTape tape = GradientTape.open()) {
            Tensor g = tape.gradient(e.call(ids).sum(), e.trainableWeights()).get(0);
            // Row r of the gradient counts how often id r was looked up.
            int[] counts = {1, 3, 0, 0, 1, 1};
            for (int r = 0; r < 6; r++) {
                for (int j = 0; j < 3; j++) {
                    assertThat(g.get(r, j)).isEqualTo(counts[r]);
                }
            }
        }
    }

    @Test
    void regularizationLossGradientsReachTheWeights() {
        Dense d = Dense.builder(2).kernelRegularizer(Regularizers.l1l2(0.3, 0.7)).biasRegularizer(Regularizers.l2(2))
                .build();
        d.call(random(10, 1, 3));
        WeightGradCheck.check(() -> {
            Tensor total = null;
            for (Tensor l : d.losses()) {
                total = total == null ? l : total.add(l);
            }
            return total;
        }, d.trainableWeights());
    }

    /** A small model stack: weights of every layer checked together, through the whole chain. */
    @Test
    void smallModelStack() {
        List<Layer> stack = List.of(
                Dense.builder(6).name("d1").build(),
                new BatchNormalization(),
                new Activation(Activations.gelu(), null),
                new Dropout(0.3),
                new Reshape(2, 3),
                new LayerNormalization(),
                new Flatten(),
                Dense.builder(2).activation("softmax").name("d2").build());
        Tensor x = random(11, 4, 5);
        java.util.function.Supplier<Tensor> model = () -> {
            Tensor h = x;
            for (Layer l : stack) {
                h = l.call(h, l instanceof Dropout ? false : true);
            }
            return h;
        };
        Tensor y = model.get();
        assertThat(y.shape()).isEqualTo(Shape.of(4, 2));
        List<Variable> weights = new ArrayList<>();
        stack.forEach(l -> weights.addAll(l.trainableWeights()));
        assertThat(weights).hasSize(2 + 2 + 2 + 2);
        int n = WeightGradCheck.check(model, weights);
        assertThat(n).isEqualTo(5 * 6 + 6 + 6 + 6 + 3 + 3 + 6 * 2 + 2);
    }

    @Test
    void frozenLayerWeightsGetNoUpdatesButStillPassGradient() {
        Dense first = new Dense(3);
        Dense second = new Dense(1);
        Tensor x = random(12, 2, 4);
        second.call(first.call(x));
        first.setTrainable(false);
        List<Variable> trainable = new ArrayList<>(first.trainableWeights());
        trainable.addAll(second.trainableWeights());
        assertThat(trainable).containsExactly(second.kernel(), second.bias());
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(x);
            Tensor loss = second.call(first.call(x)).sum();
            List<Tensor> g = tape.gradient(loss, x);
            assertThat(g.get(0)).isNotNull();
        }
    }
}
