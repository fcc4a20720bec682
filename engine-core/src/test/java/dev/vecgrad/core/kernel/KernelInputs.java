package dev.vecgrad.core.kernel;

import dev.vecgrad.core.ops.Binary;
import dev.vecgrad.core.ops.Primitive;
import dev.vecgrad.core.ops.Primitives;
import dev.vecgrad.core.ops.Unary;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Test inputs for the kernels: mixes of ordinary values, wide magnitudes and special values, by seed. */
public final class KernelInputs {
    private static final double[] SPECIALS = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1, -1, 88.7, -103, 0.5};

    private KernelInputs() {
    }

    /** The lengths every kernel is checked at: the vector edges, primes, and small odd sizes. */
    public static List<Integer> sizes(int lanes) {
        List<Integer> s = new ArrayList<>(List.of(0, 1, lanes - 1, lanes, lanes + 1, 2 * lanes + 1, 4 * lanes + 3,
                7, 31, 127, 1009, 4099));
        s.removeIf(n -> n < 0);
        return s;
    }

    /** A size of at least 1M, odd so that the tail is partial. */
    public static final int BIG = (1 << 20) + 3;

    /** {@code n} values in the mix suited to {@code op}: sin and cos keep |x| &lt;= 1e4, pow's base is positive mostly. */
    public static double[] values(int n, long seed, Primitive<?> op) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(10);
            double v;
            if (kind == 0) {
                v = SPECIALS[r.nextInt(SPECIALS.length)];
            } else if (kind <= 2) {
                v = (r.nextBoolean() ? 1 : -1) * Math.pow(10, r.nextDouble(-30, 30));
            } else {
                v = r.nextDouble(-10, 10);
            }
            if ((op == Primitives.SIN || op == Primitives.COS) && Double.isFinite(v)) {
                v = Math.max(-1e4, Math.min(1e4, v));
            }
            a[i] = v;
        }
        return a;
    }

    public static float[] f32(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** Values in [lo, hi) without specials, for ops whose comparison needs a tame domain. */
    public static double[] uniform(int n, long seed, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextDouble(lo, hi);
        }
        return a;
    }

    /** The unary primitives the kernels run. */
    public static List<Unary> unaryOps() {
        List<Unary> ops = new ArrayList<>();
        for (Primitive<?> op : Primitives.all()) {
            if (op instanceof Unary u) {
                ops.add(u);
            }
        }
        return ops;
    }

    /** The binary primitives the kernels run (arithmetic and comparisons). */
    public static List<Binary> binaryOps() {
        List<Binary> ops = new ArrayList<>();
        for (Primitive<?> op : Primitives.all()) {
            if (op instanceof Binary b) {
                ops.add(b);
            }
        }
        return ops;
    }
}
