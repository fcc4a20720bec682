package dev.vecgrad.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.ops.Recording;
import dev.vecgrad.train.data.Tensors;
import dev.vecgrad.train.layers.Add;
import dev.vecgrad.train.layers.Average;
import dev.vecgrad.train.layers.Bidirectional;
import dev.vecgrad.train.layers.Concatenate;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.layers.Dot;
import dev.vecgrad.train.layers.Embedding;
import dev.vecgrad.train.layers.GRU;
import dev.vecgrad.train.layers.Input;
import dev.vecgrad.train.layers.LSTM;
import dev.vecgrad.train.layers.Layer;
import dev.vecgrad.train.layers.Masked;
import dev.vecgrad.train.layers.MultiHeadAttention;
import dev.vecgrad.train.layers.Multiply;
import dev.vecgrad.train.layers.SymbolicTensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The merge layers, Bidirectional, cross-attention and recurrent states in functional models:
 * values against separate computation, masks, gradients in F64 through the model (finite
 * differences), and save/load.
 */
class MergeAndSequenceModelsTest {
    @TempDir
    Path tmp;

    private static Tensor random(long seed, int... dims) {
        Rng rng = new Rng(seed);
        double[] v = new double[Shape.of(dims).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextDouble() * 2 - 1;
        }
        return Tensor.of(v, dims);
    }

    /** Central differences of Σ f()·w against the tape's gradient, for every weight element. */
    private static void checkWeightGradients(Supplier<Tensor> f, List<Variable> vars) {
        Tensor w;
        try (Recording.Paused p = Recording.pause()) {
            w = random(99, f.get().shape().toArray());
        }
        List<Tensor> analytic;
        try (GradientTape tape = GradientTape.open()) {
            analytic = tape.gradient(f.get().mul(w).sum(), vars);
        }
        double eps = 1e-6;
        for (int v = 0; v < vars.size(); v++) {
            Variable var = vars.get(v);
            double[] base = var.peek().toDoubleArray();
            double[] a = analytic.get(v).toDoubleArray();
            for (int k = 0; k < base.length; k++) {
                double[] p = base.clone();
                p[k] += eps;
                var.assign(Tensor.of(p, var.shape().toArray()));
                double plus;
                double minus;
                try (Recording.Paused r = Recording.pause()) {
                    plus = f.get().mul(w).sum().item();
                    p[k] -= 2 * eps;
                    var.assign(Tensor.of(p, var.shape().toArray()));
                    minus = f.get().mul(w).sum().item();
                }
                var.assign(Tensor.of(base.clone(), var.shape().toArray()));
                double numeric = (plus - minus) / (2 * eps);
                assertThat(a[k]).as("d/d %s[%d]", var.name(), k).isCloseTo(numeric, within(1e-6 + 1e-4 * Math.abs(numeric)));
            }
        }
    }

    @Test
    void elementwiseMergesAndTheirMasks() {
        Tensor a = random(1, 2, 3);
        Tensor b = random(2, 2, 3);
        Tensor c = random(3, 1, 3);   // broadcasts over the batch
        double[] as = a.toDoubleArray();
        double[] bs = b.toDoubleArray();
        double[] cs = c.toDoubleArray();
        double[] sum = new Add().call(List.of(a, b, c), false).toDoubleArray();
        double[] product = new Multiply().call(List.of(a, b), false).toDoubleArray();
        double[] mean = new Average().call(List.of(a, b), false).toDoubleArray();
        for (int i = 0; i < 6; i++) {
            assertThat(sum[i]).isCloseTo(as[i] + bs[i] + cs[i % 3], within(1e-15));
            assertThat(product[i]).isCloseTo(as[i] * bs[i], within(1e-15));
            assertThat(mean[i]).isCloseTo((as[i] + bs[i]) / 2, within(1e-15));
        }
        Tensor m1 = Tensor.of(new double[] {1, 0}, 2);
        Tensor m2 = Tensor.of(new double[] {1, 1}, 2);
        List<Masked> out = new Add().callOutputs(List.of(a, b), Arrays.asList(m1, null), false);
        assertThat(out.get(0).mask().toDoubleArray()).containsExactly(1, 0);
        assertThat(new Add().computeMask(List.of(a, b), Arrays.asList(m1, m2)).toDoubleArray()).containsExactly(1, 0);
        assertThat(new Add().computeMask(List.of(a, b), Arrays.asList(null, null))).isNull();
        assertThatThrownBy(() -> new Add().call(a)).hasMessageContaining("merges several inputs");
        assertThatThrownBy(() -> new Add().call(List.of(a, random(4, 2, 4)), false)).hasMessageContaining("(2, 4)");
    }

    @Test
    void concatenateJoinsAlongAnAxisAndOrsTheMasks() {
        Tensor a = random(5, 2, 3, 2);
        Tensor b = random(6, 2, 3, 4);
        Tensor y = new Concatenate().call(List.of(a, b), false);
        assertThat(y.shape()).isEqualTo(Shape.of(2, 3, 6));
        assertThat(y.get(1, 2, 1)).isEqualTo(a.get(1, 2, 1));
        assertThat(y.get(1, 2, 5)).isEqualTo(b.get(1, 2, 3));
        Tensor steps = new Concatenate(1, null).call(List.of(a, random(7, 2, 5, 2)), false);
        assertThat(steps.shape()).isEqualTo(Shape.of(2, 8, 2));
        Tensor ma = Tensor.of(new double[] {1, 0, 0, 1, 1, 0}, 2, 3);
        Tensor mb = Tensor.of(new double[] {0, 1, 0, 1, 0, 0}, 2, 3);
        assertThat(new Concatenate().computeMask(List.of(a, b), List.of(ma, mb)).toDoubleArray())
                .containsExactly(1, 1, 0, 1, 1, 0);
        Tensor mStep = new Concatenate(1, null).computeMask(List.of(a, a), Arrays.asList(ma, null));
        assertThat(mStep.toDoubleArray()).containsExactly(1, 0, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1);
        assertThatThrownBy(() -> new Concatenate().call(List.of(a, random(8, 2, 4, 2)), false))
                .hasMessageContaining("match elsewhere than on axis 2");
    }

    @Test
    void dotIsABatchedDotProductOrCosine() {
        Tensor a = random(9, 3, 4);
        Tensor b = random(10, 3, 4);
        Tensor d = new Dot(1).call(List.of(a, b), false);
        Tensor cos = new Dot(null, 1, 1, true).call(List.of(a, b), false);
        assertThat(d.shape()).isEqualTo(Shape.of(3, 1));
        for (int n = 0; n < 3; n++) {
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int k = 0; k < 4; k++) {
                dot += a.get(n, k) * b.get(n, k);
                na += a.get(n, k) * a.get(n, k);
                nb += b.get(n, k) * b.get(n, k);
            }
            assertThat(d.get(n, 0)).isCloseTo(dot, within(1e-14));
            assertThat(cos.get(n, 0)).isCloseTo(dot / Math.sqrt(na * nb), within(1e-14));
        }
        Tensor x = random(11, 2, 3, 4);
        Tensor y = random(12, 2, 5, 4);
        Tensor xy = new Dot(2).call(List.of(x, y), false);
        assertThat(xy.shape()).isEqualTo(Shape.of(2, 3, 5));
        assertThat(xy.get(1, 2, 4)).isCloseTo(x.slice(0, 1, 2).slice(1, 2, 3).mul(y.slice(0, 1, 2).slice(1, 4, 5))
                .sum().item(), within(1e-14));
        Tensor xt = random(13, 2, 4, 3);
        assertThat(new Dot(null, 1, 2, false).call(List.of(xt, y), false).shape()).isEqualTo(Shape.of(2, 3, 5));
        assertThatThrownBy(() -> new Dot(1).call(List.of(a, random(14, 3, 5)), false))
                .hasMessageContaining("non-batch axes of equal length");
    }

    /** A functional model with every merge layer: gradients by finite differences, and save/load. */
    @Test
    void mergesInAFunctionalModel() throws IOException {
        SymbolicTensor x1 = Input.of("x1", DType.F64, 4);
        SymbolicTensor x2 = Input.of("x2", DType.F64, 4);
        SymbolicTensor h1 = new Dense(3, dev.vecgrad.train.activations.Activations.tanh()).call(x1);
        SymbolicTensor h2 = new Dense(3).call(x2);
        SymbolicTensor merged = new Concatenate().call(new Add().call(h1, h2), new Multiply().call(h1, h2),
                new Average().call(h1, h2), new Dot(null, 1, 1, true).call(h1, h2));
        Functional m = Model.of(List.of(x1, x2), List.of(new Dense(2).call(merged)));
        Tensors in = Tensors.of(random(15, 3, 4), random(16, 3, 4));
        Tensor out = m.call(in, false).get(0);
        assertThat(out.shape()).isEqualTo(Shape.of(3, 2));
        Supplier<Tensor> f = () -> m.call(in, true).get(0);
        checkWeightGradients(f, m.trainableWeights());
        Tensor now = m.call(in, false).get(0);
        m.save(tmp.resolve("merges"));
        Model loaded = Model.load(tmp.resolve("merges"));
        assertThat(((Functional) loaded).call(in, false).get(0).toDoubleArray()).containsExactly(now.toDoubleArray());
    }

    @Test
    void bidirectionalRunsBothDirectionsAndPutsTheBackwardOutputBackInOrder() throws IOException {
        Tensor x = random(17, 2, 5, 3);
        Tensor mask = Tensor.of(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, 2, 5);
        Bidirectional bi = new Bidirectional(LSTM.builder(4).returnSequences(true).build());
        Masked out = bi.callMasked(x, mask, false);
        assertThat(out.value().shape()).isEqualTo(Shape.of(2, 5, 8));
        assertThat(out.mask()).isSameAs(mask);
        assertThat(bi.trainableWeights()).extracting(Variable::name).contains(bi.name() + "_forward/kernel",
                bi.name() + "_backward/recurrent_kernel");
        // The two directions by hand, with the same weights.
        LSTM fwd = LSTM.builder(4).returnSequences(true).build();
        LSTM bwd = LSTM.builder(4).returnSequences(true).goBackwards(true).build();
        fwd.call(x);
        bwd.call(x);
        List<Variable> fw = bi.forwardLayer().trainableWeights();
        List<Variable> bw = bi.backwardLayer().trainableWeights();
        for (int i = 0; i < 3; i++) {
            fwd.trainableWeights().get(i).assign(fw.get(i).peek());
            bwd.trainableWeights().get(i).assign(bw.get(i).peek());
        }
        Tensor f = fwd.call(x, mask, false);
        Tensor b = bwd.call(x, mask, false).flip(1);
        for (int n = 0; n < 2; n++) {
            for (int t = 0; t < 5; t++) {
                double keep = mask.get(n, t);
                for (int u = 0; u < 4; u++) {
                    assertThat(out.value().get(n, t, u)).isCloseTo(keep * f.get(n, t, u), within(1e-12));
                    assertThat(out.value().get(n, t, 4 + u)).isCloseTo(keep * b.get(n, t, u), within(1e-12));
                }
            }
        }
        Bidirectional summed = new Bidirectional(null, new GRU(3), Bidirectional.MergeMode.SUM);
        assertThat(summed.call(x).shape()).isEqualTo(Shape.of(2, 3));
        checkWeightGradients(() -> summed.call(x, mask, true), summed.trainableWeights());
        assertThatThrownBy(() -> new Bidirectional(LSTM.builder(2).returnState(true).build()))
                .hasMessageContaining("return_state");

        Sequential s = new Sequential(Embedding.maskingZero(6, 3), new Bidirectional(LSTM.builder(2).build()),
                new Dense(1));
        Tensor ids = Tensor.of(new int[] {1, 2, 3, 0, 4, 5, 0, 0}, 2, 4);
        Tensor before = s.predict(ids, 2);
        s.save(tmp.resolve("bi"));
        assertThat(Model.load(tmp.resolve("bi")).predict(ids, 2).toDoubleArray()).containsExactly(before.toDoubleArray());
    }

    /** An encoder's final states start a decoder, and the decoder attends over the encoder's outputs. */
    @Test
    void statesAndCrossAttentionInAnEncoderDecoder() throws IOException {
        SymbolicTensor source = Input.of("source", DType.F64, 5, 3);
        SymbolicTensor target = Input.of("target", DType.F64, 4, 3);
        List<SymbolicTensor> encoded = LSTM.builder(4).returnSequences(true).returnState(true).build()
                .callOutputs(List.of(source));
        assertThat(encoded).hasSize(3);
        assertThat(encoded.get(1).shape()).isEqualTo(Shape.of(4));
        SymbolicTensor decoded = LSTM.builder(4).returnSequences(true).build()
                .call(target, encoded.get(1), encoded.get(2));
        SymbolicTensor attended = MultiHeadAttention.builder(2, 2).build().call(decoded, encoded.get(0));
        Functional m = Model.of(List.of(source, target), List.of(new Dense(2).call(new Add().call(decoded, attended))));
        Tensors in = Tensors.of(random(18, 2, 5, 3), random(19, 2, 4, 3));
        Tensor y = m.call(in, false).get(0);
        assertThat(y.shape()).isEqualTo(Shape.of(2, 4, 2));

        // The same computation from the layers' Java entry points.
        List<Layer> layers = new ArrayList<>(m.layers());
        LSTM encoder = (LSTM) layers.stream().filter(l -> l instanceof LSTM l2 && l2.returnState()).findFirst().get();
        LSTM decoder = (LSTM) layers.stream().filter(l -> l instanceof LSTM l2 && !l2.returnState()).findFirst().get();
        MultiHeadAttention mha = (MultiHeadAttention) layers.stream().filter(l -> l instanceof MultiHeadAttention)
                .findFirst().get();
        Dense head = (Dense) layers.stream().filter(l -> l instanceof Dense).findFirst().get();
        var enc = encoder.run(in.get(0), null, null, false);
        Tensor dec = decoder.run(in.get(1), null, enc.states(), false).output();
        Tensor att = mha.attend(dec, enc.output(), null, null, null, null, false, false).output();
        assertThat(Tensor.allClose(head.call(dec.add(att)), y, 0, 1e-12)).isTrue();

        checkWeightGradients(() -> m.call(in, true).get(0), m.trainableWeights());
        // The weights come back bit for bit. The outputs are compared within rounding: the Vector API's
        // lane reductions may add in another order once the JIT has compiled a kernel, so two calls
        // of one model can differ in the last bit when C2 compiles between them.
        Tensor now = m.call(in, false).get(0);
        m.save(tmp.resolve("seq2seq"));
        Model loaded = Model.load(tmp.resolve("seq2seq"));
        List<Tensor> saved = m.getWeights();
        List<Tensor> restored = loaded.getWeights();
        assertThat(restored).hasSameSizeAs(saved);
        for (int i = 0; i < saved.size(); i++) {
            assertThat(restored.get(i).toDoubleArray()).containsExactly(saved.get(i).toDoubleArray());
        }
        assertThat(Tensor.allClose(((Functional) loaded).call(in, false).get(0), now, 0, 1e-12)).isTrue();
    }
}
