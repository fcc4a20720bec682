package dev.vecgrad.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.Variable;
import dev.vecgrad.train.ImageClassifiers;
import dev.vecgrad.train.Sequential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The step benchmarks' models stay the ones their published figures were measured on: the same
 * layers, weight shapes and initial weights, bit for bit (each weight's {@link Arrays#hashCode}
 * of its floats, recorded from the models as the benchmarks built them when the CNN became the
 * command-line trainer's). A change to the trainer's CNN, to an initializer or to how seeds reach
 * the weights fails here: the benchmarks' figures would no longer compare with earlier ones.
 */
class MnistModelsTest {
    /** "name shape hash" for every weight, in order. */
    private static List<String> fingerprint(Sequential m) {
        List<String> out = new ArrayList<>();
        for (Variable v : m.weights()) {
            out.add(v.name() + " " + v.value().shape() + " " + Arrays.hashCode(v.value().toFloatArray()));
        }
        return out;
    }

    @Test
    void theMlpKeepsItsLayersAndInitialWeights() {
        assertThat(fingerprint(MnistModels.mlp())).containsExactly(
                "dense/kernel (784, 256) -1571498085",
                "dense/bias (256,) -394403839",
                "dense_1/kernel (256, 128) -1608970958",
                "dense_1/bias (128,) -474025983",
                "dense_2/kernel (128, 10) 1585672969",
                "dense_2/bias (10,) -1796951359");
    }

    @Test
    void theCnnIsTheTrainersWithItsInitialWeights() {
        Sequential cnn = MnistModels.cnn();
        assertThat(cnn.name()).isEqualTo(ImageClassifiers.cnn(10).name());
        assertThat(cnn.layers()).extracting(l -> l.className()).containsExactly("Conv2D", "MaxPooling2D", "Conv2D",
                "MaxPooling2D", "Flatten", "Dense", "Dense");
        assertThat(fingerprint(cnn)).containsExactly(
                "conv2d/kernel (3, 3, 1, 32) 341779763",
                "conv2d/bias (32,) 2111290369",
                "conv2d_1/kernel (3, 3, 32, 64) 558785776",
                "conv2d_1/bias (64,) 1304393729",
                "dense/kernel (1600, 128) -140762415",
                "dense/bias (128,) -474025983",
                "dense_1/kernel (128, 10) -816726162",
                "dense_1/bias (10,) -1796951359");
    }
}
