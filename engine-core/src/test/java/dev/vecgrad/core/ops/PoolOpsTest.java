package dev.vecgrad.core.ops;

import static dev.vecgrad.core.ops.ConvOpsTest.assertClose;
import static dev.vecgrad.core.ops.ConvOpsTest.random;
import static dev.vecgrad.core.ops.ConvOpsTest.roundedToFloat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.ConvReference.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Max and average pooling, forward and backward, against direct f64 loops ({@link ConvReference}). */
class PoolOpsTest {

    static Stream<Pool> cases() {
        List<Pool> cases = new ArrayList<>(List.of(
                // n, h, w, c, ph, pw, sh, sw, same
                new Pool(2, 6, 6, 3, 2, 2, 2, 2, false),    // the usual 2x2/2
                new Pool(2, 7, 7, 3, 2, 2, 2, 2, false),    // odd size, last row dropped
                new Pool(2, 7, 7, 3, 2, 2, 2, 2, true),     // odd size, SAME pads after
                new Pool(1, 5, 8, 4, 3, 3, 1, 1, true),     // overlapping windows, SAME on both sides
                new Pool(1, 8, 9, 2, 2, 3, 3, 4, false),    // stride > pool: gaps
                new Pool(1, 8, 9, 2, 2, 3, 3, 4, true),
                new Pool(2, 4, 5, 3, 4, 5, 1, 1, false),    // pool = input: global pooling
                new Pool(1, 4, 5, 3, 4, 5, 2, 2, true),
                new Pool(1, 1, 1, 5, 1, 1, 1, 1, false),    // 1x1
                new Pool(1, 3, 3, 1, 5, 5, 2, 2, true),     // window larger than the input, SAME
                new Pool(0, 4, 4, 2, 2, 2, 2, 2, false),    // empty batch
                new Pool(6, 30, 30, 16, 3, 3, 2, 2, true)));  // big: parallel by image
        SplittableRandom r = new SplittableRandom(77);
        while (cases.size() < 80) {
            int h = 1 + r.nextInt(10);
            int w = 1 + r.nextInt(10);
            int ph = 1 + r.nextInt(4);
            int pw = 1 + r.nextInt(4);
            boolean fits = ph <= h && pw <= w;
            cases.add(new Pool(1 + r.nextInt(3), h, w, 1 + r.nextInt(5), ph, pw, 1 + r.nextInt(3), 1 + r.nextInt(3),
                    !fits || r.nextBoolean()));
        }
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void maxPoolMatchesDirectLoops(Pool p) {
        for (DType dtype : new DType[] {DType.F64, DType.F32}) {
            double[] x = roundedToFloat(random(21, p.inputDims()));
            double[] dy = roundedToFloat(random(22, p.outputDims()));
            Tensor xt = Tensor.of(x, p.inputDims()).cast(dtype);
            Tensor dyt = Tensor.of(dy, p.outputDims()).cast(dtype);
            Tensor y = ConvOps.maxPool2d(xt, p.attrs());
            assertThat(y.dtype()).isEqualTo(dtype);
            // A max picks an element: exact in either dtype.
            assertClose(y, ConvReference.maxPool(p, x, null), p.outputDims(), 0);
            assertClose(ConvOps.maxPool2dBackward(xt, dyt, p.attrs()), ConvReference.maxPoolBackward(p, x, dy),
                    p.inputDims(), dtype == DType.F64 ? 1e-15 : 1e-6);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void avgPoolMatchesDirectLoops(Pool p) {
        for (DType dtype : new DType[] {DType.F64, DType.F32}) {
            double tol = dtype == DType.F64 ? 1e-14 : 1e-6;
            double[] x = roundedToFloat(random(23, p.inputDims()));
            double[] dy = roundedToFloat(random(24, p.outputDims()));
            Tensor xt = Tensor.of(x, p.inputDims()).cast(dtype);
            Tensor dyt = Tensor.of(dy, p.outputDims()).cast(dtype);
            assertClose(ConvOps.avgPool2d(xt, p.attrs()), ConvReference.avgPool(p, x), p.outputDims(), tol);
            assertClose(ConvOps.avgPool2dBackward(dyt, new Attrs.Pool2dBackward(p.attrs(), Shape.of(p.inputDims()))),
                    ConvReference.avgPoolBackward(p, dy), p.inputDims(), tol);
        }
    }

    /** {@code <avgPool(x), dy> == <x, avgPoolBackward(dy)>}, and for max pooling with the arg-max fixed. */
    @ParameterizedTest
    @MethodSource("cases")
    void backwardKernelsAreAdjoints(Pool p) {
        double[] x = random(25, p.inputDims());
        double[] dy = random(26, p.outputDims());
        Tensor xt = Tensor.of(x, p.inputDims());
        Tensor dyt = Tensor.of(dy, p.outputDims());
        double fwd = ConvReference.dot(ConvOps.avgPool2d(xt, p.attrs()).toDoubleArray(), dy);
        double bwd = ConvReference.dot(x, ConvOps.avgPool2dBackward(dyt,
                new Attrs.Pool2dBackward(p.attrs(), xt.shape())).toDoubleArray());
        assertThat(bwd).isCloseTo(fwd, org.assertj.core.data.Offset.offset(1e-10 * (1 + x.length)));
        // max pooling is linear in x once the arg-max is fixed: <maxPool(x), dy> == <x, maxPoolBackward(x, dy)>.
        double maxFwd = ConvReference.dot(ConvOps.maxPool2d(xt, p.attrs()).toDoubleArray(), dy);
        double maxBwd = ConvReference.dot(x, ConvOps.maxPool2dBackward(xt, dyt, p.attrs()).toDoubleArray());
        assertThat(maxBwd).isCloseTo(maxFwd, org.assertj.core.data.Offset.offset(1e-10 * (1 + x.length)));
    }

    @Test
    void tiesGoToTheFirstElementInRowMajorWindowOrder() {
        // One 2x2 window, two channels: channel 0 ties at (0,1) and (1,0); channel 1 is constant.
        Tensor x = Tensor.of(new float[] {1, 5, 3, 5, 3, 5, 2, 5}, 1, 2, 2, 2);
        Tensor dy = Tensor.of(new float[] {10, 20}, 1, 1, 1, 2);
        Attrs.Pool2d a = new Attrs.Pool2d(2, 2, 2, 2, Padding.VALID);
        assertThat(ConvOps.maxPool2d(x, a).toFloatArray()).containsExactly(3, 5);
        assertThat(ConvOps.maxPool2dBackward(x, dy, a).toFloatArray()).containsExactly(0, 20, 10, 0, 0, 0, 0, 0);
    }

    @Test
    void paddingNeverWinsAMaxNorCountsInAnAverage() {
        // All elements negative: a zero from the padding would win a naive max.
        Tensor x = Tensor.of(new float[] {-4, -3, -2, -1}, 1, 2, 2, 1);
        Attrs.Pool2d a = new Attrs.Pool2d(2, 2, 1, 1, Padding.SAME);   // pads one row below, one column right
        assertThat(ConvOps.maxPool2d(x, a).toFloatArray()).containsExactly(-1, -1, -1, -1);
        assertThat(ConvOps.avgPool2d(x, a).toFloatArray()).containsExactly(-2.5f, -2, -1.5f, -1);
        Tensor dy = Tensor.ones(DType.F32, 1, 2, 2, 1);
        assertThat(ConvOps.maxPool2dBackward(x, dy, a).toFloatArray()).containsExactly(0, 0, 0, 4);
        // Each output's 1 spread over its real elements: (1/4), (1/4 + 1/2), (1/4 + 1/2), (1/4 + 1/2 + 1/2 + 1).
        assertThat(ConvOps.avgPool2dBackward(dy, new Attrs.Pool2dBackward(a, x.shape())).toFloatArray())
                .containsExactly(0.25f, 0.75f, 0.75f, 2.25f);
    }

    @Test
    void aNaNWinsTheMaxAndTakesTheGradient() {
        Tensor x = Tensor.of(new double[] {1, Double.NaN, 7, 3}, 1, 2, 2, 1);
        Tensor dy = Tensor.of(new double[] {1}, 1, 1, 1, 1);
        Attrs.Pool2d a = new Attrs.Pool2d(2, 2, 2, 2, Padding.VALID);
        assertThat(ConvOps.maxPool2d(x, a).item()).isNaN();
        assertThat(ConvOps.maxPool2dBackward(x, dy, a).toDoubleArray()).containsExactly(0, 1, 0, 0);
    }

    @Test
    void defaultStridesAreThePoolSizeAndOpsAreRecorded() {
        Tensor x = Tensor.of(random(27, 2, 6, 4, 3), 2, 6, 4, 3);
        RecordingTest.Log rec = new RecordingTest.Log();
        List<OpCall<?>> calls = rec.ops;
        Recording.push(rec);
        Tensor y;
        try {
            y = x.maxPool2d(new int[] {3, 2}, null, Padding.VALID);
            x.avgPool2d(new int[] {3, 2}, null, Padding.VALID);
            ConvOps.maxPool2dBackward(x, y, ((Attrs.Pool2d) calls.get(0).attrs()));
            ConvOps.avgPool2dBackward(y, new Attrs.Pool2dBackward(((Attrs.Pool2d) calls.get(0).attrs()), x.shape()));
        } finally {
            Recording.pop(rec);
        }
        assertThat(y.shape()).isEqualTo(Shape.of(2, 2, 2, 3));
        assertThat(calls).<Object>extracting(OpCall::op).containsExactly(Primitives.MAX_POOL2D, Primitives.AVG_POOL2D,
                Primitives.MAX_POOL2D_BACKWARD, Primitives.AVG_POOL2D_BACKWARD);
        assertThat(((Attrs.Pool2d) calls.get(0).attrs())).isEqualTo(new Attrs.Pool2d(3, 2, 3, 2, Padding.VALID));
        assertThat(calls.get(0).inputs()).containsExactly(x);
        assertThat(calls.get(2).inputs()).containsExactly(x, y);
        assertThat(calls.get(3).inputs()).containsExactly(y);
        assertThat(Primitives.MAX_POOL2D_BACKWARD.differentiable()).isFalse();
        assertThat(Primitives.AVG_POOL2D_BACKWARD.differentiable()).isTrue();
    }

    /**
     * A SAME window far larger than the image pools the whole image, in memory bounded by the
     * image: 100000x100000 would be 10^10 window offsets, which as an int array wrapped to 1.4e9.
     */
    @Test
    void aHugeSameWindowPoolsTheWholeImageInMemoryBoundedByTheImage() {
        double[] x = random(31, 1, 28, 28, 2);
        Tensor xt = Tensor.of(x, 1, 28, 28, 2);
        Attrs.Pool2d a = new Attrs.Pool2d(100_000, 100_000, 100_000, 100_000, Padding.SAME);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        Tensor max = ConvOps.maxPool2d(xt, a);
        Tensor avg = ConvOps.avgPool2d(xt, a);
        Tensor dmax = ConvOps.maxPool2dBackward(xt, Tensor.ones(DType.F64, 1, 1, 1, 2), a);
        Tensor davg = ConvOps.avgPool2dBackward(Tensor.ones(DType.F64, 1, 1, 1, 2), new Attrs.Pool2dBackward(a, xt.shape()));
        assertThat(threads.getCurrentThreadAllocatedBytes() - before).isLessThan(4L << 20);
        double[] expectedMax = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] sum = new double[2];
        for (int i = 0; i < x.length; i++) {
            expectedMax[i % 2] = Math.max(expectedMax[i % 2], x[i]);
            sum[i % 2] += x[i];
        }
        assertThat(max.shape()).isEqualTo(Shape.of(1, 1, 1, 2));
        assertThat(max.toDoubleArray()).isEqualTo(expectedMax);
        assertThat(avg.toDoubleArray()[0]).isCloseTo(sum[0] / 784, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(avg.toDoubleArray()[1]).isCloseTo(sum[1] / 784, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(dmax.sum(new int[] {0, 1, 2, 3}, false).item()).isEqualTo(2.0);
        assertThat(davg.toDoubleArray()[5]).isEqualTo(1.0 / 784);
    }
}
