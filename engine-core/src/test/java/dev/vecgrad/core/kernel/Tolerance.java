package dev.vecgrad.core.kernel;

import dev.vecgrad.core.kernel.elementwise.VectorKernels;
import dev.vecgrad.core.ops.Binary;
import dev.vecgrad.core.ops.Primitives;
import dev.vecgrad.core.ops.Unary;
import java.util.Set;

/**
 * The accuracy each kernel op promises against the reference, as documented on
 * {@link VectorKernels}, and the comparison that checks it. Exact ops must match bit for bit.
 */
public record Tolerance(double ulps, double rel, double absPerX) {
    public static final Tolerance EXACT = new Tolerance(0, 0, 0);
    /** Inexact F32 ops may be this many subnormal steps (2⁻¹⁴⁹) off where the result is subnormal. */
    public static final int SUBNORMAL_STEPS = 8;

    public static Tolerance ulps(double u) {
        return new Tolerance(u, 0, 0);
    }

    /** The promised F32 accuracy of a unary op (for all inputs, special values included). */
    public static Tolerance f32Unary(Unary op) {
        if (Set.of(Primitives.EXP, Primitives.LOG, Primitives.TANH, Primitives.EXPM1, Primitives.LOG1P, Primitives.SIN,
                Primitives.COS).contains(op)) {
            return ulps(1);
        } else if (op == Primitives.SIGMOID) {
            return ulps(2.5);
        } else if (op == Primitives.SOFTPLUS || op == Primitives.RSQRT) {
            return ulps(2);
        } else if (op == Primitives.GELU_TANH) {
            // x·sigmoid(u): exp amplifies u's own rounding by |u| (up to 88) for very negative x.
            return new Tolerance(4, 2.5e-5, 0);
        } else if (op == Primitives.ERF || op == Primitives.GELU_ERF) {
            return new Tolerance(0, 0, 2e-7);
        }
        return EXACT;
    }

    /** The promised F64 accuracy of a unary op. */
    public static Tolerance f64Unary(Unary op) {
        if (Set.of(Primitives.EXP, Primitives.LOG, Primitives.TANH, Primitives.EXPM1, Primitives.LOG1P, Primitives.SIN,
                Primitives.COS, Primitives.SIGMOID, Primitives.SOFTPLUS, Primitives.RSQRT).contains(op)) {
            return ulps(4);
        }
        return op == Primitives.GELU_TANH ? new Tolerance(4, 1e-12, 0) : EXACT;
    }

    public static Tolerance f32Binary(Binary op) {
        return op == Primitives.POW ? ulps(2) : EXACT;
    }

    public static Tolerance f64Binary(Binary op) {
        return op == Primitives.POW ? ulps(4) : EXACT;
    }

    /**
     * Null when {@code got} (F32) is within this tolerance of the double reference {@code ref} for
     * input {@code x}, else a description. NaN must meet NaN and infinities must match exactly.
     */
    public String checkF32(float got, double ref, double x) {
        float r = (float) ref;
        if (this == EXACT || Float.isNaN(r) || Float.isInfinite(r) || Float.isInfinite(got)) {
            return Float.floatToIntBits(got) == Float.floatToIntBits(r) ? null : "expected exactly " + r;
        }
        double err = Math.abs(got - ref);
        if (err <= ulps * Math.ulp(r) || err <= rel * Math.abs(ref) || err <= absPerX * Math.max(1, Math.abs(x))) {
            return null;
        }
        if (Math.abs(ref) < Float.MIN_NORMAL && err <= SUBNORMAL_STEPS * Float.MIN_VALUE) {
            return null; // a relative bound means nothing where the result has lost its precision anyway
        }
        return "error " + err + " (" + err / Math.ulp(r) + " ulp) against " + ref + " exceeds " + this;
    }

    /** As {@link #checkF32} for an F64 result. */
    public String checkF64(double got, double ref, double x) {
        if (this == EXACT || Double.isNaN(ref) || Double.isInfinite(ref) || Double.isInfinite(got)) {
            return Double.doubleToLongBits(got) == Double.doubleToLongBits(ref) ? null : "expected exactly " + ref;
        }
        double err = Math.abs(got - ref);
        if (err <= ulps * Math.ulp(ref) || err <= rel * Math.abs(ref) || err <= absPerX * Math.max(1, Math.abs(x))) {
            return null;
        }
        if (Math.abs(ref) < Double.MIN_NORMAL && err <= SUBNORMAL_STEPS * Double.MIN_VALUE) {
            return null;
        }
        return "error " + err + " (" + err / Math.ulp(ref) + " ulp) against " + ref + " exceeds " + this;
    }
}
