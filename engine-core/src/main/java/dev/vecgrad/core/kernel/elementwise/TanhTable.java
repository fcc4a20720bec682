package dev.vecgrad.core.kernel.elementwise;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * F32 tanh on 16-lane vectors (AVX-512) from a table of polynomials: ≤ 1 ulp, without a division
 * or a call into the JDK's vector math library, which computes the same to the same bound at
 * about two thirds of the speed.
 *
 * <p>|x| is cut into 26 intervals: [0, 1/8), then four of equal width in each binade from 1/8 up
 * to 8, then [8, 10); past 10, tanh rounds to 1 and |x| is clamped to just below it. An interval's
 * index is the top bits of the float (exponent and two mantissa bits), so finding it is a shift.
 * On each interval tanh is {@code C0 + t·q(t)} with t = |x| - c and q of degree 4, evaluated in
 * Horner form with the last step one FMA, so the result is rounded once. The centre c of each
 * interval is a float inside it at which tanh(c) lies within 0.002 ulp of a float, so C0 carries
 * the value at the centre in one float; c shares the exponent of every |x| in its interval, so t
 * is exact. In the first interval the centre is 0 and the value is {@code t + t·q(t)}, so small
 * results keep their relative accuracy. The sign of x is put back last; NaN stays NaN.
 *
 * <p>The coefficients were fitted in f64 (least squares on Chebyshev nodes in units of the
 * result's ulp, reweighted towards the smallest largest error, with the value at the centre
 * fixed) and rounded to float. The centre is the float of that kind nearest the midpoint, except
 * on seven intervals between 1 and 6 where the fit is hardest: there it is the one of sixty spread
 * over the interval that gives the smallest error. Run over every float in [0, 12) this class is
 * within 0.686 ulp of {@link Math#tanh}, and {@code VectorAccuracyTest} checks the bound.
 *
 * <p>A table of 32 entries is two 16-lane vectors, from which one two-source permute
 * ({@code selectFrom}) fetches each lane's coefficient. selectFrom takes the index modulo 32, so
 * each table is stored rotated: interval k sits at (k + {@code FIRST}) mod 32, the float bits
 * shifted right by 21 serve as the index without a subtraction, and a MAX folds every |x| below
 * 1/8 onto the first interval. Shorter vectors would need four or more permutes a coefficient,
 * so {@link FloatMathLoops#tanh} uses this class only on 16-lane F32 vectors.
 */
final class TanhTable {
    /** Whether the platform's F32 vectors have the 16 lanes this class is written for. */
    static final boolean USABLE = FloatVector.SPECIES_PREFERRED.length() == 16;

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** The float bits of 1/8 shifted right by 21, less one: the index of the first interval. */
    private static final int FIRST = (Float.floatToRawIntBits(0.125f) >> 21) - 1;
    /** |x| is clamped below this: tanh(x) rounds to 1 from about 9.01 on. */
    private static final float CLAMP = 9.999f;

    /** Interval centres (0 for the first interval, where t = |x|). */
    private static final float[] CENTER = {
        0f, 0.14062665f, 0.17187478f, 0.20312424f, 0.23438667f, 0.28124323f, 0.34375155f,
        0.40624812f, 0.4687535f, 0.56250656f, 0.68750167f, 0.8124952f, 0.9374976f, 1.0928028f,
        1.4072281f, 1.6249952f, 1.875007f, 2.1855943f, 2.8143983f, 3.314411f, 3.7500587f,
        4.1406555f, 5.3576355f, 6.498985f, 7.512947f, 8.66534f
    };
    /** tanh at the centre, within 0.002 ulp of it (0 in the first interval). */
    private static final float[] C0 = {
        0f, 0.13970692f, 0.17020209f, 0.20037599f, 0.23018676f, 0.27405533f, 0.3308225f,
        0.38528237f, 0.4371916f, 0.5098348f, 0.59637463f, 0.6709644f, 0.7340704f, 0.7978988f,
        0.88690406f, 0.92534554f, 0.9540459f, 0.97504294f, 0.99283993f, 0.99736005f, 0.9988946f,
        0.9994937f, 0.9999556f, 0.99999547f, 0.9999994f, 0.99999994f
    };
    /** Coefficient of t (less 1 in the first interval, whose value is t + t·q). */
    private static final float[] C1 = {
        -1.1090148e-09f, 0.980482f, 0.97103125f, 0.9598495f, 0.94701403f, 0.9248937f, 0.89055645f,
        0.8515575f, 0.8088635f, 0.74006844f, 0.6443373f, 0.5498068f, 0.46114063f, 0.36335757f,
        0.21340112f, 0.14373563f, 0.08979644f, 0.049291134f, 0.014268971f, 0.005272975f,
        0.0022096343f, 0.0010125013f, 8.879045e-05f, 9.059939e-06f, 1.192331e-06f, 1.1865362e-07f
    };
    /** Coefficient of t². */
    private static final float[] C2 = {
        4.2087058e-07f, -0.1369796f, -0.16527064f, -0.19233096f, -0.21798924f, -0.253472f,
        -0.29461607f, -0.32809034f, -0.35362846f, -0.3773124f, -0.38426653f, -0.36890098f,
        -0.33851f, -0.28992268f, -0.18926638f, -0.13300559f, -0.085669994f, -0.04806107f,
        -0.01416669f, -0.0052590165f, -0.002207025f, -0.0010120919f, -8.880252e-05f, -9.046473e-06f,
        -1.1942434e-06f, -1.1858901e-07f
    };
    /** Coefficient of t³. */
    private static final float[] C3 = {
        -0.33335853f, -0.3076891f, -0.29554752f, -0.28141135f, -0.26549283f, -0.2388325f,
        -0.19938652f, -0.15744518f, -0.115017846f, -0.05432557f, 0.0143874f, 0.06425027f,
        0.09477638f, 0.110166214f, 0.096753046f, 0.0751646f, 0.05180121f, 0.030444723f,
        0.009298759f, 0.0034829103f, 0.0014680933f, 0.0006650339f, 5.968163e-05f, 6.031892e-06f,
        7.934505e-07f, 8.274054e-08f
    };
    /** Coefficient of t⁴. */
    private static final float[] C4 = {
        0.00050178723f, 0.08655758f, 0.101645485f, 0.12119937f, 0.13024722f, 0.14981984f,
        0.1640623f, 0.17022683f, 0.16823335f, 0.15325846f, 0.119487055f, 0.07994054f, 0.04341327f,
        0.008859579f, -0.022630638f, -0.025126439f, -0.020849723f, -0.013670605f, -0.0045341305f,
        -0.001731033f, -0.00073921366f, -0.00029599326f, -3.0038516e-05f, -3.1693708e-06f,
        -4.0319904e-07f, -4.1618662e-08f
    };
    /** Coefficient of t⁵. */
    private static final float[] C5 = {
        0.12988834f, 0.10274646f, 0.10215771f, 0.09097012f, 0.07807457f, 0.05899817f, 0.031956095f,
        0.005922377f, -0.017162312f, -0.04292108f, -0.06158329f, -0.062689945f, -0.053069558f,
        -0.032048363f, -0.009526471f, 0.0013860543f, 0.004597525f, 0.003976147f, 0.001916028f,
        0.0007714629f, 0.00029295243f, 6.87049e-05f, 9.333828e-06f, 1.2631104e-06f, 1.7078219e-07f,
        1.0357819e-08f
    };

    /** The tables as pairs of int vectors (the float bits), lower and upper 16 entries. */
    private static final IntVector CENTER_L = lower(CENTER);
    private static final IntVector CENTER_U = upper(CENTER);
    private static final IntVector C0_L = lower(C0);
    private static final IntVector C0_U = upper(C0);
    private static final IntVector C1_L = lower(C1);
    private static final IntVector C1_U = upper(C1);
    private static final IntVector C2_L = lower(C2);
    private static final IntVector C2_U = upper(C2);
    private static final IntVector C3_L = lower(C3);
    private static final IntVector C3_U = upper(C3);
    private static final IntVector C4_L = lower(C4);
    private static final IntVector C4_U = upper(C4);
    private static final IntVector C5_L = lower(C5);
    private static final IntVector C5_U = upper(C5);

    private TanhTable() {
    }

    private static IntVector lower(float[] table) {
        return entries(table, 0);
    }

    private static IntVector upper(float[] table) {
        return entries(table, I.length());
    }

    /**
     * I.length() entries from {@code from} of {@code table} rotated into 32 slots, interval k at
     * slot (k + FIRST) mod 32, as float bits; zero in the slots no index reaches.
     */
    private static IntVector entries(float[] table, int from) {
        int[] slots = new int[2 * I.length()];
        for (int k = 0; k < table.length; k++) {
            slots[(k + FIRST) % slots.length] = Float.floatToRawIntBits(table[k]);
        }
        return IntVector.fromArray(I, slots, from);
    }

    /** y[yo + i] = tanh(x[xo + i]) for i in [0, n), n a multiple of 16; only when {@link #USABLE}. */
    static void run(float[] x, int xo, float[] y, int yo, int n) {
        if (n == 0) {
            return;
        }
        FloatVector next = FloatVector.fromArray(S, x, xo);
        for (int i = 0; i < n; i += 16) {
            FloatVector v = next;
            next = FloatVector.fromArray(S, x, xo + Math.min(i + 16, n - 16));
            FloatVector a = v.abs();
            // Compare and blend, not MIN: cheaper than its NaN rules, and NaN still passes.
            a = a.blend(CLAMP, a.compare(VectorOperators.GT, CLAMP));
            IntVector idx = a.reinterpretAsInts().lanewise(VectorOperators.ASHR, 21).max(FIRST);
            FloatVector t = a.sub(idx.selectFrom(CENTER_L, CENTER_U).reinterpretAsFloats());
            FloatVector q = idx.selectFrom(C5_L, C5_U).reinterpretAsFloats();
            q = q.lanewise(VectorOperators.FMA, t, idx.selectFrom(C4_L, C4_U).reinterpretAsFloats());
            q = q.lanewise(VectorOperators.FMA, t, idx.selectFrom(C3_L, C3_U).reinterpretAsFloats());
            q = q.lanewise(VectorOperators.FMA, t, idx.selectFrom(C2_L, C2_U).reinterpretAsFloats());
            q = q.lanewise(VectorOperators.FMA, t, idx.selectFrom(C1_L, C1_U).reinterpretAsFloats());
            FloatVector base = idx.selectFrom(C0_L, C0_U).reinterpretAsFloats()
                    .blend(t, idx.compare(VectorOperators.EQ, FIRST).cast(S));
            q.lanewise(VectorOperators.FMA, t, base)
                    .reinterpretAsInts().or(v.reinterpretAsInts().and(0x8000_0000)).reinterpretAsFloats()
                    .intoArray(y, yo + i);
        }
    }
}
