package dev.vecgrad.train.losses;

import dev.vecgrad.core.Tensor;
import java.util.Map;

/**
 * Per sample, the mean over the last axis of the Huber function of the error e = yPred - yTrue:
 * {@code e²/2} where {@code |e| <= delta}, else {@code delta * |e| - delta²/2} (Keras default
 * delta 1).
 */
public final class Huber extends Loss {
    private final double delta;

    /** delta 1, named {@code huber_loss}, mean reduction. */
    public Huber() {
        this(1.0);
    }

    /** The given delta, named {@code huber_loss}, mean reduction. */
    public Huber(double delta) {
        this(delta, "huber_loss", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /** The given delta, name and reduction. */
    public Huber(double delta, String name, Reduction reduction) {
        super(name, reduction);
        if (!(delta > 0)) {
            throw new IllegalArgumentException("Huber: delta must be positive, got " + delta);
        }
        this.delta = delta;
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        Tensor e = yPred.sub(yTrue);
        Tensor abs = e.abs();
        Tensor quadratic = e.square().mul(0.5);
        Tensor linear = abs.mul(delta).sub(0.5 * delta * delta);
        return meanLastAxis(Tensor.where(abs.le(abs.scalarLike(delta)), quadratic, linear));
    }

    /** The switch point between the quadratic and linear parts. */
    public double delta() {
        return delta;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("delta", delta);
        return c;
    }
}
