package dev.vecgrad.train.losses;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A training objective with Keras's semantics, written with tensor ops so a tape differentiates
 * it. {@link #call(Tensor, Tensor, Tensor)} does, in order:
 *
 * <ol>
 *   <li>brings {@code yTrue} to {@code yPred}'s rank where they differ by a trailing size-1 axis
 *       (Keras's {@code squeeze_or_expand_to_same_rank}: labels {@code (batch,)} against
 *       predictions {@code (batch, 1)} work) and, except for integer class ids, to yPred's dtype;</li>
 *   <li>computes per-sample values with {@link #values} (for MSE and friends the mean over the
 *       last axis, for cross-entropies the sum over classes);</li>
 *   <li>multiplies by {@code sampleWeight} (matched in rank the same way; a weight of lower rank
 *       applies to all trailing positions);</li>
 *   <li>reduces: {@link Reduction#SUM}, {@link Reduction#SUM_OVER_BATCH_SIZE} (the default: the
 *       weighted sum divided by the number of per-sample values, 0 when there are none) or
 *       {@link Reduction#NONE}.</li>
 * </ol>
 *
 * <pre>{@code
 * Loss mse = new MeanSquaredError();
 * Tensor l = mse.call(yTrue, yPred);                       // rank 0
 * Tensor w = mse.call(yTrue, yPred, Tensor.of(new float[] {1, 0.5f}));
 * }</pre>
 */
public abstract class Loss {
    /** Keras's backend epsilon, used to clip probabilities and guard divisions. */
    public static final double EPSILON = 1e-7;

    private final String name;
    private final Reduction reduction;

    /** A loss reported as {@code name} that reduces with {@code reduction}. */
    protected Loss(String name, Reduction reduction) {
        this.name = Objects.requireNonNull(name, "name");
        this.reduction = Objects.requireNonNull(reduction, "reduction");
    }

    /** The loss without sample weights. */
    public final Tensor call(Tensor yTrue, Tensor yPred) {
        return call(yTrue, yPred, null);
    }

    /** The loss with {@code sampleWeight} (null for none); see the class comment for the steps. */
    public final Tensor call(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        if (!yPred.dtype().isFloating()) {
            throw new IllegalArgumentException(name + ": predictions must be floating, got " + yPred.dtype() + " "
                    + yPred.shape());
        }
        Tensor t = keepsIntegerLabels() ? yTrue : asDType(yTrue, yPred.dtype());
        Tensor[] matched = matchRank(t, yPred);
        Tensor v = values(matched[0], matched[1]);
        if (sampleWeight != null) {
            Tensor w = asDType(sampleWeight, v.dtype());
            Tensor[] vw = matchRank(v, w);
            v = vw[0];
            w = vw[1];
            while (w.rank() < v.rank() && w.rank() > 0) {
                w = w.unsqueeze(w.rank());
            }
            try {
                v = v.mul(w);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": sample weights of shape " + sampleWeight.shape()
                        + " do not fit per-sample losses of shape " + v.shape(), e);
            }
        }
        return reduce(v);
    }

    /**
     * The loss over the positions {@code mask} keeps (a 0/1 tensor over yPred's leading axes, as a
     * layer's {@link dev.vecgrad.train.layers.Layer#computeMask} gives; null for none): the mask
     * becomes part of the sample weight through {@link #applyMask}, so with the default reduction
     * the result is the mean over the unmasked positions.
     */
    public final Tensor call(Tensor yTrue, Tensor yPred, Tensor sampleWeight, Tensor mask) {
        return call(yTrue, yPred, applyMask(sampleWeight, mask, yPred.dtype(), reduction));
    }

    /**
     * Keras's {@code apply_mask}: folds {@code mask} into {@code sampleWeight} (either may be null).
     * For {@link Reduction#SUM_OVER_BATCH_SIZE} the mask is first scaled by total / valid (its size
     * over its number of ones), so that dividing by the number of positions gives the mean over the
     * unmasked ones. A weight of lower rank than the mask applies to all of the mask's trailing
     * positions.
     *
     * @param dtype the floating dtype of the result
     */
    public static Tensor applyMask(Tensor sampleWeight, Tensor mask, DType dtype, Reduction reduction) {
        if (mask == null) {
            return sampleWeight;
        }
        Tensor m = asDType(mask, dtype);
        if (reduction == Reduction.SUM_OVER_BATCH_SIZE) {
            m = m.mul(m.size() / (m.sum().item() + EPSILON));
        }
        if (sampleWeight == null) {
            return m;
        }
        Tensor w = asDType(sampleWeight, dtype);
        Tensor[] mw = matchRank(m, w);
        m = mw[0];
        w = mw[1];
        while (w.rank() < m.rank() && w.rank() > 0) {
            w = w.unsqueeze(w.rank());
        }
        while (m.rank() < w.rank() && m.rank() > 0) {
            m = m.unsqueeze(m.rank());
        }
        try {
            return w.mul(m);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sample weights of shape " + sampleWeight.shape()
                    + " do not fit a mask of shape " + mask.shape(), e);
        }
    }

    /** The per-sample values before weighting and reduction; both inputs have the same rank. */
    protected abstract Tensor values(Tensor yTrue, Tensor yPred);

    /** Whether yTrue stays as given (integer class ids) instead of being cast to yPred's dtype. */
    protected boolean keepsIntegerLabels() {
        return false;
    }

    private Tensor reduce(Tensor v) {
        if (reduction == Reduction.NONE || v.rank() == 0) {
            return v;
        }
        Tensor sum = v.sum();
        if (reduction == Reduction.SUM) {
            return sum;
        }
        return v.size() == 0 ? sum.mul(0) : sum.div(v.size());
    }

    /** {@code t} in {@code dtype}, cast if needed. */
    static Tensor asDType(Tensor t, DType dtype) {
        return t.dtype() == dtype ? t : t.cast(dtype);
    }

    /**
     * Keras's {@code squeeze_or_expand_to_same_rank}: when ranks differ by one and the longer has
     * a trailing size-1 axis, a rank-1 shorter operand gains an axis; otherwise the longer loses it.
     */
    public static Tensor[] matchRank(Tensor a, Tensor b) {
        if (a.rank() == b.rank() + 1 && a.shape().dim(-1) == 1) {
            return b.rank() == 1 ? new Tensor[] {a, b.unsqueeze(1)} : new Tensor[] {a.squeeze(a.rank() - 1), b};
        }
        if (b.rank() == a.rank() + 1 && b.shape().dim(-1) == 1) {
            return a.rank() == 1 ? new Tensor[] {a.unsqueeze(1), b} : new Tensor[] {a, b.squeeze(b.rank() - 1)};
        }
        return new Tensor[] {a, b};
    }

    /** Mean over the last axis, Keras's per-sample step for regression losses. */
    static Tensor meanLastAxis(Tensor t) {
        return t.rank() == 0 ? t : t.mean(new int[] {-1}, false);
    }

    /** The name the loss is logged under, e.g. {@code mean_squared_error}. */
    public String name() {
        return name;
    }

    /** The reduction. */
    public Reduction reduction() {
        return reduction;
    }

    /** The Keras class name, e.g. {@code MeanSquaredError}. */
    public String className() {
        return getClass().getSimpleName();
    }

    /** The constructor arguments as JSON-able values: name, reduction and the loss's own. */
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("reduction", reduction.name().toLowerCase(Locale.ROOT));
        return c;
    }

    @Override
    public String toString() {
        return className() + "(" + getConfig() + ")";
    }
}
