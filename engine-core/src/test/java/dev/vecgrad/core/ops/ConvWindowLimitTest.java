package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A dilated window is measured in {@code long} and refused only past {@link Integer#MAX_VALUE}
 * along either axis; integer filters and biases are refused for their dtype, not for differing
 * from the input's.
 */
class ConvWindowLimitTest {
    private final Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 2, 2, 1);

    @Test
    void aWindowOfExactlyTheIntLimitIsAcceptedAndOneBeyondIsRefused() {
        int dilation = Integer.MAX_VALUE - 1;   // a 2-tap kernel then spans exactly Integer.MAX_VALUE
        // SAME padding centres the window so that no tap reaches an input element: all zeros.
        Tensor tall = Tensor.of(new float[] {5, 7}, 2, 1, 1, 1);
        assertThat(ConvOps.conv2d(x, tall, new int[] {1, 1}, Padding.SAME, new int[] {dilation, 1}).toFloatArray())
                .containsExactly(0, 0, 0, 0);
        Tensor wide = Tensor.of(new float[] {5, 7}, 1, 2, 1, 1);
        assertThat(ConvOps.conv2d(x, wide, new int[] {1, 1}, Padding.SAME, new int[] {1, dilation}).toFloatArray())
                .containsExactly(0, 0, 0, 0);
        Tensor w3 = Tensor.zeros(DType.F32, 3, 3, 1, 1);
        assertThatThrownBy(() -> ConvOps.conv2d(x, w3, new int[] {1, 1}, Padding.SAME, new int[] {1, 1 << 30}))
                .hasMessageContaining("dilated window 3x2147483649").hasMessageContaining("larger than 2147483647");
    }

    @Test
    void integerFiltersAndBiasesAreRefusedForTheirDType() {
        Tensor w = Tensor.zeros(DType.F32, 1, 1, 1, 2);
        assertThatThrownBy(() -> ConvOps.conv2d(x, w.cast(DType.I32), new Attrs.Conv2d(1, 1, 1, 1, Padding.VALID)))
                .hasMessageContaining("conv2d").hasMessageContaining("floating dtype");
        assertThatThrownBy(() -> ConvOps.conv2d(x, w, Tensor.zeros(DType.I32, 2),
                new Attrs.Conv2d(1, 1, 1, 1, Padding.VALID)))
                .hasMessageContaining("conv2d").hasMessageContaining("floating dtype");
    }
}
