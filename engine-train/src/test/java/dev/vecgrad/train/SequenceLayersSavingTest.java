package dev.vecgrad.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.layers.Embedding;
import dev.vecgrad.train.layers.GRU;
import dev.vecgrad.train.layers.LSTM;
import dev.vecgrad.train.layers.Layer;
import dev.vecgrad.train.layers.Masking;
import dev.vecgrad.train.layers.MultiHeadAttention;
import dev.vecgrad.train.layers.PositionEmbedding;
import dev.vecgrad.train.layers.SinePositionEncoding;
import dev.vecgrad.train.layers.TokenAndPositionEmbedding;
import dev.vecgrad.train.layers.TransformerDecoder;
import dev.vecgrad.train.layers.SimpleRNN;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sequence layers saved with a model and loaded back: same classes, configs and predictions. */
class SequenceLayersSavingTest {
    @TempDir
    Path tmp;

    static void assertRoundTrip(Model m, Tensor x, Path dir) throws IOException {
        Tensor before = m.predict(x, 4);
        m.save(dir);
        Model loaded = Model.load(dir);
        assertThat(loaded.layers()).extracting(Layer::className)
                .containsExactlyElementsOf(m.layers().stream().map(Layer::className).toList());
        for (int i = 0; i < m.layers().size(); i++) {
            assertThat(loaded.layers().get(i).getConfig()).isEqualTo(m.layers().get(i).getConfig());
        }
        Tensor after = loaded.predict(x, 4);
        assertThat(after.toDoubleArray()).containsExactly(before.toDoubleArray());
    }

    @Test
    void recurrentLayersAndMasks() throws IOException {
        Sequential ids = new Sequential(Embedding.maskingZero(9, 4),
                LSTM.builder(5).returnSequences(true).unitForgetBias(false).build(),
                GRU.builder(4).returnSequences(true).resetAfter(false).goBackwards(true).build(),
                SimpleRNN.builder(3).activation("relu").build(), new Dense(2));
        ids.compile("adam", "mse");
        Tensor x = Tensor.of(new int[] {1, 2, 3, 0, 4, 5, 0, 0, 8, 7, 6, 5}, 3, 4);
        ids.fit(x, Tensor.randomUniform(new Rng(1), 0f, 1f, 3, 2), 1, 3);
        assertRoundTrip(ids, x, tmp.resolve("ids"));

        Sequential padded = new Sequential(new Masking(0.0), new GRU(3), new Dense(1));
        Tensor f = Tensor.randomUniform(new Rng(2), 0f, 1f, 2, 5, 3);
        assertRoundTrip(padded, f, tmp.resolve("padded"));
    }

    @Test
    void attentionAndPositionLayers() throws IOException {
        Sequential gpt = new Sequential(new TokenAndPositionEmbedding(null, 9, 6, 8, true),
                TransformerDecoder.builder(16, 2).normalizeFirst(true).activation("gelu").dropout(0.1).build(),
                TransformerDecoder.builder(12, 4).build(), new Dense(9));
        gpt.compile(new dev.vecgrad.train.optimizers.Adam(), new dev.vecgrad.train.losses.SparseCategoricalCrossentropy(true));
        Tensor x = Tensor.of(new int[] {1, 2, 3, 0, 4, 5, 6, 7, 8, 1, 2, 3}, 2, 6);
        gpt.fit(x, x, 1, 2);
        assertRoundTrip(gpt, x, tmp.resolve("gpt"));

        Sequential attention = new Sequential(new PositionEmbedding(7),
                MultiHeadAttention.builder(2, 3).valueDim(2).outputDim(5).useCausalMask(true).build(),
                new SinePositionEncoding(null, 100));
        assertRoundTrip(attention, Tensor.randomUniform(new Rng(3), 0f, 1f, 2, 7, 4), tmp.resolve("attention"));
    }
}
