package dev.vecgrad.train.initializers;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Keras's {@code VarianceScaling}, the family behind Glorot and He initialisation: samples whose
 * variance is {@code scale / n}, where n is the fan-in, the fan-out or their average.
 *
 * <p>Fans as Keras computes them: a vector has fan-in = fan-out = its length; a matrix
 * {@code (in, out)}; a convolution kernel {@code (kh, kw, in, out)} multiplies both by the
 * receptive field {@code kh * kw}. A truncated normal is redrawn beyond two standard deviations
 * and its standard deviation is divided by 0.8796256610342398 (the standard deviation of a unit
 * normal truncated at ±2) so the variance comes out at {@code scale / n}; a uniform has limit
 * {@code sqrt(3 * scale / n)}.
 */
public final class VarianceScaling implements Initializer {
    /** Which fan divides the scale. */
    public enum Mode {
        /** Fan-in. */
        FAN_IN,
        /** Fan-out. */
        FAN_OUT,
        /** (fan-in + fan-out) / 2. */
        FAN_AVG
    }

    /** The sampling distribution. */
    public enum Distribution {
        /** Normal redrawn beyond two standard deviations. */
        TRUNCATED_NORMAL,
        /** Plain normal. */
        UNTRUNCATED_NORMAL,
        /** Uniform in [-limit, limit). */
        UNIFORM
    }

    private static final double TRUNCATED_STD = 0.87962566103423978;

    private final String className;
    private final double scale;
    private final Mode mode;
    private final Distribution distribution;
    private final Long seed;

    /** A variance-scaling initializer; {@code seed} null means the layer's generator. */
    public VarianceScaling(double scale, Mode mode, Distribution distribution, Long seed) {
        this("VarianceScaling", scale, mode, distribution, seed);
    }

    VarianceScaling(String className, double scale, Mode mode, Distribution distribution, Long seed) {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("VarianceScaling: scale must be positive, got " + scale);
        }
        this.className = className;
        this.scale = scale;
        this.mode = mode;
        this.distribution = distribution;
        this.seed = seed;
    }

    /** Fan-in and fan-out of a weight of {@code shape}, as Keras's {@code compute_fans}. */
    public static double[] fans(Shape shape) {
        int r = shape.rank();
        if (r == 0) {
            return new double[] {1, 1};
        }
        if (r == 1) {
            return new double[] {shape.dim(0), shape.dim(0)};
        }
        double receptive = 1;
        for (int i = 0; i < r - 2; i++) {
            receptive *= shape.dim(i);
        }
        return new double[] {shape.dim(r - 2) * receptive, shape.dim(r - 1) * receptive};
    }

    /** The variance of the samples for a weight of {@code shape}: scale / max(1, n). */
    public double variance(Shape shape) {
        double[] f = fans(shape);
        double n = switch (mode) {
            case FAN_IN -> f[0];
            case FAN_OUT -> f[1];
            case FAN_AVG -> (f[0] + f[1]) / 2;
        };
        return scale / Math.max(1.0, n);
    }

    @Override
    public Tensor initialize(Shape shape, DType dtype, Rng rng) {
        Rng r = seed == null ? rng : new Rng(seed);
        double var = variance(shape);
        return switch (distribution) {
            case TRUNCATED_NORMAL -> {
                double std = Math.sqrt(var) / TRUNCATED_STD;
                yield Fill.of(shape, dtype, () -> {
                    double g;
                    do {
                        g = r.nextGaussian();
                    } while (Math.abs(g) > 2);
                    return std * g;
                });
            }
            case UNTRUNCATED_NORMAL -> {
                double std = Math.sqrt(var);
                yield Fill.of(shape, dtype, () -> std * r.nextGaussian());
            }
            case UNIFORM -> {
                double limit = Math.sqrt(3 * var);
                yield Fill.of(shape, dtype, () -> -limit + 2 * limit * r.nextDouble());
            }
        };
    }

    @Override
    public String className() {
        return className;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        if (className.equals("VarianceScaling")) {
            c.put("scale", scale);
            c.put("mode", mode.name().toLowerCase(Locale.ROOT));
            c.put("distribution", distribution.name().toLowerCase(Locale.ROOT));
        }
        c.put("seed", seed);
        return c;
    }
}
