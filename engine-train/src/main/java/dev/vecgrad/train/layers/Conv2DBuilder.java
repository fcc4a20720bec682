package dev.vecgrad.train.layers;

import dev.vecgrad.core.ops.Attrs;
import dev.vecgrad.core.ops.Padding;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The options of the 2-D convolution layers ({@link Conv2D}, {@link Conv2DTranspose}) beyond
 * those of {@link KernelLayerBuilder}: the number of filters, the kernel size, strides (default
 * 1, 1), dilation rate (default 1, 1) and padding (default VALID).
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class Conv2DBuilder<B extends Conv2DBuilder<B>> extends KernelLayerBuilder<B> {
    final int filters;
    final int[] kernelSize;
    int[] strides = {1, 1};
    int[] dilation = {1, 1};
    Padding padding = Padding.VALID;

    Conv2DBuilder(int filters, int kh, int kw) {
        this.filters = filters;
        this.kernelSize = new int[] {kh, kw};
    }

    /** Strides (height, width); default 1, 1. */
    public B strides(int sh, int sw) {
        this.strides = new int[] {sh, sw};
        return self();
    }

    /** Dilation rate (height, width); default 1, 1. */
    public B dilation(int dh, int dw) {
        this.dilation = new int[] {dh, dw};
        return self();
    }

    /** VALID (default) or SAME. */
    public B padding(Padding padding) {
        this.padding = Objects.requireNonNull(padding, "padding");
        return self();
    }

    /** "valid" or "same". */
    public B padding(String padding) {
        return padding(ConvShapes.padding(padding));
    }

    /** Reads every option from a saved config, as {@link Geometry#writeConfig} and {@link KernelOptions#writeConfig} write them. */
    B readConv2D(Map<String, Object> c) {
        int[] s = c.containsKey("strides") ? Configs.ints(c, "strides") : new int[] {1, 1};
        int[] d = c.containsKey("dilation_rate") ? Configs.ints(c, "dilation_rate") : new int[] {1, 1};
        return readConfig(c).strides(s[0], s[1]).dilation(d[0], d[1])
                .padding(c.get("padding") == null ? "valid" : (String) c.get("padding"));
    }

    /** The checked geometry for the layer {@code layer}. */
    Geometry geometry(String layer) {
        if (filters <= 0) {
            throw new IllegalArgumentException(layer + ": filters must be positive, got " + filters);
        }
        return new Geometry(filters, ConvShapes.pair(layer, "kernel size", kernelSize),
                ConvShapes.pair(layer, "strides", strides), ConvShapes.pair(layer, "dilation", dilation), padding);
    }

    /** A 2-D convolution layer's filters, kernel size, strides, dilation and padding. */
    record Geometry(int filters, int[] kernelSize, int[] strides, int[] dilation, Padding padding) {
        /** The convolution op's attributes. */
        Attrs.Conv2d attrs() {
            return new Attrs.Conv2d(strides[0], strides[1], dilation[0], dilation[1], padding);
        }

        /** Writes the geometry under Keras's keys. */
        void writeConfig(Map<String, Object> c) {
            c.put("filters", filters);
            c.put("kernel_size", Configs.list(kernelSize));
            c.put("strides", Configs.list(strides));
            c.put("padding", padding.name().toLowerCase(Locale.ROOT));
            c.put("dilation_rate", Configs.list(dilation));
        }
    }
}
