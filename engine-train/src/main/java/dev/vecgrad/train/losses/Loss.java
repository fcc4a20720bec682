package dev.vecgrad.train.losses;

import dev.vecgrad.core.DType;
import dev.vecgrad.core.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A training objective with Keras 3's semantics, written with tensor ops so a tape differentiates
 * it. {@link #call(Tensor, Tensor, Tensor, Tensor)} does, in order:
 *
 * <ol>
 *   <li>brings {@code yTrue} to {@code yPred}'s rank where they differ by a trailing size-1 axis
 *       (Keras's {@code squeeze_or_expand_to_same_rank}: labels {@code (batch,)} against
 *       predictions {@code (batch, 1)} work) and, except for integer class ids, to yPred's dtype;</li>
 *   <li>computes per-sample values with {@link #values} (for MSE and friends the mean over the
 *       last axis, for cross-entropies the sum over classes), and a mask of the values that count
 *       ({@link #valuesMask}, e.g. labels equal to an ignored class);</li>
 *   <li>folds the masks into the sample weights as Keras's {@code apply_mask}: the mask given
 *       (non-zero entries count; its shape is yPred's leading axes or the values' shape) and the
 *       values' own mask are combined; for {@link Reduction#SUM_OVER_BATCH_SIZE} the entries that
 *       count weigh {@code total / valid}, so the mean runs over the valid entries only (0 when
 *       none is valid), otherwise they weigh 1 and the others 0;</li>
 *   <li>multiplies by the weights (matched in rank the same way; a weight of lower rank applies to
 *       all trailing positions);</li>
 *   <li>reduces with the {@link Reduction}.</li>
 * </ol>
 *
 * <pre>{@code
 * Loss mse = new MeanSquaredError();
 * Tensor l = mse.call(yTrue, yPred);                       // rank 0
 * Tensor w = mse.call(yTrue, yPred, Tensor.of(new float[] {1, 0.5f}));
 * Tensor m = mse.call(yTrue, yPred, null, paddingMask);    // padded steps do not count
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

    /** The per-sample values of a loss before weighting and reduction, and the mask of those that count (null: all). */
    public record PerSample(Tensor values, Tensor mask) {
    }

    /** The loss without sample weights. */
    public final Tensor call(Tensor yTrue, Tensor yPred) {
        return call(yTrue, yPred, null, null);
    }

    /** The loss with {@code sampleWeight} (null for none). */
    public final Tensor call(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        return call(yTrue, yPred, sampleWeight, null);
    }

    /**
     * The loss with {@code sampleWeight} and the predictions' {@code mask} (either null for none);
     * see the class comment for the steps.
     */
    public final Tensor call(Tensor yTrue, Tensor yPred, Tensor sampleWeight, Tensor mask) {
        PerSample p = perSample(yTrue, yPred);
        Tensor m = combine(mask, p.mask());
        Tensor w = applyMask(sampleWeight, m, p.values().dtype(), reduction);
        if (w == null) {
            return reduce(p.values(), null);
        }
        Tensor weight = asDType(w, p.values().dtype());
        Tensor[] vw = matchRank(p.values(), weight);
        return reduce(multiply(vw[0], vw[1], w), vw[1]);
    }

    /**
     * Steps 1 and 2 of the class comment: the per-sample values and the values' own mask, before
     * any weighting. The loss metrics average these.
     */
    public final PerSample perSample(Tensor yTrue, Tensor yPred) {
        if (!yPred.dtype().isFloating()) {
            throw new IllegalArgumentException(name + ": predictions must be floating, got " + yPred.dtype() + " "
                    + yPred.shape());
        }
        Tensor t = keepsIntegerLabels() ? yTrue : asDType(yTrue, yPred.dtype());
        Tensor[] matched = matchRank(t, yPred);
        return new PerSample(values(matched[0], matched[1]), valuesMask(matched[0], matched[1]));
    }

    /**
     * Keras's {@code apply_mask}: folds {@code mask} (non-zero entries are kept) into
     * {@code sampleWeight} (either may be null). For {@link Reduction#SUM_OVER_BATCH_SIZE} the
     * kept entries weigh total / valid (the mask's size over its number of kept entries; 0 when
     * none is kept), so that dividing by the number of positions gives the mean over the kept ones;
     * otherwise they weigh 1. A weight of lower rank than the mask applies to all of the mask's
     * trailing positions.
     *
     * @param dtype the floating dtype of the result
     */
    public static Tensor applyMask(Tensor sampleWeight, Tensor mask, DType dtype, Reduction reduction) {
        if (mask == null) {
            return sampleWeight;
        }
        Tensor m = mask.ne(mask.scalarLike(0)).cast(dtype);
        if (reduction == Reduction.SUM_OVER_BATCH_SIZE) {
            // size / valid, as a tensor so a compiled step recomputes it for each batch; valid is a
            // count, so max(valid, 1) only changes the all-masked case, where m is zero anyway.
            m = m.mul(m.sum().maximum(1).reciprocal().mul(m.size()));
        }
        if (sampleWeight == null) {
            return m;
        }
        Tensor[] mw = matchRank(m, asDType(sampleWeight, dtype));
        m = mw[0];
        Tensor w = mw[1];
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

    /**
     * A mask over {@link #values}' result of the values that count (non-zero: counts), or null
     * when all count; the default. Sparse cross-entropy with an ignored class uses it.
     */
    protected Tensor valuesMask(Tensor yTrue, Tensor yPred) {
        return null;
    }

    /** Whether yTrue stays as given (integer class ids) instead of being cast to yPred's dtype. */
    protected boolean keepsIntegerLabels() {
        return false;
    }

    /** The entries of both masks that are non-zero (either may be null). */
    private Tensor combine(Tensor a, Tensor b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        Tensor[] ab = matchRank(a.ne(a.scalarLike(0)).cast(DType.F64), b.ne(b.scalarLike(0)).cast(DType.F64));
        try {
            return ab[0].mul(ab[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": mask of shape " + a.shape() + " does not fit the loss values'"
                    + " mask " + b.shape(), e);
        }
    }

    /** {@code values * weights}, a weight of lower rank applying to all trailing positions. */
    private Tensor multiply(Tensor v, Tensor w, Tensor given) {
        while (w.rank() < v.rank() && w.rank() > 0) {
            w = w.unsqueeze(w.rank());
        }
        try {
            return v.mul(w);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": sample weights or mask of shape " + given.shape()
                    + " do not fit per-sample losses of shape " + v.shape(), e);
        }
    }

    private Tensor reduce(Tensor v, Tensor weights) {
        if (reduction == Reduction.NONE || v.rank() == 0) {
            return v;
        }
        Tensor sum = v.sum();
        if (reduction == Reduction.SUM) {
            return sum;
        }
        if (reduction == Reduction.MEAN_WITH_SAMPLE_WEIGHT && weights != null) {
            // sum / sum(weights), 0 when the weights sum to 0 (Keras's divide_no_nan); in tensor ops,
            // so a compiled step recomputes the divisor for each batch.
            Tensor divisor = asDType(weights.sum(), sum.dtype());
            Tensor zero = divisor.eq(divisor.scalarLike(0)).cast(sum.dtype());
            return sum.div(divisor.add(zero)).mul(zero.neg().add(1));
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

    /** Fails unless labels and predictions have the same shape; {@code hint} says what the labels should be. */
    final void requireSameShape(Tensor yTrue, Tensor yPred, String hint) {
        if (!yTrue.shape().equals(yPred.shape())) {
            throw new IllegalArgumentException(name + ": labels " + yTrue.shape() + " and predictions " + yPred.shape()
                    + " must have the same shape (" + hint + ")");
        }
    }

    /** {@code gamma} if it is a valid focusing parameter (non-negative), else an error naming the loss. */
    static double checkGamma(String name, double gamma) {
        if (!(gamma >= 0)) {
            throw new IllegalArgumentException(name + ": gamma must be non-negative, got " + gamma);
        }
        return gamma;
    }

    /** {@code axis} as a non-negative axis of a rank-{@code rank} tensor, or an error naming the loss. */
    final int axis(int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(name + ": axis " + axis + " is out of bounds for predictions of rank "
                    + rank);
        }
        return a;
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
        c.put("reduction", reduction.kerasName());
        return c;
    }

    @Override
    public String toString() {
        return className() + "(" + getConfig() + ")";
    }
}
