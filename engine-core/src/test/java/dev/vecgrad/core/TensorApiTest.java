package dev.vecgrad.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;

/** The conveniences on {@link Tensor} a NumPy user reaches for, against values computed by plain loops. */
class TensorApiTest {

    @Test
    void emptyDimsMakeAScalarAndNoDimsAVector() {
        Tensor s = Tensor.of(new float[] {7}, new int[0]);
        assertThat(s.shape()).isEqualTo(Shape.SCALAR);
        assertThat(s.item()).isEqualTo(7);
        assertThat(Tensor.of(new double[] {2.5}, new int[0]).shape()).isEqualTo(Shape.SCALAR);
        assertThat(Tensor.of(new int[] {3}, Shape.SCALAR.toArray()).shape()).isEqualTo(Shape.SCALAR);
        assertThat(Tensor.of(new float[] {1, 2, 3}).shape()).isEqualTo(Shape.of(3));
        assertThat(Tensor.of(new double[] {1}).shape()).isEqualTo(Shape.of(1));
        assertThat(Tensor.of(new int[0]).shape()).isEqualTo(Shape.of(0));
        assertThatThrownBy(() -> Tensor.of(new float[] {1, 2}, new int[0]))
                .hasMessageContaining("2 values cannot have shape ()");
    }

    @Test
    void everyComparisonHasAConstantOverloadAgreeingWithTheTensorForm() {
        Tensor x = Tensor.of(new double[] {-1, 2, 2.5, 3, Double.NaN});
        double c = 2.5;
        Tensor ct = Tensor.scalar(c);
        check(x.eq(c), x.eq(ct), x, (a, b) -> a == b ? 1 : 0, c);
        check(x.ne(c), x.ne(ct), x, (a, b) -> a != b ? 1 : 0, c);
        check(x.lt(c), x.lt(ct), x, (a, b) -> a < b ? 1 : 0, c);
        check(x.le(c), x.le(ct), x, (a, b) -> a <= b ? 1 : 0, c);
        check(x.gt(c), x.gt(ct), x, (a, b) -> a > b ? 1 : 0, c);
        check(x.ge(c), x.ge(ct), x, (a, b) -> a >= b ? 1 : 0, c);
        assertThat(Tensor.of(new int[] {1, 2, 3}).ge(2).toIntArray()).containsExactly(0, 1, 1);
        assertThat(Tensor.of(new float[] {1, 2, 3}).eq(2).dtype()).isEqualTo(DType.F32);
    }

    private static void check(Tensor viaConstant, Tensor viaTensor, Tensor x, DoubleBinaryOperator op, double c) {
        double[] xs = x.toDoubleArray();
        double[] expected = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            expected[i] = op.applyAsDouble(xs[i], c);
        }
        assertThat(viaConstant.toDoubleArray()).isEqualTo(expected);
        assertThat(viaTensor.toDoubleArray()).isEqualTo(expected);
    }

    @Test
    void singleAxisReductionsMatchTheAxesForm() {
        Tensor m = random(3, 3, 4, 5);
        for (int axis = -3; axis < 3; axis++) {
            int[] axes = {axis};
            for (boolean keep : new boolean[] {false, true}) {
                same(m.sum(axis, keep), m.sum(axes, keep));
                same(m.mean(axis, keep), m.mean(axes, keep));
                same(m.max(axis, keep), m.max(axes, keep));
                same(m.min(axis, keep), m.min(axes, keep));
                same(m.prod(axis, keep), m.prod(axes, keep));
                same(m.variance(axis, keep), m.variance(axes, keep));
                same(m.std(axis, keep), m.std(axes, keep));
                same(m.logSumExp(axis, keep), m.logSumExp(axes, keep));
            }
            same(m.sum(axis), m.sum(axes, false));
            same(m.mean(axis), m.mean(axes, false));
            same(m.max(axis), m.max(axes, false));
            same(m.min(axis), m.min(axes, false));
            same(m.prod(axis), m.prod(axes, false));
            same(m.variance(axis), m.variance(axes, false));
            same(m.std(axis), m.std(axes, false));
        }
        Tensor r = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertThat(r.sum(1).toFloatArray()).containsExactly(6, 15);
        assertThat(r.sum(-1, true).shape()).isEqualTo(Shape.of(2, 1));
        assertThat(r.max(0).toFloatArray()).containsExactly(4, 5, 6);
        assertThatThrownBy(() -> r.sum(2)).hasMessageContaining("axis");
    }

    private static Tensor random(long seed, int... dims) {
        Random rng = new Random(seed);
        double[] v = new double[Shape.of(dims).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextDouble() * 2 - 1;
        }
        return Tensor.of(v, dims);
    }

    private static void same(Tensor a, Tensor b) {
        assertThat(a.shape()).isEqualTo(b.shape());
        assertThat(a.toDoubleArray()).isEqualTo(b.toDoubleArray());
    }

    @Test
    void varianceWithACorrectionAndStdAgainstTwoPassLoops() {
        double[] v = {2, 4, 4, 4, 5, 5, 7, 9};
        Tensor x = Tensor.of(v);
        // mean 5, squared deviations sum to 32
        assertThat(x.variance().item()).isCloseTo(4.0, within(1e-12));
        assertThat(x.std().item()).isCloseTo(2.0, within(1e-12));
        assertThat(x.variance(null, false, 1).item()).isCloseTo(32.0 / 7, within(1e-12));
        assertThat(x.std(null, false, 1).item()).isCloseTo(Math.sqrt(32.0 / 7), within(1e-12));
        assertThat(x.variance(null, false, 2.5).item()).isCloseTo(32.0 / 5.5, within(1e-12));
        assertThat(x.variance(null, false, 8).item()).isInfinite();
        assertThat(Tensor.of(new double[] {3, 3}).variance(null, false, 2).item()).isNaN();

        Tensor m = random(5, 4, 6);
        double[] a = m.toDoubleArray();
        double[] rowVar = new double[4];
        for (int i = 0; i < 4; i++) {
            double mean = 0;
            for (int j = 0; j < 6; j++) {
                mean += a[i * 6 + j] / 6;
            }
            for (int j = 0; j < 6; j++) {
                rowVar[i] += (a[i * 6 + j] - mean) * (a[i * 6 + j] - mean) / 5;
            }
        }
        Tensor got = m.variance(new int[] {1}, true, 1);
        assertThat(got.shape()).isEqualTo(Shape.of(4, 1));
        Tensor sd = m.std(new int[] {-1}, false, 1);
        for (int i = 0; i < 4; i++) {
            assertThat(got.get(i, 0)).isCloseTo(rowVar[i], within(1e-12));
            assertThat(sd.get(i)).isCloseTo(Math.sqrt(rowVar[i]), within(1e-12));
        }
        assertThat(m.variance(new int[] {1}, false, 0).toDoubleArray()).isEqualTo(m.variance(1).toDoubleArray());
        assertThatThrownBy(() -> m.variance(null, false, Double.NaN)).hasMessageContaining("correction");
        assertThatThrownBy(() -> Tensor.of(new int[] {1, 2}).std()).hasMessageContaining("I32");
    }

    @Test
    void concatStackAndSplitOnTensor() {
        Tensor a = Tensor.of(new float[] {1, 2}, 1, 2);
        Tensor b = Tensor.of(new float[] {3, 4, 5, 6}, 2, 2);
        Tensor rows = Tensor.concat(List.of(a, b), 0);
        assertThat(rows.shape()).isEqualTo(Shape.of(3, 2));
        assertThat(rows.toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
        Tensor cols = Tensor.concat(List.of(b, b), -1);
        assertThat(cols.toFloatArray()).containsExactly(3, 4, 3, 4, 5, 6, 5, 6);

        Tensor u = Tensor.of(new float[] {1, 2});
        Tensor v = Tensor.of(new float[] {3, 4});
        assertThat(Tensor.stack(List.of(u, v), 0).toFloatArray()).containsExactly(1, 2, 3, 4);
        Tensor t = Tensor.stack(List.of(u, v), 1);
        assertThat(t.shape()).isEqualTo(Shape.of(2, 2));
        assertThat(t.toFloatArray()).containsExactly(1, 3, 2, 4);

        List<Tensor> thirds = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}).split(3, 0);
        assertThat(thirds).hasSize(3);
        assertThat(thirds.get(1).toFloatArray()).containsExactly(3, 4);
        List<Tensor> parts = rows.split(new int[] {1, 2}, 0);
        assertThat(parts.get(0).toFloatArray()).isEqualTo(a.toFloatArray());
        assertThat(parts.get(1).toFloatArray()).isEqualTo(b.toFloatArray());
        assertThat(Tensor.concat(parts, 0).toFloatArray()).isEqualTo(rows.toFloatArray());
        assertThatThrownBy(() -> rows.split(2, 0)).hasMessageContaining("2 equal pieces");
        assertThatThrownBy(() -> Tensor.stack(List.of(u, a), 0)).hasMessageContaining("differ");
    }
}
