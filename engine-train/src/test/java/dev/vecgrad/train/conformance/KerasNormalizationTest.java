package dev.vecgrad.train.conformance;

import static dev.vecgrad.train.conformance.Keras.close;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.train.CompileOptions;
import dev.vecgrad.train.FitOptions;
import dev.vecgrad.train.Sequential;
import dev.vecgrad.train.layers.BatchNormalization;
import dev.vecgrad.train.layers.LayerNormalization;
import dev.vecgrad.train.layers.Masking;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The expectations of Keras 3's {@code layers/normalization/layer_normalization_test.py} and
 * {@code batch_normalization_test.py} that vecgrad's single-axis {@link LayerNormalization} and
 * {@link BatchNormalization} can express. Inputs Keras draws from {@code np.random.normal} are
 * drawn here with a fixed seed from the same distribution.
 */
class KerasNormalizationTest {
    private final Rng rng = new Rng(5);

    private Tensor normal(double mean, double std, int... dims) {
        double[] v = new double[Arrays.stream(dims).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < v.length; i++) {
            v[i] = mean + std * rng.nextGaussian();
        }
        return Tensor.of(v, dims).cast(DType.F32);
    }

    /** (out − beta) / gamma with the parameters broadcast along {@code axis}. */
    private static Tensor standardised(Tensor out, Tensor beta, Tensor gamma, int axis) {
        int[] shape = new int[out.rank()];
        Arrays.fill(shape, 1);
        int a = axis < 0 ? axis + out.rank() : axis;
        shape[a] = out.shape().dim(a);
        return out.sub(beta.reshape(shape)).div(gamma.reshape(shape));
    }

    /** Every axis but {@code axis}. */
    private static int[] allBut(int rank, int axis) {
        int a = axis < 0 ? axis + rank : axis;
        return java.util.stream.IntStream.range(0, rank).filter(i -> i != a).toArray();
    }

    private static double[] constant(double v, int n) {
        double[] out = new double[n];
        Arrays.fill(out, v);
        return out;
    }

    private static boolean allClose(Tensor a, Tensor b) {
        return Tensor.allClose(a.cast(DType.F64), b.cast(DType.F64), 1e-6, 1e-6);
    }

    // ---------------------------------------------------------------------------------------
    // layer_normalization_test.py

    @Test
    void layerNormalizationOutOfBoundsAxis() {
        Tensor x = Tensor.zeros(2, 4);
        for (int axis : new int[] {2, 99, -3, -99}) {
            assertThatThrownBy(() -> new LayerNormalization("ln", axis, 1e-3, true, true).call(x))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
        }
        assertThatThrownBy(() -> new LayerNormalization("ln", new int[] {0, 99}, 1e-3, true, true).call(x))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
        assertThatThrownBy(() -> new LayerNormalization("ln", 99, 1e-3, true, true).maybeBuild(Shape.of(2, 4),
                DType.F32)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
        assertThatThrownBy(() -> new LayerNormalization("ln", 99, 1e-3, true, true).computeOutputShape(Shape.of(2, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
    }

    @Test
    void layerNormalizationDuplicateAxes() {
        Tensor x = Tensor.zeros(2, 4);
        assertThatThrownBy(() -> new LayerNormalization("ln", new int[] {-1, 1}, 1e-3, true, true).call(x))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate axes");
        assertThatThrownBy(() -> new LayerNormalization("ln", new int[] {1, 1}, 1e-3, true, true).call(x))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate axes");
    }

    @Test
    void layerNormalizationUnsortedAxes() {
        Tensor x = normal(0, 1, 2, 3, 4);
        Tensor sorted = new LayerNormalization("a", new int[] {-2, -1}, 1e-3, true, true).call(x);
        Tensor unsorted = new LayerNormalization("b", new int[] {-1, -2}, 1e-3, true, true).call(x);
        assertThat(sorted.shape().toArray()).containsExactly(2, 3, 4);
        assertThat(unsorted.shape().toArray()).containsExactly(2, 3, 4);
        close(sorted, unsorted.toDoubleArray(), 1e-6, 1e-6);
    }

    @Test
    void layerNormalizationCorrectness() {
        LayerNormalization layer = new LayerNormalization();
        Tensor out = layer.call(normal(5, 10, 1000, 2, 2, 2));
        Tensor s = standardised(out, layer.beta().value(), layer.gamma().value(), -1);
        close(s.mean().item(), 0.0, 0, 1e-1);
        double std = Math.sqrt(s.square().mean().item() - Math.pow(s.mean().item(), 2));
        close(std, 1.0, 0, 1e-1);
    }

    @Test
    void layerNormalizationOutput() {
        LayerNormalization layer = new LayerNormalization();
        Tensor x = Tensor.of(new float[] {0, 1, 2, 3, 4}, 1, 5);
        layer.maybeBuild(x.shape(), DType.F32);
        layer.beta().assign(Tensor.ones(DType.F32, 5));
        close(layer.call(x), new double[] {-0.41386, 0.29307, 1.0, 1.70693, 2.41386}, 1e-6, 1e-5);
    }

    // ---------------------------------------------------------------------------------------
    // batch_normalization_test.py

    @Test
    void batchNormalizationCorrectness() {
        for (int axis : new int[] {-1, 1}) {
            for (int[] shape : new int[][] {{5, 2, 3}, {5, 3, 3, 2}}) {
                for (double meanInit : new double[] {0, 1}) {
                    for (double varianceInit : new double[] {0, 1}) {
                        String c = "axis " + axis + ", " + Arrays.toString(shape) + ", " + meanInit + ", "
                                + varianceInit;
                        BatchNormalization layer = new BatchNormalization("bn", axis, 0, 1e-3, true, true);
                        Tensor x = normal(5, 10, shape);
                        layer.maybeBuild(x.shape(), DType.F32);
                        int features = x.shape().dim(axis < 0 ? axis + shape.length : axis);
                        layer.movingMean().assign(Tensor.full(meanInit, DType.F32, features));
                        layer.movingVariance().assign(Tensor.full(varianceInit, DType.F32, features));
                        Tensor out = x;
                        for (int i = 0; i < 3; i++) {
                            out = layer.call(out, true);
                        }
                        Tensor s = standardised(out, layer.beta().value(), layer.gamma().value(), axis);
                        int[] reduced = allBut(shape.length, axis);
                        Tensor mean = s.mean(reduced, false);
                        close(mean, constant(0, features), 0, 1e-3);
                        close(s.variance(reduced, false).sqrt(), constant(1, features), 0, 1e-3);
                        close(layer.movingMean().value(), constant(0, features), 0, 1e-3);
                        close(layer.movingVariance().value(), constant(1, features), 0, 1e-3);
                        Tensor inference = layer.call(x, false);
                        Tensor training = layer.call(x, true);
                        assertThat(allClose(inference, training)).as(c).isFalse();
                        training = layer.call(x, true);
                        inference = layer.call(x, false);
                        close(inference, training.toDoubleArray(), 1e-6, 1e-6);
                        if (shape.length == 3) {
                            Tensor zeroed = zeroSecondStep(x);
                            Masking masking = new Masking(0.0);
                            Tensor mask = masking.computeMask(zeroed, null);
                            close(layer.call(zeroed, mask, false), layer.call(zeroed, false).toDoubleArray(), 1e-6,
                                    1e-6);
                            assertThat(allClose(layer.call(zeroed, false), layer.call(zeroed, mask, true))).as(c)
                                    .isFalse();
                        }
                    }
                }
            }
        }
    }

    /** x with {@code x[:, 1, :] = 0}. */
    private static Tensor zeroSecondStep(Tensor x) {
        float[] v = x.toFloatArray();
        int[] d = x.shape().toArray();
        for (int b = 0; b < d[0]; b++) {
            for (int f = 0; f < d[2]; f++) {
                v[(b * d[1] + 1) * d[2] + f] = 0;
            }
        }
        return Tensor.of(v, d);
    }

    @Test
    void batchNormalizationOfAFullyMaskedInputIsZero() {
        BatchNormalization norm = new BatchNormalization("bn", -1, 0.99, 1e-3, false, false);
        Tensor y = norm.call(Tensor.zeros(DType.F32, 4, 5), Tensor.zeros(DType.F32, 4), true);
        close(y, constant(0, 20), 1e-6, 1e-6);
    }

    @Test
    void batchNormalizationIgnoresMaskedValues() {
        for (double maskValue : new double[] {0.0, 0.1, 1}) {
            float[] v = new float[10 * 4 * 2];
            for (int b = 0; b < 10; b++) {
                float[] rows = {1, 5, 2, 5, (float) maskValue, (float) maskValue, (float) maskValue, (float) maskValue};
                System.arraycopy(rows, 0, v, b * 8, 8);
            }
            Tensor padded = Tensor.of(v, 10, 4, 2);
            BatchNormalization bn = new BatchNormalization("bn", -1, 0.0, 1e-3, true, true);
            Sequential model = new Sequential(new Masking(maskValue), bn);
            model.build(10, 4, 2);
            model.compile(CompileOptions.of("rmsprop", "mse"));
            model.fit(FitOptions.of(padded, padded).batchSize(10).epochs(5).verbose(0));
            close(bn.movingMean().value(), new double[] {1.5, 5.0}, 1e-6, 1e-6);
            close(bn.movingVariance().value(), new double[] {0.25, 0.0}, 1e-6, 1e-6);
        }
    }

    @Test
    void batchNormalizationTrainableBehavior() {
        BatchNormalization layer = new BatchNormalization("bn", -1, 0.8, 1e-7, true, true);
        layer.maybeBuild(Shape.of(1, 4, 4, 3), DType.F32);
        layer.setTrainable(false);
        assertThat(layer.weights()).hasSize(4);
        assertThat(layer.trainableWeights()).isEmpty();
        assertThat(layer.nonTrainableWeights()).hasSize(4);
        Tensor x = normal(5, 10, 200, 4, 4, 3);
        close(layer.call(x, true), x.toDoubleArray(), 1e-6, 1e-6);
        layer.setTrainable(true);
        assertThat(layer.weights()).hasSize(4);
        assertThat(layer.trainableWeights()).hasSize(2);
        assertThat(layer.nonTrainableWeights()).hasSize(2);
        Tensor out = x;
        for (int i = 0; i < 10; i++) {
            out = layer.call(x, true);
        }
        Tensor s = standardised(out, layer.beta().value(), layer.gamma().value(), -1);
        close(s.mean(new int[] {0, 1, 2}, false), constant(0, 3), 0, 1e-3);
        close(s.variance(new int[] {0, 1, 2}, false).sqrt(), constant(1, 3), 0, 1e-3);
    }

    @Test
    void batchNormalizationSerialization() {
        BatchNormalization bn = new BatchNormalization("bn", 1, 0.9, 1e-4, false, true);
        assertThat(dev.vecgrad.train.layers.Layers.fromConfig("BatchNormalization", bn.getConfig()).getConfig())
                .isEqualTo(bn.getConfig());
    }
}
