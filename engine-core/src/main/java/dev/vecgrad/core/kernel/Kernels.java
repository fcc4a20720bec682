package dev.vecgrad.core.kernel;

import dev.vecgrad.core.kernel.elementwise.ScalarKernels;
import dev.vecgrad.core.kernel.elementwise.VectorKernels;
import dev.vecgrad.core.ops.Binary;
import dev.vecgrad.core.ops.Reduce;
import dev.vecgrad.core.ops.Unary;

/**
 * The elementwise and reduction kernels every op runs on, over raw arrays. Two implementations
 * exist and are chosen once at start-up by {@code Engine}: {@link ScalarKernels}, the plain-Java
 * reference, and {@link VectorKernels}, the SIMD one ({@code jdk.incubator.vector}), which is
 * tested against the reference.
 *
 * <p>Conventions: offsets and strides are in elements; outputs are contiguous; an input stride of 0
 * means one value broadcast over all {@code n} positions. Only floating ops are here: integer
 * tensors take plain loops in the ops.
 */
public interface Kernels {

    /** A one-line description for the start-up report, e.g. {@code vector (512-bit, 16 f32 lanes)}. */
    String description();

    /** {@code y[i] = op(x[i])}. */
    void unary(Unary op, float[] x, int xOff, int xStride, float[] y, int yOff, int n);

    /** F64 form of {@link #unary(Unary, float[], int, int, float[], int, int)}. */
    void unary(Unary op, double[] x, int xOff, int xStride, double[] y, int yOff, int n);

    /** {@code y[i] = op(a[i], b[i])}; comparisons write 1 or 0. */
    void binary(Binary op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride, float[] y, int yOff, int n);

    /** F64 form of {@link #binary(Binary, float[], int, int, float[], int, int, float[], int, int)}. */
    void binary(Binary op, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride, double[] y, int yOff,
            int n);

    /**
     * {@code y[i] = op(a[i], c)} over a contiguous {@code a}: the same as {@link #binary} with
     * {@code c} as a broadcast right operand, without an array to hold it.
     */
    default void binaryScalar(Binary op, float[] a, int aOff, float c, float[] y, int yOff, int n) {
        binary(op, a, aOff, 1, new float[] {c}, 0, 0, y, yOff, n);
    }

    /** F64 form of {@link #binaryScalar(Binary, float[], int, float, float[], int, int)}. */
    default void binaryScalar(Binary op, double[] a, int aOff, double c, double[] y, int yOff, int n) {
        binary(op, a, aOff, 1, new double[] {c}, 0, 0, y, yOff, n);
    }

    /** The reduction of {@code x[off .. off + n)}; the identity of the op when {@code n == 0}. */
    float reduce(Reduce op, float[] x, int off, int n);

    /** F64 form of {@link #reduce(Reduce, float[], int, int)}. */
    double reduce(Reduce op, double[] x, int off, int n);

    /** {@code acc[i] = op(acc[i], x[i])} over contiguous ranges. */
    void accumulate(Reduce op, float[] acc, int accOff, float[] x, int xOff, int n);

    /** F64 form of {@link #accumulate(Reduce, float[], int, float[], int, int)}. */
    void accumulate(Reduce op, double[] acc, int accOff, double[] x, int xOff, int n);

    /**
     * Softmax of each row of the contiguous [rows, cols] block at {@code x[xOff]} into the block at
     * {@code y[yOff]}, in one pass per row: {@code y = e^(x - m) / sum(e^(x - m))} with {@code m}
     * the row's maximum, or 0 when that maximum is not finite, as the composite softmax does: a row
     * with NaN gives NaN everywhere, an all -inf row gives NaN (0/0), and a row with +inf gives NaN
     * at the +inf entries and 0 elsewhere.
     */
    void softmaxRows(float[] x, int xOff, float[] y, int yOff, int rows, int cols);

    /** F64 form of {@link #softmaxRows(float[], int, float[], int, int, int)}. */
    void softmaxRows(double[] x, int xOff, double[] y, int yOff, int rows, int cols);

    /**
     * Max pooling over one window: {@code y[yOff + i] = max over t of x[xOff + taps[t] + i]} for
     * each channel {@code i < c}, with {@link Math#max} semantics (a NaN in the window wins).
     * {@code taps[0 .. nTaps)} (at least one) are the offsets of the window's pixels in row-major
     * window order.
     */
    void windowMax(float[] x, int xOff, int[] taps, int nTaps, float[] y, int yOff, int c);

    /** F64 form of {@link #windowMax(float[], int, int[], int, float[], int, int)}. */
    void windowMax(double[] x, int xOff, int[] taps, int nTaps, double[] y, int yOff, int c);

    /**
     * Max pooling's backward over one window: for each channel {@code i < c}, adds
     * {@code dy[dyOff + i]} to {@code dx[dxOff + taps[t] + i]} where {@code t} is the window's arg-max for
     * that channel: the first tap holding the largest value, or the first NaN. {@code disjoint}
     * promises that no other window shares a tap with this one and that {@code dx} is +0 at its
     * taps, so a kernel may store {@code 0 + dy} and +0 instead of reading {@code dx} to add to it
     * (the same bits).
     */
    void windowMaxRoute(float[] x, int xOff, int[] taps, int nTaps, float[] dy, int dyOff, float[] dx, int dxOff,
            int c, boolean disjoint);

    /** F64 form of {@link #windowMaxRoute(float[], int, int[], int, float[], int, float[], int, int, boolean)}. */
    void windowMaxRoute(double[] x, int xOff, int[] taps, int nTaps, double[] dy, int dyOff, double[] dx, int dxOff,
            int c, boolean disjoint);
}
