package dev.vecgrad.core.draw;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** Numbers as pictures label them: few digits, no trailing zeros. */
public final class Numbers {
    private Numbers() {
    }

    /**
     * {@code v} to {@code digits} significant digits without trailing zeros ({@code 0.1235},
     * {@code 12}), in exponent form ({@code 1.23e+06}) at a million and beyond or below 0.001.
     */
    public static String significant(double v, int digits) {
        if (digits < 1 || digits > 17) {
            throw new IllegalArgumentException("significant digits must be 1..17, got " + digits);
        }
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e6 || a < 1e-3)) {
            return String.format(Locale.ROOT, "%." + (digits - 1) + "e", v);
        }
        String s = new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }
}
