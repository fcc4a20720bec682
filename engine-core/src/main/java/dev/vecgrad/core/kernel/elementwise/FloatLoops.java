package dev.vecgrad.core.kernel.elementwise;

import dev.vecgrad.core.ops.Primitives;
import dev.vecgrad.core.ops.Reduce;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The F32 SIMD loops behind {@link VectorKernels}, over contiguous ranges, whose form is the same
 * for every element type; the loops whose algorithm is the type's own (e^x and what is built on
 * it, erf, tanh, sign, softmax) are in {@link FloatMathLoops}. There is one loop per operation on
 * purpose: the Vector API compiles a lanewise operator to machine code only when the operator is a
 * constant at the call, so operators are never passed around as values. Full vectors run in the
 * main loop; the last partial vector runs under a mask.
 *
 * <p>The streaming loops of add, sub, mul, div and relu load the next vector of each input before
 * they store the current result. On x86 a load that follows a store to the same offset within a 4 KB
 * page can wait for that store (4K aliasing): with an output that starts a few bytes past its
 * input modulo 4 KB, as arrays allocated one after another do under the parallel collector, each
 * step of a plain loop would wait for the previous step's result, and the steps of a long
 * computation such as e^x would no longer overlap. Loaded one step ahead, every input vector is
 * read before the store it could be confused with.
 *
 * <p>One source for both precisions (F64Source): DoubleLoops.java is generated from FloatLoops.java,
 * so edit FloatLoops.java only and regenerate (F64Source); engine-core's tests fail while it is stale.
 */
final class FloatLoops {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /**
     * Ranges shorter than this run plain Java loops giving the same bits (add, sub, mul, div, eq
     * and sum exactly; log through {@link Math#log}, as the vector library's own fallback does). A
     * kernel called a few times a step on a short range stays in the JIT's first tier for
     * thousands of steps, where every vector operation allocates; a plain loop allocates nothing
     * there, and C2 vectorizes the arithmetic ones itself.
     */
    static final int SHORT = 256;

    private FloatLoops() {
    }

    // ---------------------------------------------------------------------------------------
    // Unary: y[yo + i] = f(x[xo + i]) for i in [0, n).

    static void neg(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).neg().intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xo + i, m).neg().intoArray(y, yo + i, m);
        }
    }

    static void abs(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).abs().intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xo + i, m).abs().intoArray(y, yo + i, m);
        }
    }

    static void expm1(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.EXPM1).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xo + i, m).lanewise(VectorOperators.EXPM1).intoArray(y, yo + i, m);
        }
    }

    static void log(float[] x, int xo, float[] y, int yo, int n) {
        if (n < SHORT) {
            for (int i = 0; i < n; i++) {
                y[yo + i] = (float) Math.log(x[xo + i]);
            }
            return;
        }
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.LOG).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xo + i, m).lanewise(VectorOperators.LOG).intoArray(y, yo + i, m);
        }
    }

    static void log1p(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.LOG1P).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xo + i, m).lanewise(VectorOperators.LOG1P).intoArray(y, yo + i, m);
        }
    }

    static void sqrt(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.SQRT).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xo + i, m).lanewise(VectorOperators.SQRT).intoArray(y, yo + i, m);
        }
    }

    static void rsqrt(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector.broadcast(S, 1f).div(v.lanewise(VectorOperators.SQRT)).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(S, x, xo + i, m);
            FloatVector.broadcast(S, 1f).div(v.lanewise(VectorOperators.SQRT)).intoArray(y, yo + i, m);
        }
    }

    static void square(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.mul(v).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(S, x, xo + i, m);
            v.mul(v).intoArray(y, yo + i, m);
        }
    }

    static void reciprocal(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.broadcast(S, 1f).div(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.broadcast(S, 1f).div(FloatVector.fromArray(S, x, xo + i, m)).intoArray(y, yo + i, m);
        }
    }

    static void sin(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.SIN).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xo + i, m).lanewise(VectorOperators.SIN).intoArray(y, yo + i, m);
        }
    }

    static void cos(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.COS).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xo + i, m).lanewise(VectorOperators.COS).intoArray(y, yo + i, m);
        }
    }

    /**
     * max(x, 0) as a compare and a blend: x ≤ 0 (including -0 and -inf) gives +0 and NaN stays
     * NaN, as {@code Math.max} does, but without the NaN and signed-zero fix-ups of the vector
     * MAX, which made this loop about a fifth slower on data in cache.
     */
    static void relu(float[] x, int xo, float[] y, int yo, int n) {
        int last = S.loopBound(n) - L;
        int i = 0;
        if (last >= 0) {
            // The next vector is loaded before this one is stored (class comment).
            FloatVector v = FloatVector.fromArray(S, x, xo);
            for (; i < last; i += L) {
                FloatVector next = FloatVector.fromArray(S, x, xo + i + L);
                v.blend(0f, v.compare(VectorOperators.LE, 0f)).intoArray(y, yo + i);
                v = next;
            }
            v.blend(0f, v.compare(VectorOperators.LE, 0f)).intoArray(y, yo + i);
            i += L;
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(S, x, xo + i, m);
            v.blend(0f, v.compare(VectorOperators.LE, 0f)).intoArray(y, yo + i, m);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Binary: y[yo + i] = a[ao + i] op b[bo + i] for i in [0, n).
    //
    // add, sub, mul and div each keep their own copy of the load-ahead loop. One loop taking the
    // operator (a VectorOperators.Binary constant at each call) ran 11-14 times slower at 1M
    // elements and 5 times at 16M, with the four ops called in turn and with add alone: the loop's
    // back edges get it compiled on its own within the first calls, long before its callers are,
    // and there the operator is a parameter, not a constant, so the Vector API runs it through
    // its Java fallback.

    static void add(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        if (n < SHORT) {
            for (int i = 0; i < n; i++) {
                y[yo + i] = a[ao + i] + b[bo + i];
            }
            return;
        }
        // n ≥ SHORT: at least one full vector. The next vectors are loaded before this one is stored (class comment).
        int last = S.loopBound(n) - L;
        FloatVector va = FloatVector.fromArray(S, a, ao);
        FloatVector vb = FloatVector.fromArray(S, b, bo);
        int i = 0;
        for (; i < last; i += L) {
            FloatVector nextA = FloatVector.fromArray(S, a, ao + i + L);
            FloatVector nextB = FloatVector.fromArray(S, b, bo + i + L);
            va.add(vb).intoArray(y, yo + i);
            va = nextA;
            vb = nextB;
        }
        va.add(vb).intoArray(y, yo + i);
        i += L;
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, a, ao + i, m).add(FloatVector.fromArray(S, b, bo + i, m)).intoArray(y, yo + i, m);
        }
    }

    static void sub(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        if (n < SHORT) {
            for (int i = 0; i < n; i++) {
                y[yo + i] = a[ao + i] - b[bo + i];
            }
            return;
        }
        // n ≥ SHORT: at least one full vector. The next vectors are loaded before this one is stored (class comment).
        int last = S.loopBound(n) - L;
        FloatVector va = FloatVector.fromArray(S, a, ao);
        FloatVector vb = FloatVector.fromArray(S, b, bo);
        int i = 0;
        for (; i < last; i += L) {
            FloatVector nextA = FloatVector.fromArray(S, a, ao + i + L);
            FloatVector nextB = FloatVector.fromArray(S, b, bo + i + L);
            va.sub(vb).intoArray(y, yo + i);
            va = nextA;
            vb = nextB;
        }
        va.sub(vb).intoArray(y, yo + i);
        i += L;
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, a, ao + i, m).sub(FloatVector.fromArray(S, b, bo + i, m)).intoArray(y, yo + i, m);
        }
    }

    static void mul(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        if (n < SHORT) {
            for (int i = 0; i < n; i++) {
                y[yo + i] = a[ao + i] * b[bo + i];
            }
            return;
        }
        // n ≥ SHORT: at least one full vector. The next vectors are loaded before this one is stored (class comment).
        int last = S.loopBound(n) - L;
        FloatVector va = FloatVector.fromArray(S, a, ao);
        FloatVector vb = FloatVector.fromArray(S, b, bo);
        int i = 0;
        for (; i < last; i += L) {
            FloatVector nextA = FloatVector.fromArray(S, a, ao + i + L);
            FloatVector nextB = FloatVector.fromArray(S, b, bo + i + L);
            va.mul(vb).intoArray(y, yo + i);
            va = nextA;
            vb = nextB;
        }
        va.mul(vb).intoArray(y, yo + i);
        i += L;
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, a, ao + i, m).mul(FloatVector.fromArray(S, b, bo + i, m)).intoArray(y, yo + i, m);
        }
    }

    static void div(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        if (n < SHORT) {
            for (int i = 0; i < n; i++) {
                y[yo + i] = a[ao + i] / b[bo + i];
            }
            return;
        }
        // n ≥ SHORT: at least one full vector. The next vectors are loaded before this one is stored (class comment).
        int last = S.loopBound(n) - L;
        FloatVector va = FloatVector.fromArray(S, a, ao);
        FloatVector vb = FloatVector.fromArray(S, b, bo);
        int i = 0;
        for (; i < last; i += L) {
            FloatVector nextA = FloatVector.fromArray(S, a, ao + i + L);
            FloatVector nextB = FloatVector.fromArray(S, b, bo + i + L);
            va.div(vb).intoArray(y, yo + i);
            va = nextA;
            vb = nextB;
        }
        va.div(vb).intoArray(y, yo + i);
        i += L;
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, a, ao + i, m).div(FloatVector.fromArray(S, b, bo + i, m)).intoArray(y, yo + i, m);
        }
    }

    static void pow(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, ao + i).lanewise(VectorOperators.POW, FloatVector.fromArray(S, b, bo + i))
                    .intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, a, ao + i, m).lanewise(VectorOperators.POW, FloatVector.fromArray(S, b, bo + i, m))
                    .intoArray(y, yo + i, m);
        }
    }

    static void max(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, ao + i).max(FloatVector.fromArray(S, b, bo + i)).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, a, ao + i, m).max(FloatVector.fromArray(S, b, bo + i, m)).intoArray(y, yo + i, m);
        }
    }

    /** g where x > 0, else +0 (relu's backward): a compare and a blend over zeros. */
    static void reluGrad(float[] g, int go, float[] x, int xo, float[] y, int yo, int n) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Float> up = FloatVector.fromArray(S, x, xo + i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(S, g, go + i), up).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            VectorMask<Float> up = FloatVector.fromArray(S, x, xo + i, m).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(S, g, go + i, m), up).intoArray(y, yo + i, m);
        }
    }

    static void min(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, ao + i).min(FloatVector.fromArray(S, b, bo + i)).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, a, ao + i, m).min(FloatVector.fromArray(S, b, bo + i, m)).intoArray(y, yo + i, m);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Binary with a single value as the right operand: y[yo + i] = a[ao + i] op c. Arithmetic
    // with a number (x·0.5, x + 1) is common on small tensors, where spreading the value over a
    // buffer first would cost more than the operation.

    static void addScalar(float[] a, int ao, float c, float[] y, int yo, int n) {
        FloatVector vc = FloatVector.broadcast(S, c);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, ao + i).add(vc).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, a, ao + i, m).add(vc).intoArray(y, yo + i, m);
        }
    }

    static void subScalar(float[] a, int ao, float c, float[] y, int yo, int n) {
        FloatVector vc = FloatVector.broadcast(S, c);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, ao + i).sub(vc).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, a, ao + i, m).sub(vc).intoArray(y, yo + i, m);
        }
    }

    static void mulScalar(float[] a, int ao, float c, float[] y, int yo, int n) {
        FloatVector vc = FloatVector.broadcast(S, c);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, ao + i).mul(vc).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, a, ao + i, m).mul(vc).intoArray(y, yo + i, m);
        }
    }

    static void divScalar(float[] a, int ao, float c, float[] y, int yo, int n) {
        FloatVector vc = FloatVector.broadcast(S, c);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, ao + i).div(vc).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, a, ao + i, m).div(vc).intoArray(y, yo + i, m);
        }
    }

    static void eq(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        if (n < SHORT) {
            for (int i = 0; i < n; i++) {
                y[yo + i] = a[ao + i] == b[bo + i] ? 1f : 0f;
            }
            return;
        }
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Float> c = FloatVector.fromArray(S, a, ao + i)
                    .compare(VectorOperators.EQ, FloatVector.fromArray(S, b, bo + i));
            zero.blend(one, c).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            VectorMask<Float> c = FloatVector.fromArray(S, a, ao + i, m)
                    .compare(VectorOperators.EQ, FloatVector.fromArray(S, b, bo + i, m));
            zero.blend(one, c).intoArray(y, yo + i, m);
        }
    }

    /** NE is written as not-EQ so that NaN operands give 1, as Java's {@code !=} does. */
    static void ne(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Float> c = FloatVector.fromArray(S, a, ao + i)
                    .compare(VectorOperators.EQ, FloatVector.fromArray(S, b, bo + i));
            one.blend(zero, c).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            VectorMask<Float> c = FloatVector.fromArray(S, a, ao + i, m)
                    .compare(VectorOperators.EQ, FloatVector.fromArray(S, b, bo + i, m));
            one.blend(zero, c).intoArray(y, yo + i, m);
        }
    }

    static void lt(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Float> c = FloatVector.fromArray(S, a, ao + i)
                    .compare(VectorOperators.LT, FloatVector.fromArray(S, b, bo + i));
            zero.blend(one, c).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            VectorMask<Float> c = FloatVector.fromArray(S, a, ao + i, m)
                    .compare(VectorOperators.LT, FloatVector.fromArray(S, b, bo + i, m));
            zero.blend(one, c).intoArray(y, yo + i, m);
        }
    }

    static void le(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Float> c = FloatVector.fromArray(S, a, ao + i)
                    .compare(VectorOperators.LE, FloatVector.fromArray(S, b, bo + i));
            zero.blend(one, c).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            VectorMask<Float> c = FloatVector.fromArray(S, a, ao + i, m)
                    .compare(VectorOperators.LE, FloatVector.fromArray(S, b, bo + i, m));
            zero.blend(one, c).intoArray(y, yo + i, m);
        }
    }

    static void gt(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Float> c = FloatVector.fromArray(S, a, ao + i)
                    .compare(VectorOperators.GT, FloatVector.fromArray(S, b, bo + i));
            zero.blend(one, c).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            VectorMask<Float> c = FloatVector.fromArray(S, a, ao + i, m)
                    .compare(VectorOperators.GT, FloatVector.fromArray(S, b, bo + i, m));
            zero.blend(one, c).intoArray(y, yo + i, m);
        }
    }

    static void ge(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Float> c = FloatVector.fromArray(S, a, ao + i)
                    .compare(VectorOperators.GE, FloatVector.fromArray(S, b, bo + i));
            zero.blend(one, c).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            VectorMask<Float> c = FloatVector.fromArray(S, a, ao + i, m)
                    .compare(VectorOperators.GE, FloatVector.fromArray(S, b, bo + i, m));
            zero.blend(one, c).intoArray(y, yo + i, m);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Reductions. Four accumulators hide the add latency; their lanes are combined in a fixed
    // order, lane by lane, never with reduceLanes, whose order is left to the implementation.

    static float sum(float[] x, int off, int n) {
        if (n < SHORT) {
            return shortSum(x, off, n);
        }
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int i = 0;
        for (int bound = n - n % (4 * L); i < bound; i += 4 * L) {
            a0 = a0.add(FloatVector.fromArray(S, x, off + i));
            a1 = a1.add(FloatVector.fromArray(S, x, off + i + L));
            a2 = a2.add(FloatVector.fromArray(S, x, off + i + 2 * L));
            a3 = a3.add(FloatVector.fromArray(S, x, off + i + 3 * L));
        }
        for (int bound = S.loopBound(n); i < bound; i += L) {
            a0 = a0.add(FloatVector.fromArray(S, x, off + i));
        }
        float acc = sumLanes(a0.add(a1).add(a2.add(a3)));
        for (; i < n; i++) {
            acc += x[off + i];
        }
        return acc;
    }

    /**
     * {@link #sum} of a short range in plain Java, adding in exactly the vector loop's order: lane
     * j of each of the four accumulators is a running sum of its own elements, the accumulators
     * combine as (a0 + a1) + (a2 + a3), the lanes in order, then the tail.
     */
    static float shortSum(float[] x, int off, int n) {
        int bound4 = n - n % (4 * L);
        int bound1 = n - n % L;
        float acc = 0;
        for (int j = 0; j < L; j++) {
            float a0 = 0;
            float a1 = 0;
            float a2 = 0;
            float a3 = 0;
            int i = 0;
            for (; i < bound4; i += 4 * L) {
                a0 += x[off + i + j];
                a1 += x[off + i + L + j];
                a2 += x[off + i + 2 * L + j];
                a3 += x[off + i + 3 * L + j];
            }
            for (; i < bound1; i += L) {
                a0 += x[off + i + j];
            }
            acc += a0 + a1 + (a2 + a3);
        }
        for (int i = bound1; i < n; i++) {
            acc += x[off + i];
        }
        return acc;
    }

    static float prod(float[] x, int off, int n) {
        FloatVector a0 = FloatVector.broadcast(S, 1f);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int i = 0;
        for (int bound = n - n % (4 * L); i < bound; i += 4 * L) {
            a0 = a0.mul(FloatVector.fromArray(S, x, off + i));
            a1 = a1.mul(FloatVector.fromArray(S, x, off + i + L));
            a2 = a2.mul(FloatVector.fromArray(S, x, off + i + 2 * L));
            a3 = a3.mul(FloatVector.fromArray(S, x, off + i + 3 * L));
        }
        for (int bound = S.loopBound(n); i < bound; i += L) {
            a0 = a0.mul(FloatVector.fromArray(S, x, off + i));
        }
        float acc = 1;
        FloatVector p = a0.mul(a1).mul(a2.mul(a3));
        for (int j = 0; j < L; j++) {
            acc *= p.lane(j);
        }
        for (; i < n; i++) {
            acc *= x[off + i];
        }
        return acc;
    }

    /** The maximum with Math.max's rules (NaN wins, +0 above -0); those make the order irrelevant. */
    static float max(float[] x, int off, int n) {
        FloatVector a0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector a1 = a0;
        int i = 0;
        for (int bound = n - n % (2 * L); i < bound; i += 2 * L) {
            a0 = a0.max(FloatVector.fromArray(S, x, off + i));
            a1 = a1.max(FloatVector.fromArray(S, x, off + i + L));
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            a0 = a0.blend(a0.max(FloatVector.fromArray(S, x, off + i, m)), m);
            i += L;
            if (i < n) {
                m = S.indexInRange(i, n);
                a1 = a1.blend(a1.max(FloatVector.fromArray(S, x, off + i, m)), m);
            }
        }
        float acc = Float.NEGATIVE_INFINITY;
        FloatVector v = a0.max(a1);
        for (int j = 0; j < L; j++) {
            acc = Math.max(acc, v.lane(j));
        }
        return acc;
    }

    /** The minimum with Math.min's rules (NaN wins, -0 below +0). */
    static float min(float[] x, int off, int n) {
        FloatVector a0 = FloatVector.broadcast(S, Float.POSITIVE_INFINITY);
        FloatVector a1 = a0;
        int i = 0;
        for (int bound = n - n % (2 * L); i < bound; i += 2 * L) {
            a0 = a0.min(FloatVector.fromArray(S, x, off + i));
            a1 = a1.min(FloatVector.fromArray(S, x, off + i + L));
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            a0 = a0.blend(a0.min(FloatVector.fromArray(S, x, off + i, m)), m);
            i += L;
            if (i < n) {
                m = S.indexInRange(i, n);
                a1 = a1.blend(a1.min(FloatVector.fromArray(S, x, off + i, m)), m);
            }
        }
        float acc = Float.POSITIVE_INFINITY;
        FloatVector v = a0.min(a1);
        for (int j = 0; j < L; j++) {
            acc = Math.min(acc, v.lane(j));
        }
        return acc;
    }

    // ---------------------------------------------------------------------------------------
    // Accumulation: acc[ao + i] = acc[ao + i] op x[xo + i]. The same elementwise loops as binary,
    // with the accumulator as both an input and the output.

    static void accumulate(Reduce op, float[] acc, int ao, float[] x, int xo, int n) {
        if (op == Primitives.SUM) {
            add(acc, ao, x, xo, acc, ao, n);
        } else if (op == Primitives.PROD) {
            mul(acc, ao, x, xo, acc, ao, n);
        } else if (op == Primitives.MAX) {
            max(acc, ao, x, xo, acc, ao, n);
        } else {
            min(acc, ao, x, xo, acc, ao, n);
        }
    }

    /**
     * The lanes of {@code v} added in lane order. Read lane by lane rather than through an array,
     * which the compiler could not keep in registers: a reduction then allocates nothing.
     */
    static float sumLanes(FloatVector v) {
        float acc = 0;
        for (int j = 0; j < L; j++) {
            acc += v.lane(j);
        }
        return acc;
    }

    /** A vector's worth of elements: the {@code n} < L at {@code x[from]}, then {@code fill}. */
    static float[] padded(float[] x, int from, int n, float fill) {
        float[] t = new float[L];
        System.arraycopy(x, from, t, 0, n);
        java.util.Arrays.fill(t, n, L, fill);
        return t;
    }

    /** y[yo + i] *= c. */
    static void scale(float[] y, int yo, float c, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, y, yo + i).mul(c).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, y, yo + i, m).mul(c).intoArray(y, yo + i, m);
        }
    }
}
