package dev.vecgrad.train.layers;

import java.util.Map;

/**
 * The mean over height and width of {@code (batch, h, w, channels)}, giving {@code (batch, channels)}, as Keras's {@code GlobalAveragePooling2D}; with {@code keepdims} the pooled axes stay as size 1.
 */
public final class GlobalAveragePooling2D extends GlobalPooling {
    /** With the default name, pooled axes dropped. */
    public GlobalAveragePooling2D() {
        this(null, false);
    }

    /** Called {@code name} (null: default), pooled axes dropped. */
    public GlobalAveragePooling2D(String name) {
        this(name, false);
    }

    /** Called {@code name} (null: default); {@code keepdims} keeps the pooled axes as size 1. */
    public GlobalAveragePooling2D(String name, boolean keepdims) {
        super(name, 4, false, keepdims);
    }

    static GlobalAveragePooling2D fromConfig(Map<String, Object> c) {
        return new GlobalAveragePooling2D((String) c.get("name"), Configs.bool(c, "keepdims", false));
    }
}
