package dev.vecgrad.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Engine;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.ConvReference.Conv;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * conv2d and its two backward kernels against direct f64 loops ({@link ConvReference}), in F64 and
 * F32, over hand-picked edge cases and random geometries; the backward kernels also as adjoints of
 * the forward; and results on one and two threads compared bit for bit.
 */
class ConvOpsTest {

    static Stream<Conv> cases() {
        List<Conv> cases = new ArrayList<>(List.of(
                // n, h, w, c, kh, kw, f, sh, sw, dh, dw, same
                new Conv(2, 5, 7, 3, 1, 1, 4, 1, 1, 1, 1, false),    // 1x1: the input is the patch matrix
                new Conv(2, 5, 7, 3, 1, 1, 4, 1, 1, 1, 1, true),     // 1x1 SAME pads nothing
                new Conv(2, 5, 7, 3, 1, 1, 4, 2, 2, 1, 1, false),    // 1x1 with stride
                new Conv(3, 6, 5, 2, 1, 1, 3, 2, 3, 1, 1, true),     // 1x1, stride, SAME
                new Conv(2, 4, 5, 3, 4, 5, 2, 1, 1, 1, 1, false),    // kernel = input size: 1x1 output
                new Conv(2, 4, 5, 3, 4, 5, 2, 1, 1, 1, 1, true),     // kernel = input size, SAME
                new Conv(1, 8, 7, 2, 2, 2, 3, 3, 3, 1, 1, false),    // stride > kernel: some inputs unused
                new Conv(1, 8, 7, 2, 2, 2, 3, 3, 3, 1, 1, true),
                new Conv(2, 7, 9, 3, 4, 2, 5, 2, 3, 1, 1, true),     // odd sizes, even kernel, SAME
                new Conv(1, 9, 9, 2, 3, 3, 2, 1, 1, 2, 2, false),    // dilation
                new Conv(2, 7, 8, 3, 3, 2, 4, 1, 2, 2, 3, true),     // dilation, stride, SAME
                new Conv(1, 11, 10, 1, 3, 3, 1, 2, 1, 3, 2, true),
                new Conv(2, 6, 6, 1, 3, 3, 8, 1, 1, 1, 1, false),    // one input channel
                new Conv(1, 5, 5, 21, 3, 3, 17, 1, 1, 1, 1, true),   // wide rows copied in one piece
                new Conv(1, 1, 1, 4, 1, 1, 3, 1, 1, 1, 1, false),    // a single pixel
                new Conv(1, 1, 1, 4, 3, 3, 3, 2, 2, 1, 1, true),     // a single pixel, SAME, window mostly padding
                new Conv(0, 5, 5, 2, 3, 3, 4, 1, 1, 1, 1, true),     // empty batch
                new Conv(4, 20, 20, 8, 3, 3, 16, 1, 1, 1, 1, true),  // big: several blocks, threads, partial sums
                new Conv(3, 28, 28, 1, 3, 3, 32, 1, 1, 1, 1, false), // the benchmark's first layer
                new Conv(2, 17, 13, 9, 5, 3, 12, 2, 1, 1, 2, true),
                // Filter counts of a vector panel and more: the unpacked narrow-B GEMM, with tails.
                new Conv(2, 12, 12, 32, 3, 3, 64, 1, 1, 1, 1, false),  // the benchmark's second layer, K > one K block
                new Conv(2, 9, 7, 5, 3, 3, 70, 1, 1, 1, 1, true),
                new Conv(1, 10, 10, 8, 3, 3, 64, 2, 2, 1, 1, false),
                new Conv(1, 6, 7, 3, 1, 1, 130, 1, 1, 1, 1, false),    // 1x1, two panels and a tail
                new Conv(1, 9, 8, 3, 3, 2, 64, 1, 2, 2, 3, true),     // dilated: one input run per tap
                new Conv(2, 8, 8, 4, 2, 3, 65, 2, 1, 2, 1, false),
                new Conv(3, 7, 6, 16, 3, 3, 128, 1, 1, 1, 1, true),    // SAME: border tiles through a patch copy
                new Conv(2, 7, 9, 5, 3, 3, 64, 1, 2, 1, 1, true),     // K = 45: a last tile of three patch columns
                new Conv(3, 11, 13, 8, 3, 3, 64, 1, 1, 1, 1, false),   // blocks of 60 rows end mid output row
                new Conv(1, 5, 5, 2, 2, 2, 257, 1, 1, 1, 1, true),     // wider than the unpacked GEMM takes
                // Two-vector panels of filters (Conv2dNarrow: 32 filters at 512 bits, 16 at 256 bits).
                new Conv(1, 9, 7, 3, 3, 3, 32, 1, 1, 1, 1, true),      // SAME: border tiles, 63 rows (a short last tile)
                new Conv(1, 10, 11, 2, 3, 2, 32, 2, 1, 2, 1, false),   // stride and dilation
                new Conv(2, 4, 5, 40, 3, 3, 32, 1, 1, 1, 1, true),     // K = 360
                new Conv(1, 7, 7, 1, 5, 5, 16, 1, 1, 1, 1, true),
                new Conv(3, 5, 8, 4, 2, 2, 48, 1, 1, 1, 1, false),
                // Input channels in two-vector panels: the input gradient scattered from registers.
                new Conv(2, 13, 13, 32, 3, 3, 64, 1, 1, 1, 1, false),  // the CNN recipe's second layer
                new Conv(1, 9, 8, 32, 3, 3, 8, 2, 1, 1, 2, true),      // SAME, stride, dilation: pixels in the padding
                new Conv(2, 6, 7, 64, 2, 3, 5, 1, 1, 1, 1, true),      // two panels of channels
                new Conv(1, 5, 4, 16, 3, 2, 3, 1, 2, 2, 1, false)));
        SplittableRandom r = new SplittableRandom(20260101);
        while (cases.size() < 100) {
            int h = 1 + r.nextInt(12);
            int w = 1 + r.nextInt(12);
            int kh = 1 + r.nextInt(4);
            int kw = 1 + r.nextInt(4);
            int dh = 1 + r.nextInt(2);
            int dw = 1 + r.nextInt(2);
            boolean fits = (kh - 1) * dh + 1 <= h && (kw - 1) * dw + 1 <= w;
            cases.add(new Conv(1 + r.nextInt(3), h, w, 1 + r.nextInt(6), kh, kw, 1 + r.nextInt(6), 1 + r.nextInt(3),
                    1 + r.nextInt(3), dh, dw, !fits || r.nextBoolean()));
        }
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void f64MatchesDirectLoops(Conv p) {
        double[] x = random(1, p.inputDims());
        double[] w = random(2, p.filterDims());
        double[] dy = random(3, p.outputDims());
        Tensor xt = Tensor.of(x, p.inputDims());
        Tensor wt = Tensor.of(w, p.filterDims());
        Tensor dyt = Tensor.of(dy, p.outputDims());

        assertClose(ConvOps.conv2d(xt, wt, p.attrs()), ConvReference.conv(p, x, w), p.outputDims(), 1e-12);
        assertClose(ConvOps.conv2dBackwardInput(dyt, wt, new Attrs.Conv2dBackwardInput(p.attrs(), Shape.of(p.inputDims()))),
                ConvReference.convBackwardInput(p, dy, w), p.inputDims(), 1e-12);
        assertClose(ConvOps.conv2dBackwardFilter(xt, dyt, new Attrs.Conv2dBackwardFilter(p.attrs(), Shape.of(p.filterDims()))),
                ConvReference.convBackwardFilter(p, x, dy), p.filterDims(), 1e-12);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void f32MatchesDirectLoops(Conv p) {
        double[] x = roundedToFloat(random(4, p.inputDims()));
        double[] w = roundedToFloat(random(5, p.filterDims()));
        double[] dy = roundedToFloat(random(6, p.outputDims()));
        Tensor xt = Tensor.of(x, p.inputDims()).cast(DType.F32);
        Tensor wt = Tensor.of(w, p.filterDims()).cast(DType.F32);
        Tensor dyt = Tensor.of(dy, p.outputDims()).cast(DType.F32);

        Tensor y = xt.conv2d(wt, new int[] {p.sh(), p.sw()}, p.padding(), new int[] {p.dh(), p.dw()});
        assertThat(y.dtype()).isEqualTo(DType.F32);
        assertClose(y, ConvReference.conv(p, x, w), p.outputDims(), 1e-5);
        assertClose(ConvOps.conv2dBackwardInput(dyt, wt, new Attrs.Conv2dBackwardInput(p.attrs(), Shape.of(p.inputDims()))),
                ConvReference.convBackwardInput(p, dy, w), p.inputDims(), 1e-5);
        assertClose(ConvOps.conv2dBackwardFilter(xt, dyt, new Attrs.Conv2dBackwardFilter(p.attrs(), Shape.of(p.filterDims()))),
                ConvReference.convBackwardFilter(p, x, dy), p.filterDims(), 1e-5);
    }

    /** {@code <conv(x, w), dy> == <x, backwardInput(dy, w)> == <w, backwardFilter(x, dy)>}. */
    @ParameterizedTest
    @MethodSource("cases")
    void backwardKernelsAreAdjointsOfTheForward(Conv p) {
        double[] x = random(7, p.inputDims());
        double[] w = random(8, p.filterDims());
        double[] dy = random(9, p.outputDims());
        Tensor xt = Tensor.of(x, p.inputDims());
        Tensor wt = Tensor.of(w, p.filterDims());
        Tensor dyt = Tensor.of(dy, p.outputDims());

        double forward = ConvReference.dot(ConvOps.conv2d(xt, wt, p.attrs()).toDoubleArray(), dy);
        double viaInput = ConvReference.dot(x, ConvOps.conv2dBackwardInput(dyt, wt,
                new Attrs.Conv2dBackwardInput(p.attrs(), Shape.of(p.inputDims()))).toDoubleArray());
        double viaFilter = ConvReference.dot(w, ConvOps.conv2dBackwardFilter(xt, dyt,
                new Attrs.Conv2dBackwardFilter(p.attrs(), Shape.of(p.filterDims()))).toDoubleArray());
        double scale = 1 + Math.sqrt((double) x.length * w.length * dy.length) * 1e-12;
        assertThat(viaInput).isCloseTo(forward, org.assertj.core.data.Offset.offset(1e-9 * scale));
        assertThat(viaFilter).isCloseTo(forward, org.assertj.core.data.Offset.offset(1e-9 * scale));
    }

    @Test
    void readsStridedViewsAndOffsets() {
        Conv p = new Conv(2, 6, 5, 3, 3, 2, 4, 2, 1, 1, 1, true);
        double[] x = random(10, p.inputDims());
        double[] w = random(11, p.filterDims());
        // The input as a permuted view of an NCHW array, sliced out of a bigger batch: not contiguous, offset > 0.
        Tensor nhwc = Tensor.of(x, p.inputDims());
        Tensor bigger = ShapeOps.concat(List.of(Tensor.zeros(DType.F64, 1, 6, 5, 3), nhwc), 0);
        Tensor view = bigger.permute(0, 3, 1, 2).contiguous().permute(0, 2, 3, 1).slice(0, 1, 3);
        assertThat(view.isContiguous()).isFalse();
        Tensor filterView = Tensor.of(w, p.filterDims()).permute(1, 0, 2, 3).contiguous().permute(1, 0, 2, 3);
        assertThat(filterView.isContiguous()).isFalse();

        assertClose(ConvOps.conv2d(view, filterView, p.attrs()), ConvReference.conv(p, x, w), p.outputDims(), 1e-12);
        Tensor offsetOnly = bigger.slice(0, 1, 3);
        assertThat(offsetOnly.isContiguous()).isTrue();
        assertThat(offsetOnly.offset()).isPositive();
        assertClose(ConvOps.conv2d(offsetOnly, filterView, p.attrs()), ConvReference.conv(p, x, w), p.outputDims(), 1e-12);
    }

    /**
     * The F32 register-tile paths (here 32 filters: {@code Conv2dNarrow} with 512-bit vectors) read
     * input, filter and output gradient at an offset into a bigger array.
     */
    @Test
    void f32TilePathsReadOffsets() {
        Conv p = new Conv(2, 6, 5, 3, 3, 2, 32, 2, 1, 1, 1, true);
        double[] x = roundedToFloat(random(24, p.inputDims()));
        double[] w = roundedToFloat(random(25, p.filterDims()));
        double[] dy = roundedToFloat(random(26, p.outputDims()));
        int[] fd = p.filterDims();
        Tensor xs = ShapeOps.concat(List.of(Tensor.zeros(DType.F64, 1, 6, 5, 3), Tensor.of(x, p.inputDims())), 0)
                .cast(DType.F32).slice(0, 1, 3);
        Tensor ws = ShapeOps.concat(List.of(Tensor.zeros(DType.F64, 1, fd[1], fd[2], fd[3]), Tensor.of(w, fd)), 0)
                .cast(DType.F32).slice(0, 1, 1 + fd[0]);
        int[] od = p.outputDims();
        Tensor dys = ShapeOps.concat(List.of(Tensor.zeros(DType.F64, 1, od[1], od[2], od[3]), Tensor.of(dy, od)), 0)
                .cast(DType.F32).slice(0, 1, 3);
        for (Tensor t : List.of(xs, ws, dys)) {
            assertThat(t.isContiguous()).isTrue();
            assertThat(t.offset()).isPositive();
        }
        assertClose(ConvOps.conv2d(xs, ws, p.attrs()), ConvReference.conv(p, x, w), od, 1e-5);
        assertClose(ConvOps.conv2dBackwardFilter(xs, dys, new Attrs.Conv2dBackwardFilter(p.attrs(), Shape.of(fd))),
                ConvReference.convBackwardFilter(p, x, dy), fd, 1e-5);
    }

    @Test
    @Tag("slow")
    void oneAndTwoThreadsGiveBitIdenticalResults() {
        int before = Engine.get().parallel().threads();
        for (Conv p : List.of(new Conv(6, 24, 24, 16, 3, 3, 64, 1, 1, 1, 1, false),
                new Conv(6, 26, 26, 1, 3, 3, 32, 1, 1, 1, 1, true),
                new Conv(6, 13, 13, 32, 3, 3, 64, 1, 1, 1, 1, false))) {
            Tensor x = Tensor.of(random(12, p.inputDims()), p.inputDims()).cast(DType.F32);
            Tensor w = Tensor.of(random(13, p.filterDims()), p.filterDims()).cast(DType.F32);
            Tensor dy = Tensor.of(random(14, p.outputDims()), p.outputDims()).cast(DType.F32);
            try {
                float[][] one = runAll(p, x, w, dy, 1);
                float[][] two = runAll(p, x, w, dy, 2);
                for (int i = 0; i < one.length; i++) {
                    assertThat(two[i]).as("result %d of %s", i, p).isEqualTo(one[i]);
                }
            } finally {
                Engine.setThreads(before);
            }
        }
    }

    private static float[][] runAll(Conv p, Tensor x, Tensor w, Tensor dy, int threads) {
        Engine.setThreads(threads);
        Attrs.Pool2d pool = new Attrs.Pool2d(3, 2, 1, 1, Padding.SAME);   // big enough to split by image
        Tensor poolDy = ConvOps.maxPool2d(x, pool).mul(0.5);
        return new float[][] {
            ConvOps.conv2d(x, w, p.attrs()).toFloatArray(),
            ConvOps.conv2dBackwardInput(dy, w, new Attrs.Conv2dBackwardInput(p.attrs(), x.shape())).toFloatArray(),
            ConvOps.conv2dBackwardFilter(x, dy, new Attrs.Conv2dBackwardFilter(p.attrs(), w.shape())).toFloatArray(),
            ConvOps.maxPool2d(x, pool).toFloatArray(),
            ConvOps.maxPool2dBackward(x, poolDy, pool).toFloatArray(),
            ConvOps.avgPool2d(x, pool).toFloatArray(),
            ConvOps.avgPool2dBackward(poolDy, new Attrs.Pool2dBackward(pool, x.shape())).toFloatArray(),
        };
    }

    /**
     * The bias goes into each output block inside the kernel; it must give the very bits of a
     * separate broadcast add, on every path (pointwise, im2col, implicit GEMM, several blocks).
     */
    @ParameterizedTest
    @MethodSource("cases")
    void aBiasGivesTheBitsOfAnAddAfterTheConvolution(Conv p) {
        int f = p.filterDims()[3];
        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            Tensor x = Tensor.of(random(21, p.inputDims()), p.inputDims()).cast(dtype);
            Tensor w = Tensor.of(random(22, p.filterDims()), p.filterDims()).cast(dtype);
            Tensor b = Tensor.of(random(23, f), f).cast(dtype);
            Tensor fused = ConvOps.conv2d(x, w, b, p.attrs());
            Tensor separate = ConvOps.conv2d(x, w, p.attrs()).add(b);
            assertThat(fused.shape()).isEqualTo(separate.shape());
            assertThat(fused.toDoubleArray()).as("%s %s", dtype, p).isEqualTo(separate.toDoubleArray());
            assertThat(ConvOps.conv2dRelu(x, w, b, p.attrs()).toDoubleArray()).as("relu, %s %s", dtype, p)
                    .isEqualTo(separate.relu().toDoubleArray());
            assertThat(ConvOps.conv2dRelu(x, w, null, p.attrs()).toDoubleArray()).as("relu, no bias, %s %s", dtype, p)
                    .isEqualTo(ConvOps.conv2d(x, w, p.attrs()).relu().toDoubleArray());
        }
    }

    @Test
    void withNoInputChannelsTheOutputIsTheBias() {
        Tensor x = Tensor.zeros(DType.F32, 2, 3, 3, 0);
        Tensor w = Tensor.zeros(DType.F32, 2, 2, 0, 5);
        Tensor b = Tensor.of(new float[] {1, -2, 3, -4, 5}, 5);
        Tensor y = ConvOps.conv2d(x, w, b, new Attrs.Conv2d(1, 1, 1, 1, Padding.VALID));
        assertThat(y.shape()).isEqualTo(Shape.of(2, 2, 2, 5));
        float[] v = y.toFloatArray();
        float[] r = ConvOps.conv2dRelu(x, w, b, new Attrs.Conv2d(1, 1, 1, 1, Padding.VALID)).toFloatArray();
        for (int i = 0; i < v.length; i++) {
            assertThat(v[i]).as("element %d", i).isEqualTo(new float[] {1, -2, 3, -4, 5}[i % 5]);
            assertThat(r[i]).as("relu'd element %d", i).isEqualTo(new float[] {1, 0, 3, 0, 5}[i % 5]);
        }
    }

    @Test
    void aBiasIsRecordedAsTheThirdInput() {
        Conv p = new Conv(1, 4, 4, 2, 3, 3, 3, 1, 1, 1, 1, true);
        Tensor x = Tensor.of(random(15, p.inputDims()), p.inputDims());
        Tensor w = Tensor.of(random(16, p.filterDims()), p.filterDims());
        Tensor b = Tensor.of(random(18, 3), 3);
        RecordingTest.Log rec = new RecordingTest.Log();
        List<OpCall<?>> calls = rec.ops;
        Recording.push(rec);
        Tensor y;
        Tensor yRelu;
        try {
            y = ConvOps.conv2d(x, w, b, p.attrs());
            yRelu = ConvOps.conv2dRelu(x, w, b, p.attrs());
        } finally {
            Recording.pop(rec);
        }
        assertThat(calls).<Object>extracting(OpCall::op).containsExactly(Primitives.CONV2D, Primitives.CONV2D_RELU);
        assertThat(calls.get(0).inputs()).containsExactly(x, w, b);
        assertThat(calls.get(0).output()).isSameAs(y);
        assertThat(calls.get(1).inputs()).containsExactly(x, w, b);
        assertThat(calls.get(1).output()).isSameAs(yRelu);
    }

    @Test
    void recordsOpInputsAndAttrs() {
        Conv p = new Conv(1, 4, 4, 2, 3, 3, 3, 1, 1, 1, 1, true);
        Tensor x = Tensor.of(random(15, p.inputDims()), p.inputDims());
        Tensor w = Tensor.of(random(16, p.filterDims()), p.filterDims());
        Tensor dy = Tensor.of(random(17, p.outputDims()), p.outputDims());
        RecordingTest.Log rec = new RecordingTest.Log();
        List<OpCall<?>> calls = rec.ops;
        Recording.push(rec);
        Tensor y;
        Tensor dx;
        Tensor dw;
        try {
            y = ConvOps.conv2d(x, w, p.attrs());
            dx = ConvOps.conv2dBackwardInput(dy, w, new Attrs.Conv2dBackwardInput(p.attrs(), x.shape()));
            dw = ConvOps.conv2dBackwardFilter(x, dy, new Attrs.Conv2dBackwardFilter(p.attrs(), w.shape()));
        } finally {
            Recording.pop(rec);
        }
        assertThat(calls).<Object>extracting(OpCall::op)
                .containsExactly(Primitives.CONV2D, Primitives.CONV2D_BACKWARD_INPUT, Primitives.CONV2D_BACKWARD_FILTER);
        assertThat(calls.get(0).inputs()).containsExactly(x, w);
        assertThat(calls.get(0).output()).isSameAs(y);
        assertThat(((Attrs.Conv2d) calls.get(0).attrs())).isEqualTo(p.attrs());
        assertThat(calls.get(1).inputs()).containsExactly(dy, w);
        assertThat(calls.get(1).output()).isSameAs(dx);
        assertThat(((Attrs.Conv2dBackwardInput) calls.get(1).attrs()).inputShape()).isEqualTo(x.shape());
        assertThat(calls.get(2).inputs()).containsExactly(x, dy);
        assertThat(calls.get(2).output()).isSameAs(dw);
        assertThat(((Attrs.Conv2dBackwardFilter) calls.get(2).attrs()).filterShape()).isEqualTo(w.shape());
    }

    @Test
    void sameOutputSizeIsCeilOfInputOverStride() {
        Tensor x = Tensor.zeros(DType.F32, 1, 7, 10, 1);
        Tensor w = Tensor.zeros(DType.F32, 4, 3, 1, 2);
        assertThat(x.conv2d(w, new int[] {2, 3}, Padding.SAME, null).shape()).isEqualTo(Shape.of(1, 4, 4, 2));
        assertThat(x.conv2d(w, new int[] {2, 3}, Padding.VALID, null).shape()).isEqualTo(Shape.of(1, 2, 3, 2));
        assertThat(x.conv2d(w, new int[] {1, 1}, Padding.VALID, new int[] {2, 4}).shape()).isEqualTo(Shape.of(1, 1, 2, 2)); // windows 7x9
    }

    /** A hand-worked case: SAME with an even kernel pads 0 before and 1 after, as TensorFlow. */
    @Test
    void evenKernelSamePaddingPutsTheExtraRowAfter() {
        // x = 1..9 in a 3x3 image, filter all ones 2x2: out[i][j] = sum of x[i..i+1][j..j+1], zero past the edge.
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 3, 3, 1);
        Tensor w = Tensor.ones(DType.F32, 2, 2, 1, 1);
        Tensor y = x.conv2d(w, new int[] {1, 1}, Padding.SAME, null);
        assertThat(y.toFloatArray()).containsExactly(12, 16, 9, 24, 28, 15, 15, 17, 9);
    }

    static double[] random(long seed, int... dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + n);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextDouble(-1, 1);
        }
        return a;
    }

    static double[] roundedToFloat(double[] a) {
        double[] b = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = (float) a[i];
        }
        return b;
    }

    /** Elementwise {@code |actual - expected| <= tol * (1 + max|expected|)}, with the shape checked. */
    static void assertClose(Tensor actual, double[] expected, int[] dims, double tol) {
        assertThat(actual.shape()).isEqualTo(Shape.of(dims));
        double scale = 1;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        String mismatch = Tensor.describeMismatch(actual.cast(DType.F64), Tensor.of(expected, dims), 0, tol * scale);
        assertThat(mismatch).isNull();
    }
}
