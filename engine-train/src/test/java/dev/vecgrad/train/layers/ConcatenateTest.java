package dev.vecgrad.train.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.autodiff.GradCheck;
import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConcatenateTest {
    @Test
    void joinsAlongTheLastAxisOrAnotherValueByValue() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensor.of(new float[] {5, 6, 7, 8, 9, 10}, 2, 3);
        assertThat(new Concatenate().call(List.of(a, b), false).toFloatArray())
                .containsExactly(1, 2, 5, 6, 7, 3, 4, 8, 9, 10);
        Tensor c = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 1, 3, 2);
        Tensor d = Tensor.of(new float[] {7, 8}, 1, 1, 2);
        Concatenate steps = new Concatenate(1, "steps");
        assertThat(steps.call(List.of(c, d), false).shape()).isEqualTo(Shape.of(1, 4, 2));
        assertThat(steps.call(List.of(c, d), false).toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(steps.computeOutputShape(List.of(Shape.of(1, 3, 2), Shape.of(1, 1, 2)))).isEqualTo(Shape.of(1, 4, 2));
        assertThatThrownBy(() -> new Concatenate().computeOutputShape(List.of(Shape.of(1, 3, 2), Shape.of(1, 2, 2))))
                .hasMessageContaining("match elsewhere");
        assertThatThrownBy(() -> new Concatenate(0, null)).hasMessageContaining("batch axis");
    }

    @Test
    void gradientsReachEveryInput() {
        Rng rng = new Rng(3);
        Tensor a = Tensor.randomUniform(rng, -1f, 1f, 2, 3).cast(DType.F64);
        Tensor b = Tensor.randomUniform(rng, -1f, 1f, 2, 2).cast(DType.F64);
        Concatenate layer = new Concatenate();
        GradCheck.check(in -> layer.call(List.of(in.get(0), in.get(1)), true).square(), a, b).assertPassed();
    }

    @Test
    void masksCombineAsKerasCombinesThem() {
        Tensor x = Tensor.zeros(1, 3, 2);
        Tensor m1 = Tensor.of(new float[] {1, 1, 0}, 1, 3);
        Tensor m2 = Tensor.of(new float[] {1, 0, 1}, 1, 3);
        // Features joined: a step is kept when any input keeps it (Keras 3; Keras 2 asked for all).
        Tensor features = new Concatenate().computeMask(List.of(x, x), Arrays.asList(m1, m2));
        assertThat(features.cast(DType.F32).toFloatArray()).containsExactly(1, 1, 1);
        Tensor neither = new Concatenate().computeMask(List.of(x, x), Arrays.asList(m1, m1));
        assertThat(neither.cast(DType.F32).toFloatArray()).containsExactly(1, 1, 0);
        assertThat(new Concatenate().computeMask(List.of(x, x), Arrays.asList(null, null))).isNull();
        // Steps joined: the masks are joined too, a missing one keeping everything.
        Tensor steps = new Concatenate(1, null).computeMask(List.of(x, x), Arrays.asList(m1, null));
        assertThat(steps.cast(DType.F32).toFloatArray()).containsExactly(1, 1, 0, 1, 1, 1);
    }

    @Test
    void itRebuildsFromItsConfig() {
        Concatenate c = new Concatenate(2, "join");
        Layer back = Layers.fromConfig(c.className(), c.getConfig());
        assertThat(back.getConfig()).isEqualTo(c.getConfig());
        assertThat(((Concatenate) back).axis()).isEqualTo(2);
    }
}
