package dev.vecgrad.core.kernel.elementwise;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The F32 loops behind {@link VectorKernels} whose algorithm is the element type's own: e^x by a
 * polynomial of F32 accuracy and what is built on it (sigmoid, softplus, GELU, softmax), erf and
 * exact GELU, tanh from {@link TanhTable} or {@link TanhWide}, and sign through the float's bits. {@link DoubleMathLoops}
 * holds their F64 forms, which use the Vector API's F64 math instead. The loops whose form is the
 * same in both types are in {@link FloatLoops}, from which {@code DoubleLoops} is generated. The
 * streaming loops here load the next vector before they store the current result, for the reason
 * given in {@link FloatLoops}; the last step loads its own vector again.
 */
final class FloatMathLoops {
    // Implementation note: on an AVX-512 server core, over 1M floats with the output placed 0, 16,
    // 32, 64, 256, 1024 and 4080 bytes past the input modulo 4 KB (old and new code alternating),
    // loading one step ahead made e^x 3-8 % faster at every placement; sigmoid and both GELUs 3-21 %
    // faster up to 256 bytes and within 6 % either way beyond; tanh 5-9 % faster at 0 and 16 bytes,
    // even at 32-256 and about 10 % slower at 1024 and 4080; FloatLoops' add, mul and relu 0-13 %
    // faster (add 5 % slower at 4080).
    private static final VectorSpecies<Float> S = FloatLoops.S;
    private static final int L = FloatLoops.L;

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);
    /** gelu_tanh(x) = x·sigmoid(x·(G0 + G1·x²)), the tanh form rewritten as 1 + tanh(z) = 2·sigmoid(2z). */
    private static final float G0 = 2 * SQRT_2_OVER_PI;
    private static final float G1 = 2 * SQRT_2_OVER_PI * 0.044715f;
    private static final float INV_SQRT_2 = (float) (1 / Math.sqrt(2));

    private FloatMathLoops() {
    }

    /** Math.signum: ±1 with the sign of x, except ±0 and NaN, which stay as they are. */
    static void sign(float[] x, int xo, float[] y, int yo, int n) {
        int full = S.loopBound(n);
        signRun(x, xo, y, yo, full);
        if (full < n) {
            float[] t = FloatLoops.padded(x, xo + full, n - full, 0f);
            signRun(t, 0, t, 0, L);
            System.arraycopy(t, 0, y, yo + full, n - full);
        }
    }

    private static void signRun(float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector one = v.reinterpretAsInts().and(0x8000_0000).or(Float.floatToRawIntBits(1f)).reinterpretAsFloats();
            FloatVector out = v.blend(one, v.abs().compare(VectorOperators.GT, 0f));
            out.intoArray(y, yo + i);
        }
    }

    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split so that k·LN2_HI is exact for the k that occur (Cody and Waite). */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2²³: adding it rounds a float of magnitude below 2²² to an integer, kept in the low bits. */
    private static final float ROUND_MAGIC = 12582912f;
    private static final int ROUND_MAGIC_BITS = Float.floatToRawIntBits(ROUND_MAGIC);
    /** The Cephes expf coefficients: e^r ≈ 1 + r + r²(P5 + r(P4 + r(P3 + r(P2 + r(P1 + r·P0))))). */
    private static final float EXP_P0 = 1.9875691500e-4f;
    private static final float EXP_P1 = 1.3981999507e-3f;
    private static final float EXP_P2 = 8.3334519073e-3f;
    private static final float EXP_P3 = 4.1665795894e-2f;
    private static final float EXP_P4 = 1.6666665459e-1f;
    private static final float EXP_P5 = 5.0000001201e-1f;

    /**
     * e^x with FMAs only: k = round(x·log₂e), r = x - k·ln2 in two steps, e^r by the Cephes
     * polynomial in Horner form ending in one rounding (1 + r·(...)), and the result scaled by 2^k.
     * A vector whose lanes are all at least {@value #EXP_FAST_MIN} (k ≥ -125) computes 2·e^r with
     * the coefficients doubled (exact) and scales it by the one normal factor 2^(k-1), whose bits
     * are t's low bits shifted into the exponent; others scale e^r by two normal factors
     * 2^(k/2)·2^(k - k/2), so that subnormal results are rounded once. Both give the same bits
     * where both apply. Clamping x to [-104, 89] keeps k in range (e^-104 rounds to 0, e^89
     * overflows); NaN stays NaN: the clamp's comparisons are false for it, and every later step
     * propagates it. Faster than the library call, and pure arithmetic, so interpreted and
     * compiled code agree. The other loops that need e^x (sigmoid, softplus, gelu, softmax) call
     * the same steps ({@link #expNormal}, {@link #expFullRange}, {@link #expPolynomial}): small
     * static helpers, which C2 inlines into each loop (a helper it declined to inline would box the
     * vectors it takes and returns).
     */
    // Implementation note: each vector step used to load one element a page (1024 floats) ahead
    // as well, so that the next page of x was requested early: 5-9% faster on 16M floats on an
    // Intel server core, but 11-33% slower at 1M and 16M on an AMD Zen 5 core (the same loop with
    // and without that load alternating in one JVM, eight JVMs); it was dropped.
    static void exp(float[] x, int xo, float[] y, int yo, int n) {
        int full = S.loopBound(n);
        expRun(x, xo, y, yo, full);
        if (full < n) {
            float[] t = FloatLoops.padded(x, xo + full, n - full, 0f);
            expRun(t, 0, t, 0, L);
            System.arraycopy(t, 0, y, yo + full, n - full);
        }
    }

    /** Down to here e^x needs only one normal scale factor 2^(k-1): k = round(x·log₂e) ≥ -125. */
    static final float EXP_FAST_MIN = -86.5f;
    /** Receives the bits of touching loads, so the JIT keeps them; never read. */
    private static int touchSink;

    private static void expRun(float[] x, int xo, float[] y, int yo, int n) {
        if (n == 0) {
            return;
        }
        FloatVector next = FloatVector.fromArray(S, x, xo);
        for (int i = 0; i < n; i += L) {
            FloatVector in = next;
            next = FloatVector.fromArray(S, x, xo + Math.min(i + L, n - L));
            if (!in.compare(VectorOperators.LT, EXP_FAST_MIN).anyTrue()) {
                expNormal(in.blend(89f, in.compare(VectorOperators.GT, 89f))).intoArray(y, yo + i);
            } else {
                expFullRange(in).intoArray(y, yo + i);
            }
        }
    }

    /**
     * e^xc for lanes in [{@value #EXP_FAST_MIN}, 89] (or NaN), whose results are normal floats:
     * 2·e^r from the polynomial with its coefficients doubled (exact), times the one normal factor
     * 2^(k-1), whose bits are t's low bits shifted into the exponent (t = 1.5·2²³ + k). Gives
     * the bits of {@link #expFullRange} wherever both apply, without its clamp and with one multiply fewer.
     */
    private static FloatVector expNormal(FloatVector xc) {
        FloatVector t = xc.lanewise(VectorOperators.FMA, LOG2E, ROUND_MAGIC);
        FloatVector k = t.sub(ROUND_MAGIC);
        FloatVector r = k.lanewise(VectorOperators.FMA, FloatVector.broadcast(S, -LN2_HI), xc);
        r = k.lanewise(VectorOperators.FMA, FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = r.lanewise(VectorOperators.FMA, 2 * EXP_P0, 2 * EXP_P1);
        p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(S, 2 * EXP_P2));
        p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(S, 2 * EXP_P3));
        p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(S, 2 * EXP_P4));
        p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(S, 2 * EXP_P5));
        p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(S, 2f));
        p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(S, 2f));
        FloatVector half = t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).add(126 << 23).reinterpretAsFloats();
        return p.mul(half);
    }

    /** e^x for x ≤ 0 (or NaN): {@link #expNormal} when every lane's result is normal, else {@link #expFullRange}. */
    private static FloatVector expNegative(FloatVector x) {
        return x.compare(VectorOperators.LT, EXP_FAST_MIN).anyTrue() ? expFullRange(x) : expNormal(x);
    }

    /**
     * 1/(1 + e^-x) for x ≥ 0 and e^x/(1 + e^x) below, both from e = e^-|x| ≤ 1: no overflow, and
     * small results keep their relative accuracy down to the subnormals.
     */
    static void sigmoid(float[] x, int xo, float[] y, int yo, int n) {
        int full = S.loopBound(n);
        sigmoidRun(x, xo, y, yo, full);
        if (full < n) {
            float[] t = FloatLoops.padded(x, xo + full, n - full, 0f);
            sigmoidRun(t, 0, t, 0, L);
            System.arraycopy(t, 0, y, yo + full, n - full);
        }
    }

    private static void sigmoidRun(float[] x, int xo, float[] y, int yo, int n) {
        if (n == 0) {
            return;
        }
        FloatVector next = FloatVector.fromArray(S, x, xo);
        for (int i = 0; i < n; i += L) {
            FloatVector v = next;
            next = FloatVector.fromArray(S, x, xo + Math.min(i + L, n - L));
            FloatVector e = expNegative(v.abs().neg());
            FloatVector num = FloatVector.broadcast(S, 1f).blend(e, v.compare(VectorOperators.LT, 0f));
            FloatVector out = num.div(e.add(1f));
            out.intoArray(y, yo + i);
        }
    }

    /**
     * 0.5x(1 + tanh z) computed as x·sigmoid(2z), u = 2z = x·(G0 + G1·x²): the same function, but
     * the sigmoid form has no cancellation in 1 + tanh z for negative x, so small outputs keep their
     * relative accuracy.
     */
    static void geluTanh(float[] x, int xo, float[] y, int yo, int n) {
        int full = S.loopBound(n);
        geluTanhRun(x, xo, y, yo, full);
        if (full < n) {
            float[] t = FloatLoops.padded(x, xo + full, n - full, 0f);
            geluTanhRun(t, 0, t, 0, L);
            System.arraycopy(t, 0, y, yo + full, n - full);
        }
    }

    private static void geluTanhRun(float[] x, int xo, float[] y, int yo, int n) {
        if (n == 0) {
            return;
        }
        FloatVector next = FloatVector.fromArray(S, x, xo);
        for (int i = 0; i < n; i += L) {
            FloatVector v = next;
            next = FloatVector.fromArray(S, x, xo + Math.min(i + L, n - L));
            FloatVector u = v.mul(v).lanewise(VectorOperators.FMA, G1, G0).mul(v);
            FloatVector e = expNegative(u.abs().neg());
            FloatVector num = FloatVector.broadcast(S, 1f).blend(e, u.compare(VectorOperators.LT, 0f));
            FloatVector out = v.mul(num.div(e.add(1f)));
            out.intoArray(y, yo + i);
        }
    }

    /**
     * erf x ≈ x·P(x²)/Q(x²) on x clamped to [-4, 4] (beyond, erf rounds to ±1 in F32), with the
     * degree-13/8 rational coefficients that Eigen and XLA use for F32. NaN stays NaN through the
     * clamp, a compare-and-blend that leaves it alone.
     */
    static void erf(float[] x, int xo, float[] y, int yo, int n) {
        int full = S.loopBound(n);
        erfRun(x, xo, y, yo, full);
        if (full < n) {
            float[] t = FloatLoops.padded(x, xo + full, n - full, 0f);
            erfRun(t, 0, t, 0, L);
            System.arraycopy(t, 0, y, yo + full, n - full);
        }
    }

    private static void erfRun(float[] x, int xo, float[] y, int yo, int n) {
        if (n == 0) {
            return;
        }
        FloatVector next = FloatVector.fromArray(S, x, xo);
        for (int i = 0; i < n; i += L) {
            FloatVector v = next;
            next = FloatVector.fromArray(S, x, xo + Math.min(i + L, n - L));
            FloatVector xc = v.blend(-4f, v.compare(VectorOperators.LT, -4f)).blend(4f, v.compare(VectorOperators.GT, 4f));
            FloatVector x2 = xc.mul(xc);
            FloatVector p = x2.lanewise(VectorOperators.FMA, -2.72614225801306e-10f, 2.77068142495902e-08f);
            p = p.lanewise(VectorOperators.FMA, x2, FloatVector.broadcast(S, -2.10102402082508e-06f));
            p = p.lanewise(VectorOperators.FMA, x2, FloatVector.broadcast(S, -5.69250639462346e-05f));
            p = p.lanewise(VectorOperators.FMA, x2, FloatVector.broadcast(S, -7.34990630326855e-04f));
            p = p.lanewise(VectorOperators.FMA, x2, FloatVector.broadcast(S, -2.95459980854025e-03f));
            p = p.lanewise(VectorOperators.FMA, x2, FloatVector.broadcast(S, -1.60960333262415e-02f));
            FloatVector q = x2.lanewise(VectorOperators.FMA, -1.45660718464996e-05f, -2.13374055278905e-04f);
            q = q.lanewise(VectorOperators.FMA, x2, FloatVector.broadcast(S, -1.68282697438203e-03f));
            q = q.lanewise(VectorOperators.FMA, x2, FloatVector.broadcast(S, -7.37332916720468e-03f));
            q = q.lanewise(VectorOperators.FMA, x2, FloatVector.broadcast(S, -1.42647390514189e-02f));
            FloatVector out = xc.mul(p).div(q);
            out.intoArray(y, yo + i);
        }
    }

    /** 0.5x(1 + erf(x/√2)), with erf as in {@link #erf}. */
    static void geluErf(float[] x, int xo, float[] y, int yo, int n) {
        int full = S.loopBound(n);
        geluErfRun(x, xo, y, yo, full);
        if (full < n) {
            float[] t = FloatLoops.padded(x, xo + full, n - full, 0f);
            geluErfRun(t, 0, t, 0, L);
            System.arraycopy(t, 0, y, yo + full, n - full);
        }
    }

    private static void geluErfRun(float[] x, int xo, float[] y, int yo, int n) {
        if (n == 0) {
            return;
        }
        FloatVector next = FloatVector.fromArray(S, x, xo);
        for (int i = 0; i < n; i += L) {
            FloatVector v = next;
            next = FloatVector.fromArray(S, x, xo + Math.min(i + L, n - L));
            FloatVector in = v.mul(INV_SQRT_2);
            FloatVector xc = in.blend(-4f, in.compare(VectorOperators.LT, -4f)).blend(4f, in.compare(VectorOperators.GT, 4f));
            FloatVector x2 = xc.mul(xc);
            FloatVector p = x2.lanewise(VectorOperators.FMA, -2.72614225801306e-10f, 2.77068142495902e-08f);
            p = p.lanewise(VectorOperators.FMA, x2, FloatVector.broadcast(S, -2.10102402082508e-06f));
            p = p.lanewise(VectorOperators.FMA, x2, FloatVector.broadcast(S, -5.69250639462346e-05f));
            p = p.lanewise(VectorOperators.FMA, x2, FloatVector.broadcast(S, -7.34990630326855e-04f));
            p = p.lanewise(VectorOperators.FMA, x2, FloatVector.broadcast(S, -2.95459980854025e-03f));
            p = p.lanewise(VectorOperators.FMA, x2, FloatVector.broadcast(S, -1.60960333262415e-02f));
            FloatVector q = x2.lanewise(VectorOperators.FMA, -1.45660718464996e-05f, -2.13374055278905e-04f);
            q = q.lanewise(VectorOperators.FMA, x2, FloatVector.broadcast(S, -1.68282697438203e-03f));
            q = q.lanewise(VectorOperators.FMA, x2, FloatVector.broadcast(S, -7.37332916720468e-03f));
            q = q.lanewise(VectorOperators.FMA, x2, FloatVector.broadcast(S, -1.42647390514189e-02f));
            FloatVector erf = xc.mul(p).div(q);
            FloatVector half = v.mul(0.5f);
            FloatVector out = erf.lanewise(VectorOperators.FMA, half, half);
            out.intoArray(y, yo + i);
        }
    }

    /** max(x, 0) + ln(1 + e^-|x|): never overflows, and exact to rounding for large |x|. */
    static void softplus(float[] x, int xo, float[] y, int yo, int n) {
        int full = S.loopBound(n);
        softplusRun(x, xo, y, yo, full);
        if (full < n) {
            float[] t = FloatLoops.padded(x, xo + full, n - full, 0f);
            softplusRun(t, 0, t, 0, L);
            System.arraycopy(t, 0, y, yo + full, n - full);
        }
    }

    private static void softplusRun(float[] x, int xo, float[] y, int yo, int n) {
        if (n == 0) {
            return;
        }
        FloatVector next = FloatVector.fromArray(S, x, xo);
        for (int i = 0; i < n; i += L) {
            FloatVector v = next;
            next = FloatVector.fromArray(S, x, xo + Math.min(i + L, n - L));
            FloatVector e = expNegative(v.abs().neg());
            FloatVector out = v.max(0f).add(e.lanewise(VectorOperators.LOG1P));
            out.intoArray(y, yo + i);
        }
    }

    /**
     * tanh: on 16-lane vectors from {@link TanhTable}'s polynomials, on 8-lane ones in double
     * precision ({@link TanhWide}), elsewhere the JDK's vector math library; all within 1 ulp.
     */
    static void tanh(float[] x, int xo, float[] y, int yo, int n) {
        if (TanhTable.USABLE || TanhWide.USABLE) {
            int step = TanhTable.USABLE ? 16 : TanhWide.STEP;
            int full = n / step * step;
            tanhSteps(x, xo, y, yo, full);
            if (full < n) {
                float[] t = FloatLoops.padded(x, xo + full, n - full, 0f);
                tanhSteps(t, 0, t, 0, step);
                System.arraycopy(t, 0, y, yo + full, n - full);
            }
            return;
        }
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.TANH).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xo + i, m).lanewise(VectorOperators.TANH).intoArray(y, yo + i, m);
        }
    }

    /** tanh over whole steps of {@link TanhTable} or {@link TanhWide}, whichever this machine uses. */
    private static void tanhSteps(float[] x, int xo, float[] y, int yo, int n) {
        if (TanhTable.USABLE) {
            TanhTable.run(x, xo, y, yo, n);
        } else {
            TanhWide.run(x, xo, y, yo, n);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Softmax over rows.

    /**
     * Softmax of each row of a contiguous [rows, cols] block. Rows with a finite maximum m (the
     * usual case) take one pass that writes e^(x - m), sums it, and meanwhile loads the next row
     * of x (for its maximum) and touches the next row of y, so that memory traffic for the next
     * row overlaps this row's arithmetic; then one pass scales by the reciprocal of the sum while
     * the row is still in L1. In that pass x - m ≤ 0, and e^(x - m) below the smallest normal
     * float (x - m &lt; {@value #SOFTMAX_FLUSH}) is flushed to 0: subnormal operands cost a
     * microcode assist per multiply, and such terms are below 2⁻¹²⁶ of the row's largest.
     * A row whose maximum is ±inf or NaN is shifted by 0 instead, as in the composite softmax,
     * and runs the general e^x. A partial last vector runs through a buffer padded with -inf,
     * whose exponentials are 0 and add nothing.
     */
    static void softmaxRows(float[] x, int xOff, float[] y, int yOff, int rows, int cols) {
        if (rows == 0 || cols == 0) {
            return;
        }
        int full = S.loopBound(cols);
        // Per-call scratch: a row's sum and the next row's maximum.
        float[] sumAndNextMax = new float[2];
        float m = rowMax(x, xOff, cols);
        for (int row = 0; row < rows; row++) {
            int xo = xOff + row * cols;
            int yo = yOff + row * cols;
            boolean last = row == rows - 1;
            int nextX = last ? xo : xo + cols;
            int nextY = last ? yo : yo + cols;
            float sum;
            float nextMax;
            if (m - m == 0) {
                shiftedExpSumRun(x, xo, m, y, yo, full, nextX, nextY, sumAndNextMax);
                sum = sumAndNextMax[0];
                nextMax = sumAndNextMax[1];
                if (full < cols) {
                    float[] t = FloatLoops.padded(x, xo + full, cols - full, Float.NEGATIVE_INFINITY);
                    nextMax = Math.max(nextMax, rowMax(x, nextX + full, cols - full));
                    shiftedExpSumRun(t, 0, m, t, 0, L, 0, 0, sumAndNextMax);
                    sum += sumAndNextMax[0];
                    System.arraycopy(t, 0, y, yo + full, cols - full);
                }
            } else {
                sum = expSumRun(x, xo, y, yo, full);
                if (full < cols) {
                    float[] t = FloatLoops.padded(x, xo + full, cols - full, Float.NEGATIVE_INFINITY);
                    sum += expSumRun(t, 0, t, 0, L);
                    System.arraycopy(t, 0, y, yo + full, cols - full);
                }
                nextMax = rowMax(x, nextX, cols);
            }
            FloatLoops.scale(y, yo, 1f / sum, cols);
            m = nextMax;
        }
    }

    /** Below this, e^(x - max) is under the smallest normal float (e^-87.33 ≈ 1.18·10⁻³⁸) and softmax flushes it to 0. */
    static final float SOFTMAX_FLUSH = -87.33f;

    /**
     * y = e^(x - m) for a finite row maximum m over n (a multiple of L) elements, flushed to 0
     * below {@link #SOFTMAX_FLUSH}; out[0] = their sum (the accumulator's lanes added in order),
     * out[1] = the maximum of x[nx, nx + n) ignoring NaN, which is the next row's. Every line of
     * y[ny, ny + n) is read once so that the next row's stores find it in cache.
     */
    private static void shiftedExpSumRun(float[] x, int xo, float m, float[] y, int yo, int n, int nx, int ny,
            float[] out) {
        FloatVector acc = FloatVector.zero(S);
        FloatVector nextMax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int touched = 0;
        for (int i = 0; i < n; i += L) {
            FloatVector next = FloatVector.fromArray(S, x, nx + i);
            nextMax = nextMax.blend(next, next.compare(VectorOperators.GT, nextMax));
            touched ^= Float.floatToRawIntBits(y[ny + i]);
            FloatVector v = FloatVector.fromArray(S, x, xo + i).sub(m);
            // v ≤ 0 (or NaN): only the low end needs a clamp, and with k in [-126, 0] one factor
            // 2^k, built from t's low bits (t = 1.5·2²³ + k), scales the polynomial.
            VectorMask<Float> tiny = v.compare(VectorOperators.LT, SOFTMAX_FLUSH);
            FloatVector xc = v.blend(SOFTMAX_FLUSH, tiny);
            FloatVector t = xc.lanewise(VectorOperators.FMA, LOG2E, ROUND_MAGIC);
            FloatVector p = expPolynomial(xc, t);
            FloatVector scale = t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).add(127 << 23)
                    .reinterpretAsFloats();
            FloatVector e = p.mul(scale).blend(0f, tiny);
            e.intoArray(y, yo + i);
            acc = acc.add(e);
        }
        out[0] = FloatLoops.sumLanes(acc);
        // No NaN among the lanes, so the order in which they are compared does not matter.
        out[1] = nextMax.reduceLanes(VectorOperators.MAX);
        touchSink = touched;
    }

    /** The maximum of x[off, off + n) ignoring NaN (-inf when there is none): a NaN row gives NaN whatever the shift. */
    private static float rowMax(float[] x, int off, int n) {
        FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, off + i);
            acc = acc.blend(v, v.compare(VectorOperators.GT, acc));
        }
        float max = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            max = x[off + i] > max ? x[off + i] : max;
        }
        return max;
    }

    /** y = e^x over n (a multiple of L) elements, over the whole range as in {@link #exp}; returns their sum, lanes added in order. */
    private static float expSumRun(float[] x, int xo, float[] y, int yo, int n) {
        FloatVector acc = FloatVector.zero(S);
        for (int i = 0; i < n; i += L) {
            FloatVector in = FloatVector.fromArray(S, x, xo + i);
            FloatVector e = expFullRange(in);
            e.intoArray(y, yo + i);
            acc = acc.add(e);
        }
        return FloatLoops.sumLanes(acc);
    }

    /**
     * e^in over the whole float range: in clamped to [-104, 89] (NaN passes), k = round(in·log2 e),
     * r = in - k·ln 2 in two parts, e^r by the polynomial, times 2^k applied in two halves so that
     * results down to the subnormals keep their accuracy.
     */
    private static FloatVector expFullRange(FloatVector in) {
        // Compare and blend, not MAX/MIN: cheaper than their NaN and signed-zero rules, and NaN still passes.
        FloatVector xc = in.blend(-104f, in.compare(VectorOperators.LT, -104f)).blend(89f, in.compare(VectorOperators.GT, 89f));
        FloatVector t = xc.lanewise(VectorOperators.FMA, LOG2E, ROUND_MAGIC);
        FloatVector p = expPolynomial(xc, t);
        IntVector ki = t.reinterpretAsInts().sub(ROUND_MAGIC_BITS);
        IntVector k1 = ki.lanewise(VectorOperators.ASHR, 1);
        FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = ki.sub(k1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }

    /**
     * e^r by the polynomial, for r = xc - k·ln 2 (ln 2 in two parts) and k = t - 1.5·2²³, where
     * t = xc·log₂e + 1.5·2²³ rounds k: the part the softmax loop and {@link #expFullRange} share;
     * each applies 2^k in its own way.
     */
    private static FloatVector expPolynomial(FloatVector xc, FloatVector t) {
        FloatVector k = t.sub(ROUND_MAGIC);
        FloatVector r = k.lanewise(VectorOperators.FMA, FloatVector.broadcast(S, -LN2_HI), xc);
        r = k.lanewise(VectorOperators.FMA, FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = r.lanewise(VectorOperators.FMA, EXP_P0, EXP_P1);
        p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(S, EXP_P2));
        p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(S, EXP_P3));
        p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(S, EXP_P4));
        p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(S, EXP_P5));
        p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(S, 1f));
        p = p.lanewise(VectorOperators.FMA, r, FloatVector.broadcast(S, 1f));
        return p;
    }
}
