package dev.vecgrad.core.ops;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;

/**
 * The non-tensor arguments of primitive ops, as {@link OpCall#attrs()} carries them. Axes are
 * stored normalised (non-negative, sorted where order does not matter).
 */
public final class Attrs {
    private Attrs() {
    }

    /** Reductions: the reduced axes and whether they stay as size-1 dimensions. */
    public record Reduce(int[] axes, boolean keepDims) {
        /** Keeps a copy of {@code axes}. */
        public Reduce {
            axes = axes.clone();
        }

        /** The reduced axes (a copy). */
        @Override
        public int[] axes() {
            return axes.clone();
        }

        /** The reduced axes themselves, for the kernels of this package, which only read them. */
        int[] axesInPlace() {
            return axes;
        }
    }

    /** Ops along one axis: argmax/argmin, concat, gather. */
    public record Axis(int axis) {
    }

    /** Softmax over the last axis of {@code scale}·x (masked softmax and its backward op). */
    public record Scaled(double scale) {
    }

    /** Normalisation over the last axis: {@code epsilon} is added to the variance before the square root. */
    public record Epsilon(double epsilon) {
    }

    /** Permute: output axis {@code i} is input axis {@code perm[i]}. */
    public record Permute(int[] perm) {
        /** Keeps a copy of {@code perm}. */
        public Permute {
            perm = perm.clone();
        }

        /** The permutation (a copy). */
        @Override
        public int[] perm() {
            return perm.clone();
        }
    }

    /** Slice: per dimension, start (inclusive), stop (exclusive) and step (non-zero). */
    public record Slice(int[] start, int[] stop, int[] step) {
        /** Keeps copies of the bounds. */
        public Slice {
            start = start.clone();
            stop = stop.clone();
            step = step.clone();
        }

        /** The first index on each dimension (a copy). */
        @Override
        public int[] start() {
            return start.clone();
        }

        /** The end (exclusive) on each dimension (a copy). */
        @Override
        public int[] stop() {
            return stop.clone();
        }

        /** The step on each dimension (a copy). */
        @Override
        public int[] step() {
            return step.clone();
        }
    }

    /** Unslice: places its input at the slice positions of a zero tensor of {@code shape}. */
    public record Unslice(Shape shape, Slice slice) {
    }

    /** Constant padding: {@code before[i]} and {@code after[i]} elements on dimension {@code i}. */
    public record Pad(int[] before, int[] after, double value) {
        /** Keeps copies of the widths. */
        public Pad {
            before = before.clone();
            after = after.clone();
        }

        /** The padding before each dimension (a copy). */
        @Override
        public int[] before() {
            return before.clone();
        }

        /** The padding after each dimension (a copy). */
        @Override
        public int[] after() {
            return after.clone();
        }
    }

    /** Cast to {@code to}. */
    public record Cast(DType to) {
    }

    /** Matrix multiply of op(a) and op(b), op being identity or transpose of the last two axes. */
    public record Matmul(boolean transposeA, boolean transposeB) {
    }

    /** Scatter-add along {@code axis} into a zero tensor of {@code shape}. */
    public record ScatterAdd(int axis, Shape shape) {
    }

    /** One-hot encoding with {@code depth} classes appended as the last axis. */
    public record OneHot(int depth) {
    }

    /**
     * 2-D convolution, channels-last: strides and dilations per axis (height, width), all at
     * least 1, and the {@link Padding} rule.
     */
    public record Conv2d(int strideH, int strideW, int dilationH, int dilationW, Padding padding) {
        /** Checks that strides and dilations are positive and the padding is given. */
        public Conv2d {
            requirePositive("conv2d", "strides", strideH, strideW);
            requirePositive("conv2d", "dilation", dilationH, dilationW);
            if (padding == null) {
                throw new IllegalArgumentException("conv2d: padding must be VALID or SAME, got null");
            }
        }
    }

    /** The gradient of conv2d with respect to its input, whose shape is {@code inputShape}. */
    public record Conv2dBackwardInput(Conv2d conv, Shape inputShape) {
    }

    /** The gradient of conv2d with respect to its filter, whose shape is {@code filterShape}. */
    public record Conv2dBackwardFilter(Conv2d conv, Shape filterShape) {
    }

    /** 2-D max or average pooling, channels-last: window size and strides (height, width), and padding. */
    public record Pool2d(int poolH, int poolW, int strideH, int strideW, Padding padding) {
        /** Checks that the window and strides are positive and the padding is given. */
        public Pool2d {
            requirePositive("pool2d", "pool size", poolH, poolW);
            requirePositive("pool2d", "strides", strideH, strideW);
            if (padding == null) {
                throw new IllegalArgumentException("pool2d: padding must be VALID or SAME, got null");
            }
        }
    }

    /** The gradient of average pooling with respect to its input, whose shape is {@code inputShape}. */
    public record Pool2dBackward(Pool2d pool, Shape inputShape) {
    }

    private static void requirePositive(String op, String what, int h, int w) {
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException(op + ": " + what + " must be positive, got (" + h + ", " + w + ")");
        }
    }
}
