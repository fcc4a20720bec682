package dev.vecgrad.core.ops;

/**
 * How a 2-D convolution or pooling window treats the border of its input, with Keras's (and
 * TensorFlow's) semantics.
 *
 * <ul>
 *   <li>{@link #VALID}: no padding; a window only visits positions inside the input, so the
 *       output has {@code floor((in - effectiveKernel) / stride) + 1} positions per axis.</li>
 *   <li>{@link #SAME}: the output has {@code ceil(in / stride)} positions per axis; the input is
 *       padded by {@code max((out - 1) * stride + effectiveKernel - in, 0)} in total, half before
 *       and the odd one after (on the bottom and right), as TensorFlow does. Convolution pads with
 *       zeros; pooling ignores padded positions (average pooling divides by the count of real
 *       elements, and padding never wins a max).</li>
 * </ul>
 *
 * <p>The effective kernel size is {@code (kernel - 1) * dilation + 1}.
 */
public enum Padding {
    /** No padding. */
    VALID,
    /** Pad so that the output size is {@code ceil(in / stride)}. */
    SAME
}
