package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.ops.NNOps;
import dev.vecgrad.train.initializers.Initializers;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Layer normalization over one axis (default the last) or several, per sample, as Keras's
 * {@code LayerNormalization}: {@code gamma * (x - mean) / sqrt(var + epsilon) + beta}, with the
 * mean and (population) variance taken over those axes together; gamma and beta have the shape of
 * those axes. It behaves the same in training and inference.
 *
 * <pre>{@code
 * new LayerNormalization().call(x);   // axis -1, epsilon 1e-3
 * new LayerNormalization(null, new int[] {-2, -1}, 1e-3, true, true).call(x);   // over the last two axes
 * }</pre>
 */
public final class LayerNormalization extends Layer {
    private final int[] axes;
    private final double epsilon;
    private final boolean center;
    private final boolean scale;
    private int[] resolvedAxes;
    private Variable gamma;
    private Variable beta;

    /** Keras's defaults: axis -1, epsilon 1e-3, with beta and gamma. */
    public LayerNormalization() {
        this(null, -1, 1e-3, true, true);
    }

    /**
     * Layer normalization with every argument given.
     *
     * @param name null for the default
     * @param axis the normalised axis (negative counts from the end)
     * @param epsilon added to the variance before the square root
     * @param center whether to add the trainable offset beta
     * @param scale whether to multiply by the trainable scale gamma
     */
    public LayerNormalization(String name, int axis, double epsilon, boolean center, boolean scale) {
        this(name, new int[] {axis}, epsilon, center, scale);
    }

    /**
     * Layer normalization over several axes, normalised together (their order does not matter).
     *
     * @param name null for the default
     * @param axes the normalised axes (negative counts from the end); at least one, none twice
     * @param epsilon added to the variance before the square root
     * @param center whether to add the trainable offset beta
     * @param scale whether to multiply by the trainable scale gamma
     */
    public LayerNormalization(String name, int[] axes, double epsilon, boolean center, boolean scale) {
        super(name);
        if (axes.length == 0) {
            throw new IllegalArgumentException("LayerNormalization: give at least one axis");
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("LayerNormalization: epsilon must be positive, got " + epsilon);
        }
        this.axes = axes.clone();
        this.epsilon = epsilon;
        this.center = center;
        this.scale = scale;
    }

    @Override
    protected void build(Shape inputShape) {
        resolvedAxes = resolve(inputShape);
        int[] p = new int[resolvedAxes.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = inputShape.dim(resolvedAxes[i]);
        }
        if (scale) {
            gamma = addWeight("gamma", p, Initializers.ones(), null, true);
        }
        if (center) {
            beta = addWeight("beta", p, Initializers.zeros(), null, true);
        }
    }

    /** Any sizes but the normalized axes', which must be the ones built for. */
    @Override
    protected void checkInputShape(Shape builtFor, Shape given) {
        requireSameAxes(builtFor, given, resolvedAxes);
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        int[] ax = resolvedAxes;
        int[] paramShape = new int[x.rank()];
        Arrays.fill(paramShape, 1);
        for (int a : ax) {
            paramShape[a] = x.shape().dim(a);
        }
        if (ax.length == 1 && ax[0] == x.rank() - 1) {
            // The usual case, the last axis alone, runs as one normalisation op (and one for its gradient).
            Tensor y = NNOps.normalize(x, epsilon);
            y = scale ? y.mul(gamma.value()) : y;
            return center ? y.add(beta.value()) : y;
        }
        Tensor mean = x.mean(ax, true);
        Tensor inv = x.variance(ax, true).add(epsilon).rsqrt();
        if (scale) {
            inv = inv.mul(gamma.value().reshape(paramShape));
        }
        Tensor y = x.sub(mean).mul(inv);
        return center ? y.add(beta.value().reshape(paramShape)) : y;
    }

    /** Acts on each position alone, so a mask passes through unchanged. */
    @Override
    public boolean supportsMasking() {
        return true;
    }

    /** The input's shape, once the axes are checked against its rank. */
    @Override
    public Shape computeOutputShape(Shape inputShape) {
        resolve(inputShape);
        return inputShape;
    }

    /** The axes as non-negative indices in increasing order; out of range or repeated ones are refused. */
    private int[] resolve(Shape inputShape) {
        int[] r = new int[axes.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = Shape.normalizeAxis(axes[i], inputShape.rank(), "LayerNormalization '" + name() + "'");
        }
        Arrays.sort(r);
        for (int i = 1; i < r.length; i++) {
            if (r[i] == r[i - 1]) {
                throw new IllegalArgumentException("LayerNormalization '" + name() + "': duplicate axes "
                        + Arrays.toString(axes) + " for an input of rank " + inputShape.rank());
            }
        }
        return r;
    }

    /** The normalised axes as given. */
    public int[] axes() {
        return axes.clone();
    }

    /** The trainable scale (null without {@code scale}). */
    public Variable gamma() {
        return gamma;
    }

    /** The trainable offset (null without {@code center}). */
    public Variable beta() {
        return beta;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("axis", axes.length == 1 ? axes[0] : Configs.list(axes));
        c.put("epsilon", epsilon);
        c.put("center", center);
        c.put("scale", scale);
        return c;
    }

    static LayerNormalization fromConfig(Map<String, Object> c) {
        int[] axes = c.get("axis") instanceof List<?> ? Configs.ints(c, "axis")
                : new int[] {Configs.integer(c, "axis")};
        return new LayerNormalization((String) c.get("name"), axes,
                Configs.number(c, "epsilon", 1e-3), Configs.bool(c, "center", true), Configs.bool(c, "scale", true));
    }
}
