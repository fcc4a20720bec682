package dev.vecgrad.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void basics() {
        Tensor x = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor y = x.mul(2f).add(Tensor.of(new float[] {1, 0, -1}, 3));
        assertThat(y.toFloatArray()).containsExactly(3, 4, 5, 9, 10, 11);
        assertThat(y.sum(new int[] {1}, false).toFloatArray()).containsExactly(12, 30);
        assertThat(y.sum(new int[] {0}, false).toFloatArray()).containsExactly(12, 14, 16);
        assertThat(x.transpose().matmul(x).toFloatArray()).containsExactly(17, 22, 27, 22, 29, 36, 27, 36, 45);
        assertThat(Tensor.of(new float[] {1000, 1001}).softmax(0).toFloatArray()[1]).isCloseTo(0.7310586f, org.assertj.core.data.Offset.offset(1e-6f));
        System.out.println(x.transpose());
        System.out.println(Tensor.arange(0, 2000, 1, DType.F32).reshape(2, 1000));
    }
}
