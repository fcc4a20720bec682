package dev.vecgrad.core.kernel.elementwise;

import dev.vecgrad.core.kernel.gemm.CpuCaches;
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
 * <p>Over ranges whose operands do not fit in the L1 data cache, add, sub, mul and relu run on
 * 256-bit vectors, four a step, where the preferred species is wider ({@link #streams}): there the
 * loop waits on the caches' fills, not on its instructions, and narrower accesses were faster on a
 * core that splits each 512-bit access in two (the implementation note below).
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

    /** The species of the streaming loops' form for ranges beyond the L1 data cache ({@link #streams}). */
    static final VectorSpecies<Float> H = FloatVector.SPECIES_256;
    static final int HL = H.length();
    /** Whether the preferred species is wider than {@link #H}, so that the streaming form differs from the main loops. */
    static final boolean WIDE = S.vectorBitSize() > H.vectorBitSize();
    static final long L1_BYTES = CpuCaches.DETECTED.l1Bytes();

    // Implementation note. The streaming form (256-bit vectors, four a step, the next four loaded
    // before these four are stored) against the preferred 512-bit load-ahead loop, one JVM
    // alternating blocks of 0.1 s, the benchmark's G1 flags, pinned to each vCPU, median of 11-15
    // rounds' ratios, on an AMD EPYC Zen 4 (512-bit accesses split in two, 32 KiB L1):
    // add 1.10-1.12 at 1M and 1.03-1.13 at 16M, relu 1.06-1.10 at 1M and 1.01-1.12 at 16M; plain
    // 256-bit load-ahead loops gained as much at 1M (1.06-1.11) but relu lost at 16M (0.94-0.98);
    // at 64K (in L2) 256-bit loops were within 5 % either way, at 2K (in L1) 4-34 % faster. The A/A
    // control (two copies of the current loop) read 0.99-1.03. Peeling to put the operands 32 or 64
    // bytes into a line (they start 16 bytes in, in G1's humongous regions) made the 512-bit loop
    // 1.08 (add) and 1.16 (relu) as fast, and the streaming form 1.12 and 1.18-1.19 of it, but Java
    // does not expose an array's address, so no peel can be chosen.
    // Why it cannot lose where 512-bit accesses are whole (Zen 5, Intel): beyond L1 a core fills at
    // most 64 B a cycle from L2, under 5 elements of a binary op (16 B each with the output line's
    // read), while 256-bit loads and stores issue 8 elements a cycle or more on every AVX-512
    // core, so the width is not what bounds the loop there; within L1, where it could, the ranges
    // keep the preferred loop. F64 (generated) follows the same rule unmeasured: the loop moves the
    // same bytes a step.

    private FloatLoops() {
    }

    /**
     * Whether a streaming loop over {@code n} elements of {@code arrays} operands (inputs and
     * output) takes its 256-bit form: where the preferred species is wider than 256 bits and the
     * operands together exceed the L1 data cache, so that the loop is bound by the caches' fills.
     */
    static boolean streams(int n, int arrays) {
        return WIDE && (long) n * arrays * Float.BYTES > L1_BYTES;
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
        if (streams(n, 2)) {
            reluStream(x, xo, y, yo, n);
            return;
        }
        int last = S.loopBound(n) - L;
        int i = 0;
        if (last >= 0) {
            // The next vector is loaded before this one is stored (class comment).
            FloatVector v = FloatVector.fromArray(S, x, xo);
            for (; i < last; i += L) {
                FloatVector next = FloatVector.fromArray(S, x, xo + i + L);
                reluOf(v).intoArray(y, yo + i);
                v = next;
            }
            reluOf(v).intoArray(y, yo + i);
            i += L;
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(S, x, xo + i, m);
            reluOf(v).intoArray(y, yo + i, m);
        }
    }

    /** {@link #relu}'s streaming form (class comment): 256-bit vectors, four a step, loaded a step ahead. */
    private static void reluStream(float[] x, int xo, float[] y, int yo, int n) {
        int step = 4 * HL;
        int i = 0;
        if (n >= step) {
            FloatVector v0 = FloatVector.fromArray(H, x, xo);
            FloatVector v1 = FloatVector.fromArray(H, x, xo + HL);
            FloatVector v2 = FloatVector.fromArray(H, x, xo + 2 * HL);
            FloatVector v3 = FloatVector.fromArray(H, x, xo + 3 * HL);
            for (int last = n - 2 * step; i <= last; i += step) {
                int j = xo + i + step;
                FloatVector n0 = FloatVector.fromArray(H, x, j);
                FloatVector n1 = FloatVector.fromArray(H, x, j + HL);
                FloatVector n2 = FloatVector.fromArray(H, x, j + 2 * HL);
                FloatVector n3 = FloatVector.fromArray(H, x, j + 3 * HL);
                reluOf(v0).intoArray(y, yo + i);
                reluOf(v1).intoArray(y, yo + i + HL);
                reluOf(v2).intoArray(y, yo + i + 2 * HL);
                reluOf(v3).intoArray(y, yo + i + 3 * HL);
                v0 = n0;
                v1 = n1;
                v2 = n2;
                v3 = n3;
            }
            reluOf(v0).intoArray(y, yo + i);
            reluOf(v1).intoArray(y, yo + i + HL);
            reluOf(v2).intoArray(y, yo + i + 2 * HL);
            reluOf(v3).intoArray(y, yo + i + 3 * HL);
            i += step;
        }
        for (; i < n; i += HL) {
            VectorMask<Float> m = H.indexInRange(i, n);
            reluOf(FloatVector.fromArray(H, x, xo + i, m)).intoArray(y, yo + i, m);
        }
    }

    /** max(v, 0) lane by lane, NaN kept: the relu of both of {@link #relu}'s loops. */
    private static FloatVector reluOf(FloatVector v) {
        return v.blend(0f, v.compare(VectorOperators.LE, 0f));
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
        if (streams(n, 3)) {
            addStream(a, ao, b, bo, y, yo, n);
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

    /** {@link #add}'s streaming form (class comment): 256-bit vectors, four a step, loaded a step ahead. */
    private static void addStream(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        int step = 4 * HL;
        int i = 0;
        if (n >= step) {
            FloatVector a0 = FloatVector.fromArray(H, a, ao);
            FloatVector a1 = FloatVector.fromArray(H, a, ao + HL);
            FloatVector a2 = FloatVector.fromArray(H, a, ao + 2 * HL);
            FloatVector a3 = FloatVector.fromArray(H, a, ao + 3 * HL);
            FloatVector b0 = FloatVector.fromArray(H, b, bo);
            FloatVector b1 = FloatVector.fromArray(H, b, bo + HL);
            FloatVector b2 = FloatVector.fromArray(H, b, bo + 2 * HL);
            FloatVector b3 = FloatVector.fromArray(H, b, bo + 3 * HL);
            for (int last = n - 2 * step; i <= last; i += step) {
                int ja = ao + i + step;
                int jb = bo + i + step;
                FloatVector na0 = FloatVector.fromArray(H, a, ja);
                FloatVector na1 = FloatVector.fromArray(H, a, ja + HL);
                FloatVector na2 = FloatVector.fromArray(H, a, ja + 2 * HL);
                FloatVector na3 = FloatVector.fromArray(H, a, ja + 3 * HL);
                FloatVector nb0 = FloatVector.fromArray(H, b, jb);
                FloatVector nb1 = FloatVector.fromArray(H, b, jb + HL);
                FloatVector nb2 = FloatVector.fromArray(H, b, jb + 2 * HL);
                FloatVector nb3 = FloatVector.fromArray(H, b, jb + 3 * HL);
                a0.add(b0).intoArray(y, yo + i);
                a1.add(b1).intoArray(y, yo + i + HL);
                a2.add(b2).intoArray(y, yo + i + 2 * HL);
                a3.add(b3).intoArray(y, yo + i + 3 * HL);
                a0 = na0;
                a1 = na1;
                a2 = na2;
                a3 = na3;
                b0 = nb0;
                b1 = nb1;
                b2 = nb2;
                b3 = nb3;
            }
            a0.add(b0).intoArray(y, yo + i);
            a1.add(b1).intoArray(y, yo + i + HL);
            a2.add(b2).intoArray(y, yo + i + 2 * HL);
            a3.add(b3).intoArray(y, yo + i + 3 * HL);
            i += step;
        }
        for (; i < n; i += HL) {
            VectorMask<Float> m = H.indexInRange(i, n);
            FloatVector.fromArray(H, a, ao + i, m).add(FloatVector.fromArray(H, b, bo + i, m)).intoArray(y, yo + i, m);
        }
    }

    static void sub(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        if (n < SHORT) {
            for (int i = 0; i < n; i++) {
                y[yo + i] = a[ao + i] - b[bo + i];
            }
            return;
        }
        if (streams(n, 3)) {
            subStream(a, ao, b, bo, y, yo, n);
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

    /** {@link #sub}'s streaming form (class comment): 256-bit vectors, four a step, loaded a step ahead. */
    private static void subStream(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        int step = 4 * HL;
        int i = 0;
        if (n >= step) {
            FloatVector a0 = FloatVector.fromArray(H, a, ao);
            FloatVector a1 = FloatVector.fromArray(H, a, ao + HL);
            FloatVector a2 = FloatVector.fromArray(H, a, ao + 2 * HL);
            FloatVector a3 = FloatVector.fromArray(H, a, ao + 3 * HL);
            FloatVector b0 = FloatVector.fromArray(H, b, bo);
            FloatVector b1 = FloatVector.fromArray(H, b, bo + HL);
            FloatVector b2 = FloatVector.fromArray(H, b, bo + 2 * HL);
            FloatVector b3 = FloatVector.fromArray(H, b, bo + 3 * HL);
            for (int last = n - 2 * step; i <= last; i += step) {
                int ja = ao + i + step;
                int jb = bo + i + step;
                FloatVector na0 = FloatVector.fromArray(H, a, ja);
                FloatVector na1 = FloatVector.fromArray(H, a, ja + HL);
                FloatVector na2 = FloatVector.fromArray(H, a, ja + 2 * HL);
                FloatVector na3 = FloatVector.fromArray(H, a, ja + 3 * HL);
                FloatVector nb0 = FloatVector.fromArray(H, b, jb);
                FloatVector nb1 = FloatVector.fromArray(H, b, jb + HL);
                FloatVector nb2 = FloatVector.fromArray(H, b, jb + 2 * HL);
                FloatVector nb3 = FloatVector.fromArray(H, b, jb + 3 * HL);
                a0.sub(b0).intoArray(y, yo + i);
                a1.sub(b1).intoArray(y, yo + i + HL);
                a2.sub(b2).intoArray(y, yo + i + 2 * HL);
                a3.sub(b3).intoArray(y, yo + i + 3 * HL);
                a0 = na0;
                a1 = na1;
                a2 = na2;
                a3 = na3;
                b0 = nb0;
                b1 = nb1;
                b2 = nb2;
                b3 = nb3;
            }
            a0.sub(b0).intoArray(y, yo + i);
            a1.sub(b1).intoArray(y, yo + i + HL);
            a2.sub(b2).intoArray(y, yo + i + 2 * HL);
            a3.sub(b3).intoArray(y, yo + i + 3 * HL);
            i += step;
        }
        for (; i < n; i += HL) {
            VectorMask<Float> m = H.indexInRange(i, n);
            FloatVector.fromArray(H, a, ao + i, m).sub(FloatVector.fromArray(H, b, bo + i, m)).intoArray(y, yo + i, m);
        }
    }

    static void mul(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        if (n < SHORT) {
            for (int i = 0; i < n; i++) {
                y[yo + i] = a[ao + i] * b[bo + i];
            }
            return;
        }
        if (streams(n, 3)) {
            mulStream(a, ao, b, bo, y, yo, n);
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

    /** {@link #mul}'s streaming form (class comment): 256-bit vectors, four a step, loaded a step ahead. */
    private static void mulStream(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        int step = 4 * HL;
        int i = 0;
        if (n >= step) {
            FloatVector a0 = FloatVector.fromArray(H, a, ao);
            FloatVector a1 = FloatVector.fromArray(H, a, ao + HL);
            FloatVector a2 = FloatVector.fromArray(H, a, ao + 2 * HL);
            FloatVector a3 = FloatVector.fromArray(H, a, ao + 3 * HL);
            FloatVector b0 = FloatVector.fromArray(H, b, bo);
            FloatVector b1 = FloatVector.fromArray(H, b, bo + HL);
            FloatVector b2 = FloatVector.fromArray(H, b, bo + 2 * HL);
            FloatVector b3 = FloatVector.fromArray(H, b, bo + 3 * HL);
            for (int last = n - 2 * step; i <= last; i += step) {
                int ja = ao + i + step;
                int jb = bo + i + step;
                FloatVector na0 = FloatVector.fromArray(H, a, ja);
                FloatVector na1 = FloatVector.fromArray(H, a, ja + HL);
                FloatVector na2 = FloatVector.fromArray(H, a, ja + 2 * HL);
                FloatVector na3 = FloatVector.fromArray(H, a, ja + 3 * HL);
                FloatVector nb0 = FloatVector.fromArray(H, b, jb);
                FloatVector nb1 = FloatVector.fromArray(H, b, jb + HL);
                FloatVector nb2 = FloatVector.fromArray(H, b, jb + 2 * HL);
                FloatVector nb3 = FloatVector.fromArray(H, b, jb + 3 * HL);
                a0.mul(b0).intoArray(y, yo + i);
                a1.mul(b1).intoArray(y, yo + i + HL);
                a2.mul(b2).intoArray(y, yo + i + 2 * HL);
                a3.mul(b3).intoArray(y, yo + i + 3 * HL);
                a0 = na0;
                a1 = na1;
                a2 = na2;
                a3 = na3;
                b0 = nb0;
                b1 = nb1;
                b2 = nb2;
                b3 = nb3;
            }
            a0.mul(b0).intoArray(y, yo + i);
            a1.mul(b1).intoArray(y, yo + i + HL);
            a2.mul(b2).intoArray(y, yo + i + 2 * HL);
            a3.mul(b3).intoArray(y, yo + i + 3 * HL);
            i += step;
        }
        for (; i < n; i += HL) {
            VectorMask<Float> m = H.indexInRange(i, n);
            FloatVector.fromArray(H, a, ao + i, m).mul(FloatVector.fromArray(H, b, bo + i, m)).intoArray(y, yo + i, m);
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
