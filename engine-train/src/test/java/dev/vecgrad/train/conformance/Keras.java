package dev.vecgrad.train.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.Tensor;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Builders and the comparisons Keras's own test-suite uses, so that a ported expectation reads as
 * the original: {@link #close} is {@code assertAllClose} (|actual - expected| <= atol + rtol
 * |expected|, both 1e-6 by default; an infinite expected value must be matched exactly, as in
 * NumPy), {@link #almost} is {@code assertAlmostEqual} (|actual - expected| < 1.5 10^-decimal, 3
 * decimals by default). Each call is one ported expectation; docs/keras-conformance.md counts
 * them per Keras test file.
 */
final class Keras {
    private Keras() {
    }

    /** A rank-1 F64 tensor. */
    static Tensor t(double... v) {
        return Tensor.of(v);
    }

    /** A rank-2 F64 tensor. */
    static Tensor t(double[][] rows) {
        return Tensor.of(rows);
    }

    /** A rank-3 F64 tensor. */
    static Tensor t(double[][][] blocks) {
        int a = blocks.length;
        int b = blocks[0].length;
        int c = blocks[0][0].length;
        double[] flat = new double[a * b * c];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                System.arraycopy(blocks[i][j], 0, flat, (i * b + j) * c, c);
            }
        }
        return Tensor.of(flat, a, b, c);
    }

    /** An F64 tensor of the given shape holding {@code v} in row-major order. */
    static Tensor shaped(double[] v, int... dims) {
        return Tensor.of(v, dims);
    }

    /** A rank-0 F64 tensor. */
    static Tensor scalar(double v) {
        return Tensor.scalar(v);
    }

    /** {@code assertAllClose(actual, expected)} with Keras's default tolerances. */
    static void close(double actual, double expected) {
        close(actual, expected, 1e-6, 1e-6);
    }

    /** {@code assertAllClose(actual, expected, rtol, atol)}. */
    static void close(double actual, double expected, double rtol, double atol) {
        assertThat(Math.abs(actual - expected)).as("actual %s, expected %s", actual, expected)
                .isLessThanOrEqualTo(atol + rtol * Math.abs(expected));
    }

    /** Element by element, {@code assertAllClose} of a tensor against expected values in row-major order. */
    static void close(Tensor actual, double[] expected, double rtol, double atol) {
        double[] a = actual.toDoubleArray();
        assertThat(a).as("number of values of %s", actual.shape()).hasSize(expected.length);
        for (int i = 0; i < a.length; i++) {
            if (Double.isInfinite(expected[i])) {
                assertThat(a[i]).as("element %d", i).isEqualTo(expected[i]);
                continue;
            }
            assertThat(Math.abs(a[i] - expected[i])).as("element %d: actual %s, expected %s", i, a[i], expected[i])
                    .isLessThanOrEqualTo(atol + rtol * Math.abs(expected[i]));
        }
    }

    /** {@link #close(Tensor, double[], double, double)} with Keras's default tolerances. */
    static void close(Tensor actual, double... expected) {
        close(actual, expected, 1e-6, 1e-6);
    }

    /** {@code assertAllClose} of plain arrays. */
    static void close(double[] actual, double[] expected, double rtol, double atol) {
        close(Tensor.of(actual), expected, rtol, atol);
    }

    /** {@code assertAlmostEqual(actual, expected)}: 3 decimals. */
    static void almost(double actual, double expected) {
        almost(actual, expected, 3);
    }

    /** {@code assertAlmostEqual(actual, expected, decimal)}. */
    static void almost(double actual, double expected, int decimal) {
        assertThat(Math.abs(actual - expected)).as("actual %s, expected %s", actual, expected)
                .isLessThan(1.5 * Math.pow(10, -decimal));
    }

    /** {@code assertAlmostEqual} element by element. */
    static void almost(Tensor actual, double... expected) {
        double[] a = actual.toDoubleArray();
        assertThat(a).hasSize(expected.length);
        for (int i = 0; i < a.length; i++) {
            almost(a[i], expected[i], 3);
        }
    }

    /** {@code assertRaisesRegex}: the call fails with an IllegalArgumentException whose message holds {@code text}. */
    static void raises(ThrowingCallable call, String text) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(text);
    }
}
