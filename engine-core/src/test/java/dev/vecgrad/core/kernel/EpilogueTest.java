package dev.vecgrad.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.Engine;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
import dev.vecgrad.core.kernel.conv.Conv2dGeometry;
import dev.vecgrad.core.kernel.conv.Conv2dKernels;
import dev.vecgrad.core.kernel.gemm.Gemm;
import dev.vecgrad.core.ops.Attrs;
import dev.vecgrad.core.ops.ConvOps;
import dev.vecgrad.core.ops.Padding;
import dev.vecgrad.core.ops.Primitives;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An epilogue gives the same bits as its ops run one after another over the whole output: applied
 * by the GEMM to each finished block of C (tiny, one-block, several column blocks, split over
 * threads), by the convolution to each block of output rows, and on its own.
 */
class EpilogueTest {
    private static final Rng RNG = new Rng(17);

    private static float[] random(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (RNG.nextDouble() * 2 - 1);
        }
        return a;
    }

    /**
     * bias row, sigmoid, times a full operand (a mask), then relu's gradient against a second full
     * operand. F32 sigmoid is the kernels' own arithmetic, the same bits whether C2 has compiled the
     * loop or not, so the fused and the separate runs compare bit for bit at any point of warm-up.
     */
    private static List<Epilogue.Stage> stages(float[] bias, float[] mask, float[] activation, int n) {
        return List.of(
                new Epilogue.Combine(Primitives.ADD, null, Epilogue.Operand.row(bias, 1)),
                new Epilogue.Map(Primitives.SIGMOID, null),
                new Epilogue.Combine(Primitives.MUL, Epilogue.Operand.full(mask, 0, n), null),
                new Epilogue.Combine(Primitives.RELU_GRAD, null, Epilogue.Operand.full(activation, 0, n)));
    }

    /** The stages one op at a time over the whole {@code m x n} output, on the scalar-free kernel path. */
    private static void separately(Kernels k, float[] c, float[] bias, float[] mask, float[] activation, int m, int n) {
        for (int i = 0; i < m; i++) {
            k.binary(Primitives.ADD, c, i * n, 1, bias, 1, 1, c, i * n, n);
        }
        k.unary(Primitives.SIGMOID, c, 0, 1, c, 0, m * n);
        k.binary(Primitives.MUL, mask, 0, 1, c, 0, 1, c, 0, m * n);
        k.binary(Primitives.RELU_GRAD, c, 0, 1, activation, 0, 1, c, 0, m * n);
    }

    @Test
    void aGemmWithAnEpilogueGivesTheBitsOfTheProductThenEachOp() {
        Backend backend = Engine.get().backend();
        // tiny (plain loop), one block, column blocks wider than a C block, and a product split over threads.
        int[][] sizes = {{3, 5, 8}, {37, 45, 29}, {20, 2100, 70}, {260, 300, 200}};
        for (int[] s : sizes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            float[] a = random(m * k);
            float[] b = random(k * n);
            float[] bias = random(n + 1);
            float[] mask = random(m * n);
            float[] act = random(m * n);
            float[] fused = new float[m * n];
            Gemm.sgemm(backend, false, true, m, n, k, a, 0, k, transpose(b, k, n), 0, k, fused, 0, n, false,
                    new Epilogue(backend.kernels(), stages(bias, mask, act, n)));
            float[] plain = new float[m * n];
            Gemm.sgemm(backend, false, true, m, n, k, a, 0, k, transpose(b, k, n), 0, k, plain, 0, n, false);
            separately(backend.kernels(), plain, bias, mask, act, m, n);
            assertThat(fused).as("%d x %d x %d", m, n, k).isEqualTo(plain);
        }
    }

    @Test
    void anF64GemmTakesTheSameEpilogue() {
        Backend backend = Engine.get().backend();
        int m = 33;
        int n = 70;
        int k = 19;
        double[] a = new double[m * k];
        double[] b = new double[k * n];
        double[] bias = new double[n];
        for (int i = 0; i < a.length; i++) {
            a[i] = RNG.nextDouble() - 0.5;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = RNG.nextDouble() - 0.5;
        }
        for (int i = 0; i < n; i++) {
            bias[i] = RNG.nextDouble() - 0.5;
        }
        double[] fused = new double[m * n];
        Gemm.dgemm(backend, false, false, m, n, k, a, 0, k, b, 0, n, fused, 0, n, false, new Epilogue(backend.kernels(),
                List.of(new Epilogue.Combine(Primitives.ADD, null, Epilogue.Operand.row(bias, 0)),
                        new Epilogue.Map(Primitives.RELU, null))));
        double[] plain = new double[m * n];
        Gemm.dgemm(backend, false, false, m, n, k, a, 0, k, b, 0, n, plain, 0, n, false);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                plain[i * n + j] = Math.max(plain[i * n + j] + bias[j], 0);
            }
        }
        assertThat(fused).isEqualTo(plain);
    }

    @Test
    void aConvolutionAppliesTheEpilogueAfterItsBiasAndRelu() {
        Backend backend = Engine.get().backend();
        // 4 filters (the im2col path) and 32 (the narrow two-vector tiles).
        for (int f : new int[] {4, 32}) {
            Tensor x = Tensor.randomNormal(RNG, 0, 1, 3, 9, 9, 2);
            Tensor w = Tensor.randomNormal(RNG, 0, 0.3f, 3, 3, 2, f);
            Tensor bias = Tensor.randomNormal(RNG, 0, 0.3f, f);
            Attrs.Conv2d attrs = new Attrs.Conv2d(1, 1, 1, 1, Padding.SAME);
            Tensor expected = ConvOps.conv2dRelu(x, w, bias, attrs).mul(3).sigmoid();
            float[] three = {3f};
            Epilogue e = new Epilogue(backend.kernels(), List.of(
                    new Epilogue.Combine(Primitives.MUL, null, Epilogue.Operand.scalar(three, 0)),
                    new Epilogue.Map(Primitives.SIGMOID, null)));
            Conv2dGeometry g = new Conv2dGeometry(3, 9, 9, 2, 3, 3, 1, 1, 1, 1, 1, 1, 9, 9);
            float[] y = new float[3 * 9 * 9 * f];
            Conv2dKernels.forward(backend, g, f, TensorInternals.f32(x), x.offset(), TensorInternals.f32(w), w.offset(), TensorInternals.f32(bias),
                    bias.offset(), true, e, y);
            assertThat(y).as("%d filters", f).isEqualTo(expected.toFloatArray());
        }
    }

    @Test
    void aChainOverRowsLongerThanAChunkAndOperandsThatRepeat() {
        Kernels k = Engine.get().backend().kernels();
        int m = 3;
        int n = Epilogue.CHUNK_ELEMENTS + 37;
        float[] x = random(m * n);
        float[] row = random(n);
        float[] out = new float[m * n];
        Epilogue e = new Epilogue(k, List.of(
                new Epilogue.Combine(Primitives.SUB, Epilogue.Operand.full(x, 0, n), Epilogue.Operand.repeatedRow(row, 0, n)),
                new Epilogue.Map(Primitives.EXP, null)));
        e.apply(out, 0, n, 0, 0, m, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j += 997) {
                assertThat(out[i * n + j]).isCloseTo((float) Math.exp(x[i * n + j] - row[j]),
                        org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
        float[] plain = new float[m * n];
        for (int i = 0; i < m; i++) {
            k.binary(Primitives.SUB, x, i * n, 1, row, 0, 1, plain, i * n, n);
        }
        k.unary(Primitives.EXP, plain, 0, 1, plain, 0, m * n);
        assertThat(out).isEqualTo(plain);
        int narrow = 7;
        float[] small = random(narrow);
        float[] y = new float[40 * narrow];
        new Epilogue(k, List.of(new Epilogue.Combine(Primitives.ADD, null, Epilogue.Operand.repeatedRow(small, 0, narrow))))
                .apply(y, 0, narrow, 0, 0, 40, narrow);
        for (int i = 0; i < 40; i++) {
            assertThat(java.util.Arrays.copyOfRange(y, i * narrow, i * narrow + narrow)).isEqualTo(small);
        }
    }

    @Test
    void badEpiloguesAreRefused() {
        Kernels k = Engine.get().backend().kernels();
        assertThatThrownBy(() -> new Epilogue(k, List.of())).hasMessageContaining("at least one stage");
        assertThatThrownBy(() -> Epilogue.Operand.full(new int[3], 0, 3)).hasMessageContaining("float[] or double[]");
        assertThatThrownBy(() -> new Epilogue.Operand(new float[3], -1, 0, 1, 1)).hasMessageContaining("offset -1");
    }

    private static float[] transpose(float[] b, int rows, int cols) {
        float[] t = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = b[i * cols + j];
            }
        }
        return t;
    }
}
