package dev.vecgrad.train.layers;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Rng;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.internal.TensorInternals;
import dev.vecgrad.train.compile.Tracer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sets a fraction {@code rate} of the inputs to zero during training and scales the rest by
 * {@code 1 / (1 - rate)}, so the expected sum is unchanged; at inference it is the identity (as
 * Keras's {@code Dropout}).
 *
 * <p><b>Randomness.</b> The mask of the k-th training call is drawn from
 * {@code Seeds.rng(seed, name + "/dropout/" + k)}, with the layer's seed (see {@link Layer}): a
 * run is reproducible, and replicas calling the layer from several threads each get their own
 * mask without sharing a generator.
 *
 * <pre>{@code
 * Dropout d = new Dropout(0.5);
 * d.call(x, true);    // about half the elements zero, the rest doubled
 * d.call(x, false);   // x
 * }</pre>
 */
public final class Dropout extends Layer {
    private final double rate;
    private final AtomicLong calls = new AtomicLong();

    /** Drops a fraction {@code rate} in [0, 1). */
    public Dropout(double rate) {
        this(rate, null);
    }

    /** Drops a fraction {@code rate} in [0, 1); {@code name} null for the default. */
    public Dropout(double rate, String name) {
        super(name);
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Dropout: rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        if (!training || rate == 0) {
            return x;
        }
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException("Dropout '" + name() + "' needs a floating input, got " + x.dtype()
                    + " " + x.shape());
        }
        Shape shape = x.shape();
        DType dtype = x.dtype();
        // A host call, so that a compiled step draws a fresh mask at every replay.
        Tensor mask = Tracer.hostCall("Dropout.mask", List.of(),
                args -> mask(shape, dtype, Seeds.rng(seed(), name() + "/dropout/" + calls.getAndIncrement())));
        return x.mul(mask);
    }

    /** Keep-and-scale factors: 1/(1 - rate) with probability 1 - rate, else 0. */
    private Tensor mask(Shape shape, DType dtype, Rng rng) {
        double scale = 1.0 / (1.0 - rate);
        int n = shape.size();
        if (dtype == DType.F32) {
            float[] m = new float[n];
            for (int i = 0; i < n; i++) {
                m[i] = rng.nextDouble() < rate ? 0f : (float) scale;
            }
            return TensorInternals.wrap(DType.F32, shape, m);
        }
        double[] m = new double[n];
        for (int i = 0; i < n; i++) {
            m[i] = rng.nextDouble() < rate ? 0 : scale;
        }
        return TensorInternals.wrap(DType.F64, shape, m);
    }

    @Override
    protected void checkInputShape(Shape builtFor, Shape given) {
        // Elementwise: any shape works.
    }

    /** Acts on each position alone, so a mask passes through unchanged. */
    @Override
    public boolean supportsMasking() {
        return true;
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return inputShape;
    }

    /** The fraction dropped. */
    public double rate() {
        return rate;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("rate", rate);
        c.put("seed", seed());
        return c;
    }
}
