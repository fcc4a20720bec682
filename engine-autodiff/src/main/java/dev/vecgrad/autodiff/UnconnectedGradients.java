package dev.vecgrad.autodiff;

/**
 * What {@link GradientTape#gradient} returns for a source the target does not depend on through
 * recorded, differentiable ops (never watched, used only through {@code stopGradient}, or not used
 * at all).
 */
public enum UnconnectedGradients {
    /** {@code null} (the default, as TensorFlow's {@code UnconnectedGradients.NONE}): the caller sees the gap. */
    NONE,
    /** A tensor of zeros of the source's shape and dtype. */
    ZERO
}
