package dev.vecgrad.bench.peer;

import java.util.Arrays;
import java.util.Locale;

/**
 * The median, quartiles and range of a sample: how {@link InProcessGemm} summarizes per-round
 * rates and ratios. Quartiles interpolate linearly between order statistics (position
 * {@code q·(n−1)} of the sorted sample, NumPy's default), so the median of an even count is the
 * mean of the two middle values.
 *
 * @param median the middle value
 * @param min the lowest
 * @param max the highest
 * @param q1 the lower quartile
 * @param q3 the upper quartile
 * @param count how many values
 */
public record Spread(double median, double min, double max, double q1, double q3, int count) {

    /**
     * The spread of {@code values}.
     *
     * @param values at least one finite value (not modified)
     * @return their median, range and quartiles
     * @throws IllegalArgumentException when {@code values} is empty or holds a NaN
     */
    public static Spread of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        if (Double.isNaN(v[v.length - 1])) {
            throw new IllegalArgumentException("a NaN among the values");
        }
        return new Spread(quantile(v, 0.5), v[0], v[v.length - 1], quantile(v, 0.25), quantile(v, 0.75), v.length);
    }

    /** The {@code q} quantile of sorted {@code v}, interpolated between the neighbouring order statistics. */
    static double quantile(double[] v, double q) {
        double pos = q * (v.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, v.length - 1);
        return v[lo] + (pos - lo) * (v[hi] - v[lo]);
    }

    /**
     * {@code a[i] / b[i]} for each round {@code i}: the ratio of two sides' rates measured in the
     * same round.
     *
     * @param a the first side's rate per round
     * @param b the second side's, as many
     * @return the per-round ratios
     * @throws IllegalArgumentException when the lengths differ
     */
    public static double[] ratios(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("rounds differ: " + a.length + " and " + b.length);
        }
        double[] r = new double[a.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = a[i] / b[i];
        }
        return r;
    }

    /** {@code median [min–max]} with two decimals, as the benchmark tables print a ratio. */
    public String ratioText() {
        return String.format(Locale.ROOT, "%.2f [%.2f–%.2f]", median, min, max);
    }
}
