package dev.vecgrad.train.optimizers.schedules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code values[0]} up to and including step {@code boundaries[0]}, {@code values[1]} up to
 * {@code boundaries[1]}, ..., and the last value after the last boundary, as Keras's
 * {@code PiecewiseConstantDecay}.
 *
 * <pre>{@code
 * new PiecewiseConstantDecay(new long[] {100, 200}, new double[] {1.0, 0.5, 0.1}).rate(150);   // 0.5
 * }</pre>
 */
public final class PiecewiseConstantDecay implements LearningRateSchedule {
    private final long[] boundaries;
    private final double[] values;

    /** One more value than boundaries; boundaries increasing. */
    public PiecewiseConstantDecay(long[] boundaries, double[] values) {
        if (values.length != boundaries.length + 1) {
            throw new IllegalArgumentException("PiecewiseConstantDecay: need one more value than boundaries, got "
                    + boundaries.length + " boundaries and " + values.length + " values");
        }
        for (int i = 1; i < boundaries.length; i++) {
            if (boundaries[i] <= boundaries[i - 1]) {
                throw new IllegalArgumentException("PiecewiseConstantDecay: boundaries must increase, got "
                        + java.util.Arrays.toString(boundaries));
            }
        }
        this.boundaries = boundaries.clone();
        this.values = values.clone();
    }

    @Override
    public double rate(long step) {
        for (int i = 0; i < boundaries.length; i++) {
            if (step <= boundaries[i]) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }

    @Override
    public String className() {
        return "PiecewiseConstantDecay";
    }

    @Override
    public Map<String, Object> getConfig() {
        List<Object> b = new ArrayList<>();
        for (long x : boundaries) {
            b.add(x);
        }
        List<Object> v = new ArrayList<>();
        for (double x : values) {
            v.add(x);
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("boundaries", b);
        c.put("values", v);
        return c;
    }
}
