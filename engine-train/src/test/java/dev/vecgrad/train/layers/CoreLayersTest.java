package dev.vecgrad.train.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
import dev.vecgrad.train.activations.Activations;
import org.junit.jupiter.api.Test;

class CoreLayersTest {

    static Tensor random(long seed, int... dims) {
        Rng rng = new Rng(seed);
        Shape s = Shape.of(dims);
        double[] a = new double[s.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextDouble() * 2 - 1;
        }
        return TensorInternals.wrap(DType.F64, s, a);
    }

    @Test
    void denseIsAMatrixProductPlusBiasThenActivation() {
        Dense d = Dense.builder(3).activation("relu").build();
        Tensor x = random(1, 4, 5);
        d.maybeBuild(x.shape(), x.dtype());
        Tensor k = random(2, 5, 3);
        Tensor b = random(3, 3);
        d.kernel().assign(k);
        d.bias().assign(b);
        double[] y = d.call(x).toDoubleArray();
        double[] xs = x.toDoubleArray();
        double[] ks = k.toDoubleArray();
        double[] bs = b.toDoubleArray();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                double s = bs[j];
                for (int p = 0; p < 5; p++) {
                    s += xs[i * 5 + p] * ks[p * 3 + j];
                }
                assertThat(y[i * 3 + j]).isCloseTo(Math.max(0, s), within(1e-12));
            }
        }
    }

    @Test
    void denseActsOnTheLastAxisOfHigherRankInputs() {
        Dense d = Dense.builder(2).useBias(false).build();
        Tensor x = random(4, 2, 3, 4);
        Tensor y = d.call(x);
        assertThat(y.shape()).isEqualTo(Shape.of(2, 3, 2));
        assertThat(d.bias()).isNull();
        Tensor row = d.call(x.slice(0, 1, 2).slice(1, 2, 3).reshape(1, 4));
        assertThat(y.get(1, 2, 0)).isCloseTo(row.get(0, 0), within(1e-12));
        assertThat(d.computeOutputShape(Shape.of(8, 3, 4))).isEqualTo(Shape.of(8, 3, 2));
    }

    @Test
    void glorotUniformKernelStaysInItsLimit() {
        Dense d = new Dense(50);
        d.call(Tensor.ones(1, 30));
        double limit = Math.sqrt(6.0 / (30 + 50));
        for (float v : d.kernel().peek().toFloatArray()) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo((float) limit);
        }
        assertThat(d.bias().peek().toFloatArray()).containsOnly(0f);
    }

    @Test
    void activationLayerAppliesItsFunction() {
        Tensor x = Tensor.of(new double[] {-2, -0.5, 0, 1.5});
        assertThat(new Activation("tanh").call(x).toDoubleArray())
                .containsExactly(Math.tanh(-2), Math.tanh(-0.5), 0, Math.tanh(1.5));
        assertThat(new Activation(Activations.leakyRelu(0.1), null).call(x).toDoubleArray())
                .containsExactly(-0.2, -0.05, 0, 1.5);
    }

    @Test
    void dropoutDropsAboutRateAndScalesTheRest() {
        Dropout d = new Dropout(0.25);
        Tensor x = Tensor.ones(DType.F64, 100, 100);
        assertThat(d.call(x, false)).isSameAs(x);
        double[] y = d.call(x, true).toDoubleArray();
        int zeros = 0;
        for (double v : y) {
            if (v == 0) {
                zeros++;
            } else {
                assertThat(v).isEqualTo(1 / 0.75);
            }
        }
        assertThat(zeros / 10000.0).isCloseTo(0.25, within(0.03));
        // Each training call draws a new mask; the same seed and name give the same sequence.
        double[] y2 = d.call(x, true).toDoubleArray();
        assertThat(y2).isNotEqualTo(y);
        Dropout again = new Dropout(0.25, d.name());
        assertThat(again.call(x, true).toDoubleArray()).containsExactly(y);
        assertThatThrownBy(() -> new Dropout(1.0)).hasMessageContaining("rate");
    }

    @Test
    void flattenAndReshapeMoveNoData() {
        Tensor x = random(5, 2, 3, 4);
        Tensor f = new Flatten().call(x);
        assertThat(f.shape()).isEqualTo(Shape.of(2, 12));
        assertThat(f.toDoubleArray()).containsExactly(x.toDoubleArray());
        Tensor r = new Reshape(4, -1).call(x);
        assertThat(r.shape()).isEqualTo(Shape.of(2, 4, 3));
        assertThat(r.toDoubleArray()).containsExactly(x.toDoubleArray());
        assertThat(new Flatten().computeOutputShape(Shape.of(7))).isEqualTo(Shape.of(7, 1));
        assertThatThrownBy(() -> new Reshape(5).call(x)).hasMessageContaining("(2, 3, 4)");
        assertThatThrownBy(() -> new Reshape(-1, -1)).hasMessageContaining("-1");
    }

    @Test
    void embeddingLooksUpRows() {
        Embedding e = new Embedding(5, 3);
        Tensor ids = Tensor.of(new int[] {4, 0, 4, 2}, 2, 2);
        Tensor y = e.call(ids);
        assertThat(y.shape()).isEqualTo(Shape.of(2, 2, 3));
        assertThat(y.dtype()).isEqualTo(DType.F32);
        float[] table = e.embeddings().peek().toFloatArray();
        float[] out = y.toFloatArray();
        int[] flat = {4, 0, 4, 2};
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                assertThat(out[i * 3 + j]).isEqualTo(table[flat[i] * 3 + j]);
                assertThat(Math.abs(out[i * 3 + j])).isLessThanOrEqualTo(0.05f);
            }
        }
        // Any number of ids works after building; ids out of range name themselves.
        assertThat(e.call(Tensor.of(new int[] {1, 2, 3})).shape()).isEqualTo(Shape.of(3, 3));
        assertThatThrownBy(() -> e.call(Tensor.of(new int[] {5}))).hasMessageContaining("index 5");
        assertThat(e.computeOutputShape(Shape.of(8, 10))).isEqualTo(Shape.of(8, 10, 3));
    }
}
