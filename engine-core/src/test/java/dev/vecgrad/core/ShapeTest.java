package dev.vecgrad.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShapeTest {
    @Test
    void sizeRankAndStrides() {
        Shape s = Shape.of(2, 3, 4);
        assertThat(s.rank()).isEqualTo(3);
        assertThat(s.size()).isEqualTo(24);
        assertThat(s.contiguousStrides()).containsExactly(12, 4, 1);
        assertThat(s.dim(-1)).isEqualTo(4);
        assertThat(Shape.SCALAR.size()).isEqualTo(1);
        assertThat(Shape.of(0, 5).size()).isZero();
        assertThat(s.toString()).isEqualTo("(2, 3, 4)");
        assertThat(Shape.of(5).toString()).isEqualTo("(5,)");
    }

    @Test
    void rejectsBadShapes() {
        assertThatThrownBy(() -> Shape.of(1, 2, 3, 4, 5, 6, 7, 8, 9)).hasMessageContaining("rank 9");
        assertThatThrownBy(() -> Shape.of(2, -1)).hasMessageContaining("negative");
        assertThatThrownBy(() -> Shape.of(65536, 65536)).hasMessageContaining("more than");
        assertThatThrownBy(() -> Shape.of(2, 3).dim(2)).hasMessageContaining("axis 2").hasMessageContaining("rank 2");
    }

    @Test
    void broadcasting() {
        assertThat(Shape.broadcast(Shape.of(4, 1, 3), Shape.of(5, 1), "add")).isEqualTo(Shape.of(4, 5, 3));
        assertThat(Shape.broadcast(Shape.SCALAR, Shape.of(2, 2), "add")).isEqualTo(Shape.of(2, 2));
        assertThatThrownBy(() -> Shape.broadcast(Shape.of(2, 3), Shape.of(4, 3), "mul"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mul").hasMessageContaining("(2, 3)").hasMessageContaining("(4, 3)");
        assertThat(Shape.of(3).broadcastableTo(Shape.of(2, 3))).isTrue();
        assertThat(Shape.of(2, 1).broadcastableTo(Shape.of(3))).isFalse();
    }
}
