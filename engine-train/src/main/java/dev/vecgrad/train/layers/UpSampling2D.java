package dev.vecgrad.train.layers;

import dev.vecgrad.core.Shape;
import dev.vecgrad.core.Tensor;
import java.util.Map;

/**
 * Nearest-neighbour upsampling of channels-last images, as Keras's {@code UpSampling2D} with its
 * default {@code interpolation="nearest"}: each row is repeated {@code size[0]} times and each
 * column {@code size[1]} times, {@code (batch, h, w, c)} to {@code (batch, h·s0, w·s1, c)}.
 *
 * <pre>{@code
 * new UpSampling2D(2, 2).call(Tensor.zeros(1, 7, 7, 8));   // (1, 14, 14, 8)
 * }</pre>
 */
public final class UpSampling2D extends ImageLayer {
    private final int[] size;

    /** Repeats rows {@code sh} times and columns {@code sw} times. */
    public UpSampling2D(int sh, int sw) {
        this(null, sh, sw);
    }

    /** Repeats rows {@code sh} times and columns {@code sw} times; {@code name} null for the default. */
    public UpSampling2D(String name, int sh, int sw) {
        super(name);
        this.size = ConvShapes.pair("UpSampling2D", "size", new int[] {sh, sw});
    }

    @Override
    protected Tensor forward(Tensor x, boolean training) {
        return x.repeat(size[0], 1).repeat(size[1], 2);
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        requireImage(s);
        return Shape.of(s.dim(0), s.dim(1) * size[0], s.dim(2) * size[1], s.dim(3));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("size", Configs.list(size));
        c.put("data_format", "channels_last");
        c.put("interpolation", "nearest");
        return c;
    }

    static UpSampling2D fromConfig(Map<String, Object> c) {
        Object interpolation = c.get("interpolation");
        if (interpolation != null && !"nearest".equals(interpolation)) {
            throw new IllegalArgumentException("UpSampling2D: only interpolation \"nearest\" is supported, got "
                    + interpolation);
        }
        int[] s = c.containsKey("size") ? Configs.ints(c, "size") : new int[] {2, 2};
        return new UpSampling2D((String) c.get("name"), s[0], s[1]);
    }
}
