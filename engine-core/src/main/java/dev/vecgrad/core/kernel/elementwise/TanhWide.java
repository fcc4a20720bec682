package dev.vecgrad.core.kernel.elementwise;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * F32 tanh on machines whose vectors are 256 bits wide (x86 with AVX2), computed in double
 * precision four lanes at a time: ≤ 1 ulp, plain arithmetic (so the same bits interpreted and
 * compiled), and faster than the JDK's vector math library there. {@link TanhTable}'s polynomials
 * need one two-source permute a coefficient, which only 16-lane vectors have.
 *
 * <p>With a = |x| (clamped below 10, past which tanh rounds to 1), tanh a = -m / (2 + m) where
 * m = e^(-2a) - 1. In double, -2a = k·ln 2 + r with |r| ≤ ln(2)/2, e^r - 1 comes from its Taylor
 * series to r⁸ (a relative error near 10⁻¹⁰, far below a float's ulp), and m = 2^k·(e^r - 1) + (2^k
 * - 1) keeps small results' relative accuracy. The quotient, rounded once to float, is within 0.51
 * ulp of tanh over every float in [0, 10). The sign of x is put back last; NaN stays NaN.
 */
// Implementation note: on an AVX2-only core (Zen 3), one JVM alternating 0.1 s blocks against the
// JDK's VectorOperators.TANH on 8-lane vectors, 3 JVMs × 7 rounds: 1.22-1.27× at 1M floats and
// 1.18-1.20× at 16M (an A/A copy 0.99-1.04). TanhTable's polynomials on 8 lanes, each coefficient
// fetched by four single-source permutes and three blends, ran 0.82-0.87×.
final class TanhWide {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_128;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_256;
    /** Whether the platform's preferred vectors are the 256 bits this class is written for. */
    static final boolean USABLE = FloatVector.SPECIES_PREFERRED.vectorBitSize() == 256;
    /** Floats a step: as many as one 256-bit vector holds doubles. */
    static final int STEP = D.length();

    /** |x| is clamped below this: tanh(x) rounds to 1 from about 9.01 on. */
    private static final float CLAMP = 9.999f;
    private static final double INV_LN2 = 1 / Math.log(2);
    private static final double LN2 = Math.log(2);
    /** 1.5·2⁵²: adding it rounds a double of magnitude below 2⁵¹ to an integer in its low bits. */
    private static final double ROUND = 0x1.8p52;
    /** 1/n! for n = 2..8, the Taylor coefficients of e^r - 1 past r. */
    private static final double C2 = 1.0 / 2;
    private static final double C3 = C2 / 3;
    private static final double C4 = C3 / 4;
    private static final double C5 = C4 / 5;
    private static final double C6 = C5 / 6;
    private static final double C7 = C6 / 7;
    private static final double C8 = C7 / 8;

    private TanhWide() {
    }

    /** y[yo + i] = tanh(x[xo + i]) for i in [0, n), n a multiple of {@link #STEP}; only when {@link #USABLE}. */
    static void run(float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i += STEP) {
            FloatVector v = FloatVector.fromArray(F, x, xo + i);
            FloatVector a = v.abs();
            // Compare and blend, not MIN: cheaper than its NaN rules, and NaN still passes.
            a = a.blend(CLAMP, a.compare(VectorOperators.GT, CLAMP));
            DoubleVector d = (DoubleVector) a.castShape(D, 0);
            DoubleVector t = d.lanewise(VectorOperators.FMA, -2 * INV_LN2, ROUND);
            DoubleVector k = t.sub(ROUND);
            DoubleVector r = k.lanewise(VectorOperators.FMA, -LN2, d.mul(-2.0));
            // e^r - 1 = r + r²·p(r), p in Estrin's form: shorter dependency chains than Horner's.
            DoubleVector r2 = r.mul(r);
            DoubleVector r4 = r2.mul(r2);
            DoubleVector p23 = r.lanewise(VectorOperators.FMA, C3, C2);
            DoubleVector p45 = r.lanewise(VectorOperators.FMA, C5, C4);
            DoubleVector p67 = r.lanewise(VectorOperators.FMA, C7, C6);
            DoubleVector p68 = r2.lanewise(VectorOperators.FMA, C8, p67);
            DoubleVector p25 = r2.lanewise(VectorOperators.FMA, p45, p23);
            DoubleVector p = r4.lanewise(VectorOperators.FMA, p68, p25);
            DoubleVector em1 = p.lanewise(VectorOperators.FMA, r2, r);
            // 2^k from the integer in t's low bits.
            DoubleVector s = t.reinterpretAsLongs().lanewise(VectorOperators.LSHL, 52).add(1023L << 52)
                    .reinterpretAsDoubles();
            DoubleVector m = em1.lanewise(VectorOperators.FMA, s, s.sub(1.0));
            // m ≤ 0, so m / (m + 2) is -tanh a; its sign bit is replaced by x's.
            FloatVector out = (FloatVector) m.div(m.add(2.0)).castShape(F, 0);
            out.reinterpretAsInts().and(0x7fff_ffff).or(v.reinterpretAsInts().and(0x8000_0000)).reinterpretAsFloats()
                    .intoArray(y, yo + i);
        }
    }
}
