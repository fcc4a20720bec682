package dev.vecgrad.core.kernel.elementwise;

import java.util.Arrays;
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
 * On each interval tanh is a degree-5 polynomial in t = |x| - centre, evaluated as
 * {@code C0_HI + (C0_LO + t·(C1 + t·(C2 + ...)))}: the value at the centre is split over two floats,
 * so the only rounding at the result's scale is the last addition, and the corrections are small
 * against it. In the first interval the centre is 0 and the value is {@code t + t·(...)}, so small
 * results keep their relative accuracy. The sign of x is put back last; NaN stays NaN.
 *
 * <p>The coefficients were fitted in f64 (least squares on Chebyshev nodes, reweighted towards the
 * smallest largest relative error) and rounded to float: the fit is within 0.2 ulp of tanh on every
 * interval, and {@code VectorAccuracyTest} measures the whole function against {@link Math#tanh}.
 * A table of 32 entries is two 16-lane vectors, from which one two-source permute ({@code selectFrom})
 * fetches each lane's coefficient. Shorter vectors would need four or more permutes a coefficient,
 * so {@link FloatMathLoops#tanh} uses this class only on 16-lane F32 vectors.
 */
final class TanhTable {
    /** Whether the platform's F32 vectors have the 16 lanes this class is written for. */
    static final boolean USABLE = FloatVector.SPECIES_PREFERRED.length() == 16;

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** The first index of the float bits shifted right by 21 that falls past the first interval, less one. */
    private static final int INDEX_BASE = (Float.floatToRawIntBits(0.125f) >> 21) - 1;
    /** |x| is clamped below this: tanh(x) rounds to 1 from about 9.01 on. */
    private static final float CLAMP = 9.999f;

    /** Interval centres (0 for the first interval, where t = |x|). */
    private static final float[] CENTER = {
        0, 0.140625f, 0.171875f, 0.203125f, 0.234375f, 0.28125f, 0.34375f, 0.40625f, 0.46875f, 0.5625f,
        0.6875f, 0.8125f, 0.9375f, 1.125f, 1.375f, 1.625f, 1.875f, 2.25f, 2.75f, 3.25f, 3.75f, 4.5f, 5.5f,
        6.5f, 7.5f, 9f
    };
    /** tanh at the centre, rounded to float. */
    private static final float[] C0_HI = {
        0, 0.1397053f, 0.17020231f, 0.20037672f, 0.2301757f, 0.2740616f, 0.33082113f, 0.38528398f,
        0.43718877f, 0.50983f, 0.59637356f, 0.6709671f, 0.7340715f, 0.8093011f, 0.8798267f, 0.92534626f,
        0.95404524f, 0.9780261f, 0.99185973f, 0.99699765f, 0.99889445f, 0.9997532f, 0.9999666f, 0.99999547f,
        0.9999994f, 0.99999994f
    };
    /** What C0_HI misses of tanh at the centre. */
    private static final float[] C0_LO = {
        0, 2.4971682e-9f, -6.44724e-9f, -7.159993e-10f, 7.268136e-9f, -1.4744377e-9f, -9.2079055e-9f,
        -1.0525745e-8f, 1.0792764e-8f, -2.435048e-8f, -2.5868239e-9f, -2.783042e-8f, 2.6487186e-8f,
        -5.909164e-9f, -2.3567154e-8f, -2.9499557e-8f, 2.4146539e-8f, 1.7181359e-8f, -1.36550975e-8f,
        -2.0808768e-8f, -1.1051684e-8f, 2.2720911e-8f, -2.5737156e-8f, 9.101946e-9f, -1.578541e-8f,
        2.9048824e-8f
    };
    /** Coefficient of t (less 1 in the first interval, whose value is t + t·(...)). */
    private static final float[] C1 = {
        -1.1090148e-9f, 0.9804824f, 0.9710312f, 0.9598492f, 0.94701916f, 0.9248902f, 0.8905574f,
        0.85155624f, 0.80886596f, 0.7400734f, 0.6443386f, 0.5498032f, 0.461139f, 0.34503177f, 0.22590497f,
        0.14373437f, 0.08979764f, 0.043464918f, 0.01621429f, 0.0059957164f, 0.002209893f, 4.9352826e-4f,
        6.680606e-5f, 9.041479e-6f, 1.2236359e-6f, 6.10152e-8f
    };
    /** Coefficient of t². */
    private static final float[] C2 = {
        4.2087058e-7f, -0.1369786f, -0.16527174f, -0.19233142f, -0.2179808f, -0.25347686f, -0.29461515f,
        -0.32809094f, -0.3536271f, -0.3773113f, -0.3842664f, -0.3688999f, -0.33850914f, -0.27923712f,
        -0.19875874f, -0.13300462f, -0.085671104f, -0.042508237f, -0.016081098f, -0.005977179f,
        -0.0022072394f, -4.9260916e-4f, -6.669512e-5f, -9.02671e-6f, -1.2216417e-6f, -5.921784e-8f
    };
    /** Coefficient of t³. */
    private static final float[] C3 = {
        -0.33335853f, -0.30769086f, -0.29554743f, -0.281411f, -0.26549917f, -0.23882861f, -0.19938765f,
        -0.157444f, -0.11502026f, -0.054327298f, 0.014386373f, 0.06425175f, 0.09477684f, 0.11097602f,
        0.09957171f, 0.075164065f, 0.05180174f, 0.027087698f, 0.010546239f, 0.0039609782f, 0.0014682877f,
        3.2842188e-4f, 4.448443e-5f, 6.0209977e-6f, 8.14866e-7f, 3.986469e-8f
    };
    /** Coefficient of t⁴. */
    private static final float[] C4 = {
        5.0178723e-4f, 0.08862796f, 0.10537288f, 0.120475754f, 0.133747f, 0.1498409f, 0.1640615f,
        0.16992727f, 0.16807865f, 0.15324941f, 0.11944099f, 0.07989822f, 0.04336299f, 0.0037007562f,
        -0.021095064f, -0.025121197f, -0.020848902f, -0.01239036f, -0.00515114f, -0.001979503f,
        -7.3987443e-4f, -1.7255297e-4f, -2.3398743e-5f, -3.1675231e-6f, -4.2869317e-7f, -2.4723633e-8f
    };
    /** Coefficient of t⁵. */
    private static final float[] C5 = {
        0.12988834f, 0.112009235f, 0.102193095f, 0.09102974f, 0.0787908f, 0.059174325f, 0.032049082f,
        0.005999797f, -0.01710777f, -0.043371182f, -0.061543625f, -0.06268011f, -0.05308067f, -0.03210058f,
        -0.009536232f, 0.0013899104f, 0.004600461f, 0.0039778445f, 0.0019151062f, 7.705403e-4f,
        2.9265406e-4f, 6.830768e-5f, 9.280075e-6f, 1.2565749e-6f, 1.7007082e-7f, 9.5804005e-9f
    };

    /** The tables as pairs of int vectors (the float bits), lower and upper 16 entries. */
    private static final IntVector CENTER_L = lower(CENTER);
    private static final IntVector CENTER_U = upper(CENTER);
    private static final IntVector C0_HI_L = lower(C0_HI);
    private static final IntVector C0_HI_U = upper(C0_HI);
    private static final IntVector C0_LO_L = lower(C0_LO);
    private static final IntVector C0_LO_U = upper(C0_LO);
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

    /** I.length() entries of {@code table} from {@code from} as float bits, zero past its end (entries no index reaches). */
    private static IntVector entries(float[] table, int from) {
        int[] bits = new int[I.length()];
        float[] padded = Arrays.copyOf(table, 2 * I.length());
        for (int i = 0; i < bits.length; i++) {
            bits[i] = Float.floatToRawIntBits(padded[from + i]);
        }
        return IntVector.fromArray(I, bits, 0);
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
            IntVector idx = a.reinterpretAsInts().lanewise(VectorOperators.ASHR, 21).sub(INDEX_BASE).max(0);
            FloatVector t = a.sub(idx.selectFrom(CENTER_L, CENTER_U).reinterpretAsFloats());
            FloatVector p = idx.selectFrom(C5_L, C5_U).reinterpretAsFloats();
            p = p.lanewise(VectorOperators.FMA, t, idx.selectFrom(C4_L, C4_U).reinterpretAsFloats());
            p = p.lanewise(VectorOperators.FMA, t, idx.selectFrom(C3_L, C3_U).reinterpretAsFloats());
            p = p.lanewise(VectorOperators.FMA, t, idx.selectFrom(C2_L, C2_U).reinterpretAsFloats());
            p = p.lanewise(VectorOperators.FMA, t, idx.selectFrom(C1_L, C1_U).reinterpretAsFloats());
            p = p.lanewise(VectorOperators.FMA, t, idx.selectFrom(C0_LO_L, C0_LO_U).reinterpretAsFloats());
            FloatVector base = idx.selectFrom(C0_HI_L, C0_HI_U).reinterpretAsFloats()
                    .blend(t, idx.compare(VectorOperators.EQ, 0).cast(S));
            base.add(p).reinterpretAsInts().or(v.reinterpretAsInts().and(0x8000_0000)).reinterpretAsFloats()
                    .intoArray(y, yo + i);
        }
    }
}
