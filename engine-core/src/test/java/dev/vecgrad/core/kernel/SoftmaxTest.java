package dev.vecgrad.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Engine.KernelChoice;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.Primitive;
import dev.vecgrad.core.ops.Primitives;
import dev.vecgrad.core.ops.OpRecorder;
import dev.vecgrad.core.ops.Recording;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The softmax primitive: one pass of the row kernel per row, with both kernel sets, agreeing with a
 * softmax computed here in f64; the same bits with a recorder active or not, and along any axis or
 * from any layout as from the contiguous last-axis rows.
 */
class SoftmaxTest {
    private EngineSwitch saved;

    @BeforeEach
    void save() {
        saved = EngineSwitch.save();
    }

    @AfterEach
    void restore() {
        saved.close();
    }

    /** A recorder that only lists the ops it saw. */
    private static final class OpList implements OpRecorder {
        final List<Primitive<?>> ops = new ArrayList<>();

        @Override
        public <A> void recordOp(Primitive<A> op, A attrs, Tensor[] inputs, Tensor output) {
            ops.add(op);
        }
    }

    private static Tensor recorded(Tensor x, int axis, OpList recorder) {
        Recording.push(recorder);
        try {
            return x.softmax(axis);
        } finally {
            Recording.pop(recorder);
        }
    }

    /** Softmax over the last axis of a [rows, cols] matrix, in double, by hand. */
    private static double[] expected(Tensor x) {
        int rows = x.shape().dim(0);
        int cols = x.shape().dim(1);
        double[] v = x.toDoubleArray();
        double[] out = new double[v.length];
        for (int r = 0; r < rows; r++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                m = Math.max(m, v[r * cols + j]);
            }
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += Math.exp(v[r * cols + j] - m);
            }
            for (int j = 0; j < cols; j++) {
                out[r * cols + j] = Math.exp(v[r * cols + j] - m) / s;
            }
        }
        return out;
    }

    private static void assertClose(String what, Tensor got, double[] want, double rtol) {
        double[] g = got.toDoubleArray();
        assertThat(g.length).isEqualTo(want.length);
        for (int i = 0; i < g.length; i++) {
            if (!(Math.abs(g[i] - want[i]) <= rtol * want[i] + 1e-30)) {
                assertThat(g[i]).as("%s at %d", what, i).isCloseTo(want[i],
                        org.assertj.core.data.Offset.offset(rtol * want[i] + 1e-30));
            }
        }
    }

    @Test
    void agreesWithF64AndGivesTheSameBitsWhenRecorded() {
        for (KernelChoice choice : new KernelChoice[] {KernelChoice.VECTOR, KernelChoice.SCALAR}) {
            for (DType dtype : new DType[] {DType.F32, DType.F64}) {
                for (int[] shape : new int[][] {{67, 1000}, {3, 1}, {5, 17}, {300, 1024}}) {
                    Tensor x = Tensor.randomNormal(new Rng(shape[1]), 0, 5, shape).cast(dtype);
                    double rtol = dtype == DType.F32 ? 1e-5 : 1e-12;
                    OpList rec = new OpList();
                    Tensor plain = saved.with(choice, 2, () -> x.softmax(-1));
                    Tensor underRecorder = saved.with(choice, 2, () -> recorded(x, 1, rec));
                    assertThat(rec.ops).as("one primitive").containsExactly(Primitives.SOFTMAX);
                    String what = choice + " " + dtype + " " + java.util.Arrays.toString(shape);
                    assertClose(what, plain, expected(x), rtol);
                    assertThat(underRecorder.toDoubleArray()).as("recorded " + what).isEqualTo(plain.toDoubleArray());
                }
            }
        }
    }

    @Test
    void everyAxisAndLayoutGivesTheBitsOfTheContiguousRows() {
        Tensor x = Tensor.randomNormal(new Rng(3), 0, 2, 40, 33);
        Tensor rowsOfXt = x.transpose().contiguous().softmax(-1);
        assertThat(x.softmax(0).transpose().toFloatArray()).as("axis 0").isEqualTo(rowsOfXt.toFloatArray());
        assertThat(x.transpose().softmax(1).toFloatArray()).as("transposed input")
                .isEqualTo(rowsOfXt.toFloatArray());
        assertThat(x.slice(0, 5, 40).softmax(-1).toFloatArray()).as("offset slice")
                .isEqualTo(x.slice(0, 5, 40).contiguous().softmax(-1).toFloatArray());
        assertClose("axis 0 against f64", x.softmax(0).transpose(), expected(x.transpose().contiguous()), 1e-5);
        Tensor cube = Tensor.randomNormal(new Rng(4), 0, 2, 3, 4, 5);
        Tensor middle = cube.softmax(1);
        Tensor byHand = cube.permute(0, 2, 1).contiguous().softmax(-1).permute(0, 2, 1);
        assertThat(middle.toFloatArray()).as("middle axis of rank 3").isEqualTo(byHand.toFloatArray());
    }

    @Test
    void maskedAndNonFiniteRowsFollowTheShiftRule() {
        float ninf = Float.NEGATIVE_INFINITY;
        Tensor x = Tensor.of(new float[] {0, ninf, 0, ninf, ninf, ninf, 1, Float.POSITIVE_INFINITY, 2, 1, Float.NaN, 2},
                4, 3);
        for (KernelChoice choice : new KernelChoice[] {KernelChoice.VECTOR, KernelChoice.SCALAR}) {
            float[] y = saved.with(choice, 1, () -> x.softmax(1)).toFloatArray();
            assertThat(y).as("%s", choice).containsExactly(0.5f, 0f, 0.5f, Float.NaN, Float.NaN, Float.NaN, 0f,
                    Float.NaN, 0f, Float.NaN, Float.NaN, Float.NaN);
        }
    }

    @Test
    void integerInputIsRejectedWithTheOpName() {
        assertThatThrownBy(() -> Tensor.arange(6).reshape(2, 3).softmax(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("softmax").hasMessageContaining("I32");
    }

    @Test
    void emptyInputsGiveEmptyOutputs() {
        assertThat(Tensor.zeros(0, 5).softmax(1).shape().toArray()).containsExactly(0, 5);
        assertThat(Tensor.zeros(4, 0).softmax(1).shape().toArray()).containsExactly(4, 0);
    }
}
