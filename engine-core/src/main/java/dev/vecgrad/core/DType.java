package dev.vecgrad.core;

/**
 * The element types a {@link Tensor} can hold.
 *
 * <p>F32 is the working type for training; F64 exists for gradient checks and other places where
 * precision matters more than speed; I32 holds labels, indices and masks.
 */
public enum DType {
    /** 32-bit IEEE float, backed by {@code float[]}. */
    F32(4, true),
    /** 64-bit IEEE float, backed by {@code double[]}. */
    F64(8, true),
    /** 32-bit signed integer, backed by {@code int[]}. */
    I32(4, false);

    private final int byteSize;
    private final boolean floating;

    DType(int byteSize, boolean floating) {
        this.byteSize = byteSize;
        this.floating = floating;
    }

    /** Bytes one element takes in a file or buffer. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether this is a floating-point type (the only kind that can carry a gradient). */
    public boolean isFloating() {
        return floating;
    }

    /** A lower-case name as NumPy prints it: {@code float32}, {@code float64}, {@code int32}. */
    public String numpyName() {
        return switch (this) {
            case F32 -> "float32";
            case F64 -> "float64";
            case I32 -> "int32";
        };
    }
}
