package dev.vecgrad.core.ops;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
import dev.vecgrad.core.kernel.Backend;
import dev.vecgrad.core.kernel.Kernels;
import dev.vecgrad.core.kernel.parallel.Parallel;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntUnaryOperator;

/**
 * An elementwise function of one tensor, declared by its name and its reference definition: the
 * value in double that the scalar backend computes (rounded once to the dtype) and the SIMD
 * kernels are tested against. Floating dtypes run on the backend's {@link Kernels#unary}; a
 * function that keeps integers integers (neg, abs, sign, square) also declares its I32 form, and
 * any other function on I32 is an error that says to cast first.
 */
public final class Unary extends ComputePrimitive<Void> {
    private final DoubleUnaryOperator reference;
    private final IntUnaryOperator integer;

    /**
     * Declares a unary function.
     *
     * @param name           its name
     * @param differentiable whether a gradient flows through it
     * @param reference      its value in double
     * @param integer        its I32 form, or null when it needs a floating dtype
     */
    Unary(String name, boolean differentiable, DoubleUnaryOperator reference, IntUnaryOperator integer) {
        super(name, differentiable);
        this.reference = reference;
        this.integer = integer;
    }

    /** The reference value at {@code x}. */
    public double reference(double x) {
        return reference.applyAsDouble(x);
    }

    /** Runs on this tensor: {@code Primitives.EXP.apply(x)}. */
    public Tensor apply(Tensor x) {
        return Dispatcher.call(this, null, x);
    }

    @Override
    public Shape inferShape(Tensor[] in, Void attrs) {
        Tensor x = in[0];
        if (integer == null) {
            UnaryOps.requireFloating(name(), x);
        }
        return x.shape();
    }

    @Override
    public int inPlaceInput() {
        return 0;
    }

    @Override
    public void run(Backend backend, Tensor[] in, Void attrs, Tensor y) {
        Tensor x = in[0];
        Kernels k = backend.kernels();
        if (runFlat(k, x, y)) {
            return;
        }
        if (x.dtype().isFloating() && isOneValue(x)) {
            // One value broadcast over the output (a scalar's gradient spread over a batch): one kernel call.
            if (x.dtype() == DType.F32) {
                k.unary(this, TensorInternals.f32(x), x.offset(), 0, TensorInternals.f32(y), y.offset(), y.size());
            } else {
                k.unary(this, TensorInternals.f64(x), x.offset(), 0, TensorInternals.f64(y), y.offset(), y.size());
            }
            return;
        }
        StridedLoop loop = new StridedLoop(x.shape(), x);
        int xs = loop.innerStride(0);
        switch (x.dtype()) {
            case F32 -> {
                float[] xa = TensorInternals.f32(x);
                float[] ya = TensorInternals.f32(y);
                loop.forEach(backend.parallel(), (offs, yo, n) -> k.unary(this, xa, offs[0], xs, ya, yo, n));
            }
            case F64 -> {
                double[] xa = TensorInternals.f64(x);
                double[] ya = TensorInternals.f64(y);
                loop.forEach(backend.parallel(), (offs, yo, n) -> k.unary(this, xa, offs[0], xs, ya, yo, n));
            }
            case I32 -> {
                int[] xa = TensorInternals.i32(x);
                int[] ya = TensorInternals.i32(y);
                loop.forEach(backend.parallel(), (offs, yo, n) -> {
                    for (int i = 0; i < n; i++) {
                        ya[yo + i] = integer.applyAsInt(xa[offs[0] + i * xs]);
                    }
                });
            }
        }
    }

    /** Whether every element of {@code x} is the same array element (each dimension has size 1 or stride 0). */
    private static boolean isOneValue(Tensor x) {
        for (int i = 0; i < x.rank(); i++) {
            if (x.shape().dim(i) != 1 && x.stride(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The flat path: a small dense floating input is one kernel call into the fresh contiguous
     * {@code y}, with no loop to set up. Returns whether it ran; it declines an integer, strided or
     * {@linkplain Parallel#worthSplitting big} input, which the strided loop takes.
     */
    boolean runFlat(Kernels k, Tensor x, Tensor y) {
        if (!x.dtype().isFloating() || !x.isContiguous() || Parallel.worthSplitting(x.size())) {
            return false;
        }
        if (x.dtype() == DType.F32) {
            k.unary(this, TensorInternals.f32(x), x.offset(), 1, TensorInternals.f32(y), 0, x.size());
        } else {
            k.unary(this, TensorInternals.f64(x), x.offset(), 1, TensorInternals.f64(y), 0, x.size());
        }
        return true;
    }
}
