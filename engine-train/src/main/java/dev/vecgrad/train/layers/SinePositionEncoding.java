package dev.vecgrad.train.layers;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
import java.util.Map;

/**
 * The fixed sinusoidal position encoding of "Attention is all you need", as KerasHub's
 * {@code SinePositionEncoding}: for an input {@code (batch, steps, features)} the output has the
 * input's shape, and at position p, feature 2i holds {@code sin(p / maxWavelength^(2i/features))}
 * and feature 2i+1 the cosine of the same angle. It has no weights; the caller adds it to the
 * embeddings.
 *
 * <pre>{@code
 * Tensor h = tokens.add(new SinePositionEncoding().call(tokens));
 * }</pre>
 */
public final class SinePositionEncoding extends Layer {
    private final double maxWavelength;

    /** With KerasHub's default maximum wavelength, 10000. */
    public SinePositionEncoding() {
        this(null, 10_000);
    }

    /** With the given maximum wavelength; {@code name} null for the default. */
    public SinePositionEncoding(String name, double maxWavelength) {
        super(name);
        if (!(maxWavelength > 0)) {
            throw new IllegalArgumentException("SinePositionEncoding: maxWavelength must be positive, got "
                    + maxWavelength);
        }
        this.maxWavelength = maxWavelength;
    }

    @Override
    protected void build(Shape inputShape) {
        if (inputShape.rank() < 2) {
            throw new IllegalArgumentException("SinePositionEncoding '" + name()
                    + "' takes (batch, steps, features), got " + inputShape);
        }
    }

    @Override
    protected void checkInputShape(Shape builtFor, Shape given) {
        build(given);
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        int steps = x.shape().dim(-2);
        int features = x.shape().dim(-1);
        double[] e = new double[steps * features];
        for (int p = 0; p < steps; p++) {
            for (int f = 0; f < features; f++) {
                double angle = p / Math.pow(maxWavelength, (f - f % 2) / (double) features);
                e[p * features + f] = f % 2 == 0 ? Math.sin(angle) : Math.cos(angle);
            }
        }
        Tensor t = TensorInternals.wrap(DType.F64, Shape.of(steps, features), e);
        DType dtype = x.dtype().isFloating() ? x.dtype() : DType.F32;
        return (dtype == DType.F64 ? t : t.cast(dtype)).broadcastTo(x.shape().toArray());
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return inputShape;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("max_wavelength", maxWavelength);
        return c;
    }

    static SinePositionEncoding fromConfig(Map<String, Object> c) {
        return new SinePositionEncoding((String) c.get("name"), Configs.number(c, "max_wavelength", 10_000));
    }
}
