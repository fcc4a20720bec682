package dev.vecgrad.core.draw;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Axis ticks at round numbers, and their labels. */
final class Ticks {
    private Ticks() {
    }

    /** A step of 1, 2 or 5 times a power of ten, near {@code span / target}. */
    static double niceStep(double span, int target) {
        double raw = span / Math.max(1, target);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double norm = raw / mag;
        double f = norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10;
        return f * mag;
    }

    /** Multiples of {@code step} from the last one at or below {@code lo} to the first at or above {@code hi}. */
    static List<Double> covering(double lo, double hi, double step) {
        List<Double> ticks = new ArrayList<>();
        long first = (long) Math.floor(lo / step + 1e-9);
        long last = (long) Math.ceil(hi / step - 1e-9);
        for (long k = first; k <= last; k++) {
            ticks.add(clean(k * step));
        }
        return ticks;
    }

    /** Multiples of {@code step} inside [lo, hi]. */
    static List<Double> inside(double lo, double hi, double step) {
        List<Double> ticks = new ArrayList<>();
        long first = (long) Math.ceil(lo / step - 1e-9);
        long last = (long) Math.floor(hi / step + 1e-9);
        for (long k = first; k <= last; k++) {
            ticks.add(clean(k * step));
        }
        return ticks;
    }

    /**
     * Ticks for a log axis from 10^lo to 10^hi (whole exponents): every decade, with 2 and 5
     * between them when there are few decades, or every second or fifth decade when there are many.
     */
    static List<Double> log(int lo, int hi, int target) {
        List<Double> ticks = new ArrayList<>();
        int decades = hi - lo;
        int every = decades <= target ? 1 : decades <= 2 * target ? 2 : Math.max(5, (decades + target - 1) / target);
        for (int e = lo; e <= hi; e++) {
            double p = clean(Math.pow(10, e));
            if ((e - lo) % every == 0) {
                ticks.add(p);
            }
            if (decades <= 2 && e < hi) {
                ticks.add(clean(2 * p));
                ticks.add(clean(5 * p));
            }
        }
        return ticks;
    }

    /** {@code v} rounded to 12 significant digits, so 0.1 * 3 prints as 0.3. */
    private static double clean(double v) {
        return v == 0 ? 0 : new BigDecimal(v).round(new java.math.MathContext(12)).doubleValue();
    }

    /** A tick label: as few digits as the step needs, exponent form for very large or small values. */
    static String format(double v, double step) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e6 || a < 1e-4) {
            String s = String.format(Locale.ROOT, "%.1e", v).replace(".0e", "e").replace("e+0", "e").replace("e-0", "e-")
                    .replace("e+", "e");
            return s;
        }
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(Locale.ROOT, "%." + Math.min(decimals, 10) + "f", v);
    }

    /** A value for a tooltip or a caption: four significant digits. */
    static String value(double v) {
        return Numbers.significant(v, 4);
    }
}
