package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.ops.Padding;
import java.util.Locale;

/**
 * Output sizes of channels-last convolution and pooling for {@code computeOutputShape}, by the
 * rules {@link Padding} documents (the ops compute the same; the layer tests check both agree),
 * and parsing of Keras's padding names.
 */
final class ConvShapes {
    private ConvShapes() {
    }

    /**
     * Positions along one axis: VALID {@code floor((in - eff) / stride) + 1}, SAME
     * {@code ceil(in / stride)}, where {@code eff} is the dilated window. A VALID window larger
     * than the input is an error naming {@code layer}, as the op reports it, so a model is refused
     * when it is built rather than given a zero-sized output.
     */
    static int outputSize(String layer, int in, int kernel, int stride, int dilation, Padding padding) {
        long effective = (long) (kernel - 1) * dilation + 1;
        if (padding == Padding.SAME) {
            return (int) (((long) in + stride - 1) / stride);
        }
        if (effective > in) {
            throw new IllegalArgumentException(layer + ": the window " + effective + " (kernel " + kernel + ", dilation "
                    + dilation + ") is larger than the input's " + in + " with 'valid' padding; use 'same' padding or a"
                    + " smaller window");
        }
        return (int) ((in - effective) / stride + 1);
    }

    /** {@code (N, OH, OW, channels)} for an input {@code (N, H, W, C)}. */
    static Shape output(String layer, Shape in, int[] kernel, int[] strides, int[] dilation, Padding padding,
            int channels) {
        if (in.rank() != 4) {
            throw new IllegalArgumentException(layer + " needs channels-last inputs (batch, height, width, channels), got "
                    + in);
        }
        return Shape.of(in.dim(0), outputSize(layer + " (height)", in.dim(1), kernel[0], strides[0], dilation[0], padding),
                outputSize(layer + " (width)", in.dim(2), kernel[1], strides[1], dilation[1], padding), channels);
    }

    /** "valid" or "same" (any case) as a {@link Padding}. */
    static Padding padding(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "valid" -> Padding.VALID;
            case "same" -> Padding.SAME;
            default -> throw new IllegalArgumentException("padding must be 'valid' or 'same', got '" + name + "'");
        };
    }

    /** A {height, width} pair, checked positive. */
    static int[] pair(String layer, String what, int[] v) {
        if (v == null || v.length != 2 || v[0] <= 0 || v[1] <= 0) {
            throw new IllegalArgumentException(layer + ": " + what + " must be two positive numbers (height, width), got "
                    + java.util.Arrays.toString(v));
        }
        return v.clone();
    }

    /** Fails unless a built conv or pooling layer gets rank-4 inputs with the channels it was built for. */
    static void checkChannels(Layer layer, Shape builtFor, Shape given) {
        if (given.rank() != 4 || given.dim(3) != builtFor.dim(3)) {
            throw new IllegalArgumentException(layer.incompatible(builtFor, given)
                    + " (channels-last, " + builtFor.dim(3) + " channels; height and width may vary)");
        }
    }
}
