package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.ops.Attrs;
import dev.vecgrad.core.ops.Padding;
import java.util.Locale;
import java.util.Map;

/**
 * Shared machinery of {@link MaxPooling2D} and {@link AveragePooling2D}: a pool size, strides
 * (default: the pool size, as Keras) and padding over channels-last inputs.
 */
public abstract class Pooling2D extends ImageLayer {
    private final int[] poolSize;
    private final int[] strides;
    private final Padding padding;

    /**
     * @param strides null for the pool size
     */
    Pooling2D(String name, int[] poolSize, int[] strides, Padding padding) {
        super(name);
        String what = getClass().getSimpleName();
        this.poolSize = ConvShapes.pair(what, "pool size", poolSize);
        this.strides = strides == null ? this.poolSize.clone() : ConvShapes.pair(what, "strides", strides);
        this.padding = java.util.Objects.requireNonNull(padding, "padding");
    }

    /** The window attributes of the pooling op. */
    protected final Attrs.Pool2d attrs() {
        return new Attrs.Pool2d(poolSize[0], poolSize[1], strides[0], strides[1], padding);
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return ConvShapes.output(className() + " '" + name() + "'", inputShape, poolSize, strides, new int[] {1, 1},
                padding, inputShape.rank() == 4 ? inputShape.dim(3) : 0);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("pool_size", Configs.list(poolSize));
        c.put("strides", Configs.list(strides));
        c.put("padding", padding.name().toLowerCase(Locale.ROOT));
        return c;
    }

    static int[] poolSizeOf(Map<String, Object> c) {
        return c.containsKey("pool_size") ? Configs.ints(c, "pool_size") : new int[] {2, 2};
    }

    static int[] stridesOf(Map<String, Object> c) {
        return c.get("strides") == null ? null : Configs.ints(c, "strides");
    }

    static Padding paddingOf(Map<String, Object> c) {
        return c.get("padding") == null ? Padding.VALID : ConvShapes.padding((String) c.get("padding"));
    }
}
