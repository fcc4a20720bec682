package dev.vecgrad.train.layers;

import static dev.vecgrad.train.layers.CoreLayersTest.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.autodiff.GradCheck;
import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MultiHeadAttention against loops over doubles; position embeddings; the transformer block. */
class AttentionLayersTest {

    /** Σ_f x[b, t, f] · w[f, h, k] + bias[h, k] over arrays laid out row-major. */
    private static double[][][][] project(double[] x, int batch, int steps, int features, double[] w, double[] bias,
            int heads, int dim) {
        double[][][][] out = new double[batch][heads][steps][dim];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                for (int h = 0; h < heads; h++) {
                    for (int k = 0; k < dim; k++) {
                        double s = bias[h * dim + k];
                        for (int f = 0; f < features; f++) {
                            s += x[(b * steps + t) * features + f] * w[(f * heads + h) * dim + k];
                        }
                        out[b][h][t][k] = s;
                    }
                }
            }
        }
        return out;
    }

    /** Attention written from the formula; allowed[b][i][j] says whether query i may see value j. */
    private static double[][][] reference(MultiHeadAttention l, double[] q, double[] v, int batch, int tq, int tv,
            int features, boolean[][][] allowed) {
        int heads = l.numHeads();
        int dim = l.keyDim();
        List<Variable> ws = l.trainableWeights();
        double[] wq = ws.get(0).peek().toDoubleArray();
        double[] wk = ws.get(1).peek().toDoubleArray();
        double[] wv = ws.get(2).peek().toDoubleArray();
        double[] wo = ws.get(3).peek().toDoubleArray();
        double[] bq = ws.get(4).peek().toDoubleArray();
        double[] bk = ws.get(5).peek().toDoubleArray();
        double[] bv = ws.get(6).peek().toDoubleArray();
        double[] bo = ws.get(7).peek().toDoubleArray();
        double[][][][] qs = project(q, batch, tq, features, wq, bq, heads, dim);
        double[][][][] ks = project(v, batch, tv, features, wk, bk, heads, dim);
        double[][][][] vs = project(v, batch, tv, features, wv, bv, heads, dim);
        int out = bo.length;
        double[][][] y = new double[batch][tq][out];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < tq; i++) {
                double[] concat = new double[heads * dim];
                for (int h = 0; h < heads; h++) {
                    double[] s = new double[tv];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < tv; j++) {
                        double dot = 0;
                        for (int k = 0; k < dim; k++) {
                            dot += qs[b][h][i][k] * ks[b][h][j][k];
                        }
                        s[j] = dot / Math.sqrt(dim) + (allowed == null || allowed[b][i][j] ? 0 : -1e9);
                        max = Math.max(max, s[j]);
                    }
                    double z = 0;
                    for (int j = 0; j < tv; j++) {
                        s[j] = Math.exp(s[j] - max);
                        z += s[j];
                    }
                    for (int j = 0; j < tv; j++) {
                        s[j] = allowed == null || allowed[b][i][j] ? s[j] : 0;
                    }
                    for (int k = 0; k < dim; k++) {
                        double acc = 0;
                        for (int j = 0; j < tv; j++) {
                            acc += s[j] / z * vs[b][h][j][k];
                        }
                        concat[h * dim + k] = acc;
                    }
                }
                for (int o = 0; o < out; o++) {
                    double acc = bo[o];
                    for (int c = 0; c < heads * dim; c++) {
                        acc += concat[c] * wo[c * out + o];
                    }
                    y[b][i][o] = acc;
                }
            }
        }
        return y;
    }

    /** Sets every bias of the built layer l to random values, so that each bias term is tested. */
    private static void randomizeBiases(Layer l) {
        long seed = 40;
        for (Variable v : l.trainableWeights()) {
            if (v.name().endsWith("bias")) {
                v.assign(random(seed++, v.shape().toArray()));
            }
        }
    }

    private static void assertClose(Tensor actual, double[][][] expected) {
        for (int b = 0; b < expected.length; b++) {
            for (int i = 0; i < expected[b].length; i++) {
                for (int o = 0; o < expected[b][i].length; o++) {
                    assertThat(actual.get(b, i, o)).as("[%d, %d, %d]", b, i, o).isCloseTo(expected[b][i][o],
                            within(1e-12));
                }
            }
        }
    }

    @Test
    void selfAttentionWithCausalAndPaddingMasksMatchesTheFormula() {
        int batch = 2;
        int steps = 4;
        int features = 6;
        Tensor x = random(1, batch, steps, features);
        Tensor mask = Tensor.of(new double[] {1, 1, 1, 1, 1, 1, 0, 0}, batch, steps);
        MultiHeadAttention mha = MultiHeadAttention.builder(3, 2).useCausalMask(true).build();
        mha.call(x);
        randomizeBiases(mha);
        boolean[][][] allowed = new boolean[batch][steps][steps];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < steps; i++) {
                for (int j = 0; j < steps; j++) {
                    allowed[b][i][j] = j <= i && (b == 0 || (i < 2 && j < 2));
                }
            }
        }
        double[] xs = x.toDoubleArray();
        assertClose(mha.call(x, mask, false), reference(mha, xs, xs, batch, steps, steps, features, allowed));
        MultiHeadAttention.Result r = mha.attend(x, x, null, null, null, null, false, false);
        assertClose(r.output(), reference(mha, xs, xs, batch, steps, steps, features, null));
        assertThat(r.scores().shape()).isEqualTo(Shape.of(batch, 3, steps, steps));
        for (double rowSum : r.scores().sum(new int[] {3}, false).toDoubleArray()) {
            assertThat(rowSum).isCloseTo(1.0, within(1e-12));
        }
        assertThat(mha.callMasked(x, mask, false).mask()).isSameAs(mask);
    }

    @Test
    void crossAttentionOverADifferentLengthWithAnExplicitMask() {
        Tensor q = random(2, 1, 2, 4);
        Tensor v = random(3, 1, 5, 4);
        MultiHeadAttention mha = new MultiHeadAttention(2, 3);
        Tensor attention = Tensor.of(new double[] {1, 0, 1, 1, 0, 0, 1, 1, 1, 1}, 1, 2, 5);
        mha.attend(q, v, null, null, null, attention, false, false);
        randomizeBiases(mha);
        Tensor y = mha.attend(q, v, null, null, null, attention, false, false).output();
        boolean[][][] allowed = new boolean[1][2][5];
        double[] a = attention.toDoubleArray();
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 5; j++) {
                allowed[0][i][j] = a[i * 5 + j] != 0;
            }
        }
        assertClose(y, reference(mha, q.toDoubleArray(), v.toDoubleArray(), 1, 2, 5, 4, allowed));
        assertThatThrownBy(() -> mha.attend(q, v, null, null, null, Tensor.ones(DType.F64, 1, 2, 4), false, false))
                .hasMessageContaining("attention mask must be (batch, queryLen, valueLen) = (1, 2, 5)");
        assertThatThrownBy(() -> mha.attend(q, random(4, 1, 5, 3), null, null, null, null, false, false))
                .hasMessageContaining("cannot take an input of shape (1, 5, 3)");
    }

    @Test
    void attentionGradients() {
        MultiHeadAttention mha = MultiHeadAttention.builder(2, 2).valueDim(3).outputDim(5).useCausalMask(true).build();
        Tensor x = random(5, 2, 3, 4);
        Tensor mask = Tensor.of(new double[] {1, 1, 1, 1, 1, 0}, 2, 3);
        mha.call(x);
        randomizeBiases(mha);
        GradCheck.check(in -> mha.call(in.get(0), mask, true), x).assertPassed();
        assertThat(WeightGradCheck.check(() -> mha.call(x, mask, true), mha.trainableWeights())).isEqualTo(
                4 * 2 * 2 * 2 + 4 * 2 * 3 + 2 * 3 * 5 + 2 * 2 * 2 + 2 * 3 + 5);
    }

    @Test
    void positionEmbeddingsAreTheTableRowsBroadcastAndSinesFollowTheFormula() {
        PositionEmbedding pe = new PositionEmbedding(5);
        Tensor x = random(6, 2, 3, 4);
        Tensor y = pe.call(x);
        assertThat(y.shape()).isEqualTo(x.shape());
        Tensor table = pe.embeddings().peek();
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 3; t++) {
                for (int f = 0; f < 4; f++) {
                    assertThat(y.get(b, t, f)).isEqualTo(table.get(t, f));
                }
            }
        }
        assertThatThrownBy(() -> pe.call(random(6, 1, 6, 4))).hasMessageContaining("at most 5 steps");
        Tensor s = new SinePositionEncoding().call(Tensor.zeros(DType.F64, 1, 3, 4));
        assertThat(s.get(0, 2, 0)).isCloseTo(Math.sin(2), within(1e-15));
        assertThat(s.get(0, 2, 1)).isCloseTo(Math.cos(2), within(1e-15));
        assertThat(s.get(0, 2, 2)).isCloseTo(Math.sin(2 / 100.0), within(1e-15));   // 10000^(2/4) = 100
        assertThat(s.get(0, 2, 3)).isCloseTo(Math.cos(2 / 100.0), within(1e-15));
    }

    @Test
    void tokenAndPositionEmbeddingAddsBothTablesAndMasksZero() {
        TokenAndPositionEmbedding e = new TokenAndPositionEmbedding(null, 7, 4, 3, true);
        Tensor ids = Tensor.of(new int[] {3, 0, 6, 1, 1, 2}, 2, 3);
        Masked out = e.callMasked(ids, null, false);
        Tensor tok = e.tokenEmbedding().embeddings().peek();
        Tensor pos = e.positionEmbedding().embeddings().peek();
        int[] id = ids.toIntArray();
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 3; t++) {
                for (int f = 0; f < 3; f++) {
                    assertThat(out.value().get(b, t, f)).isCloseTo(tok.get(id[b * 3 + t], f) + pos.get(t, f),
                            within(1e-6));
                }
            }
        }
        assertThat(out.mask().toIntArray()).containsExactly(1, 0, 1, 1, 1, 1);
        assertThat(e.trainableWeights()).extracting(Variable::name).containsExactly(
                e.name() + "_token_embedding/embeddings", e.name() + "_position_embedding/embeddings");
    }

    @Test
    void decoderBlocksAreCausalAndDifferentiable() {
        for (boolean first : new boolean[] {true, false}) {
            TransformerDecoder block = TransformerDecoder.builder(5, 2).normalizeFirst(first).activation("gelu")
                    .build();
            Tensor x = random(7, 2, 4, 4);
            Tensor y = block.call(x);
            // Changing the last step changes no output before it.
            Tensor x2 = x.add(Tensor.of(new double[] {0, 0, 0, 1}, 1, 4, 1));
            Tensor y2 = block.call(x2);
            for (int t = 0; t < 4; t++) {
                boolean same = Tensor.allClose(y.slice(1, t, t + 1), y2.slice(1, t, t + 1), 0, 1e-12);
                assertThat(same).as("step %d, normalizeFirst %s", t, first).isEqualTo(t < 3);
            }
            randomizeBiases(block);
            GradCheck.check(in -> block.call(in.get(0), true), x).assertPassed();
            List<Variable> ws = new ArrayList<>(block.trainableWeights());
            assertThat(ws).hasSize(8 + 4 + 4);
            assertThat(WeightGradCheck.check(() -> block.call(x, true), ws)).isPositive();
        }
        assertThatThrownBy(() -> TransformerDecoder.builder(4, 3).build().call(random(8, 1, 2, 4)))
                .hasMessageContaining("4 features do not split into 3 heads");
    }
}
