package dev.vecgrad.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Engine.KernelChoice;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.Primitive;
import dev.vecgrad.core.ops.Primitives;
import dev.vecgrad.core.ops.OpCall;
import dev.vecgrad.core.ops.OpRecorder;
import dev.vecgrad.core.ops.Recording;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code NNOps.softmax}: the fused row kernel (no recorder, last axis, contiguous input) and the
 * composite of primitives (under a recorder, or any other axis or layout) compute the same thing,
 * with both kernel sets, and agree with a softmax computed here in f64.
 */
class FusedSoftmaxTest {
    private EngineSwitch saved;

    @BeforeEach
    void save() {
        saved = EngineSwitch.save();
    }

    @AfterEach
    void restore() {
        saved.close();
    }

    /** A recorder that only lists the ops it saw; while pushed, softmax must take the composite path. */
    private static final class OpList implements OpRecorder {
        final List<Primitive<?>> ops = new ArrayList<>();

        @Override
        public void recordOp(OpCall<?> call) {
            ops.add(call.op());
        }
    }

    private static Tensor composite(Tensor x, int axis, OpList recorder) {
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
            assertThat(g[i]).as("%s at %d", what, i).isCloseTo(want[i],
                    org.assertj.core.data.Offset.offset(rtol * want[i] + 1e-30));
        }
    }

    @Test
    void fusedAndCompositeAgreeWithEachOtherAndWithF64() {
        for (KernelChoice choice : new KernelChoice[] {KernelChoice.VECTOR, KernelChoice.SCALAR}) {
            for (DType dtype : new DType[] {DType.F32, DType.F64}) {
                for (int[] shape : new int[][] {{67, 1000}, {3, 1}, {5, 17}, {300, 1024}}) {
                    Tensor x = Tensor.randomNormal(new Rng(shape[1]), 0, 5, shape).cast(dtype);
                    double rtol = dtype == DType.F32 ? 1e-5 : 1e-12;
                    OpList rec = new OpList();
                    Tensor fused = saved.with(choice, 2, () -> x.softmax(-1));
                    Tensor comp = saved.with(choice, 2, () -> composite(x, 1, rec));
                    assertThat(rec.ops).as("the composite records primitives").contains(Primitives.EXP, Primitives.SUM, Primitives.DIV);
                    String what = choice + " " + dtype + " " + java.util.Arrays.toString(shape);
                    assertClose("fused " + what, fused, expected(x), rtol);
                    assertClose("composite " + what, comp, expected(x), rtol);
                    assertClose("fused vs composite " + what, fused, comp.toDoubleArray(), rtol);
                }
            }
        }
    }

    @Test
    void fusedPathRecordsNothingAndOtherLayoutsStillWork() {
        Tensor x = Tensor.randomNormal(new Rng(3), 0, 2, 40, 33);
        // Non-last axis and non-contiguous inputs take the composite even without a recorder.
        Tensor byColumns = x.softmax(0);
        assertClose("axis 0", byColumns.transpose(), expected(x.transpose().contiguous()), 1e-5);
        Tensor transposed = x.transpose().softmax(1);
        assertClose("transposed input", transposed, expected(x.transpose().contiguous()), 1e-5);
        Tensor offsetRows = x.slice(0, 5, 40).softmax(-1);
        assertClose("offset slice", offsetRows, expected(x.slice(0, 5, 40).contiguous()), 1e-5);
    }

    @Test
    void maskedAndNonFiniteRowsMatchTheComposite() {
        float ninf = Float.NEGATIVE_INFINITY;
        Tensor x = Tensor.of(new float[] {0, ninf, 0, ninf, ninf, ninf, 1, Float.POSITIVE_INFINITY, 2, 1, Float.NaN, 2},
                4, 3);
        for (KernelChoice choice : new KernelChoice[] {KernelChoice.VECTOR, KernelChoice.SCALAR}) {
            float[] fused = saved.with(choice, 1, () -> x.softmax(1)).toFloatArray();
            float[] comp = saved.with(choice, 1, () -> composite(x, 1, new OpList())).toFloatArray();
            assertThat(fused).as("%s", choice).containsExactly(comp);
            assertThat(fused).containsExactly(0.5f, 0f, 0.5f, Float.NaN, Float.NaN, Float.NaN, 0f, Float.NaN, 0f,
                    Float.NaN, Float.NaN, Float.NaN);
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
