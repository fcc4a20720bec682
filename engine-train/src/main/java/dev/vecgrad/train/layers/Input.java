package dev.vecgrad.train.layers;

import dev.vecgrad.core.DType;

/**
 * The inputs of a functional model, as Keras's {@code keras.Input}: each call makes an
 * {@link InputLayer} and returns its {@link SymbolicTensor}, on which layers are then called.
 * The shape is that of one sample; the batch axis is left open.
 *
 * <pre>{@code
 * SymbolicTensor image = Input.of("image", 28, 28, 1);
 * SymbolicTensor ids = Input.of("tokens", DType.I32, 64);
 * }</pre>
 */
public final class Input {
    private Input() {
    }

    /** An F32 input of samples of {@code shape}, with a default name. */
    public static SymbolicTensor of(int... shape) {
        return of(null, DType.F32, shape);
    }

    /** An F32 input called {@code name}. */
    public static SymbolicTensor of(String name, int... shape) {
        return of(name, DType.F32, shape);
    }

    /** An input of {@code dtype} called {@code name} (null: a default name). */
    public static SymbolicTensor of(String name, DType dtype, int... shape) {
        return new InputLayer(name, dtype, shape).output();
    }
}
