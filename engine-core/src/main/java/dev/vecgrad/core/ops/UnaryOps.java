package dev.vecgrad.core.ops;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Engine;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.kernel.Kernels;

/**
 * Elementwise functions of one tensor. Floating dtypes run on the engine's kernels; I32 supports
 * the ops that stay integers (neg, abs, sign, square), and any other op on I32 is an error that
 * says to cast first.
 */
public final class UnaryOps {
    private UnaryOps() {
    }

    /** -x. */
    public static Tensor neg(Tensor x) {
        return apply(Op.NEG, x);
    }

    /** |x|. */
    public static Tensor abs(Tensor x) {
        return apply(Op.ABS, x);
    }

    /** -1, 0 or 1 (0 for ±0, NaN for NaN). */
    public static Tensor sign(Tensor x) {
        return apply(Op.SIGN, x);
    }

    /** e^x. */
    public static Tensor exp(Tensor x) {
        return apply(Op.EXP, x);
    }

    /** e^x - 1. */
    public static Tensor expm1(Tensor x) {
        return apply(Op.EXPM1, x);
    }

    /** ln x. */
    public static Tensor log(Tensor x) {
        return apply(Op.LOG, x);
    }

    /** ln(1 + x). */
    public static Tensor log1p(Tensor x) {
        return apply(Op.LOG1P, x);
    }

    /** √x. */
    public static Tensor sqrt(Tensor x) {
        return apply(Op.SQRT, x);
    }

    /** 1/√x. */
    public static Tensor rsqrt(Tensor x) {
        return apply(Op.RSQRT, x);
    }

    /** x². */
    public static Tensor square(Tensor x) {
        return apply(Op.SQUARE, x);
    }

    /** 1/x. */
    public static Tensor reciprocal(Tensor x) {
        return apply(Op.RECIPROCAL, x);
    }

    /** sin x. */
    public static Tensor sin(Tensor x) {
        return apply(Op.SIN, x);
    }

    /** cos x. */
    public static Tensor cos(Tensor x) {
        return apply(Op.COS, x);
    }

    /** tanh x. */
    public static Tensor tanh(Tensor x) {
        return apply(Op.TANH, x);
    }

    /** 1/(1 + e^-x). */
    public static Tensor sigmoid(Tensor x) {
        return apply(Op.SIGMOID, x);
    }

    /** max(x, 0); NaN stays NaN. */
    public static Tensor relu(Tensor x) {
        return apply(Op.RELU, x);
    }

    /** GELU with the tanh approximation. */
    public static Tensor geluTanh(Tensor x) {
        return apply(Op.GELU_TANH, x);
    }

    /** Exact GELU, x·Φ(x). */
    public static Tensor geluErf(Tensor x) {
        return apply(Op.GELU_ERF, x);
    }

    /** The error function. */
    public static Tensor erf(Tensor x) {
        return apply(Op.ERF, x);
    }

    /** ln(1 + e^x). */
    public static Tensor softplus(Tensor x) {
        return apply(Op.SOFTPLUS, x);
    }

    /** ⌊x⌋. */
    public static Tensor floor(Tensor x) {
        return apply(Op.FLOOR, x);
    }

    /** ⌈x⌉. */
    public static Tensor ceil(Tensor x) {
        return apply(Op.CEIL, x);
    }

    /** x rounded half to even. */
    public static Tensor round(Tensor x) {
        return apply(Op.ROUND, x);
    }

    /** Runs unary {@code op} over {@code x} into a new contiguous tensor and records it. */
    static Tensor apply(Op op, Tensor x) {
        Tensor y = Tensor.zeros(x.dtype(), x.shape());
        Kernels k = Engine.get().kernels();
        if (x.dtype().isFloating() && x.isContiguous() && x.size() < StridedLoop.PARALLEL_MIN) {
            // Small dense input: one kernel call, no loop to set up.
            if (x.dtype() == DType.F32) {
                k.unary(op, x.f32Array(), x.offset(), 1, y.f32Array(), 0, x.size());
            } else {
                k.unary(op, x.f64Array(), x.offset(), 1, y.f64Array(), 0, x.size());
            }
            return Recording.record(op, null, y, x);
        }
        StridedLoop loop = new StridedLoop(x.shape(), x);
        int xs = loop.innerStride(0);
        switch (x.dtype()) {
            case F32 -> {
                float[] xa = x.f32Array();
                float[] ya = y.f32Array();
                loop.forEach((offs, yo, n) -> k.unary(op, xa, offs[0], xs, ya, yo, n));
            }
            case F64 -> {
                double[] xa = x.f64Array();
                double[] ya = y.f64Array();
                loop.forEach((offs, yo, n) -> k.unary(op, xa, offs[0], xs, ya, yo, n));
            }
            case I32 -> {
                if (op != Op.NEG && op != Op.ABS && op != Op.SIGN && op != Op.SQUARE) {
                    throw new IllegalArgumentException(op.opName() + " needs a floating dtype (F32 or F64), got I32 "
                            + x.shape() + "; convert with cast(DType.F32)");
                }
                int[] xa = x.i32Array();
                int[] ya = y.i32Array();
                loop.forEach((offs, yo, n) -> {
                    for (int i = 0; i < n; i++) {
                        int v = xa[offs[0] + i * xs];
                        ya[yo + i] = switch (op) {
                            case NEG -> -v;
                            case ABS -> Math.abs(v);
                            case SIGN -> Integer.signum(v);
                            default -> v * v;
                        };
                    }
                });
            }
        }
        return Recording.record(op, null, y, x);
    }

    /** Whether {@code t} is F32 or F64, else an error naming the op. */
    static void requireFloating(String op, Tensor t) {
        if (t.dtype() == DType.I32) {
            throw new IllegalArgumentException(op + " needs a floating dtype (F32 or F64), got I32 " + t.shape()
                    + "; convert with cast(DType.F32)");
        }
    }
}
