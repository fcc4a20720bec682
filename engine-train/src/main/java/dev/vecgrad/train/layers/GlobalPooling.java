package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.util.Map;

/**
 * The mean or maximum over the steps of {@code (batch, steps, channels)} or over height and width
 * of {@code (batch, h, w, channels)}, channels-last, as Keras's global pooling layers; with
 * {@code keepdims} the pooled axes stay as size 1.
 */
abstract class GlobalPooling extends Layer {
    private final int rank;
    private final boolean max;
    private final boolean keepdims;

    GlobalPooling(String name, int rank, boolean max, boolean keepdims) {
        super(name);
        this.rank = rank;
        this.max = max;
        this.keepdims = keepdims;
    }

    /** The pooled axes: 1, or 1 and 2. */
    final int[] axes() {
        return rank == 3 ? new int[] {1} : new int[] {1, 2};
    }

    @Override
    protected void build(Shape inputShape) {
        computeOutputShape(inputShape);
    }

    @Override
    protected void checkInputShape(Shape builtFor, Shape given) {
        if (given.rank() != rank || given.dim(-1) != builtFor.dim(-1)) {
            throw new IllegalArgumentException(incompatible(builtFor, given) + " (channels-last, "
                    + builtFor.dim(-1) + " channels)");
        }
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        return max ? x.max(axes(), keepdims) : x.mean(axes(), keepdims);
    }

    /** Whether the pooled axes stay as size 1. */
    final boolean keepdims() {
        return keepdims;
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        if (inputShape.rank() != rank) {
            throw new IllegalArgumentException(className() + " '" + name() + "' needs channels-last inputs "
                    + (rank == 3 ? "(batch, steps, channels)" : "(batch, height, width, channels)") + ", got "
                    + inputShape);
        }
        int c = inputShape.dim(-1);
        if (!keepdims) {
            return Shape.of(inputShape.dim(0), c);
        }
        return rank == 3 ? Shape.of(inputShape.dim(0), 1, c) : Shape.of(inputShape.dim(0), 1, 1, c);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("data_format", "channels_last");
        c.put("keepdims", keepdims);
        return c;
    }
}
