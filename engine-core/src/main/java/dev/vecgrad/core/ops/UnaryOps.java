package dev.vecgrad.core.ops;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;

/**
 * Elementwise functions of one tensor, each the {@link Unary} primitive of the same name in
 * {@link Primitives}. I32 supports the ops that stay integers (neg, abs, sign, square); any other
 * op on I32 is an error that says to cast first.
 */
public final class UnaryOps {
    private UnaryOps() {
    }

    /** -x. */
    public static Tensor neg(Tensor x) {
        return Primitives.NEG.apply(x);
    }

    /** |x|. */
    public static Tensor abs(Tensor x) {
        return Primitives.ABS.apply(x);
    }

    /** -1, 0 or 1 (0 for ±0, NaN for NaN). */
    public static Tensor sign(Tensor x) {
        return Primitives.SIGN.apply(x);
    }

    /** e^x. */
    public static Tensor exp(Tensor x) {
        return Primitives.EXP.apply(x);
    }

    /** e^x - 1. */
    public static Tensor expm1(Tensor x) {
        return Primitives.EXPM1.apply(x);
    }

    /** ln x. */
    public static Tensor log(Tensor x) {
        return Primitives.LOG.apply(x);
    }

    /** ln(1 + x). */
    public static Tensor log1p(Tensor x) {
        return Primitives.LOG1P.apply(x);
    }

    /** √x. */
    public static Tensor sqrt(Tensor x) {
        return Primitives.SQRT.apply(x);
    }

    /** 1/√x. */
    public static Tensor rsqrt(Tensor x) {
        return Primitives.RSQRT.apply(x);
    }

    /** x². */
    public static Tensor square(Tensor x) {
        return Primitives.SQUARE.apply(x);
    }

    /** 1/x. */
    public static Tensor reciprocal(Tensor x) {
        return Primitives.RECIPROCAL.apply(x);
    }

    /** sin x. */
    public static Tensor sin(Tensor x) {
        return Primitives.SIN.apply(x);
    }

    /** cos x. */
    public static Tensor cos(Tensor x) {
        return Primitives.COS.apply(x);
    }

    /** tanh x. */
    public static Tensor tanh(Tensor x) {
        return Primitives.TANH.apply(x);
    }

    /** 1/(1 + e^-x). */
    public static Tensor sigmoid(Tensor x) {
        return Primitives.SIGMOID.apply(x);
    }

    /** max(x, 0); NaN stays NaN. */
    public static Tensor relu(Tensor x) {
        return Primitives.RELU.apply(x);
    }

    /** GELU with the tanh approximation. */
    public static Tensor geluTanh(Tensor x) {
        return Primitives.GELU_TANH.apply(x);
    }

    /** Exact GELU, x·Φ(x). */
    public static Tensor geluErf(Tensor x) {
        return Primitives.GELU_ERF.apply(x);
    }

    /** The error function. */
    public static Tensor erf(Tensor x) {
        return Primitives.ERF.apply(x);
    }

    /** ln(1 + e^x). */
    public static Tensor softplus(Tensor x) {
        return Primitives.SOFTPLUS.apply(x);
    }

    /** ⌊x⌋. */
    public static Tensor floor(Tensor x) {
        return Primitives.FLOOR.apply(x);
    }

    /** ⌈x⌉. */
    public static Tensor ceil(Tensor x) {
        return Primitives.CEIL.apply(x);
    }

    /** x rounded half to even. */
    public static Tensor round(Tensor x) {
        return Primitives.ROUND.apply(x);
    }

    /** Whether {@code t} is F32 or F64, else an error naming the op. */
    static void requireFloating(String op, Tensor t) {
        if (t.dtype() == DType.I32) {
            throw new IllegalArgumentException(op + " needs a floating dtype (F32 or F64), got I32 " + t.shape()
                    + "; convert with cast(DType.F32)");
        }
    }
}
