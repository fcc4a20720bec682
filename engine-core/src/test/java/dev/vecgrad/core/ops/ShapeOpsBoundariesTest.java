package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Movement ops at their boundaries, against references written out here: Python's slice rules
 * for every start, stop and step near a small axis, bounds that just fit or just do not, zero
 * sizes and repeat counts, and reps or ranks that differ for tile.
 */
class ShapeOpsBoundariesTest {

    /** The indices Python's {@code range(*slice(start, stop, step).indices(d))} visits. */
    private static List<Integer> pythonSlice(int d, int start, int stop, int step) {
        int lower = step > 0 ? 0 : -1;
        int upper = step > 0 ? d : d - 1;
        int s = start < 0 ? Math.max(start + d, lower) : Math.min(start, upper);
        int e = stop < 0 ? Math.max(stop + d, lower) : Math.min(stop, upper);
        List<Integer> out = new ArrayList<>();
        for (int i = s; step > 0 ? i < e : i > e; i += step) {
            out.add(i);
        }
        return out;
    }

    @Test
    void slicesFollowPythonForEveryBoundNearASmallAxis() {
        int d = 5;
        double[] src = {10, 11, 12, 13, 14};
        Tensor x = Tensor.of(src);
        for (int step : new int[] {-3, -2, -1, 1, 2, 3}) {
            for (int start = -8; start <= 8; start++) {
                for (int stop = -8; stop <= 8; stop++) {
                    List<Integer> idx = pythonSlice(d, start, stop, step);
                    double[] expected = idx.stream().mapToDouble(i -> src[i]).toArray();
                    Tensor s = x.slice(0, start, stop, step);
                    assertThat(s.shape()).as("[%s:%s:%s]", start, stop, step).isEqualTo(Shape.of(expected.length));
                    assertThat(s.toDoubleArray()).as("[%s:%s:%s]", start, stop, step).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void normalisedSliceBoundsMustFitTheAxis() {
        Tensor x = Tensor.of(new double[] {0, 1, 2, 3, 4});
        // Just fitting: the last element, and a negative step ending at element 0.
        assertThat(ShapeOps.slice(x, slice(4, 5, 1)).toDoubleArray()).containsExactly(4);
        assertThat(ShapeOps.slice(x, slice(4, -1, -2)).toDoubleArray()).containsExactly(4, 2, 0);
        assertThat(ShapeOps.slice(x, slice(0, 5, 2)).toDoubleArray()).containsExactly(0, 2, 4);
        assertThat(ShapeOps.slice(x, slice(3, 3, 1)).shape()).isEqualTo(Shape.of(0));
        // Just outside: a start past the end or before 0, a last element past either end.
        for (Attrs.Slice bad : List.of(slice(5, 6, 1), slice(-1, 2, 1), slice(0, 7, 3), slice(4, -3, -3),
                slice(2, 8, 1), slice(0, 2, 0))) {
            assertThatThrownBy(() -> ShapeOps.slice(x, bad)).as("%s", bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("slice");
        }
    }

    private static Attrs.Slice slice(int start, int stop, int step) {
        return new Attrs.Slice(new int[] {start}, new int[] {stop}, new int[] {step});
    }

    @Test
    void zeroSizedPiecesAndZeroRepeatsAreAllowed() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        List<Tensor> parts = ShapeOps.split(x, new int[] {0, 2, 0, 1}, 1);
        assertThat(parts).extracting(Tensor::shape)
                .containsExactly(Shape.of(2, 0), Shape.of(2, 2), Shape.of(2, 0), Shape.of(2, 1));
        assertThat(parts.get(3).toFloatArray()).containsExactly(3, 6);
        assertThatThrownBy(() -> ShapeOps.split(x, new int[] {-1, 4}, 1)).hasMessageContaining("negative size");
        assertThatThrownBy(() -> ShapeOps.split(x, 0, 1)).hasMessageContaining("0 equal pieces");
        assertThat(ShapeOps.split(x, 1, 1).get(0).toFloatArray()).isEqualTo(x.toFloatArray());
        assertThat(ShapeOps.tile(x, 0, 2).shape()).isEqualTo(Shape.of(0, 6));
        assertThat(ShapeOps.repeat(x, 0, 1).shape()).isEqualTo(Shape.of(2, 0));
        assertThatThrownBy(() -> ShapeOps.tile(x, -1, 1)).hasMessageContaining("negative repeat");
        assertThatThrownBy(() -> ShapeOps.repeat(x, -1, 1)).hasMessageContaining("negative repeat");
    }

    @Test
    void tileWithFewerRepsThanAxesOrMore() {
        Tensor m = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        // NumPy: reps shorter than the rank are padded with 1s in front: tile(m, 2) = tile(m, (1, 2)).
        Tensor t = ShapeOps.tile(m, 2);
        assertThat(t.shape()).isEqualTo(Shape.of(2, 6));
        assertThat(t.toFloatArray()).containsExactly(1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6);
        // A rank below the reps gains leading axes: tile([1, 2], (3, 2)) has shape (3, 4).
        Tensor v = ShapeOps.tile(Tensor.of(new float[] {1, 2}), 3, 2);
        assertThat(v.shape()).isEqualTo(Shape.of(3, 4));
        assertThat(v.toFloatArray()).containsExactly(1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2);
        Tensor r = ShapeOps.repeat(m, 2, 0);
        assertThat(r.toFloatArray()).containsExactly(1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6);
    }

    @Test
    void reshapeInfersALeadingDimension() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6});
        assertThat(ShapeOps.reshape(x, -1, 3).shape()).isEqualTo(Shape.of(2, 3));
        assertThat(ShapeOps.reshape(x, 3, -1).shape()).isEqualTo(Shape.of(3, 2));
        assertThatThrownBy(() -> ShapeOps.reshape(x, -1, 4)).hasMessageContaining("cannot reshape");
        assertThatThrownBy(() -> ShapeOps.reshape(Tensor.zeros(DType.F32, 0), -1, 0)).hasMessageContaining("cannot reshape");
    }

    @Test
    void stridedDoubleAndIntCopiesTakeEveryStep() {
        double[] src = new double[24];
        int[] ints = new int[24];
        for (int i = 0; i < 24; i++) {
            src[i] = i;
            ints[i] = i;
        }
        Tensor every3rd = Tensor.of(src, 4, 6).slice(1, 0, 6, 3);       // inner stride 3
        assertThat(every3rd.contiguousCopy().toDoubleArray()).containsExactly(0, 3, 6, 9, 12, 15, 18, 21);
        Tensor transposed = Tensor.of(src, 4, 6).transpose();            // inner stride 6
        double[] expected = new double[24];
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 4; j++) {
                expected[i * 4 + j] = src[j * 6 + i];
            }
        }
        assertThat(transposed.contiguousCopy().toDoubleArray()).isEqualTo(expected);
        assertThat(Tensor.of(ints, 4, 6).slice(1, 1, 6, 2).contiguousCopy().toIntArray())
                .containsExactly(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23);
    }

    @Test
    void copiesIntoAStridedDestinationWriteEveryStep() {
        Attrs.Unslice everyOther = new Attrs.Unslice(Shape.of(2, 7),
                new Attrs.Slice(new int[] {0, 1}, new int[] {2, 7}, new int[] {1, 2}));
        for (DType dtype : new DType[] {DType.F32, DType.F64, DType.I32}) {
            Tensor g = Tensor.of(new int[] {1, 2, 3, 4, 5, 6}, 2, 3).cast(dtype);
            assertThat(ShapeOps.unslice(g, everyOther).toDoubleArray()).as("%s", dtype)
                    .containsExactly(0, 1, 0, 2, 0, 3, 0, 0, 4, 0, 5, 0, 6, 0);
            // A strided source into a strided destination: the transpose of a (3, 2) block.
            Tensor t = Tensor.of(new int[] {1, 4, 2, 5, 3, 6}, 3, 2).cast(dtype).transpose();
            assertThat(ShapeOps.unslice(t, everyOther).toDoubleArray()).as("%s transposed", dtype)
                    .containsExactly(0, 1, 0, 2, 0, 3, 0, 0, 4, 0, 5, 0, 6, 0);
        }
    }

    @Test
    void aReductionOverAnAxisTheTensorDoesNotHaveIsRefusedByTheDispatcher() {
        Tensor x = Tensor.zeros(DType.F32, 2, 3);
        assertThatThrownBy(() -> Dispatcher.call(Primitives.SUM, new Attrs.Reduce(new int[] {2}, false), x))
                .hasMessageContaining("not distinct axes");
        assertThatThrownBy(() -> Dispatcher.call(Primitives.SUM, new Attrs.Reduce(new int[] {-1}, false), x))
                .hasMessageContaining("not distinct axes");
        assertThat(Dispatcher.call(Primitives.SUM, new Attrs.Reduce(new int[] {1}, false), x).shape())
                .isEqualTo(Shape.of(2));
    }
}
