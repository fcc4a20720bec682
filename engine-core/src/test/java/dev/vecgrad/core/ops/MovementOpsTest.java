package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class MovementOpsTest {
    private final Tensor x = Tensor.arange(0, 6, 1, DType.F32).reshape(2, 3);

    @Test
    void concatStackSplit() {
        Tensor c = ShapeOps.concat(List.of(x, x.mul(10f)), 0);
        assertThat(c.shape()).isEqualTo(Shape.of(4, 3));
        assertThat(c.toFloatArray()).containsExactly(0, 1, 2, 3, 4, 5, 0, 10, 20, 30, 40, 50);
        Tensor c1 = ShapeOps.concat(List.of(x, x.slice(1, 0, 1)), -1);
        assertThat(c1.toFloatArray()).containsExactly(0, 1, 2, 0, 3, 4, 5, 3);
        Tensor s = ShapeOps.stack(List.of(x, x), 1);
        assertThat(s.shape()).isEqualTo(Shape.of(2, 2, 3));
        assertThat(s.toFloatArray()).containsExactly(0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5);
        List<Tensor> parts = ShapeOps.split(x, new int[] {1, 2}, 1);
        assertThat(parts.get(0).toFloatArray()).containsExactly(0, 3);
        assertThat(parts.get(1).toFloatArray()).containsExactly(1, 2, 4, 5);
        assertThat(ShapeOps.split(x, 2, 0).get(1).toFloatArray()).containsExactly(3, 4, 5);
        assertThatThrownBy(() -> ShapeOps.concat(List.of(x, Tensor.zeros(2, 2)), 0))
                .hasMessageContaining("(2, 3)").hasMessageContaining("(2, 2)").hasMessageContaining("axis 1");
        assertThatThrownBy(() -> ShapeOps.split(x, new int[] {1, 1}, 1)).hasMessageContaining("add up to 2");
        assertThatThrownBy(() -> ShapeOps.split(x, 2, 1)).hasMessageContaining("equal pieces");
    }

    @Test
    void padTileRepeatFlipCast() {
        Tensor p = x.pad(new int[] {1, 0}, new int[] {0, 2}, -1);
        assertThat(p.shape()).isEqualTo(Shape.of(3, 5));
        assertThat(p.toFloatArray()).containsExactly(-1, -1, -1, -1, -1, 0, 1, 2, -1, -1, 3, 4, 5, -1, -1);
        assertThat(x.tile(2, 1).toFloatArray()).containsExactly(0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5);
        assertThat(Tensor.of(new float[] {1, 2}).tile(2).toFloatArray()).containsExactly(1, 2, 1, 2);
        assertThat(x.tile(1, 2).shape()).isEqualTo(Shape.of(2, 6));
        assertThat(x.tile(1, 2).toFloatArray()).containsExactly(0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5);
        assertThat(x.repeat(2, 1).toFloatArray()).containsExactly(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5);
        assertThat(x.repeat(2, 0).toFloatArray()).containsExactly(0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5);
        assertThat(x.flip().toFloatArray()).containsExactly(5, 4, 3, 2, 1, 0);
        assertThat(x.flip(0).toFloatArray()).containsExactly(3, 4, 5, 0, 1, 2);
        assertThat(Tensor.of(new float[] {-1.7f, 2.9f, Float.NaN}).cast(DType.I32).toIntArray()).containsExactly(-1, 2, 0);
        assertThat(Tensor.of(new int[] {3}).cast(DType.F64).toDoubleArray()).containsExactly(3.0);
        assertThat(x.cast(DType.F32)).isSameAs(x);
        assertThatThrownBy(() -> x.pad(new int[] {1}, new int[] {1}, 0)).hasMessageContaining("(2, 3)");
    }

    @Test
    void unsliceIsTheAdjointOfSlice() {
        Attrs.Slice s = new Attrs.Slice(new int[] {1, 2}, new int[] {-1, -1}, new int[] {-1, -2});
        Tensor big = Tensor.arange(0, 15, 1, DType.F32).reshape(3, 5);
        Tensor window = ShapeOps.slice(big, s);
        assertThat(window.toFloatArray()).containsExactly(7, 5, 2, 0);
        Tensor g = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor u = ShapeOps.unslice(g, new Attrs.Unslice(big.shape(), s));
        assertThat(u.toFloatArray()).containsExactly(4, 0, 3, 0, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0);
        // <slice(x), g> == <x, unslice(g)>
        double lhs = window.mul(g).sum().item();
        double rhs = big.mul(u).sum().item();
        assertThat(lhs).isEqualTo(rhs);
    }

    @Test
    void gatherScatterAndOneHot() {
        Tensor table = Tensor.of(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        Tensor idx = Tensor.of(new int[] {2, 0, -1, 2}, 2, 2);
        Tensor g = table.gather(idx, 0);
        assertThat(g.shape()).isEqualTo(Shape.of(2, 2, 2));
        assertThat(g.toFloatArray()).containsExactly(5, 6, 1, 2, 5, 6, 5, 6);
        assertThat(table.gather(Tensor.of(new int[] {1}), 1).toFloatArray()).containsExactly(2, 4, 6);
        Tensor s = IndexOps.scatterAdd(Tensor.ones(2, 2, 2), idx, 0, table.shape());
        assertThat(s.toFloatArray()).containsExactly(1, 1, 0, 0, 3, 3);
        assertThat(Tensor.of(new int[] {0, 2}).oneHot(3).toFloatArray()).containsExactly(1, 0, 0, 0, 0, 1);
        assertThatThrownBy(() -> table.gather(Tensor.of(new int[] {3}), 0))
                .hasMessageContaining("index 3").hasMessageContaining("(3, 2)");
        assertThatThrownBy(() -> table.gather(Tensor.of(new float[] {1}), 0)).hasMessageContaining("I32");
        assertThatThrownBy(() -> Tensor.of(new int[] {3}).oneHot(3)).hasMessageContaining("index 3");
    }
}
