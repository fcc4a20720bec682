package dev.vecgrad.core.kernel.elementwise;

import dev.vecgrad.core.ops.Primitive;

/**
 * Argument checks shared by the kernel implementations, so that a bad offset, stride or length
 * is reported with the op's name and the numbers involved instead of surfacing as an index error
 * from inside a loop.
 */
final class KernelArgs {
    private KernelArgs() {
    }

    /**
     * Fails unless positions {@code off, off + stride, ..., off + (n - 1) * stride} all lie in an
     * array of {@code length} elements.
     */
    static void check(Primitive<?> op, String operand, int length, int off, int stride, int n) {
        if (n < 0) {
            throw new IllegalArgumentException(op.name() + ": negative element count " + n);
        }
        if (n == 0) {
            return;
        }
        long last = off + (long) stride * (n - 1);
        if (off < 0 || off >= length || last < 0 || last >= length) {
            throw new IllegalArgumentException(op.name() + ": " + operand + " of " + n + " elements at offset " + off
                    + " with stride " + stride + " reaches outside its array of " + length + " elements");
        }
    }

    /** Fails unless a [rows, cols] block at {@code off} fits in an array of {@code length} elements. */
    static void checkRows(String op, String operand, int length, int off, int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException(op + ": negative shape [" + rows + ", " + cols + "]");
        }
        long end = off + (long) rows * cols;
        if (off < 0 || end > length) {
            throw new IllegalArgumentException(op + ": " + operand + " block [" + rows + ", " + cols + "] at offset "
                    + off + " reaches outside its array of " + length + " elements");
        }
    }
}
