package dev.vecgrad.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class TensorTest {
    @Test
    void creation() {
        assertThat(Tensor.zeros(2, 3).toFloatArray()).containsOnly(0f).hasSize(6);
        assertThat(Tensor.ones(DType.I32, 4).toIntArray()).containsExactly(1, 1, 1, 1);
        assertThat(Tensor.full(2.5, DType.F64, 2).toDoubleArray()).containsExactly(2.5, 2.5);
        assertThat(Tensor.arange(0, 1, 0.25, DType.F32).toFloatArray()).containsExactly(0f, 0.25f, 0.5f, 0.75f);
        assertThat(Tensor.arange(5, 0, -2, DType.I32).toIntArray()).containsExactly(5, 3, 1);
        assertThat(Tensor.linspace(0, 1, 5).toFloatArray()).containsExactly(0f, 0.25f, 0.5f, 0.75f, 1f);
        assertThat(Tensor.eye(3).toFloatArray()).containsExactly(1, 0, 0, 0, 1, 0, 0, 0, 1);
        assertThat(Tensor.scalar(3f).rank()).isZero();
        assertThat(Tensor.scalar(3f).item()).isEqualTo(3.0);
        assertThat(Tensor.of(new int[] {1, 2, 3, 4, 5, 6}, 2, 3).get(1, -1)).isEqualTo(6.0);
        assertThatThrownBy(() -> Tensor.of(new float[] {1, 2, 3}, 2, 2)).hasMessageContaining("3 values").hasMessageContaining("(2, 2)");
        assertThatThrownBy(() -> Tensor.of(new float[][] {{1, 2}, {3}})).hasMessageContaining("ragged");
        assertThatThrownBy(() -> Tensor.zeros(2, 2).get(2, 0)).hasMessageContaining("index 2").hasMessageContaining("(2, 2)");
        assertThatThrownBy(() -> Tensor.zeros(2).item()).hasMessageContaining("not one");
    }

    @Test
    @Tag("slow")
    void randomIsSeededAndHasTheRightMoments() {
        Tensor a = Tensor.randomNormal(new Rng(7), 1f, 2f, 200_000);
        Tensor b = Tensor.randomNormal(new Rng(7), 1f, 2f, 200_000);
        assertThat(a.toFloatArray()).isEqualTo(b.toFloatArray());
        double[] v = a.toDoubleArray();
        double mean = Arrays.stream(v).average().orElseThrow();
        double var = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).average().orElseThrow();
        assertThat(mean).isBetween(0.98, 1.02);
        assertThat(Math.sqrt(var)).isBetween(1.98, 2.02);
        float[] u = Tensor.randomUniform(new Rng(1), -1f, 3f, 10_000).toFloatArray();
        for (float x : u) {
            assertThat(x).isBetween(-1f, 3f);
        }
        float[] t = Tensor.truncatedNormal(new Rng(2), 0f, 1f, 10_000).toFloatArray();
        for (float x : t) {
            assertThat(Math.abs(x)).isLessThanOrEqualTo(2f);
        }
    }

    @Test
    void viewsShareStorage() {
        Tensor x = Tensor.arange(0, 24, 1, DType.F32).reshape(2, 3, 4);
        Tensor t = x.transpose(0, 2);
        assertThat(t.shape()).isEqualTo(Shape.of(4, 3, 2));
        assertThat(t.array()).isSameAs(x.array());
        assertThat(t.get(3, 2, 1)).isEqualTo(x.get(1, 2, 3));
        Tensor s = x.slice(2, 1, 4, 2);
        assertThat(s.shape()).isEqualTo(Shape.of(2, 3, 2));
        assertThat(s.array()).isSameAs(x.array());
        assertThat(s.toFloatArray()).containsExactly(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23);
        assertThat(x.slice(1, -1, 3).toFloatArray()).containsExactly(8, 9, 10, 11, 20, 21, 22, 23);
        assertThat(x.slice(0, 5, 1).size()).isZero();
        Tensor b = Tensor.of(new float[] {1, 2, 3}).broadcastTo(2, 3);
        assertThat(b.stride(0)).isZero();
        assertThat(b.toFloatArray()).containsExactly(1, 2, 3, 1, 2, 3);
        assertThat(x.reshape(6, -1).shape()).isEqualTo(Shape.of(6, 4));
        assertThat(x.reshape(6, -1).array()).isSameAs(x.array());
        assertThat(x.unsqueeze(1).shape()).isEqualTo(Shape.of(2, 1, 3, 4));
        assertThat(x.unsqueeze(-1).shape()).isEqualTo(Shape.of(2, 3, 4, 1));
        assertThat(x.unsqueeze(0).squeeze().shape()).isEqualTo(Shape.of(2, 3, 4));
        assertThat(x.contiguous()).isSameAs(x);
        Tensor tc = t.contiguous();
        assertThat(tc.isContiguous()).isTrue();
        assertThat(tc.toFloatArray()).isEqualTo(t.toFloatArray());
        assertThat(x.flip(2).toFloatArray()[0]).isEqualTo(3f);
        assertThat(Tensor.of(new float[] {1, 2, 3}).slice(0, 2, Integer.MIN_VALUE, -1).toFloatArray()).containsExactly(3, 2, 1);
    }

    @Test
    void reshapeOfANonContiguousViewCopies() {
        Tensor x = Tensor.arange(0, 6, 1, DType.F32).reshape(2, 3).transpose();
        Tensor r = x.reshape(6);
        assertThat(r.toFloatArray()).containsExactly(0, 3, 1, 4, 2, 5);
        assertThatThrownBy(() -> x.reshape(4, -1)).hasMessageContaining("cannot reshape").hasMessageContaining("(3, 2)");
        assertThatThrownBy(() -> x.reshape(-1, -1)).hasMessageContaining("only one");
        assertThatThrownBy(() -> x.permute(0, 0)).hasMessageContaining("twice");
        assertThatThrownBy(() -> x.squeeze(0)).hasMessageContaining("size 3");
        assertThatThrownBy(() -> x.broadcastTo(4, 2)).hasMessageContaining("(3, 2)").hasMessageContaining("(4, 2)");
        assertThatThrownBy(() -> x.slice(0, 0, 2, 0)).hasMessageContaining("step");
    }

    @Test
    void wrapChecksBounds() {
        assertThatThrownBy(() -> Tensor.wrap(DType.F32, Shape.of(2, 3), new int[] {3, 1}, 2, new float[6]))
                .hasMessageContaining("outside");
        assertThatThrownBy(() -> Tensor.wrap(DType.F32, Shape.of(4), new float[3])).hasMessageContaining("(4,)");
    }

    @Test
    void printsLikeNumpy() {
        assertThat(Tensor.of(new float[][] {{1, 2.5f}, {-3, 4}}).toString())
                .isEqualTo("Tensor(float32, shape=(2, 2))\n[[ 1., 2.5],\n [-3.,  4.]]");
        assertThat(Tensor.of(new int[] {1, 20}).toString()).isEqualTo("Tensor(int32, shape=(2,))\n[ 1, 20]");
        assertThat(Tensor.scalar(2.0).toString()).isEqualTo("Tensor(float64, shape=())\n2.");
        String big = Tensor.arange(0, 3000, 1, DType.I32).toString();
        assertThat(big).contains("[   0,    1,    2, ..., 2997, 2998, 2999]");
        assertThat(Tensor.of(new float[] {Float.NaN, Float.POSITIVE_INFINITY}).toString()).contains("nan").contains("inf");
    }

    @Test
    void allCloseDescribesTheFirstMismatch() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensor.of(new float[] {1, 2, 3.1f, 4}, 2, 2);
        assertThat(Tensor.allClose(a, a, 0, 0)).isTrue();
        assertThat(Tensor.allClose(a, b, 0.05, 0)).isTrue();
        assertThat(Tensor.allClose(a, b, 1e-3, 1e-3)).isFalse();
        assertThat(Tensor.describeMismatch(a, b, 1e-3, 1e-3)).contains("1 of 4").contains("[1, 0]").contains("3.0");
        assertThat(Tensor.describeMismatch(a, a.reshape(4), 0, 0)).contains("shapes differ");
        Tensor nan = Tensor.of(new float[] {Float.NaN});
        assertThat(Tensor.allClose(nan, nan, 1, 1)).isFalse();
    }

    @Test
    void variablesUpdateAndCopyOnWrite() {
        Variable v = new Variable("w", Tensor.of(new float[] {1, 2}), true);
        Object storage = v.peek().array();
        v.assignAdd(Tensor.of(new float[] {1, 1}));
        assertThat(v.peek().array()).as("updated in place").isSameAs(storage);
        assertThat(v.peek().toFloatArray()).containsExactly(2, 3);
        v.assignSub(Tensor.scalar(0.5f));
        assertThat(v.peek().toFloatArray()).containsExactly(1.5f, 2.5f);
        Tensor before = v.peek();
        Variable.F32Update u = v.updateF32();
        assertThat(u.inPlace()).as("no recorder read the value").isTrue();
        u.target()[0] = 9;
        assertThat(v.peek().toFloatArray()).containsExactly(9, 2.5f);
        assertThatThrownBy(() -> v.assign(Tensor.zeros(3))).hasMessageContaining("w").hasMessageContaining("(3,)");
        assertThatThrownBy(() -> v.assignAdd(Tensor.zeros(DType.F64, 2))).hasMessageContaining("F64");
        assertThat(before.toFloatArray()[1]).isEqualTo(2.5f);
    }
}
