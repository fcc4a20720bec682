package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.train.initializers.Initializers;
import java.util.Map;

/**
 * Layer normalization over one axis (default the last), per sample, as Keras's
 * {@code LayerNormalization}: {@code gamma * (x - mean) / sqrt(var + epsilon) + beta}, with the
 * mean and (population) variance taken over that axis. It behaves the same in training and
 * inference.
 *
 * <pre>{@code
 * new LayerNormalization().call(x);   // axis -1, epsilon 1e-3
 * }</pre>
 */
public final class LayerNormalization extends Layer {
    private final int axis;
    private final double epsilon;
    private final boolean center;
    private final boolean scale;
    private int resolvedAxis;
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
        super(name);
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("LayerNormalization: epsilon must be positive, got " + epsilon);
        }
        this.axis = axis;
        this.epsilon = epsilon;
        this.center = center;
        this.scale = scale;
    }

    @Override
    protected void build(Shape inputShape) {
        resolvedAxis = Shape.normalizeAxis(axis, inputShape.rank(), "LayerNormalization '" + name() + "'");
        int[] p = {inputShape.dim(resolvedAxis)};
        if (scale) {
            gamma = addWeight("gamma", p, Initializers.ones(), null, true);
        }
        if (center) {
            beta = addWeight("beta", p, Initializers.zeros(), null, true);
        }
    }

    /** Any sizes but the normalized axis's, which must be the one built for. */
    @Override
    protected void checkInputShape(Shape builtFor, Shape given) {
        requireSameAxes(builtFor, given, resolvedAxis);
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        int[] ax = {resolvedAxis};
        int[] paramShape = new int[x.rank()];
        java.util.Arrays.fill(paramShape, 1);
        paramShape[resolvedAxis] = x.shape().dim(resolvedAxis);
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

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return inputShape;
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
        c.put("axis", axis);
        c.put("epsilon", epsilon);
        c.put("center", center);
        c.put("scale", scale);
        return c;
    }

    static LayerNormalization fromConfig(Map<String, Object> c) {
        return new LayerNormalization((String) c.get("name"), Configs.integer(c, "axis"),
                Configs.number(c, "epsilon", 1e-3), Configs.bool(c, "center", true), Configs.bool(c, "scale", true));
    }
}
