package dev.vecgrad.train.layers;

import static dev.vecgrad.train.layers.CoreLayersTest.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.autodiff.GradCheck;
import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/** Conv1D, Conv2DTranspose, UpSampling2D, ZeroPadding2D and the global poolings. */
class ShapeAndConvLayersTest {

    /** Builds {@code layer} on {@code x}, then checks input and weight gradients in F64. */
    private static void checkGradients(Layer layer, Tensor x) {
        layer.call(x, true);
        GradCheck.check(in -> layer.call(in.get(0), true), x).assertPassed();
        if (!layer.trainableWeights().isEmpty()) {
            assertThat(WeightGradCheck.check(() -> layer.call(x, true), layer.trainableWeights())).isPositive();
        }
    }

    /** Sets the (zero) bias of a built layer to random values so that it is tested too. */
    private static void randomBias(Layer l) {
        l.trainableWeights().stream().filter(v -> v.name().endsWith("bias"))
                .forEach(v -> v.assign(random(77, v.shape().toArray())));
    }

    @Test
    void conv1dMatchesItsDefinitionForEachPadding() {
        Tensor x = random(1, 2, 7, 3);
        double[] xs = x.toDoubleArray();
        for (String padding : new String[] {"valid", "same", "causal"}) {
            for (int[] sd : new int[][] {{1, 1}, {2, 1}, {1, 2}}) {
                Conv1D c = Conv1D.builder(4, 3).padding(padding).strides(sd[0]).dilation(sd[1]).activation("tanh")
                        .build();
                Tensor y = c.call(x);
                randomBias(c);
                y = c.call(x);
                assertThat(y.shape()).isEqualTo(c.computeOutputShape(x.shape()));
                double[] w = c.kernel().peek().toDoubleArray();
                double[] b = c.bias().peek().toDoubleArray();
                int span = (3 - 1) * sd[1];
                int outSteps = y.shape().dim(1);
                // Zeros before the input: SAME splits them as TF does (the smaller half first), CAUSAL puts all first.
                int total = padding.equals("same") ? Math.max((outSteps - 1) * sd[0] + span + 1 - 7, 0) : 0;
                int before = switch (padding) {
                    case "same" -> total / 2;
                    case "causal" -> span;
                    default -> 0;
                };
                for (int n = 0; n < 2; n++) {
                    for (int t = 0; t < outSteps; t++) {
                        for (int f = 0; f < 4; f++) {
                            double s = b[f];
                            for (int k = 0; k < 3; k++) {
                                int at = t * sd[0] + k * sd[1] - before;
                                if (at < 0 || at >= 7) {
                                    continue;
                                }
                                for (int ch = 0; ch < 3; ch++) {
                                    s += xs[(n * 7 + at) * 3 + ch] * w[(k * 3 + ch) * 4 + f];
                                }
                            }
                            assertThat(y.get(n, t, f)).as("%s %s [%d %d %d]", padding, java.util.Arrays.toString(sd),
                                    n, t, f).isCloseTo(Math.tanh(s), within(1e-12));
                        }
                    }
                }
            }
        }
        assertThat(Conv1D.builder(2, 3).padding("causal").build().computeOutputShape(Shape.of(1, 9, 2)))
                .isEqualTo(Shape.of(1, 9, 2));
        assertThatThrownBy(() -> Conv1D.builder(2, 3).strides(2).dilation(2).build())
                .hasMessageContaining("cannot be combined");
        checkGradients(Conv1D.builder(2, 2).padding("causal").dilation(2).build(), random(2, 2, 5, 3));
    }

    /** The transposed convolution is the adjoint of the convolution: ⟨conv(x), y⟩ = ⟨x, convᵀ(y)⟩. */
    @Test
    void conv2dTransposeIsTheAdjointOfConv2d() {
        for (String padding : new String[] {"valid", "same"}) {
            Conv2DTranspose up = Conv2DTranspose.builder(2, 3, 3).strides(2, 2).padding(padding).useBias(false).build();
            Tensor y = random(3, 2, 3, 4, 5);
            Tensor upY = up.call(y);
            int outH = padding.equals("same") ? 6 : 7;
            int outW = padding.equals("same") ? 8 : 9;
            assertThat(upY.shape()).isEqualTo(Shape.of(2, outH, outW, 2));
            // A Conv2D with the same kernel, from the upsampled size back to y's.
            Conv2D down = Conv2D.builder(5, 3, 3).strides(2, 2).padding(padding).useBias(false).build();
            Tensor x = random(4, 2, outH, outW, 2);
            Tensor downX = down.call(x);
            down.kernel().assign(up.kernel().peek());
            downX = down.call(x);
            assertThat(downX.shape()).isEqualTo(y.shape());
            double lhs = downX.mul(y).sum().item();
            double rhs = x.mul(upY).sum().item();
            assertThat(lhs).as(padding).isCloseTo(rhs, within(1e-10));
        }
        assertThat(new Conv2DTranspose(3, 2, 2).computeOutputShape(Shape.of(1, 4, 4, 1))).isEqualTo(Shape.of(1, 5, 5, 3));
        Conv2DTranspose k3s1 = Conv2DTranspose.builder(1, 1, 1).strides(3, 3).build();
        assertThat(k3s1.computeOutputShape(Shape.of(1, 2, 2, 1))).as("kernel smaller than the stride")
                .isEqualTo(Shape.of(1, 6, 6, 1));
        Conv2DTranspose withBias = Conv2DTranspose.builder(2, 2, 3).strides(2, 1).activation("tanh").build();
        withBias.call(random(5, 1, 3, 3, 2));
        randomBias(withBias);
        checkGradients(withBias, random(5, 1, 3, 3, 2));
    }

    @Test
    void upSamplingRepeatsRowsAndColumns() {
        Tensor x = Tensor.arange(0, 8, 1, DType.F64).reshape(1, 2, 2, 2);
        Tensor y = new UpSampling2D(2, 3).call(x);
        assertThat(y.shape()).isEqualTo(Shape.of(1, 4, 6, 2));
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 6; j++) {
                for (int c = 0; c < 2; c++) {
                    assertThat(y.get(0, i, j, c)).isEqualTo(x.get(0, i / 2, j / 3, c));
                }
            }
        }
        checkGradients(new UpSampling2D(2, 2), random(6, 1, 2, 3, 2));
    }

    @Test
    void zeroPaddingSurroundsTheImage() {
        Tensor x = random(7, 1, 2, 3, 2);
        Tensor y = new ZeroPadding2D(1, 2, 0, 3).call(x);
        assertThat(y.shape()).isEqualTo(Shape.of(1, 5, 6, 2));
        assertThat(y.get(0, 1, 2, 1)).isEqualTo(x.get(0, 0, 2, 1));
        assertThat(y.get(0, 0, 0, 0)).isZero();
        assertThat(y.get(0, 4, 5, 1)).isZero();
        assertThat(y.sum().item()).isCloseTo(x.sum().item(), within(1e-12));
        assertThatThrownBy(() -> new ZeroPadding2D(-1, 0, 0, 0)).hasMessageContaining("non-negative");
        checkGradients(new ZeroPadding2D(), random(8, 1, 2, 2, 1));
    }

    @Test
    void globalPoolingsTakeTheMaximumOrTheMeanMaskedOrNot() {
        Tensor seq = random(9, 2, 4, 3);
        assertThat(Tensor.allClose(new GlobalMaxPooling1D().call(seq), seq.max(new int[] {1}, false), 0, 0)).isTrue();
        assertThat(new GlobalMaxPooling1D(null, true).call(seq).shape()).isEqualTo(Shape.of(2, 1, 3));
        Tensor img = random(10, 2, 3, 3, 2);
        assertThat(Tensor.allClose(new GlobalMaxPooling2D().call(img), img.max(new int[] {1, 2}, false), 0, 0))
                .isTrue();
        assertThat(new GlobalAveragePooling2D(null, true).call(img).shape()).isEqualTo(Shape.of(2, 1, 1, 2));
        Tensor mask = Tensor.of(new double[] {1, 1, 0, 0, 1, 1, 1, 1}, 2, 4);
        GlobalAveragePooling1D avg = new GlobalAveragePooling1D();
        Masked out = avg.callMasked(seq, mask, false);
        assertThat(out.mask()).isNull();
        for (int c = 0; c < 3; c++) {
            assertThat(out.value().get(0, c)).isCloseTo((seq.get(0, 0, c) + seq.get(0, 1, c)) / 2, within(1e-12));
            assertThat(out.value().get(1, c)).isCloseTo(seq.mean(new int[] {1}, false).get(1, c), within(1e-12));
        }
        checkGradients(new GlobalMaxPooling2D(), Tensor.arange(0, 18, 1, DType.F64).mul(0.37).sin().reshape(1, 3, 3, 2));
        GradCheck.check(in -> avg.call(in.get(0), mask, true), seq).assertPassed();
    }
}
