package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The gradient primitives of convolution and pooling check their own inputs, each with the message
 * of the check that applies (rank, floating dtype, matching dtypes, channels), not a later check's
 * or an index error from a kernel.
 */
class ConvBackwardValidationTest {
    private final Attrs.Conv2d valid = new Attrs.Conv2d(1, 1, 1, 1, Padding.VALID);
    private final Attrs.Pool2d pool = new Attrs.Pool2d(2, 2, 2, 2, Padding.VALID);
    private final Shape inputShape = Shape.of(2, 5, 5, 3);
    private final Tensor x = Tensor.zeros(DType.F32, 2, 5, 5, 3);
    private final Tensor filter = Tensor.zeros(DType.F32, 3, 3, 3, 4);
    private final Tensor dy = Tensor.zeros(DType.F32, 2, 3, 3, 4);
    private final Tensor poolDy = Tensor.zeros(DType.F32, 2, 2, 2, 3);

    @Test
    void conv2dBackwardInputChecksDyFilterDTypesAndChannels() {
        Attrs.Conv2dBackwardInput attrs = new Attrs.Conv2dBackwardInput(valid, inputShape);
        assertThatThrownBy(() -> ConvOps.conv2dBackwardInput(Tensor.zeros(DType.F32, 3, 3, 4), filter, attrs))
                .hasMessageContaining("conv2d_backward_input: dy must have rank 4");
        assertThatThrownBy(() -> ConvOps.conv2dBackwardInput(dy.cast(DType.I32), filter.cast(DType.I32), attrs))
                .hasMessageContaining("conv2d_backward_input").hasMessageContaining("floating dtype");
        assertThatThrownBy(() -> ConvOps.conv2dBackwardInput(dy, Tensor.zeros(DType.F32, 3, 3, 3), attrs))
                .hasMessageContaining("conv2d_backward_input: the filter must have rank 4");
        assertThatThrownBy(() -> ConvOps.conv2dBackwardInput(dy, filter.cast(DType.F64), attrs))
                .hasMessageContaining("conv2d_backward_input").hasMessageContaining("dtypes differ");
        assertThatThrownBy(() -> ConvOps.conv2dBackwardInput(dy, Tensor.zeros(DType.F32, 3, 3, 2, 4), attrs))
                .hasMessageContaining("conv2d_backward_input: channel mismatch");
    }

    @Test
    void conv2dBackwardFilterChecksTheFilterShapeInputDyAndDTypes() {
        Attrs.Conv2dBackwardFilter attrs = new Attrs.Conv2dBackwardFilter(valid, filter.shape());
        assertThatThrownBy(() -> ConvOps.conv2dBackwardFilter(x, dy,
                new Attrs.Conv2dBackwardFilter(valid, Shape.of(3, 3, 3))))
                .hasMessageContaining("conv2d_backward_filter: the filter must have rank 4");
        assertThatThrownBy(() -> ConvOps.conv2dBackwardFilter(Tensor.zeros(DType.F32, 5, 5, 3), dy, attrs))
                .hasMessageContaining("conv2d_backward_filter: input must have rank 4");
        assertThatThrownBy(() -> ConvOps.conv2dBackwardFilter(x, Tensor.zeros(DType.F32, 3, 3, 4), attrs))
                .hasMessageContaining("conv2d_backward_filter: dy must have rank 4");
        assertThatThrownBy(() -> ConvOps.conv2dBackwardFilter(x, dy.cast(DType.F64), attrs))
                .hasMessageContaining("conv2d_backward_filter").hasMessageContaining("dtypes differ");
    }

    @Test
    void poolingGradientsCheckTheRanksOfInputAndDy() {
        assertThatThrownBy(() -> ConvOps.maxPool2dBackward(Tensor.zeros(DType.F32, 5, 5, 3), poolDy, pool))
                .hasMessageContaining("max_pool2d_backward: input must have rank 4");
        assertThatThrownBy(() -> ConvOps.maxPool2dBackward(x, Tensor.zeros(DType.F32, 2, 2, 3), pool))
                .hasMessageContaining("max_pool2d_backward: dy must have rank 4");
        Attrs.Pool2dBackward avg = new Attrs.Pool2dBackward(pool, inputShape);
        assertThatThrownBy(() -> ConvOps.avgPool2dBackward(Tensor.zeros(DType.F32, 2, 2, 3), avg))
                .hasMessageContaining("avg_pool2d_backward: dy must have rank 4");
        assertThatThrownBy(() -> ConvOps.avgPool2dBackward(poolDy.cast(DType.I32), avg))
                .hasMessageContaining("avg_pool2d_backward").hasMessageContaining("floating dtype");
    }

    @Test
    void aWindowTooWideNamesItsDilatedWidth() {
        // Dilation 3 along the width turns a 3x3 kernel into a 3x7 window.
        assertThatThrownBy(() -> ConvOps.conv2d(x, filter, new int[] {1, 1}, Padding.VALID, new int[] {1, 3}))
                .hasMessageContaining("window 3x7 (kernel 3x3, dilation 1x3)");
    }
}
