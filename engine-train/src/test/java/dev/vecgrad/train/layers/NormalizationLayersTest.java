package dev.vecgrad.train.layers;

import static dev.vecgrad.train.layers.CoreLayersTest.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class NormalizationLayersTest {

    @Test
    void batchNormTrainingUsesBatchStatisticsAndMovesTheAverages() {
        BatchNormalization bn = new BatchNormalization(null, -1, 0.9, 1e-3, true, true);
        Tensor x = random(1, 6, 3).mul(3).add(1);
        bn.maybeBuild(x.shape(), x.dtype());
        Tensor gamma = Tensor.of(new double[] {1.5, -0.5, 2});
        Tensor beta = Tensor.of(new double[] {0.1, 0.2, -0.3});
        bn.gamma().assign(gamma);
        bn.beta().assign(beta);
        double[] y = bn.call(x, true).toDoubleArray();
        double[] xs = x.toDoubleArray();
        double[] mm = bn.movingMean().peek().toDoubleArray();
        double[] mv = bn.movingVariance().peek().toDoubleArray();
        for (int c = 0; c < 3; c++) {
            double mean = 0;
            for (int i = 0; i < 6; i++) {
                mean += xs[i * 3 + c] / 6;
            }
            double var = 0;
            for (int i = 0; i < 6; i++) {
                var += (xs[i * 3 + c] - mean) * (xs[i * 3 + c] - mean) / 6;
            }
            for (int i = 0; i < 6; i++) {
                double expected = gamma.get(c) * (xs[i * 3 + c] - mean) / Math.sqrt(var + 1e-3) + beta.get(c);
                assertThat(y[i * 3 + c]).isCloseTo(expected, within(1e-12));
            }
            assertThat(mm[c]).isCloseTo(0.9 * 0 + 0.1 * mean, within(1e-12));
            assertThat(mv[c]).isCloseTo(0.9 * 1 + 0.1 * var, within(1e-12));
        }
    }

    @Test
    void batchNormInferenceAndFrozenUseMovingStatistics() {
        BatchNormalization bn = new BatchNormalization();
        Tensor x = random(2, 4, 2);
        bn.maybeBuild(x.shape(), x.dtype());
        bn.movingMean().assign(Tensor.of(new double[] {0.5, -1}));
        bn.movingVariance().assign(Tensor.of(new double[] {4, 0.25}));
        double[] xs = x.toDoubleArray();
        double[] y = bn.call(x, false).toDoubleArray();
        for (int i = 0; i < 8; i++) {
            int c = i % 2;
            double m = c == 0 ? 0.5 : -1;
            double v = c == 0 ? 4 : 0.25;
            assertThat(y[i]).isCloseTo((xs[i] - m) / Math.sqrt(v + 1e-3), within(1e-12));
        }
        bn.setTrainable(false);
        assertThat(bn.call(x, true).toDoubleArray()).containsExactly(y);
        assertThat(bn.movingMean().peek().toDoubleArray()).containsExactly(0.5, -1);
    }

    @Test
    void batchNormOverAChannelAxisThatIsNotLast() {
        BatchNormalization bn = new BatchNormalization(null, 1, 0.99, 1e-3, false, false);
        Tensor x = random(3, 2, 3, 4);
        double[] y = bn.call(x, true).toDoubleArray();
        double[] xs = x.toDoubleArray();
        for (int c = 0; c < 3; c++) {
            double mean = 0;
            double sq = 0;
            for (int b = 0; b < 2; b++) {
                for (int k = 0; k < 4; k++) {
                    mean += xs[b * 12 + c * 4 + k] / 8;
                }
            }
            for (int b = 0; b < 2; b++) {
                for (int k = 0; k < 4; k++) {
                    double d = xs[b * 12 + c * 4 + k] - mean;
                    sq += d * d / 8;
                }
            }
            for (int b = 0; b < 2; b++) {
                for (int k = 0; k < 4; k++) {
                    int i = b * 12 + c * 4 + k;
                    assertThat(y[i]).isCloseTo((xs[i] - mean) / Math.sqrt(sq + 1e-3), within(1e-12));
                }
            }
        }
        assertThat(bn.weights()).hasSize(2);
    }

    @Test
    void layerNormOverSeveralAxesNormalisesEachSampleAsAWhole() {
        LayerNormalization ln = new LayerNormalization(null, new int[] {-1, 1}, 1e-3, true, true);
        Tensor x = random(7, 2, 3, 4).mul(4);
        ln.maybeBuild(x.shape(), DType.F64);
        assertThat(ln.gamma().shape().toArray()).containsExactly(3, 4);
        Tensor gamma = random(8, 3, 4);
        ln.gamma().assign(gamma);
        double[] y = ln.call(x, true).toDoubleArray();
        double[] xs = x.toDoubleArray();
        for (int b = 0; b < 2; b++) {
            double mean = 0;
            for (int j = 0; j < 12; j++) {
                mean += xs[b * 12 + j] / 12;
            }
            double var = 0;
            for (int j = 0; j < 12; j++) {
                var += Math.pow(xs[b * 12 + j] - mean, 2) / 12;
            }
            for (int j = 0; j < 12; j++) {
                double expected = gamma.toDoubleArray()[j] * (xs[b * 12 + j] - mean) / Math.sqrt(var + 1e-3);
                assertThat(y[b * 12 + j]).isCloseTo(expected, within(1e-12));
            }
        }
        LayerNormalization back = (LayerNormalization) Layers.fromConfig("LayerNormalization", ln.getConfig());
        assertThat(back.axes()).containsExactly(-1, 1);
        assertThat(ln.getConfig().get("axis")).isEqualTo(List.of(-1, 1));
    }

    @Test
    void layerNormNormalisesEachSample() {
        LayerNormalization ln = new LayerNormalization();
        Tensor x = random(4, 3, 5).mul(4);
        ln.maybeBuild(x.shape(), DType.F64);
        Tensor gamma = random(5, 5);
        Tensor beta = random(6, 5);
        ln.gamma().assign(gamma);
        ln.beta().assign(beta);
        double[] y = ln.call(x, true).toDoubleArray();
        double[] xs = x.toDoubleArray();
        for (int r = 0; r < 3; r++) {
            double mean = 0;
            for (int j = 0; j < 5; j++) {
                mean += xs[r * 5 + j] / 5;
            }
            double var = 0;
            for (int j = 0; j < 5; j++) {
                var += Math.pow(xs[r * 5 + j] - mean, 2) / 5;
            }
            for (int j = 0; j < 5; j++) {
                double expected = gamma.get(j) * (xs[r * 5 + j] - mean) / Math.sqrt(var + 1e-3) + beta.get(j);
                assertThat(y[r * 5 + j]).isCloseTo(expected, within(1e-12));
            }
        }
        assertThat(ln.call(x, false).toDoubleArray()).containsExactly(y);
    }
}
