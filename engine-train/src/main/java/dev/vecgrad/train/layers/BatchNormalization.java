package dev.vecgrad.train.layers;

import dev.vecgrad.autodiff.GradientTape;
import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.train.compile.Tracer;
import dev.vecgrad.train.initializers.Initializers;
import java.util.List;
import java.util.Map;

/**
 * Batch normalization over one feature axis (default the last), as Keras's
 * {@code BatchNormalization}: {@code gamma * (x - mean) / sqrt(var + epsilon) + beta}.
 *
 * <ul>
 *   <li>Training ({@code training} true and the layer trainable): mean and variance are the
 *       batch's, over every axis but the feature axis (population variance, as Keras 3's
 *       {@code ops.moments}); the gradient flows through them. The moving statistics, kept as
 *       non-trainable variables, then move towards them:
 *       {@code moving = moving * momentum + batch * (1 - momentum)}.</li>
 *   <li>Inference, and a frozen layer even in training (as Keras 3): the moving statistics.</li>
 * </ul>
 *
 * <p>The moving-statistics update is not recorded on any tape and is synchronised, so replicas
 * on several threads each fold their batch in.
 *
 * <pre>{@code
 * BatchNormalization bn = new BatchNormalization();   // axis -1, momentum 0.99, epsilon 1e-3
 * bn.call(x, true);
 * }</pre>
 */
public final class BatchNormalization extends Layer {
    private final int axis;
    private final double momentum;
    private final double epsilon;
    private final boolean center;
    private final boolean scale;
    private int resolvedAxis;
    private Variable gamma;
    private Variable beta;
    private Variable movingMean;
    private Variable movingVariance;

    /** Keras's defaults: axis -1, momentum 0.99, epsilon 1e-3, with beta and gamma. */
    public BatchNormalization() {
        this(null, -1, 0.99, 1e-3, true, true);
    }

    /**
     * Batch normalization with every argument given.
     *
     * @param name null for the default
     * @param axis the feature axis (negative counts from the end)
     * @param momentum weight of the old moving statistics in each update
     * @param epsilon added to the variance before the square root
     * @param center whether to add the trainable offset beta
     * @param scale whether to multiply by the trainable scale gamma
     */
    public BatchNormalization(String name, int axis, double momentum, double epsilon, boolean center, boolean scale) {
        super(name);
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNormalization: momentum must be in [0, 1], got " + momentum);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("BatchNormalization: epsilon must be positive, got " + epsilon);
        }
        this.axis = axis;
        this.momentum = momentum;
        this.epsilon = epsilon;
        this.center = center;
        this.scale = scale;
    }

    @Override
    protected void build(Shape inputShape) {
        resolvedAxis = Shape.normalizeAxis(axis, inputShape.rank(), "BatchNormalization '" + name() + "'");
        int[] p = {inputShape.dim(resolvedAxis)};
        if (scale) {
            gamma = addWeight("gamma", p, Initializers.ones(), null, true);
        }
        if (center) {
            beta = addWeight("beta", p, Initializers.zeros(), null, true);
        }
        movingMean = addWeight("moving_mean", p, Initializers.zeros(), null, false);
        movingVariance = addWeight("moving_variance", p, Initializers.ones(), null, false);
    }

    /** Any sizes but the normalized axis's, which must be the one built for. */
    @Override
    protected void checkInputShape(Shape builtFor, Shape given) {
        requireSameAxes(builtFor, given, resolvedAxis);
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        return forward(x, null, training);
    }

    /** With a mask, the batch statistics are taken over the unmasked positions only, as Keras's masked moments. */
    @Override
    protected Tensor forward(Tensor x, Tensor mask, boolean training) {
        int[] reduce = new int[x.rank() - 1];
        for (int i = 0, r = 0; i < x.rank(); i++) {
            if (i != resolvedAxis) {
                reduce[r++] = i;
            }
        }
        int[] paramShape = new int[x.rank()];
        java.util.Arrays.fill(paramShape, 1);
        paramShape[resolvedAxis] = x.shape().dim(resolvedAxis);
        Tensor mean;
        Tensor variance;
        if (training && isTrainable()) {
            if (mask == null) {
                mean = x.mean(reduce, true);
                variance = x.variance(reduce, true);
            } else {
                Tensor w = Masks.expandTo(mask, x);
                // At least 1, so a fully masked batch has mean and variance 0 rather than 0/0.
                Tensor count = w.broadcastTo(x.shape().toArray()).sum(reduce, true).maximum(1);
                mean = x.mul(w).sum(reduce, true).div(count);
                variance = x.sub(mean).square().mul(w).sum(reduce, true).div(count);
            }
            updateMovingStatistics(mean, variance);
        } else {
            mean = movingMean.value().reshape(paramShape);
            variance = movingVariance.value().reshape(paramShape);
        }
        Tensor inv = variance.add(epsilon).rsqrt();
        if (scale) {
            inv = inv.mul(gamma.value().reshape(paramShape));
        }
        Tensor y = x.sub(mean).mul(inv);
        return center ? y.add(beta.value().reshape(paramShape)) : y;
    }

    /** A host call, so that a compiled step updates the moving statistics at every replay. */
    private void updateMovingStatistics(Tensor mean, Tensor variance) {
        Tracer.hostCall("BatchNormalization.movingStatistics", List.of(mean, variance), args -> {
            updateMovingStatisticsNow(args.get(0), args.get(1));
            return null;
        });
    }

    private void updateMovingStatisticsNow(Tensor mean, Tensor variance) {
        try (GradientTape.NoGrad p = GradientTape.noGrad()) {
            int c = mean.size();
            synchronized (this) {
                movingMean.assign(movingMean.peek().mul(momentum).add(mean.reshape(c).mul(1 - momentum)));
                movingVariance.assign(movingVariance.peek().mul(momentum).add(variance.reshape(c).mul(1 - momentum)));
            }
        }
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

    /** The moving mean (non-trainable). */
    public Variable movingMean() {
        return movingMean;
    }

    /** The moving variance (non-trainable). */
    public Variable movingVariance() {
        return movingVariance;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("axis", axis);
        c.put("momentum", momentum);
        c.put("epsilon", epsilon);
        c.put("center", center);
        c.put("scale", scale);
        return c;
    }

    static BatchNormalization fromConfig(Map<String, Object> c) {
        return new BatchNormalization((String) c.get("name"), Configs.integer(c, "axis"),
                Configs.number(c, "momentum", 0.99), Configs.number(c, "epsilon", 1e-3),
                Configs.bool(c, "center", true), Configs.bool(c, "scale", true));
    }
}
