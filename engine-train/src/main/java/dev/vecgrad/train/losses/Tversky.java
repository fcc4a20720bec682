package dev.vecgrad.train.losses;

import dev.vecgrad.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Tversky loss for segmentation, as Keras's {@code Tversky}: {@code 1 - tp / (tp + alpha fp +
 * beta fn + 1e-7)} with {@code tp = sum(p y)}, {@code fp = sum(p (1 - y))},
 * {@code fn = sum((1 - p) y)} over {@code axes} (null: all axes, one value for the batch).
 * {@link Dice} is the case alpha = beta = 0.5. Defaults: alpha = beta = 0.5.
 */
public final class Tversky extends Loss {
    private final double alpha;
    private final double beta;
    private final int[] axes;

    /** alpha = beta = 0.5 over all axes, named {@code tversky}, mean reduction. */
    public Tversky() {
        this(0.5, 0.5, null, "tversky", Reduction.SUM_OVER_BATCH_SIZE);
    }

    /** All arguments; {@code axes} null for all axes. */
    public Tversky(double alpha, double beta, int[] axes, String name, Reduction reduction) {
        super(name, reduction);
        this.alpha = alpha;
        this.beta = beta;
        this.axes = axes == null ? null : axes.clone();
    }

    @Override
    protected Tensor values(Tensor yTrue, Tensor yPred) {
        int[] a = axes(this, axes, yPred.rank());
        Tensor tp = yPred.mul(yTrue).sum(a, false);
        Tensor fp = yTrue.neg().add(1).mul(yPred).sum(a, false);
        Tensor fn = yTrue.mul(yPred.neg().add(1)).sum(a, false);
        return tp.div(tp.add(fp.mul(alpha)).add(fn.mul(beta)).add(EPSILON)).neg().add(1);
    }

    /** {@code axes} made non-negative, or every axis when null. */
    static int[] axes(Loss loss, int[] axes, int rank) {
        if (axes == null) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = loss.axis(axes[i], rank);
        }
        return out;
    }

    /** {@code axes} as a JSON-able list, or null. */
    static List<Object> axesConfig(int[] axes) {
        if (axes == null) {
            return null;
        }
        List<Object> out = new ArrayList<>();
        for (int a : axes) {
            out.add(a);
        }
        return out;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("alpha", alpha);
        c.put("beta", beta);
        c.put("axis", axesConfig(axes));
        return c;
    }
}
