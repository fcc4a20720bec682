package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.util.Map;

/**
 * Marks padded time steps, as Keras's {@code Masking}: a step of {@code (batch, steps, features)}
 * whose features all equal {@code maskValue} is masked. The output is the input with masked steps
 * set to zero, and its mask ({@link #computeMask}) is {@code (batch, steps)}, 1 where any feature
 * differs from {@code maskValue}. Layers after it that read masks (recurrent layers, attention,
 * pooling) skip the masked steps, and the loss ignores them.
 *
 * <pre>{@code
 * import dev.vecgrad.train.Sequential;
 *
 * Sequential m = new Sequential(new Masking(0.0), new LSTM(32), new Dense(1));
 * }</pre>
 */
public final class Masking extends Layer {
    private final double maskValue;

    /** Masks steps whose features all equal {@code maskValue}. */
    public Masking(double maskValue) {
        this(maskValue, null);
    }

    /** Masks steps whose features all equal {@code maskValue}; {@code name} null for the default. */
    public Masking(double maskValue, String name) {
        super(name);
        this.maskValue = maskValue;
    }

    @Override
    protected void build(Shape inputShape) {
        if (inputShape.rank() < 2) {
            throw new IllegalArgumentException("Masking '" + name() + "' needs inputs (batch, ..., features), got "
                    + inputShape);
        }
    }

    /** Any sizes but the features', which must be the ones built for. */
    @Override
    protected void checkInputShape(Shape builtFor, Shape given) {
        requireSameAxes(builtFor, given, -1);
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        return x.mul(keep(x).unsqueeze(x.rank() - 1));
    }

    /** 1 where any feature differs from the mask value, over every axis but the last. */
    private Tensor keep(Tensor x) {
        return x.ne(x.scalarLike(maskValue)).max(new int[] {-1}, false);
    }

    @Override
    public boolean supportsMasking() {
        return true;
    }

    /** 1 at the steps that keep data, over the input's axes but the last; an incoming mask is replaced, as in Keras. */
    @Override
    public Tensor computeMask(Tensor x, Tensor mask) {
        return keep(x);
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return inputShape;
    }

    /** The value that marks a padded feature. */
    public double maskValue() {
        return maskValue;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("mask_value", maskValue);
        return c;
    }
}
