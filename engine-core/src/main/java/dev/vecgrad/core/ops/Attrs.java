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
    }

    /** Ops along one axis: argmax/argmin, concat, gather. */
    public record Axis(int axis) {
    }

    /** Permute: output axis {@code i} is input axis {@code perm[i]}. */
    public record Permute(int[] perm) {
    }

    /** Slice: per dimension, start (inclusive), stop (exclusive) and step (non-zero). */
    public record Slice(int[] start, int[] stop, int[] step) {
    }

    /** Unslice: places its input at the slice positions of a zero tensor of {@code shape}. */
    public record Unslice(Shape shape, Slice slice) {
    }

    /** Constant padding: {@code before[i]} and {@code after[i]} elements on dimension {@code i}. */
    public record Pad(int[] before, int[] after, double value) {
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
}
