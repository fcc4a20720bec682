package dev.vecgrad.train.layers;

import static dev.vecgrad.train.layers.CoreLayersTest.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.Padding;
import org.junit.jupiter.api.Test;

class ConvLayersTest {

    /** Direct convolution with TensorFlow's SAME/VALID padding, in doubles. */
    static double[] naiveConv(Tensor x, Tensor k, Tensor b, int sh, int sw, int dh, int dw, boolean same, int oh,
            int ow) {
        int n = x.shape().dim(0);
        int h = x.shape().dim(1);
        int w = x.shape().dim(2);
        int c = x.shape().dim(3);
        int kh = k.shape().dim(0);
        int kw = k.shape().dim(1);
        int f = k.shape().dim(3);
        int padTop = 0;
        int padLeft = 0;
        if (same) {
            padTop = Math.max((oh - 1) * sh + (kh - 1) * dh + 1 - h, 0) / 2;
            padLeft = Math.max((ow - 1) * sw + (kw - 1) * dw + 1 - w, 0) / 2;
        }
        double[] out = new double[n * oh * ow * f];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < oh; y++) {
                for (int z = 0; z < ow; z++) {
                    for (int o = 0; o < f; o++) {
                        double s = b == null ? 0 : b.get(o);
                        for (int p = 0; p < kh; p++) {
                            for (int q = 0; q < kw; q++) {
                                int iy = y * sh + p * dh - padTop;
                                int ix = z * sw + q * dw - padLeft;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                    continue;
                                }
                                for (int ch = 0; ch < c; ch++) {
                                    s += x.get(i, iy, ix, ch) * k.get(p, q, ch, o);
                                }
                            }
                        }
                        out[((i * oh + y) * ow + z) * f + o] = s;
                    }
                }
            }
        }
        return out;
    }

    private static void checkConv(Conv2D conv, Tensor x, int sh, int sw, int dh, int dw, boolean same) {
        conv.maybeBuild(x.shape(), x.dtype());
        Tensor k = random(21, conv.kernel().shape().toArray());
        Tensor b = random(22, conv.bias().shape().toArray());
        conv.kernel().assign(k);
        conv.bias().assign(b);
        Tensor y = conv.call(x);
        assertThat(y.shape()).isEqualTo(conv.computeOutputShape(x.shape()));
        double[] want = naiveConv(x, k, b, sh, sw, dh, dw, same, y.shape().dim(1), y.shape().dim(2));
        double[] got = y.toDoubleArray();
        for (int i = 0; i < want.length; i++) {
            assertThat(got[i]).as("element %d", i).isCloseTo(want[i], within(1e-12));
        }
    }

    @Test
    void conv2dMatchesADirectLoop() {
        checkConv(Conv2D.builder(4, 3, 3).build(), random(1, 2, 7, 6, 3), 1, 1, 1, 1, false);
        checkConv(Conv2D.builder(2, 3, 2).strides(2, 2).padding("same").build(), random(2, 2, 7, 6, 3), 2, 2, 1, 1, true);
        checkConv(Conv2D.builder(3, 2, 2).dilation(2, 2).padding(Padding.SAME).build(), random(3, 1, 6, 5, 2), 1, 1, 2, 2,
                true);
        checkConv(Conv2D.builder(3, 3, 3).strides(2, 1).build(), random(4, 1, 9, 8, 2), 2, 1, 1, 1, false);
    }

    @Test
    void conv2dActivationKernelShapeAndInputChecks() {
        Conv2D c = Conv2D.builder(8, 3, 3).activation("relu").padding("same").build();
        Tensor y = c.call(Tensor.ones(2, 5, 5, 3));
        assertThat(y.shape()).isEqualTo(Shape.of(2, 5, 5, 8));
        assertThat(y.min().item()).isGreaterThanOrEqualTo(0);
        assertThat(c.kernel().shape()).isEqualTo(Shape.of(3, 3, 3, 8));
        assertThat(c.countParams()).isEqualTo(3 * 3 * 3 * 8 + 8);
        // Another image size is fine; other channels are not.
        assertThat(c.call(Tensor.ones(1, 9, 7, 3)).shape()).isEqualTo(Shape.of(1, 9, 7, 8));
        assertThatThrownBy(() -> c.call(Tensor.ones(1, 5, 5, 4))).hasMessageContaining("3 channels")
                .hasMessageContaining("(1, 5, 5, 4)");
        assertThatThrownBy(() -> new Conv2D(4, 3, 3).call(Tensor.ones(5, 5, 3))).hasMessageContaining("channels-last");
        assertThatThrownBy(() -> Conv2D.builder(4, 0, 3).build()).hasMessageContaining("kernel size");
        assertThatThrownBy(() -> Conv2D.builder(4, 3, 3).padding("full")).hasMessageContaining("full");
        // Glorot fans include the receptive field: limit sqrt(6 / (3*3*3 + 3*3*8)).
        double limit = Math.sqrt(6.0 / (27 + 72));
        for (float v : c.kernel().peek().toFloatArray()) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo((float) limit);
        }
    }

    @Test
    void poolingMatchesDirectLoops() {
        Tensor x = random(5, 2, 5, 6, 3);
        for (boolean max : new boolean[] {true, false}) {
            for (Padding p : Padding.values()) {
                Pooling2D layer = max ? new MaxPooling2D(null, new int[] {2, 3}, new int[] {2, 2}, p)
                        : new AveragePooling2D(null, new int[] {2, 3}, new int[] {2, 2}, p);
                Tensor y = layer.call(x);
                assertThat(y.shape()).isEqualTo(layer.computeOutputShape(x.shape()));
                int oh = y.shape().dim(1);
                int ow = y.shape().dim(2);
                int padTop = p == Padding.SAME ? Math.max((oh - 1) * 2 + 2 - 5, 0) / 2 : 0;
                int padLeft = p == Padding.SAME ? Math.max((ow - 1) * 2 + 3 - 6, 0) / 2 : 0;
                for (int n = 0; n < 2; n++) {
                    for (int i = 0; i < oh; i++) {
                        for (int j = 0; j < ow; j++) {
                            for (int c = 0; c < 3; c++) {
                                double best = Double.NEGATIVE_INFINITY;
                                double sum = 0;
                                int count = 0;
                                for (int a = 0; a < 2; a++) {
                                    for (int b = 0; b < 3; b++) {
                                        int iy = i * 2 + a - padTop;
                                        int ix = j * 2 + b - padLeft;
                                        if (iy >= 0 && iy < 5 && ix >= 0 && ix < 6) {
                                            best = Math.max(best, x.get(n, iy, ix, c));
                                            sum += x.get(n, iy, ix, c);
                                            count++;
                                        }
                                    }
                                }
                                assertThat(y.get(n, i, j, c)).isCloseTo(max ? best : sum / count, within(1e-12));
                            }
                        }
                    }
                }
            }
        }
        assertThat(new MaxPooling2D().computeOutputShape(Shape.of(8, 28, 28, 32))).isEqualTo(Shape.of(8, 14, 14, 32));
    }

    /**
     * A 'valid' window larger than its input is refused when the shape is inferred (as when a saved
     * model is rebuilt), naming the layer, not turned into a zero-sized output; 'same' pools any
     * window, a 100000x100000 one included, into one position.
     */
    @Test
    void aValidWindowLargerThanItsInputIsRefusedWhenTheShapeIsInferred() {
        assertThatThrownBy(() -> new Conv2D(2, 3, 3).computeOutputShape(Shape.of(1, 1, 1, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Conv2D")
                .hasMessageContaining("(height): the window 3 (kernel 3, dilation 1) is larger than the input's 1");
        assertThatThrownBy(() -> new MaxPooling2D(null, new int[] {2, 5}, null, Padding.VALID)
                .computeOutputShape(Shape.of(1, 4, 4, 1))).hasMessageContaining("MaxPooling2D")
                .hasMessageContaining("(width): the window 5");
        assertThatThrownBy(() -> Conv1D.builder(2, 4).dilation(3).build().computeOutputShape(Shape.of(1, 9, 2)))
                .hasMessageContaining("Conv1D").hasMessageContaining("the window 10 (kernel 4, dilation 3)");
        assertThat(new MaxPooling2D(null, new int[] {100_000, 100_000}, null, Padding.SAME)
                .computeOutputShape(Shape.of(2, 28, 28, 3))).isEqualTo(Shape.of(2, 1, 1, 3));
        assertThat(new Conv2D(2, 3, 3).computeOutputShape(Shape.of(1, 3, 3, 4))).isEqualTo(Shape.of(1, 1, 1, 2));
    }

    @Test
    void globalAveragePooling() {
        Tensor x = random(6, 2, 3, 4, 5);
        Tensor y = new GlobalAveragePooling2D().call(x);
        assertThat(y.shape()).isEqualTo(Shape.of(2, 5));
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 5; c++) {
                double s = 0;
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 4; j++) {
                        s += x.get(n, i, j, c);
                    }
                }
                assertThat(y.get(n, c)).isCloseTo(s / 12, within(1e-12));
            }
        }
    }

    @Test
    void convConfigsRoundTrip() {
        Conv2D c = Conv2D.builder(6, 3, 2).name("c").strides(2, 1).dilation(1, 1).padding("same").activation("relu")
                .build();
        assertThat(Layers.fromConfig("Conv2D", c.getConfig()).getConfig()).isEqualTo(c.getConfig());
        MaxPooling2D m = new MaxPooling2D("m", new int[] {3, 3}, new int[] {1, 2}, Padding.SAME);
        assertThat(Layers.fromConfig("MaxPooling2D", m.getConfig()).getConfig()).isEqualTo(m.getConfig());
        AveragePooling2D a = new AveragePooling2D();
        assertThat(Layers.fromConfig("AveragePooling2D", a.getConfig()).getConfig()).isEqualTo(a.getConfig());
        assertThat(Layers.fromConfig("GlobalAveragePooling2D", new GlobalAveragePooling2D("g").getConfig()).name())
                .isEqualTo("g");
        Tensor x = random(7, 1, 6, 6, 2).cast(DType.F32);
        Conv2D copy = (Conv2D) Layers.fromConfig("Conv2D", c.getConfig());
        c.call(x);
        copy.call(x);
        copy.kernel().assign(c.kernel().peek());
        assertThat(copy.call(x).toFloatArray()).containsExactly(c.call(x).toFloatArray());
    }
}
