package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/** Bad arguments to the convolution and pooling ops fail with a message naming what is wrong. */
class ConvValidationTest {
    private final Tensor x = Tensor.zeros(DType.F32, 2, 5, 5, 3);
    private final Tensor w = Tensor.zeros(DType.F32, 3, 3, 3, 4);
    private final Attrs.Conv2d valid = new Attrs.Conv2d(1, 1, 1, 1, Padding.VALID);

    @Test
    void ranks() {
        assertThatThrownBy(() -> ConvOps.conv2d(Tensor.zeros(DType.F32, 5, 5, 3), w, valid))
                .hasMessageContaining("conv2d").hasMessageContaining("input must have rank 4").hasMessageContaining("NHWC")
                .hasMessageContaining("(5, 5, 3)");
        assertThatThrownBy(() -> ConvOps.conv2d(x, Tensor.zeros(DType.F32, 3, 3, 3), valid))
                .hasMessageContaining("filter must have rank 4").hasMessageContaining("HWIO")
                .hasMessageContaining("(3, 3, 3)");
        assertThatThrownBy(() -> ConvOps.maxPool2d(Tensor.zeros(DType.F32, 5, 5), new int[] {2, 2}, null, Padding.VALID))
                .hasMessageContaining("max_pool2d").hasMessageContaining("rank 4");
        assertThatThrownBy(() -> ConvOps.avgPool2dBackward(Tensor.zeros(DType.F32, 2, 2, 2, 3),
                new Attrs.Pool2dBackward(new Attrs.Pool2d(2, 2, 2, 2, Padding.VALID), Shape.of(4, 4, 3))))
                .hasMessageContaining("avg_pool2d_backward").hasMessageContaining("inputShape").hasMessageContaining("(4, 4, 3)");
    }

    @Test
    void channelMismatchNamesBothShapes() {
        assertThatThrownBy(() -> ConvOps.conv2d(x, Tensor.zeros(DType.F32, 3, 3, 2, 4), valid))
                .hasMessageContaining("channel mismatch").hasMessageContaining("(2, 5, 5, 3) (NHWC)")
                .hasMessageContaining("(3, 3, 2, 4) (HWIO)");
        assertThatThrownBy(() -> ConvOps.conv2dBackwardFilter(x, Tensor.zeros(DType.F32, 2, 3, 3, 4),
                new Attrs.Conv2dBackwardFilter(valid, Shape.of(3, 3, 5, 4))))
                .hasMessageContaining("conv2d_backward_filter").hasMessageContaining("channel mismatch");
    }

    @Test
    void nullStridesMeanKerasDefaultsForConvolutionAndPooling() {
        Tensor xs = Tensor.arange(0, 2 * 5 * 5 * 3, 1, DType.F32).reshape(2, 5, 5, 3);
        Tensor ws = Tensor.arange(0, 3 * 3 * 3 * 4, 1, DType.F32).div(100).reshape(3, 3, 3, 4);
        assertThat(ConvOps.conv2d(xs, ws, null, Padding.VALID, null).toFloatArray())
                .isEqualTo(ConvOps.conv2d(xs, ws, new int[] {1, 1}, Padding.VALID, new int[] {1, 1}).toFloatArray());
        assertThat(ConvOps.maxPool2d(xs, new int[] {2, 2}, null, Padding.VALID).toFloatArray())
                .isEqualTo(ConvOps.maxPool2d(xs, new int[] {2, 2}, new int[] {2, 2}, Padding.VALID).toFloatArray());
        assertThat(xs.conv2d(ws, null, Padding.SAME, null).shape()).isEqualTo(Shape.of(2, 5, 5, 4));
        assertThat(xs.avgPool2d(new int[] {2, 2}, null, Padding.VALID).shape()).isEqualTo(Shape.of(2, 2, 2, 3));
    }

    @Test
    void nonPositiveStridesDilationsAndWindows() {
        assertThatThrownBy(() -> ConvOps.conv2d(x, w, new int[] {0, 1}, Padding.VALID, null))
                .hasMessageContaining("conv2d").hasMessageContaining("strides must be positive").hasMessageContaining("(0, 1)");
        assertThatThrownBy(() -> ConvOps.conv2d(x, w, new int[] {1, 1}, Padding.VALID, new int[] {1, -2}))
                .hasMessageContaining("dilation must be positive");
        assertThatThrownBy(() -> ConvOps.maxPool2d(x, new int[] {2, 0}, null, Padding.VALID))
                .hasMessageContaining("pool size must be positive");
        assertThatThrownBy(() -> ConvOps.avgPool2d(x, new int[] {2, 2}, new int[] {-1, 2}, Padding.SAME))
                .hasMessageContaining("strides must be positive");
        assertThatThrownBy(() -> ConvOps.conv2d(x, w, new int[] {1}, Padding.VALID, null))
                .hasMessageContaining("strides must be two values").hasMessageContaining("[1]");
        assertThatThrownBy(() -> ConvOps.conv2d(x, w, new int[] {1, 1}, null, null))
                .hasMessageContaining("padding must be VALID or SAME");
        assertThatThrownBy(() -> ConvOps.conv2d(x, Tensor.zeros(DType.F32, 0, 3, 3, 4), valid))
                .hasMessageContaining("kernel size must be positive");
    }

    @Test
    void windowLargerThanTheInput() {
        assertThatThrownBy(() -> ConvOps.conv2d(x, Tensor.zeros(DType.F32, 6, 3, 3, 4), valid))
                .hasMessageContaining("larger than the input's 5x5").hasMessageContaining("VALID")
                .hasMessageContaining("(6, 3, 3, 4)");
        // Dilation 3 turns a 3x3 kernel into a 7x7 window.
        assertThatThrownBy(() -> ConvOps.conv2d(x, w, new int[] {1, 1}, Padding.VALID, new int[] {3, 1}))
                .hasMessageContaining("window 7x3").hasMessageContaining("dilation 3x1");
        assertThatThrownBy(() -> ConvOps.maxPool2d(x, new int[] {6, 2}, null, Padding.VALID))
                .hasMessageContaining("pool window 6x2 is larger than the input's 5x5");
        // A dilated window whose extent does not fit an int is refused, not wrapped into a negative padding.
        assertThatThrownBy(() -> ConvOps.conv2d(x, w, new int[] {1, 1}, Padding.SAME, new int[] {1 << 30, 1}))
                .hasMessageContaining("dilated window 2147483649x3").hasMessageContaining("larger than 2147483647");
    }

    @Test
    void biasMustHoldOneValuePerFilterInTheInputsDType() {
        assertThatThrownBy(() -> ConvOps.conv2d(x, w, Tensor.zeros(DType.F32, 3), valid))
                .hasMessageContaining("conv2d").hasMessageContaining("bias must have shape (4,)")
                .hasMessageContaining("(3, 3, 3, 4)").hasMessageContaining("got shape (3,)");
        assertThatThrownBy(() -> ConvOps.conv2d(x, w, Tensor.zeros(DType.F32, 1, 4), valid))
                .hasMessageContaining("bias must have shape (4,)").hasMessageContaining("(1, 4)");
        assertThatThrownBy(() -> ConvOps.conv2d(x, w, Tensor.zeros(DType.F64, 4), valid))
                .hasMessageContaining("conv2d").hasMessageContaining("dtypes differ").hasMessageContaining("F64");
    }

    @Test
    void dtypes() {
        assertThatThrownBy(() -> ConvOps.conv2d(x, w.cast(DType.F64), valid))
                .hasMessageContaining("conv2d").hasMessageContaining("dtypes differ").hasMessageContaining("F32")
                .hasMessageContaining("F64");
        assertThatThrownBy(() -> ConvOps.conv2d(x.cast(DType.I32), w.cast(DType.I32), valid))
                .hasMessageContaining("floating dtype");
        assertThatThrownBy(() -> ConvOps.maxPool2dBackward(x, Tensor.zeros(DType.F64, 2, 2, 2, 3),
                new Attrs.Pool2d(2, 2, 2, 2, Padding.VALID))).hasMessageContaining("dtypes differ");
        assertThatThrownBy(() -> ConvOps.avgPool2d(x.cast(DType.I32), new int[] {2, 2}, null, Padding.VALID))
                .hasMessageContaining("avg_pool2d").hasMessageContaining("floating dtype");
    }

    @Test
    void gradientShapesMustMatchTheForward() {
        assertThatThrownBy(() -> ConvOps.conv2dBackwardInput(Tensor.zeros(DType.F32, 2, 4, 3, 4), w,
                new Attrs.Conv2dBackwardInput(valid, x.shape())))
                .hasMessageContaining("conv2d_backward_input").hasMessageContaining("dy has shape (2, 4, 3, 4)")
                .hasMessageContaining("(2, 3, 3, 4)");
        assertThatThrownBy(() -> ConvOps.conv2dBackwardFilter(x, Tensor.zeros(DType.F32, 2, 3, 3, 5),
                new Attrs.Conv2dBackwardFilter(valid, w.shape())))
                .hasMessageContaining("dy has shape (2, 3, 3, 5)").hasMessageContaining("(2, 3, 3, 4)");
        assertThatThrownBy(() -> ConvOps.maxPool2dBackward(x, Tensor.zeros(DType.F32, 2, 3, 3, 3),
                new Attrs.Pool2d(2, 2, 2, 2, Padding.VALID)))
                .hasMessageContaining("max_pool2d_backward").hasMessageContaining("(2, 2, 2, 3)");
        assertThatThrownBy(() -> ConvOps.avgPool2dBackward(Tensor.zeros(DType.F32, 2, 3, 3, 4),
                new Attrs.Pool2dBackward(new Attrs.Pool2d(2, 2, 2, 2, Padding.SAME), x.shape())))
                .hasMessageContaining("dy has shape (2, 3, 3, 4)").hasMessageContaining("(2, 3, 3, 3)");
    }
}
