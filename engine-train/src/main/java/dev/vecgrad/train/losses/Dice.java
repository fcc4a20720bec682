package dev.vecgrad.train.losses;

import dev.vecgrad.core.Tensor;
import java.util.Map;

/**
 * The Dice loss for segmentation, as Keras's {@code Dice}: {@code 1 - 2 sum(y p) / (sum(y) +
 * sum(p) + 1e-7)} over {@code axes} (null: all axes, one value for the batch).
 */
public final class Dice extends Loss {
    private final int[] axes;

    /** Over all axes, named {@code dice}, mean reduction. */
    public Dice() {
        this(null, "dice", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /** All arguments; {@code axes} null for all axes. */
    public Dice(int[] axes, String name, Reduction reduction) {
        super(name, reduction);
        this.axes = axes == null ? null : axes.clone();
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        int[] a = Tversky.axes(this, axes, yPred.rank());
        Tensor intersection = yTrue.mul(yPred).sum(a, false);
        Tensor total = yTrue.sum(a, false).add(yPred.sum(a, false)).add(EPSILON);
        return intersection.mul(2).div(total).neg().add(1);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("axis", Tversky.axesConfig(axes));
        return c;
    }
}
