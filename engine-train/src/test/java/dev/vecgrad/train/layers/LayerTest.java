package dev.vecgrad.train.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.initializers.Initializers;
import dev.vecgrad.train.regularizers.Regularizers;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerTest {

    /** A layer made of two Dense layers, to test tracking. */
    static final class TwoDense extends Layer {
        final Dense first = track(Dense.builder(3).name("first").build());
        final Dense second = track(Dense.builder(2).name("second").kernelRegularizer(Regularizers.l2(0.5)).build());

        TwoDense() {
            super("two");
        }

        @Override
        protected Tensor forward(Tensor x, boolean training) {
            return second.call(first.call(x, training), training);
        }

        @Override
        public Shape computeOutputShape(Shape inputShape) {
            return second.computeOutputShape(first.computeOutputShape(inputShape));
        }
    }

    @Test
    void defaultNamesComeFromTheScopeKerasStyle() {
        NameScope scope = new NameScope();
        Dense a = new Dense(2);
        Dense b = new Dense(2);
        Dense named = Dense.builder(2).name("dense_1").build();
        named.resolveName(scope);
        a.resolveName(scope);
        b.resolveName(scope);
        assertThat(a.name()).isEqualTo("dense");
        assertThat(b.name()).isEqualTo("dense_2");
        assertThat(new BatchNormalization().className()).isEqualTo("BatchNormalization");
        assertThat(NameScope.snakeCase("BatchNormalization")).isEqualTo("batch_normalization");
        assertThat(NameScope.snakeCase("Conv2D")).isEqualTo("conv2d");
        assertThat(NameScope.snakeCase("MaxPooling2D")).isEqualTo("max_pooling2d");
        assertThat(NameScope.snakeCase("GlobalAveragePooling2D")).isEqualTo("global_average_pooling2d");
    }

    @Test
    void badNamesAreRejected() {
        assertThatThrownBy(() -> Dense.builder(1).name("a/b").build()).hasMessageContaining("a/b");
    }

    @Test
    void buildsOnFirstCallInTheInputsDType() {
        Dense d = Dense.builder(4).name("d").build();
        assertThat(d.isBuilt()).isFalse();
        assertThatThrownBy(d::countParams).isInstanceOf(IllegalStateException.class).hasMessageContaining("'d'");
        Tensor y = d.call(Tensor.ones(DType.F64, 2, 3), false);
        assertThat(d.isBuilt()).isTrue();
        assertThat(y.shape()).isEqualTo(Shape.of(2, 4));
        assertThat(d.kernel().name()).isEqualTo("d/kernel");
        assertThat(d.bias().name()).isEqualTo("d/bias");
        assertThat(d.kernel().dtype()).isEqualTo(DType.F64);
        assertThat(d.kernel().shape()).isEqualTo(Shape.of(3, 4));
        assertThat(d.countParams()).isEqualTo(3 * 4 + 4);
        assertThat(d.builtInputShape()).isEqualTo(Shape.of(2, 3));
        // A different batch size is fine; a different feature size or dtype is a clear error.
        assertThat(d.call(Tensor.ones(DType.F64, 5, 3), false).shape()).isEqualTo(Shape.of(5, 4));
        assertThatThrownBy(() -> d.call(Tensor.ones(DType.F64, 2, 5), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'d'").hasMessageContaining("(2, 3)").hasMessageContaining("(2, 5)");
        assertThatThrownBy(() -> d.call(Tensor.ones(DType.F32, 2, 3), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("F64").hasMessageContaining("F32");
    }

    @Test
    void weightsDependOnSeedAndNameOnly() {
        Dense a = Dense.builder(5).name("x").build();
        Dense b = Dense.builder(5).name("x").build();
        Dense c = Dense.builder(5).name("x").build();
        c.setSeed(99);
        // Build b before a: order does not matter.
        b.call(Tensor.ones(1, 4));
        a.call(Tensor.ones(1, 4));
        c.call(Tensor.ones(1, 4));
        assertThat(a.kernel().peek().toFloatArray()).containsExactly(b.kernel().peek().toFloatArray());
        assertThat(a.kernel().peek().toFloatArray()).isNotEqualTo(c.kernel().peek().toFloatArray());
        assertThatThrownBy(() -> a.setSeed(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void freezingMovesAllWeightsToNonTrainable() {
        TwoDense t = new TwoDense();
        t.call(Tensor.ones(2, 4));
        assertThat(names(t.trainableWeights()))
                .containsExactly("first/kernel", "first/bias", "second/kernel", "second/bias");
        assertThat(t.nonTrainableWeights()).isEmpty();
        assertThat(t.countParams()).isEqualTo(4 * 3 + 3 + 3 * 2 + 2);
        t.setTrainable(false);
        assertThat(t.trainableWeights()).isEmpty();
        assertThat(names(t.nonTrainableWeights()))
                .containsExactly("first/kernel", "first/bias", "second/kernel", "second/bias");
        t.setTrainable(true);
        t.first.setTrainable(false);
        assertThat(names(t.trainableWeights())).containsExactly("second/kernel", "second/bias");
        assertThat(names(t.nonTrainableWeights())).containsExactly("first/kernel", "first/bias");
        assertThat(names(t.weights()))
                .containsExactly("second/kernel", "second/bias", "first/kernel", "first/bias");
    }

    @Test
    void batchNormMovingStatisticsAreNonTrainable() {
        BatchNormalization bn = new BatchNormalization();
        bn.call(Tensor.ones(2, 3));
        assertThat(names(bn.trainableWeights())).containsExactly(bn.name() + "/gamma", bn.name() + "/beta");
        assertThat(names(bn.nonTrainableWeights()))
                .containsExactly(bn.name() + "/moving_mean", bn.name() + "/moving_variance");
    }

    @Test
    void regularizationLossesComeFromTheCurrentWeights() {
        TwoDense t = new TwoDense();
        t.call(Tensor.ones(1, 4));
        Variable k = t.second.kernel();
        double expected = 0;
        for (double v : k.peek().toDoubleArray()) {
            expected += v * v;
        }
        assertThat(t.losses()).hasSize(1);
        assertThat(t.losses().get(0).item()).isCloseTo(0.5 * expected, org.assertj.core.data.Offset.offset(1e-5));
        k.assign(Tensor.full(2, DType.F32, 3, 2));
        assertThat(t.losses().get(0).item()).isCloseTo(0.5 * 4 * 6, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void configsAreJsonableAndRoundTrip() {
        Dense d = Dense.builder(7).name("out").activation(Activations.leakyRelu(0.1)).useBias(false)
                .kernelInitializer(Initializers.heNormal(3L)).kernelRegularizer(Regularizers.l1l2(0.1, 0.2)).build();
        var c = d.getConfig();
        assertThat(c).containsEntry("name", "out").containsEntry("units", 7).containsEntry("use_bias", false)
                .containsEntry("trainable", true);
        Layer back = Layers.fromConfig("Dense", c);
        assertThat(back.getConfig()).isEqualTo(c);
        Tensor x = Tensor.randomNormal(new dev.vecgrad.core.Rng(1), 0, 1, 3, 4);
        assertThat(back.call(x).toFloatArray()).containsExactly(d.call(x).toFloatArray());
    }

    private static List<String> names(List<Variable> vars) {
        return vars.stream().map(Variable::name).toList();
    }
}
